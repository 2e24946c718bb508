// "Integration with online bookstores for book purchasing" (seed 000): links built from a record's
// ISBN by URL templates the library configures (BOOKSTORE_LINKS). Pure: no I/O, no clock.
import { isbn13To10, isValidIsbn13 } from '../catalog/isbn.ts';

export interface BookstoreLink {
  name: string;
  /** An http(s) URL with {isbn13} and/or {isbn10}. */
  template: string;
}

export const DEFAULT_BOOKSTORE_LINKS = 'Bookshop=https://bookshop.org/book/{isbn13};Open Library=https://openlibrary.org/isbn/{isbn13}';

/** `Name=https://...{isbn13}...;Other=...`, or `none` for no links. */
export function parseBookstoreLinks(text: string): { ok: true; links: BookstoreLink[] } | { ok: false; error: string } {
  if (text.trim().toLowerCase() === 'none') return { ok: true, links: [] };
  const links: BookstoreLink[] = [];
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, error: `"${part}" is not Name=URL` };
    const name = part.slice(0, eq).trim();
    const template = part.slice(eq + 1).trim();
    if (name.length > 60) return { ok: false, error: `the name "${name}" is longer than 60 characters` };
    if (!/\{isbn1[03]\}/.test(template)) return { ok: false, error: `the URL of "${name}" has neither {isbn13} nor {isbn10}` };
    let url: URL;
    try {
      url = new URL(template.replace(/\{isbn1[03]\}/g, '0'));
    } catch {
      return { ok: false, error: `the URL of "${name}" is not a URL` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: `the URL of "${name}" must be http(s)` };
    links.push({ name, template });
  }
  if (!links.length) return { ok: false, error: 'no links; write `none` to show none' };
  return { ok: true, links };
}

export interface BuyLink { name: string; url: string }

/**
 * The links for one record. A record without an ISBN has none; a template that needs the ISBN-10
 * is skipped for 979 ISBNs, which have no ISBN-10. The ISBN is digits (and X) only, so it needs no
 * escaping, but it is URI-encoded anyway.
 */
export function buyLinksFor(links: readonly BookstoreLink[], isbn13: string | null | undefined): BuyLink[] {
  if (!isbn13 || !/^\d{13}$/.test(isbn13) || !isValidIsbn13(isbn13)) return [];
  const isbn10 = isbn13To10(isbn13);
  const out: BuyLink[] = [];
  for (const link of links) {
    if (link.template.includes('{isbn10}') && !isbn10) continue;
    out.push({ name: link.name, url: link.template.replaceAll('{isbn13}', encodeURIComponent(isbn13)).replaceAll('{isbn10}', encodeURIComponent(isbn10 ?? '')) });
  }
  return out;
}
