import { Client } from '@elastic/elasticsearch';
import * as mockModule from '@elastic/elasticsearch-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { createLogger } from '../../logger.ts';
import { ElasticsearchSearchIndex, loadMapping } from './elasticsearch-search-index.ts';
import { esDocument, searchBody, suggestBody } from './es-query.ts';
import { checkDocument, checkMapping, checkSearchBody } from './es-mapping-check.ts';
import { searchDocumentFrom, type SourceRecord } from './search-document.ts';
import { AUDIENCE, INVALID_ISBN, SORT_ORDERS, type Audience, type SearchQuery } from './search-index.ts';
import { parseQueryText, words } from './search-text.ts';

// The package is CommonJS with ES-style typings: its default export is the class at run time.
type MockClass = typeof mockModule.default.default;
const Mock = ((mockModule as any).default ?? mockModule) as MockClass;

// No Elasticsearch runs on these machines. This file checks the engine without one:
// 1. search-mappings/records.v1.json is consistent (analysers, normalisers, tokenizer, filters);
// 2. every request body the engine can build names only mapped fields of a fitting type;
// 3. the engine's HTTP conversation (index creation, alias swap, bulk writes, searches) against
//    @elastic/elasticsearch-mock standing in for a cluster that keeps indices and aliases.
// What this cannot show (scoring, analysis as Elasticsearch really runs it) is the live contract
// suite's job: tests/integration/search-elasticsearch.test.ts with ELASTICSEARCH_URL.

const mapping = loadMapping();
const now = new Date('2026-03-02T10:00:00Z');

const source = (over: Partial<SourceRecord> = {}): SourceRecord => ({
  id: '00000000-0000-4000-8000-000000000001', title: 'Batman: Year One', authors: ['Miller, Frank'], publisher: 'DC Comics', year: 1987,
  isbn: '9781401207526', mediaType: 'Book', createdAt: now, subjects: ['Comic books'], tags: ['graphic novel'], copies: 1, availableCopies: 1,
  callNumber: '0000000001', accessionNumber: 'A000001', files: [], ...over,
});

const query = (over: Partial<SearchQuery> = {}): SearchQuery => ({
  text: null, title: [], author: [], publisher: [], subject: [], tag: [], isbn: null, year: null, mediaType: null, available: null, access: null,
  sort: 'relevance', page: 1, pageSize: 20, ...over,
});

/** One query of every kind the API can produce. */
const everyQuery: SearchQuery[] = [
  query(),
  query({ text: parseQueryText('history "brief history" 0-553-05340-X') }),
  query({ title: ['batman'], author: ['miller'], publisher: ['dc'], subject: ['comic'], tag: ['graphic'], isbn: '9781401207526', year: { from: 1980, to: 1989 } }),
  query({ mediaType: 'book', available: true, access: 'public' }),
  query({ available: false, access: 'restricted', isbn: INVALID_ISBN }),
  ...SORT_ORDERS.map((sort) => query({ sort, text: parseQueryText('x') })),
  query({ page: 500, pageSize: 20 }),
  query({ page: 10_000, pageSize: 100 }),
];
const viewers: Audience[] = [AUDIENCE.anonymous, AUDIENCE.signedIn, AUDIENCE.staff];

describe('records.v1.json', () => {
  it('defines every analyser, normaliser, tokenizer and filter it uses', () => {
    expect(checkMapping(mapping)).toEqual([]);
  });

  it('splits words as search-text.ts does (the pattern tokenizer, lowercase, ASCII folding)', () => {
    const pattern = new RegExp(mapping.settings.analysis.tokenizer.shelfmark_words.pattern, 'u');
    for (const text of ['Batman: Year One', "O'Brien's well-known café", 'I, Robot (1950) 978-0-553-05340-1', 'Ørsted—ß']) {
      const esLike = text.split(pattern).filter(Boolean).map((w) => w.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace('ø', 'o').replace('ß', 'ss'));
      expect(esLike, text).toEqual(words(text));
    }
  });

  it('is strict, and every field of a document is mapped with a fitting type', () => {
    expect(mapping.mappings.dynamic).toBe('strict');
    const docs = [
      searchDocumentFrom(source(), now),
      searchDocumentFrom(source({ year: null, isbn: null, publisher: null, copies: 0, availableCopies: 0, callNumber: null, accessionNumber: null,
        files: [{ access: 'restricted', embargoUntil: null, text: 'secret' }, { access: 'embargoed', embargoUntil: '2027-01-01T00:00:00Z', text: 'later' }] }), now),
    ];
    for (const d of docs) expect(checkDocument(mapping, esDocument(d))).toEqual([]);
    expect(checkDocument(mapping, { ...esDocument(docs[0]!), stray: 1 })).toEqual(['document field stray is not in the mapping (dynamic: strict refuses it)']);
  });
});

