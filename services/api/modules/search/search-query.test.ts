import { describe, expect, it } from 'vitest';
import { INVALID_ISBN } from './search-index.ts';
import { isSearch, searchQueryFrom, viewerOf } from './search-query.ts';

const base = { sort: 'relevance' as const, page: 1, pageSize: 20 };

describe('searchQueryFrom', () => {
  it('turns the seed 002 search form into whole-word field constraints', () => {
    const q = searchQueryFrom({ ...base, title: 'Batman', author: 'Isaac Asimov', subject: 'Comic books', tag: 'graphic', publisher: 'DC', year: '1999-1990', mediaType: 'CD-ROM', available: 'false' });
    expect(q).toMatchObject({ title: ['batman'], author: ['isaac', 'asimov'], subject: ['comic', 'books'], tag: ['graphic'], publisher: ['dc'], year: { from: 1990, to: 1999 }, mediaType: 'cd-rom', available: false });
    expect(searchQueryFrom({ ...base, year: '2011' }).year).toEqual({ from: 2011, to: 2011 });
  });

  it('matches nothing for an invalid ISBN or a field with no word in it, rather than everything', () => {
    expect(searchQueryFrom({ ...base, isbn: '12345' }).isbn).toBe(INVALID_ISBN);
    expect(searchQueryFrom({ ...base, isbn: '0-201-61622-X' }).isbn).toBe('9780201616224');
    expect(searchQueryFrom({ ...base, title: '!!!' }).title).toEqual(['']);
    expect(searchQueryFrom({ ...base, title: '' }).title).toEqual([]);
  });

  it('tells searches from browsing, and viewers apart', () => {
    expect(isSearch({ ...base })).toBe(false);
    expect(isSearch({ ...base, q: '' })).toBe(false);
    expect(isSearch({ ...base, tag: 'x' })).toBe(true);
    expect(viewerOf(null)).toBe(0);
    expect(viewerOf({ id: 'u', username: 'p', roles: ['patron'], via: 'token' })).toBe(1);
    expect(viewerOf({ id: 'u', username: 'l', roles: ['librarian'], via: 'token' })).toBe(2);
  });
});
