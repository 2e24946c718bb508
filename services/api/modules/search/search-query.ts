import type { AuthUser } from '../../app-context.ts';
import { isStaff } from '../../http/roles.ts';
import type { AccessLevel } from '../files/file.entity.ts';
import { AUDIENCE, INVALID_ISBN, type Audience, type SearchQuery, type SortOrder } from './search-index.ts';
import { MAX_QUERY_WORDS, fold, isbnTerm, parseQueryText, words } from './search-text.ts';

// From the HTTP query of GET /api/v1/records to the engines' SearchQuery. Pure.

export interface RecordSearchParams {
  q?: string | undefined;
  title?: string | undefined;
  author?: string | undefined;
  subject?: string | undefined;
  isbn?: string | undefined;
  publisher?: string | undefined;
  year?: string | undefined;
  mediaType?: string | undefined;
  tag?: string | undefined;
  available?: 'true' | 'false' | undefined;
  access?: AccessLevel | undefined;
  sort: SortOrder;
  page: number;
  pageSize: number;
}

export function viewerOf(user: AuthUser | null): Audience {
  if (!user) return AUDIENCE.anonymous;
  return isStaff(user.roles) ? AUDIENCE.staff : AUDIENCE.signedIn;
}

/**
 * Words a fielded value must contain (for subject and tag, several words mean that exact subject or
 * tag: search-text.ts valueKey). A value with no word in it (punctuation only) cannot match any
 * record; [''] says so to both engines (no indexed token is empty).
 */
function fieldWords(v: string | undefined): string[] {
  if (v === undefined || v.trim() === '') return [];
  const ws = [...new Set(words(v))].slice(0, MAX_QUERY_WORDS);
  return ws.length ? ws : [''];
}

export function searchQueryFrom(p: RecordSearchParams): SearchQuery {
  let year: SearchQuery['year'] = null;
  if (p.year) {
    const [a, b] = p.year.split('-').map(Number) as [number, number | undefined];
    const to = b ?? a;
    year = { from: Math.min(a, to), to: Math.max(a, to) };
  }
  return {
    text: parseQueryText(p.q),
    title: fieldWords(p.title),
    author: fieldWords(p.author),
    publisher: fieldWords(p.publisher),
    subject: fieldWords(p.subject),
    tag: fieldWords(p.tag),
    isbn: p.isbn && p.isbn.trim() ? isbnTerm(p.isbn) ?? INVALID_ISBN : null,
    year,
    mediaType: p.mediaType && p.mediaType.trim() ? fold(p.mediaType.trim()) : null,
    available: p.available === undefined ? null : p.available === 'true',
    access: p.access ?? null,
    sort: p.sort,
    page: p.page,
    pageSize: p.pageSize,
  };
}

/** True when the request asked for something (a search), as opposed to browsing the whole catalogue. */
export function isSearch(p: RecordSearchParams): boolean {
  return [p.q, p.title, p.author, p.subject, p.isbn, p.publisher, p.year, p.mediaType, p.tag, p.available, p.access].some((v) => v !== undefined && v !== '');
}
