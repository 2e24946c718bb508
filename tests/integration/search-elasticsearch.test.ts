import { randomBytes } from 'node:crypto';
import * as mockModule from '@elastic/elasticsearch-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { describeSearchContract } from './search-contract.ts';
import { checkDocument, checkSearchBody } from '../../services/api/modules/search/es-mapping-check.ts';
import { loadMapping } from '../../services/api/modules/search/elasticsearch-search-index.ts';

// The package is CommonJS with ES-style typings: its default export is the class at run time.
type MockClass = typeof mockModule.default.default;
const Mock = ((mockModule as any).default ?? mockModule) as MockClass;

// The Elasticsearch engine end to end.
// - With ELASTICSEARCH_URL set, the whole contract suite runs against that cluster (a fresh alias
//   per run, deleted afterwards). Without it the suite is skipped and says why.
// - Always: the service wired with ELASTICSEARCH_URL talks to a mocked cluster, which shows the
//   configuration, index creation at start, outbox -> bulk writes and the API's search requests.

const liveUrl = process.env.ELASTICSEARCH_URL;
if (!liveUrl) {
  console.warn('search-elasticsearch: ELASTICSEARCH_URL is not set, so the contract suite is NOT run against a live Elasticsearch (only the mocked-cluster tests below run).');
}

describe.skipIf(!liveUrl)('live Elasticsearch', () => {
  const alias = `shelfmark-test-${randomBytes(4).toString('hex')}`;
  describeSearchContract(`Elasticsearch engine at ${liveUrl}`, async () => {
    const svc = await startTestService({ search: { kind: 'elasticsearch', url: liveUrl!, apiKey: process.env.ELASTICSEARCH_API_KEY, alias } });
    const close = svc.close;
    svc.close = async () => {
      await fetch(`${liveUrl}/${alias}-*`, { method: 'DELETE' }).catch(() => undefined);
      await close();
    };
    return { svc, settle: () => svc.deps.search.indexer.settle() };
  });
});

describe('the service configured for Elasticsearch (mocked cluster)', () => {
  const mapping = loadMapping();
  const mock = new Mock();
  const seen = { created: [] as string[], bulk: [] as any[], searches: [] as any[], aliases: [] as any[] };
  let aliasTarget: string | null = null;
  let svc: TestService;

  beforeAll(async () => {
    mock.add({ method: 'GET', path: '/_alias/:name' }, () => (aliasTarget ? { [aliasTarget]: { aliases: { 'shelfmark-records': {} } } } : { error: 'alias missing', status: 404 }));
    mock.add({ method: 'PUT', path: '/:index' }, (p: any) => { seen.created.push(p.path.slice(1)); return { acknowledged: true }; });
    mock.add({ method: 'POST', path: '/_aliases' }, (p: any) => { seen.aliases.push(p.body); aliasTarget = p.body.actions.at(-1).add.index; return { acknowledged: true }; });
    mock.add({ method: ['POST', 'PUT'], path: '/:index/_bulk' }, (p: any) => {
      seen.bulk.push({ path: p.path, body: p.body });
      return { errors: false, items: p.body.filter((_: any, i: number) => i % 2 === 0).map((op: any) => ({ index: { _id: op.index?._id, status: 201 } })) };
    });
    mock.add({ method: ['POST', 'GET'], path: '/:index/_refresh' }, () => ({}));
    mock.add({ method: ['POST', 'GET'], path: '/:index/_search' }, (p: any) => {
      seen.searches.push(p.body);
      return { hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: {} };
    });
    svc = await startTestService(
      { search: { kind: 'elasticsearch', url: 'http://elasticsearch.invalid:9200', apiKey: undefined, alias: 'shelfmark-records' } },
      { search: { esConnection: mock.getConnection() as any } }, // typed against the CommonJS build
    );
  });
  afterAll(async () => { await svc?.close(); });

  it('creates the index and alias at start, and queues every record for indexing', async () => {
    expect(svc.deps.search.index.engine).toBe('elasticsearch');
    expect(seen.created).toHaveLength(1);
    expect(seen.created[0]).toMatch(/^shelfmark-records-v1-\d+$/);
    expect(seen.aliases[0]).toEqual({ actions: [{ add: { index: seen.created[0], alias: 'shelfmark-records', is_write_index: true } }] });
  });

  it('drains the outbox into bulk writes of documents the strict mapping accepts', async () => {
    const res = await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'Batman: Year One', authors: ['Miller, Frank'], year: 1987, isbn: '9781401207526', subjects: ['Comics'] } });
    const { id } = await res.json();
    expect(await svc.deps.search.indexer.pending()).toBeGreaterThan(0);
    await svc.deps.search.indexer.settle();
    expect(await svc.deps.search.indexer.pending()).toBe(0);
    const last = seen.bulk.at(-1)!;
    expect(last.path).toBe('/shelfmark-records/_bulk');
    expect(last.body[0]).toEqual({ index: { _id: id } });
    expect(last.body[1]).toMatchObject({ id, title: 'Batman: Year One', authors: ['Miller, Frank'], year: 1987, decade: 1980, isbn: '9781401207526', subjects: ['Comics'], audience: 0, availability: 'no-copies' });
    expect(checkDocument(mapping, last.body[1])).toEqual([]);
  });

  it('answers GET /api/v1/records and /records/suggest through the engine with checked query bodies', async () => {
    const list = await svc.api('GET', '/api/v1/records?q=batman&year=1980-1989&sort=title');
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ total: 0, totalRelation: 'eq', items: [], facetsExact: true });
    const body = seen.searches.at(-1);
    expect(checkSearchBody(mapping, body)).toEqual([]);
    expect(body.query.bool.filter).toEqual(expect.arrayContaining([{ range: { audience: { lte: 0 } } }, { range: { year: { gte: 1980, lte: 1989 } } }]));
    expect((await svc.api('GET', '/api/v1/records/suggest?q=histroy')).status).toBe(200);
    expect(checkSearchBody(mapping, seen.searches.at(-1))).toEqual([]);
  });
});
