import { describe, expect, it } from 'vitest';
import { effectiveAccess, searchDocumentFrom, visibleAccessLevels, type SourceRecord } from './search-document.ts';
import { AUDIENCE } from './search-index.ts';

const now = new Date('2026-03-02T10:00:00Z');
const base: SourceRecord = {
  id: 'r1', title: 'Local Maps', authors: ['Surveyor, M'], publisher: null, year: 1890, isbn: null, mediaType: 'Book', createdAt: now,
  subjects: ['Maps'], tags: [], copies: 0, availableCopies: 0, callNumber: null, accessionNumber: null, files: [],
};
const file = (access: string, text: string | null, embargoUntil: string | null = null) => ({ access, text, embargoUntil });

describe('who may find a record (issue 4, point 5)', () => {
  it('anyone, when it has a copy, a public file or no holding at all', () => {
    expect(searchDocumentFrom(base, now).audience).toBe(AUDIENCE.anonymous);
    expect(searchDocumentFrom({ ...base, copies: 1, files: [file('restricted', 'x')] }, now).audience).toBe(AUDIENCE.anonymous);
    expect(searchDocumentFrom({ ...base, files: [file('public', null), file('restricted', 'x')] }, now).audience).toBe(AUDIENCE.anonymous);
  });

  it('signed-in users only, when its only files are for signed-in users', () => {
    expect(searchDocumentFrom({ ...base, files: [file('signed-in', 'x'), file('restricted', 'y')] }, now).audience).toBe(AUDIENCE.signedIn);
  });

  it('staff only, when its only content is restricted or embargoed files', () => {
    expect(searchDocumentFrom({ ...base, files: [file('restricted', 'x')] }, now).audience).toBe(AUDIENCE.staff);
    expect(searchDocumentFrom({ ...base, files: [file('embargoed', 'x', '2026-06-01T00:00:00Z')] }, now).audience).toBe(AUDIENCE.staff);
    expect(searchDocumentFrom({ ...base, files: [file('embargoed', 'x', null)] }, now).audience).toBe(AUDIENCE.staff);
    expect(searchDocumentFrom({ ...base, files: [file('something-new', 'x')] }, now).audience).toBe(AUDIENCE.staff);
  });

  it('treats an embargo that has ended as public, and says when a running one ends', () => {
    const doc = searchDocumentFrom({ ...base, files: [file('embargoed', 'ended', '2026-03-01T00:00:00Z'), file('embargoed', 'later', '2026-06-01T00:00:00Z')] }, now);
    expect(doc.access).toEqual(['public', 'embargoed']);
    expect(doc.text).toEqual({ public: 'ended', signedIn: '', restricted: 'later' });
    expect(doc.reindexAt).toBe('2026-06-01T00:00:00.000Z');
    expect(effectiveAccess(file('embargoed', null, '2026-03-02T10:00:00Z'), now)).toBe('public');
  });

  it('keeps file text apart by who may read it, and caps it', () => {
    const doc = searchDocumentFrom({ ...base, files: [file('public', 'a'), file('signed-in', 'b'), file('restricted', 'c'), file('public', 'd'.repeat(300_000))] }, now);
    expect(doc.text.signedIn).toBe('b');
    expect(doc.text.restricted).toBe('c');
    expect(doc.text.public.length).toBe(200_000);
    expect(visibleAccessLevels(AUDIENCE.anonymous)).toEqual(['public']);
  });

  it('derives availability, decade and the sort key', () => {
    const doc = searchDocumentFrom({ ...base, copies: 2, availableCopies: 0, year: 1987, title: 'Über Alles' }, now);
    expect(doc).toMatchObject({ availability: 'unavailable', decade: 1980, titleSort: 'uber alles' });
    expect(searchDocumentFrom({ ...base, copies: 2, availableCopies: 1 }, now).availability).toBe('available');
    expect(searchDocumentFrom(base, now).availability).toBe('no-copies');
  });
});