describe('request bodies', () => {
  it('name only mapped fields of a fitting type, for every kind of query and viewer', () => {
    for (const viewer of viewers) {
      for (const q of everyQuery) expect(checkSearchBody(mapping, searchBody(q, viewer)), JSON.stringify(q)).toEqual([]);
      expect(checkSearchBody(mapping, suggestBody('brief histroy', viewer, 10)!)).toEqual([]);
    }
  });

  it('suggest titles that begin with the typed words first, as the Postgres engine does', () => {
    const body = suggestBody('Brief Hist', AUDIENCE.anonymous, 10) as { query: { bool: { should: unknown[] } } };
    expect(body.query.bool.should[0]).toEqual({ prefix: { title_sort: { value: 'brief hist', boost: 20 } } });
  });

  it('the checker itself catches a wrong field, a wrong type and an unknown analyser', () => {
    expect(checkSearchBody(mapping, { query: { match: { title_sort: 'x' } } })).toEqual(['query.match: field title_sort is keyword']);
    expect(checkSearchBody(mapping, { query: { term: { nope: 'x' } } })).toEqual(['query.term: unknown field nope']);
    expect(checkSearchBody(mapping, { query: { prefix: { title: 'x' } } })).toEqual(['query.prefix: field title is text']);
    expect(checkSearchBody(mapping, { sort: [{ title: { order: 'asc' } }] })).toEqual(['sort: field title is text']);
    const broken = structuredClone(mapping);
    broken.mappings.properties.title.analyzer = 'missing';
    expect(checkMapping(broken)).toEqual(['title: unknown analyzer missing']);
  });

  it('only lets each viewer match the file text it may read, and always filters by audience', () => {
    const fieldsFor = (viewer: Audience) => (searchBody(query({ text: parseQueryText('moraine') }), viewer).query as any).bool.must[0].combined_fields.fields as string[];
    expect(fieldsFor(AUDIENCE.anonymous)).toContain('text_public');
    expect(fieldsFor(AUDIENCE.anonymous)).not.toContain('text_signed_in');
    expect(fieldsFor(AUDIENCE.signedIn)).not.toContain('text_restricted');
    expect(fieldsFor(AUDIENCE.staff)).toContain('text_restricted');
    for (const viewer of viewers) {
      expect((searchBody(query(), viewer).query as any).bool.filter[0]).toEqual({ range: { audience: { lte: viewer } } });
      expect((searchBody(query(), viewer).aggs as any).access.terms.include).toEqual(viewer === 0 ? ['public'] : viewer === 1 ? ['public', 'signed-in'] : ['public', 'signed-in', 'restricted', 'embargoed']);
    }
  });

  it('stays inside the 10,000-result window and counts totals exactly up to 10,000', () => {
    const deep = searchBody(query({ page: 10_000, pageSize: 100 }), 0);
    expect(deep).toMatchObject({ from: 0, size: 0, track_total_hits: 10_000 });
    expect(searchBody(query({ page: 500, pageSize: 20 }), 0)).toMatchObject({ from: 9980, size: 20 });
  });
});

