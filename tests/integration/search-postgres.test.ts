import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, usingPostgres, type TestService } from '../support/test-service.ts';
import { describeSearchContract } from './search-contract.ts';
import { PostgresSearchIndex } from '../../services/api/modules/search/postgres-search-index.ts';
import { searchQueryFrom } from '../../services/api/modules/search/search-query.ts';
import { AUDIENCE } from '../../services/api/modules/search/search-index.ts';

// The contract on the embedded default: PGlite under `npm test`, PostgreSQL under `npm run test:pg`.
describeSearchContract(usingPostgres() ? 'Postgres engine on PostgreSQL' : 'Postgres engine on PGlite', async () => {
  const svc = await startTestService();
  return { svc, settle: () => svc.deps.search.indexer.settle() };
});

describe('Postgres engine: bounded work for broad queries', () => {
  let svc: TestService;
  const titles = ['Common Alpha', 'Common Bravo', 'Common Charlie', 'Common Delta', 'Common Echo', 'Common Foxtrot', 'Common Golf'];
  beforeAll(async () => {
    svc = await startTestService();
    for (const [i, title] of titles.entries()) {
      svc.clock.advance(1000);
      await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title, authors: ['Writer, W'], year: 1990 + i, subjects: [i % 2 ? 'Odd' : 'Even'] } });
    }
    await svc.deps.search.indexer.settle();
  });
  afterAll(async () => { await svc?.close(); });

  const query = (params: Record<string, string>, page = 1, pageSize = 20) =>
    searchQueryFrom({ sort: 'relevance', ...params, page, pageSize } as Parameters<typeof searchQueryFrom>[0]);

  it('past the cap, reports a lower bound and facets of the matches it collected, and ranks those', async () => {
    const capped = new PostgresSearchIndex(svc.deps.orm, svc.clock, { candidateCap: 3 });
    const res = await capped.search(query({ q: 'common' }), AUDIENCE.anonymous);
    expect(res).toMatchObject({ total: 3, totalRelation: 'gte', facetsExact: false });
    expect(res.hits).toHaveLength(3);
    for (const h of res.hits) expect(titles).toContain(h.title);
    expect(res.facets.subject.reduce((n, f) => n + f.count, 0)).toBe(3);
    const whole = await new PostgresSearchIndex(svc.deps.orm, svc.clock).search(query({ q: 'common' }), AUDIENCE.anonymous);
    expect(whole).toMatchObject({ total: 7, totalRelation: 'eq', facetsExact: true });
    expect(whole.facets.subject).toEqual([{ value: 'Even', count: 4 }, { value: 'Odd', count: 3 }]);
  });

  it('past the cap, still pages exactly through every match when sorted by title or year', async () => {
    const capped = new PostgresSearchIndex(svc.deps.orm, svc.clock, { candidateCap: 3 });
    for (const sort of ['title', '-year']) {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) seen.push(...(await capped.search(query({ q: 'common', sort }, page, 2), AUDIENCE.anonymous)).hits.map((h) => h.title));
      expect(seen, sort).toEqual(sort === 'title' ? titles : [...titles].reverse());
    }
  });
});
