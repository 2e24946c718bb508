// The search page's state lives entirely in its URL (shareable, bookmarkable, the back button
// works): these pure functions read it, write it in one canonical order, and turn it into the
// API's query for GET /api/v1/records.

export const FIELDS = ['title', 'author', 'subject', 'isbn', 'publisher', 'year', 'mediaType', 'tag'] as const;
export type Field = (typeof FIELDS)[number];

export const SORTS = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'title', label: 'Title A–Z' },
  { value: '-year', label: 'Newest first' },
  { value: 'year', label: 'Oldest first' },
  { value: 'added', label: 'Recently added' },
] as const;
export type Sort = (typeof SORTS)[number]['value'];

export const ACCESS = ['public', 'signed-in', 'restricted', 'embargoed'] as const;
export type Access = (typeof ACCESS)[number];

export const PAGE_SIZE = 20;

export interface SearchState {
  q: string;
  fields: Partial<Record<Field, string>>;
  available: 'true' | 'false' | null;
  access: Access | null;
  sort: Sort;
  page: number;
}

/** The filters a visitor can click on and off (facets and the advanced fields alike). */
export type FilterKey = Field | 'available' | 'access';

const clean = (v: string | null, max: number) => (v ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

export function readSearchState(params: URLSearchParams): SearchState {
  const fields: SearchState['fields'] = {};
  for (const f of FIELDS) {
    const v = clean(params.get(f), f === 'isbn' ? 20 : 255);
    if (v) fields[f] = v;
  }
  const sortParam = params.get('sort');
  const sort = (SORTS.find((s) => s.value === sortParam)?.value ?? 'relevance') as Sort;
  const available = params.get('available');
  const access = params.get('access');
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: clean(params.get('q'), 500),
    fields,
    available: available === 'true' || available === 'false' ? available : null,
    access: (ACCESS as readonly string[]).includes(access ?? '') ? access as Access : null,
    sort,
    page: Number.isFinite(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

export function hasCriteria(s: SearchState): boolean {
  return Boolean(s.q || Object.keys(s.fields).length || s.available || s.access);
}

function toParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FIELDS) if (s.fields[f]) p.set(f, s.fields[f]!);
  if (s.available) p.set('available', s.available);
  if (s.access) p.set('access', s.access);
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  return p;
}

/** The page's own URL for a state: `/search?...` in canonical order, defaults left out. */
export function searchHref(s: SearchState): string {
  const qs = toParams(s).toString();
  return qs ? `/search?${qs}` : '/search';
}

/** The query string for GET /api/v1/records. */
export function apiQuery(s: SearchState, pageSize = PAGE_SIZE): string {
  const p = toParams(s);
  p.set('sort', s.sort);
  p.set('page', String(s.page));
  p.set('pageSize', String(pageSize));
  return p.toString();
}

export function filterValue(s: SearchState, key: FilterKey): string | null {
  if (key === 'available') return s.available;
  if (key === 'access') return s.access;
  return s.fields[key] ?? null;
}

/** The same search with one filter set (or, with null, removed); back to page 1. */
export function withFilter(s: SearchState, key: FilterKey, value: string | null): SearchState {
  const next: SearchState = { ...s, fields: { ...s.fields }, page: 1 };
  if (key === 'available') next.available = value === 'true' || value === 'false' ? value : null;
  else if (key === 'access') next.access = (ACCESS as readonly string[]).includes(value ?? '') ? value as Access : null;
  else if (value) next.fields[key] = value;
  else delete next.fields[key];
  return next;
}

export const withSort = (s: SearchState, sort: Sort): SearchState => ({ ...s, sort, page: 1 });
export const withPage = (s: SearchState, page: number): SearchState => ({ ...s, page });
export const withoutQuery = (s: SearchState): SearchState => ({ ...s, q: '', page: 1 });

/** Page numbers to offer around the current one: first, last, and two either side, with gaps as null. */
export function pageWindow(current: number, last: number): Array<number | null> {
  const pages = new Set<number>([1, last]);
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= last) pages.add(p);
  const sorted = [...pages].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  for (const p of sorted) {
    const prev = out.at(-1);
    if (typeof prev === 'number' && p - prev > 1) out.push(null);
    out.push(p);
  }
  return out;
}

export const FILTER_LABELS: Record<FilterKey, string> = {
  title: 'Title', author: 'Author', subject: 'Subject', isbn: 'ISBN', publisher: 'Publisher', year: 'Year',
  mediaType: 'Media type', tag: 'Tag', available: 'Availability', access: 'Online access',
};

export const ACCESS_LABELS: Record<Access, string> = {
  public: 'Open to everyone', 'signed-in': 'Signed-in readers', restricted: 'Restricted', embargoed: 'Under embargo',
};

/** How a filter's value reads in the "Your filters" list. */
export function filterValueLabel(key: FilterKey, value: string): string {
  if (key === 'available') return value === 'true' ? 'Available now' : 'Not on the shelf';
  if (key === 'access') return ACCESS_LABELS[value as Access] ?? value;
  return value;
}