/** A cluster in memory: indices with their bodies, aliases, and every bulk and search request. */
function fakeCluster() {
  const mock = new Mock();
  const state = {
    indices: new Map<string, { body: any; docs: Map<string, any>; settings: any[] }>(),
    aliases: new Map<string, string>(), // index -> alias
    searches: [] as any[],
    searchResponse: { hits: { total: { value: 0, relation: 'eq' }, hits: [] as any[] }, aggregations: {} as any },
    bulkError: null as null | { status: number; error: unknown },
  };
  const targets = (alias: string) => [...state.aliases].filter(([, a]) => a === alias).map(([i]) => i);
  // A missing alias answers as Elasticsearch does: 404 with { error, status } (the mock's "not found").
  mock.add({ method: 'GET', path: '/_alias/:name' }, (p: any) => {
    const found = targets(p.path.split('/')[2]);
    return found.length ? Object.fromEntries(found.map((i) => [i, { aliases: { [p.path.split('/')[2]]: {} } }])) : { error: 'alias missing', status: 404 };
  });
  mock.add({ method: 'PUT', path: '/:index' }, (p: any) => {
    state.indices.set(p.path.slice(1), { body: p.body, docs: new Map(), settings: [] });
    return { acknowledged: true, index: p.path.slice(1) };
  });
  mock.add({ method: 'DELETE', path: '/:index' }, (p: any) => { state.indices.delete(p.path.slice(1)); state.aliases.delete(p.path.slice(1)); return { acknowledged: true }; });
  mock.add({ method: 'GET', path: '/:index/_mapping' }, (p: any) => {
    const index = p.path.split('/')[1];
    return { [index]: { mappings: state.indices.get(index)?.body.mappings } };
  });
  mock.add({ method: 'POST', path: '/_aliases' }, (p: any) => {
    for (const a of p.body.actions) {
      if (a.remove) state.aliases.delete(a.remove.index);
      if (a.add) state.aliases.set(a.add.index, a.add.alias);
    }
    return { acknowledged: true };
  });
  mock.add({ method: 'PUT', path: '/:index/_settings' }, (p: any) => { state.indices.get(p.path.split('/')[1])?.settings.push(p.body); return { acknowledged: true }; });
  mock.add({ method: ['POST', 'GET'], path: '/:index/_refresh' }, () => ({ _shards: { total: 1, successful: 1, failed: 0 } }));
  mock.add({ method: ['POST', 'PUT'], path: '/:index/_bulk' }, (p: any) => {
    const name = p.path.split('/')[1];
    const index = state.indices.get(name) ?? state.indices.get(targets(name)[0] ?? '');
    const items: any[] = [];
    for (let i = 0; i < p.body.length; i++) {
      const op = p.body[i];
      if (op.index) { index?.docs.set(op.index._id, p.body[++i]); items.push({ index: { _id: op.index._id, status: state.bulkError?.status ?? 201, error: state.bulkError?.error } }); }
      if (op.delete) { const had = index?.docs.delete(op.delete._id); items.push({ delete: { _id: op.delete._id, status: had ? 200 : 404, result: had ? 'deleted' : 'not_found' } }); }
    }
    return { errors: items.some((it) => Object.values(it)[0] && (Object.values(it)[0] as any).status >= 300), items };
  });
  mock.add({ method: ['POST', 'GET'], path: '/:index/_search' }, (p: any) => { state.searches.push(p.body); return state.searchResponse; });
  const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection() as any }); // the mock is typed against the CommonJS build
  return { client, state };
}

