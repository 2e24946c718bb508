import type { AccessLevel } from '../files/file.entity.ts';
import { AUDIENCE, type Audience, type Availability } from './search-index.ts';
import { sortKey } from './search-text.ts';

// What the index knows about one record, built from the database by a pure function so both
// engines index exactly the same thing.
//
// Access rule (issue 4, point 5), decided here and nowhere else:
// - A file's effective level: `public`; `signed-in`; `embargoed` until its date, `public` from then
//   on; `restricted` (group-restricted holdings count as staff-only in search until groups exist,
//   which never shows more than the file route allows). Anything unknown counts as `restricted`.
// - A record is discoverable by anyone when it has a physical copy, a public file, or no holding
//   at all (a catalogue entry); otherwise by signed-in users when it has a signed-in file;
//   otherwise (its only content is restricted or embargoed files) by staff only.
// - File text matches only for viewers who may read that file: public text for everyone,
//   signed-in text for signed-in users, restricted and embargoed text for staff.
// - The access facet counts only the levels the viewer may open (anonymous: public).
// An embargo that ends changes all of this, so the document carries the date it must be
// re-indexed (`reindexAt`); the indexer schedules that.

/** Extracted text kept per audience; a whole book is ~1 MB, well past what ranking needs. */
export const MAX_TEXT_CHARS = 200_000;

export interface SearchDocument {
  id: string;
  title: string;
  titleSort: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  decade: number | null;
  isbn: string | null;
  mediaType: string;
  subjects: string[];
  tags: string[];
  callNumber: string | null;
  accessionNumber: string | null;
  copies: number;
  availableCopies: number;
  availability: Availability;
  createdAt: string;
  /** The least audience that may find the record. */
  audience: Audience;
  /** Effective access levels of its digital holdings. */
  access: AccessLevel[];
  text: { public: string; signedIn: string; restricted: string };
  /** When an embargo ends and the document must be rebuilt. */
  reindexAt: string | null;
}

export interface SourceFile { access: string; embargoUntil: string | Date | null; text: string | null }
export interface SourceRecord {
  id: string;
  title: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  isbn: string | null;
  mediaType: string;
  createdAt: string | Date;
  subjects: string[];
  tags: string[];
  copies: number;
  availableCopies: number;
  callNumber: string | null;
  accessionNumber: string | null;
  files: SourceFile[];
}

export const ACCESS_ORDER: readonly AccessLevel[] = ['public', 'signed-in', 'restricted', 'embargoed'];

export function effectiveAccess(f: SourceFile, now: Date): AccessLevel {
  switch (f.access) {
    case 'public':
    case 'signed-in':
    case 'restricted':
      return f.access;
    case 'embargoed':
      return f.embargoUntil && new Date(f.embargoUntil) <= now ? 'public' : 'embargoed';
    default:
      return 'restricted';
  }
}

/** The access levels a viewer may open, hence see counted in the access facet. */
export function visibleAccessLevels(viewer: Audience): AccessLevel[] {
  return viewer >= AUDIENCE.staff ? [...ACCESS_ORDER] : viewer >= AUDIENCE.signedIn ? ['public', 'signed-in'] : ['public'];
}

const cap = (parts: string[]) => {
  let out = '';
  for (const p of parts) {
    if (out.length >= MAX_TEXT_CHARS) break;
    out += (out ? '\n' : '') + p;
  }
  return out.slice(0, MAX_TEXT_CHARS);
};

export function searchDocumentFrom(r: SourceRecord, now: Date): SearchDocument {
  const levels = r.files.map((f) => effectiveAccess(f, now));
  const textOf = (want: (l: AccessLevel) => boolean) => cap(r.files.filter((f, i) => f.text && want(levels[i]!)).map((f) => f.text!));
  const access = ACCESS_ORDER.filter((l) => levels.includes(l));
  const audience: Audience = r.copies > 0 || r.files.length === 0 || access.includes('public') ? AUDIENCE.anonymous
    : access.includes('signed-in') ? AUDIENCE.signedIn : AUDIENCE.staff;
  const futureEmbargoes = r.files
    .filter((f, i) => levels[i] === 'embargoed' && f.embargoUntil)
    .map((f) => new Date(f.embargoUntil!).getTime());
  return {
    id: r.id,
    title: r.title,
    titleSort: sortKey(r.title),
    authors: r.authors,
    publisher: r.publisher,
    year: r.year,
    decade: r.year === null ? null : Math.floor(r.year / 10) * 10,
    isbn: r.isbn,
    mediaType: r.mediaType,
    subjects: [...r.subjects].sort(),
    tags: [...r.tags].sort(),
    callNumber: r.callNumber,
    accessionNumber: r.accessionNumber,
    copies: Number(r.copies),
    availableCopies: Number(r.availableCopies),
    availability: Number(r.availableCopies) > 0 ? 'available' : Number(r.copies) > 0 ? 'unavailable' : 'no-copies',
    createdAt: new Date(r.createdAt).toISOString(),
    audience,
    access,
    text: {
      public: textOf((l) => l === 'public'),
      signedIn: textOf((l) => l === 'signed-in'),
      restricted: textOf((l) => l === 'restricted' || l === 'embargoed'),
    },
    reindexAt: futureEmbargoes.length ? new Date(Math.min(...futureEmbargoes)).toISOString() : null,
  };
}

/** "1990-1999" for 1990: the decade facet's value, which the year filter accepts as it is. */
export const decadeRange = (decade: number) => `${decade}-${decade + 9}`;
