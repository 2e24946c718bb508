import { describe, expect, it } from 'vitest';
import { apiQuery, pageWindow, readSearchState, searchHref, withFilter, withPage, withSort } from './search-state.ts';
import { safeReturnTo } from './shelfmark.ts';
import { availabilityText, onlineText } from './format.ts';

const state = (qs: string) => readSearchState(new URLSearchParams(qs));

describe('search state in the URL', () => {
  it('reads every field of the advanced form, trims them and drops empty ones', () => {
    const s = state('q=%20history%20&title=Siege&author=&subject=Vicksburg&isbn=0262510871&publisher=MIT&year=1990-1999&mediaType=Book&tag=classic&available=true&sort=-year&page=3');
    expect(s).toEqual({
      q: 'history',
      fields: { title: 'Siege', subject: 'Vicksburg', isbn: '0262510871', publisher: 'MIT', year: '1990-1999', mediaType: 'Book', tag: 'classic' },
      available: 'true', access: null, sort: '-year', page: 3,
    });
  });

  it('ignores values the API would refuse instead of failing the page', () => {
    expect(state('sort=random&page=-2&available=maybe&access=secret')).toMatchObject({ sort: 'relevance', page: 1, available: null, access: null });
    expect(state('page=abc').page).toBe(1);
  });

  it('writes a canonical URL: fixed order, defaults left out', () => {
    expect(searchHref(state('page=1&sort=relevance&tag=b&q=a'))).toBe('/search?q=a&tag=b');
    expect(searchHref(state(''))).toBe('/search');
  });

  it('a facet toggles its filter and goes back to the first page', () => {
    const s = state('q=birds&page=4');
    const on = withFilter(s, 'subject', 'Birdsong');
    expect(searchHref(on)).toBe('/search?q=birds&subject=Birdsong');
    expect(searchHref(withFilter(on, 'subject', null))).toBe('/search?q=birds');
    expect(searchHref(withFilter(s, 'available', 'false'))).toBe('/search?q=birds&available=false');
    expect(searchHref(withSort(s, 'title'))).toBe('/search?q=birds&sort=title');
    expect(searchHref(withPage(s, 5))).toBe('/search?q=birds&page=5');
  });

  it('asks the API for the page with sort, page and page size always set', () => {
    expect(apiQuery(state('q=a b&year=1999'))).toBe('q=a+b&year=1999&sort=relevance&page=1&pageSize=20');
  });

  it('offers the first, last and nearby pages with gaps', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageWindow(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
  });
});

describe('where sign-in returns to', () => {
  it('keeps paths on this site and refuses anything that could leave it', () => {
    expect(safeReturnTo('/records/1?x=2#copies')).toBe('/records/1?x=2#copies');
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'records', '', null, '/sign-in', '/auth/oidc/login']) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});

describe('what a result says about copies and holdings', () => {
  it('names copies on the shelf', () => {
    expect(availabilityText({ copies: 3, availableCopies: 1, availability: 'available' }).text).toBe('1 of 3 copies available');
    expect(availabilityText({ copies: 1, availableCopies: 0, availability: 'unavailable' }).text).toBe('On loan');
    expect(availabilityText({ copies: 0, availableCopies: 0, availability: 'no-copies' }).text).toBe('No physical copy');
  });

  it('says what can be done online', () => {
    expect(onlineText([])).toBeNull();
    expect(onlineText(['audio'])).toBe('Listen online');
    expect(onlineText(['image', 'text', 'audio'])).toBe('Read, listen and view online');
  });
});