describe('ElasticsearchSearchIndex against a mocked cluster', () => {
  let cluster: ReturnType<typeof fakeCluster>;
  let engine: ElasticsearchSearchIndex;
  const clock = fixedClock(now);
  beforeEach(() => {
    cluster = fakeCluster();
    engine = new ElasticsearchSearchIndex(cluster.client, clock, createLogger('silent'), { alias: 'shelfmark-records' });
  });

  it('creates the index from records.v1.json behind the alias once, and says so', async () => {
    expect(await engine.ensure()).toEqual({ created: true });
    const [name, index] = [...cluster.state.indices][0]!;
    expect(name).toMatch(/^shelfmark-records-v1-\d+$/);
    expect(index.body.settings).toEqual(mapping.settings);
    expect(index.body.mappings).toEqual(mapping.mappings);
    expect(index.body.mappings._meta).toEqual({ shelfmark_mapping_version: 1 });
    expect(cluster.state.aliases.get(name)).toBe('shelfmark-records');
    expect(await engine.ensure()).toEqual({ created: false });
    expect(cluster.state.indices.size).toBe(1);
  });

  it('writes documents in bulk through the alias and removes them; a missing document is not an error', async () => {
    await engine.ensure();
    const doc = searchDocumentFrom(source(), now);
    await engine.index([doc]);
    const [, index] = [...cluster.state.indices][0]!;
    expect(index.docs.get(doc.id)).toEqual(esDocument(doc));
    await engine.remove([doc.id, '00000000-0000-4000-8000-00000000dead']);
    expect(index.docs.size).toBe(0);
  });

  it('fails a bulk write that Elasticsearch refused, so the outbox keeps the change', async () => {
    await engine.ensure();
    cluster.state.bulkError = { status: 400, error: { type: 'mapper_parsing_exception' } };
    await expect(engine.index([searchDocumentFrom(source(), now)])).rejects.toThrow(/mapper_parsing_exception/);
  });

  it('sends the query body and turns hits, totals and aggregations into the API shape', async () => {
    await engine.ensure();
    cluster.state.searchResponse = {
      hits: {
        total: { value: 10_000, relation: 'gte' },
        hits: [{ _id: 'x', _source: { id: 'x', title: 'Batman: Year One', authors: ['Miller, Frank'], publisher: 'DC Comics', year: 1987, isbn: '9781401207526', media_type: 'Book', call_number: '0000000001', accession_number: 'A000001', copies: 1, available_copies: 1, availability: 'available' } }],
      },
      aggregations: {
        subject: { buckets: [{ key: 'Comic books', doc_count: 3 }] },
        decade: { buckets: [{ key: 1980, doc_count: 3 }] },
        year: { buckets: [{ key: 1987, doc_count: 3 }] },
        access: { buckets: [{ key: 'public', doc_count: 2 }, { key: 'restricted', doc_count: 1 }] },
      },
    };
    const q = query({ text: parseQueryText('batman') });
    const res = await engine.search(q, AUDIENCE.anonymous);
    expect(cluster.state.searches.at(-1)).toEqual(searchBody(q, AUDIENCE.anonymous));
    expect(res.total).toBe(10_000);
    expect(res.totalRelation).toBe('gte');
    expect(res.hits[0]).toEqual({
      id: 'x', title: 'Batman: Year One', authors: ['Miller, Frank'], publisher: 'DC Comics', year: 1987, isbn: '9781401207526', mediaType: 'Book',
      callNumber: '0000000001', accessionNumber: 'A000001', copies: 1, availableCopies: 1, availability: 'available',
    });
    expect(res.facets.subject).toEqual([{ value: 'Comic books', count: 3 }]);
    expect(res.facets.decade).toEqual([{ value: '1980-1989', count: 3 }]);
    expect(res.facets.year).toEqual([{ value: '1987', count: 3 }]);
    // Even if a cluster returned a bucket the include list should have dropped, anonymous never sees it.
    expect(res.facets.access).toEqual([{ value: 'public', count: 2 }]);
  });

  it('suggests from the suggestion body and returns { id, title }', async () => {
    await engine.ensure();
    cluster.state.searchResponse = { hits: { total: { value: 1, relation: 'eq' }, hits: [{ _id: 'r', _source: { id: 'r', title: 'A History of Rome' } }] }, aggregations: {} };
    expect(await engine.suggest('histroy', AUDIENCE.anonymous)).toEqual([{ id: 'r', title: 'A History of Rome' }]);
    expect(cluster.state.searches.at(-1)).toEqual(suggestBody('histroy', AUDIENCE.anonymous, 10));
    expect(await engine.suggest('  ', AUDIENCE.anonymous)).toEqual([]);
  });

  it('rebuilds into a new index and swaps the alias in one call, then drops the old index', async () => {
    await engine.ensure();
    const old = [...cluster.state.indices.keys()][0]!;
    await engine.index([searchDocumentFrom(source(), now)]);
    clock.advance(1000);
    const session = await engine.rebuild();
    const fresh = [...cluster.state.indices.keys()].find((k) => k !== old)!;
    expect(cluster.state.indices.get(fresh)!.body.settings).toMatchObject({ refresh_interval: '-1', number_of_replicas: 0 });
    expect(cluster.state.aliases.get(old)).toBe('shelfmark-records'); // searches still hit the old one
    await session.write([searchDocumentFrom(source({ id: '00000000-0000-4000-8000-000000000002', title: 'Rebuilt' }), now)], {});
    expect(cluster.state.indices.get(fresh)!.docs.size).toBe(1);
    await session.commit({});
    expect(cluster.state.indices.get(fresh)!.settings).toEqual([{ index: { refresh_interval: null, number_of_replicas: 1 } }]);
    expect([...cluster.state.aliases]).toEqual([[fresh, 'shelfmark-records']]);
    expect(cluster.state.indices.has(old)).toBe(false);
  });

  it('drops the half-built index when a rebuild is abandoned', async () => {
    await engine.ensure();
    clock.advance(1000);
    const session = await engine.rebuild();
    expect(cluster.state.indices.size).toBe(2);
    await session.abort();
    expect(cluster.state.indices.size).toBe(1);
    expect(cluster.state.aliases.size).toBe(1);
  });
});
