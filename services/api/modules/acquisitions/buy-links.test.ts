import { describe, expect, it } from 'vitest';
import { buyLinksFor, DEFAULT_BOOKSTORE_LINKS, parseBookstoreLinks } from './buy-links.ts';

describe('bookstore links', () => {
  it('the default: Bookshop and Open Library by ISBN-13', () => {
    const parsed = parseBookstoreLinks(DEFAULT_BOOKSTORE_LINKS);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(buyLinksFor(parsed.links, '9780306406157')).toEqual([
      { name: 'Bookshop', url: 'https://bookshop.org/book/9780306406157' },
      { name: 'Open Library', url: 'https://openlibrary.org/isbn/9780306406157' },
    ]);
  });

  it('{isbn10} is filled for 978 ISBNs and the link is left out for 979 ones', () => {
    const parsed = parseBookstoreLinks('Amazon=https://www.amazon.com/dp/{isbn10};Both=https://example.org/?a={isbn13}&b={isbn10}');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(buyLinksFor(parsed.links, '9780306406157')).toEqual([
      { name: 'Amazon', url: 'https://www.amazon.com/dp/0306406152' },
      { name: 'Both', url: 'https://example.org/?a=9780306406157&b=0306406152' },
    ]);
    expect(buyLinksFor(parsed.links, '9791034907885')).toEqual([]);
  });

  it('no ISBN, no links; `none` turns them off', () => {
    const parsed = parseBookstoreLinks(DEFAULT_BOOKSTORE_LINKS);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(buyLinksFor(parsed.links, null)).toEqual([]);
    expect(buyLinksFor(parsed.links, '9780306406158')).toEqual([]); // bad check digit
    expect(parseBookstoreLinks('none')).toEqual({ ok: true, links: [] });
  });

  it('refuses malformed settings with a reason', () => {
    expect(parseBookstoreLinks('Shop')).toMatchObject({ ok: false, error: expect.stringContaining('Name=URL') });
    expect(parseBookstoreLinks('Shop=https://shop.example/')).toMatchObject({ ok: false, error: expect.stringContaining('{isbn13}') });
    expect(parseBookstoreLinks('Shop=javascript:alert({isbn13})')).toMatchObject({ ok: false, error: expect.stringContaining('http(s)') });
    expect(parseBookstoreLinks('Shop=not a url {isbn13}')).toMatchObject({ ok: false });
  });
});
