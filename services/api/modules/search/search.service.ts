import type { AuthUser, Deps } from '../../app-context.ts';
import type { SearchIndex } from './search-index.ts';
import type { SearchIndexer } from './search-indexer.ts';
import type { SearchEventRecorder } from './search-events.ts';
import { isSearch, searchQueryFrom, viewerOf, type RecordSearchParams } from './search-query.ts';

/** What the composition root builds once: the engine and the indexer that feeds it. */
export interface Search {
  index: SearchIndex;
  indexer: SearchIndexer;
  events: SearchEventRecorder;
}

const FIELDED = ['title', 'author', 'subject', 'isbn', 'publisher', 'year', 'mediaType', 'tag', 'available', 'access'] as const;

/** GET /api/v1/records: the catalogue as the viewer may see it, searched, filtered, faceted and paged. */
export async function recordSearcher(deps: Deps, params: RecordSearchParams, user: AuthUser | null) {
  const started = performance.now();
  await deps.search.indexer.catchUp();
  const viewer = viewerOf(user);
  const result = await deps.search.index.search(searchQueryFrom(params), viewer);
  const tookMs = performance.now() - started;
  if (isSearch(params) && params.page === 1) {
    const filters = Object.fromEntries(FIELDED.filter((k) => params[k] !== undefined && params[k] !== '').map((k) => [k, String(params[k])]));
    deps.search.events.record({
      occurredAt: deps.clock(), query: params.q?.trim() || null, filters, sort: params.sort, resultCount: result.total,
      totalRelation: result.totalRelation, tookMs, engine: deps.search.index.engine,
    });
  }
  return {
    total: result.total,
    totalRelation: result.totalRelation,
    page: params.page,
    pageSize: params.pageSize,
    items: result.hits,
    facets: result.facets,
    facetsExact: result.facetsExact,
  };
}

/** GET /api/v1/records/suggest: up to `limit` records whose title or authors start like the typed text. */
export async function recordSuggester(deps: Deps, q: string, limit: number, user: AuthUser | null) {
  await deps.search.indexer.catchUp();
  return deps.search.index.suggest(q, viewerOf(user), limit);
}
