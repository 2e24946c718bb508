import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, usingPostgres, type TestService } from '../support/test-service.ts';
import { describeSearchContract } from './search-contract.ts';
import { PostgresSearchIndex, SAMPLE_SLICE } from '../../services/api/modules/search/postgres-search-index.ts';
import { searchQueryFrom } from '../../services/api/modules/search/search-query.ts';
import { AUDIENCE } from '../../services/api/modules/search/search-index.ts';
import { loadSearchStatistics } from '../../services/api/modules/search/search-statistics-source.ts';
import { wordShare } from '../../services/api/modules/search/search-statistics.ts';
import { sqlRows, sqlRun } from '../../services/api/modules/search/sql-rows.ts';

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

describe('Postgres engine: a sample from the sample slice first for queries the statistics expect to be broad', () => {
  let svc: TestService;
  // "Common" is in nine of ten of 200 records. All but twenty-five records have the subject "Even";
  // "Odd" goes to the twenty others and to five "Common" ones outside the sample slice: the
  // statistics then expect ~22 "common" and "Odd" together, there are 5, and none in the slice.
  const total = 200;
  const ids: string[] = [];
  const inSlice = (id: string) => Number.parseInt(id.slice(-2), 16) < 32; // the last byte of the uuid
  beforeAll(async () => {
    svc = await startTestService();
    for (let i = 0; i < total; i++) {
      const common = i % 10 !== 5;
      const res = await svc.api('POST', '/api/v1/records', {
        token: svc.adminToken,
        json: { title: `${common ? 'Common' : 'Plain'} Volume ${i}`, authors: ['Writer, W'], year: 1900 + (i % 100), subjects: [common ? 'Even' : 'Odd'] },
      });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const oddCommon = ids.filter((id, i) => i % 10 !== 5 && !inSlice(id)).slice(0, 5);
    for (const id of oddCommon) await svc.api('PATCH', `/api/v1/records/${id}`, { token: svc.adminToken, json: { subjects: ['Odd'] } });
    await svc.deps.search.indexer.settle();
    await svc.deps.orm.em.fork().getConnection().execute('analyze search_documents');
  }, 120_000);
  afterAll(async () => { await svc?.close(); });

  const query = (params: Record<string, string>) => searchQueryFrom({ sort: 'relevance', page: 1, pageSize: 20, ...params } as Parameters<typeof searchQueryFrom>[0]);
  const indexWithCap = (candidateCap: number) => {
    const index = new PostgresSearchIndex(svc.deps.orm, svc.clock, { cache: false, candidateCap });
    const collected: Array<[number, boolean]> = [];
    const collect = (index as unknown as { collect: (...a: unknown[]) => Promise<unknown> }).collect.bind(index);
    (index as unknown as { collect: (...a: unknown[]) => Promise<unknown> }).collect = (...a: unknown[]) => { collected.push([a[3] as number, a[6] as boolean]); return collect(...a); };
    return { index, collected };
  };

  it('answers from the slice when its count stands for well over the cap: a lower bound, as the cap would give', async () => {
    const sliceCommon = ids.filter((id, i) => i % 10 !== 5 && inSlice(id)).length;
    expect(sliceCommon).toBeGreaterThan(5); // ~22 of 180 (an eighth), 6 or more but once in 100,000
    const { index, collected } = indexWithCap(20);
    const res = await index.search(query({ q: 'common' }), AUDIENCE.anonymous);
    expect(collected).toEqual([[5, true]]);
    expect(res).toMatchObject({ total: 5, totalRelation: 'gte', facetsExact: false });
    expect(res.hits).toHaveLength(5);
    for (const h of res.hits) expect(inSlice(h.id)).toBe(true);
  });

  it('collects again, everywhere, up to the cap when the slice shows the statistics were wrong, and so answers exactly', async () => {
    const { index, collected } = indexWithCap(8);
    const res = await index.search(query({ q: 'common', subject: 'Odd' }), AUDIENCE.anonymous);
    expect(collected).toEqual([[2, true], [8, false]]);
    expect(res).toMatchObject({ total: 5, totalRelation: 'eq', facetsExact: true });
    expect(res.facets.subject).toEqual([{ value: 'Odd', count: 5 }]);
  });

  it('collects up to the cap at once when the statistics do not expect many more', async () => {
    const { index, collected } = indexWithCap(1000);
    const res = await index.search(query({ q: 'common' }), AUDIENCE.anonymous);
    expect(collected).toEqual([[1000, false]]);
    expect(res).toMatchObject({ total: 180, totalRelation: 'eq' });
  });

  it('reads the slice through its own small indexes: the predicate the engine writes is the one they were made with', async () => {
    const plan = async (where: string) => svc.deps.orm.em.fork().transactional(async (tx) => {
      await sqlRun(tx, 'set local enable_seqscan = off');
      const rows = await sqlRows<Record<string, string>>(tx, `explain select d.record_id from search_documents d where ${where} and ${SAMPLE_SLICE}`);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(await plan(`d.meta_tsv @@ 'common'::tsquery`)).toContain('search_documents_meta_slice_index');
    expect(await plan(`d.terms @> '{su:odd}'::text[]`)).toContain('search_documents_meta_slice_index');
    expect(await plan(`d.tsv @@ 'common'::tsquery`)).toContain('search_documents_tsv_slice_index');
    expect(await plan(`d.tsv_signed_in @@ 'common'::tsquery`)).toContain('search_documents_tsv_signed_in_slice_index');
    expect(await plan(`d.tsv_staff @@ 'common'::tsquery`)).toContain('search_documents_tsv_staff_slice_index');
  });
});

describe('Postgres engine: year filters as tokens, suggestions planned from the statistics', () => {
  let svc: TestService;
  const created: string[] = [];
  beforeAll(async () => {
    svc = await startTestService();
    const post = async (title: string, subjects: string[], year: number) => {
      svc.clock.advance(1000);
      const res = await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title, authors: ['Writer, W'], year, subjects } });
      created.push(((await res.json()) as { id: string }).id);
    };
    for (let i = 0; i < 40; i++) await post(`Common Voyage ${String(i).padStart(2, '0')}`, ['Everywhere'], 1990 + (i % 10));
    for (let i = 0; i < 5; i++) await post(`A Common Reader ${i}`, ['Everywhere', 'Somewhere'], 1950 + i);
    await post('Rare Book of Hours', ['Somewhere'], 1400);
    await post('Voyage of a Common Man', ['Elsewhere'], 1960);
    await svc.deps.search.indexer.settle();
    await svc.deps.orm.em.fork().getConnection().execute('analyze search_documents');
  });
  afterAll(async () => { await svc?.close(); });

  it('merges the GIN pending lists once the indexer has caught up, so searches do not read them', async () => {
    const pendingPages = async () => {
      const rows = await svc.deps.orm.em.fork().getConnection().execute(
        `select coalesce(sum(gin_clean_pending_list(i.indexrelid)), 0)::int as n from pg_index i
           join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
          where i.indrelid = 'search_documents'::regclass and am.amname = 'gin'`) as Array<{ n: number }>;
      return Number(rows[0]!.n);
    };
    svc.clock.advance(1000);
    await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'Pending Pages', authors: ['Writer, W'], year: 2001 } });
    await svc.deps.search.indexer.settle();
    expect(await pendingPages()).toBe(0);
  });

  it('reads how common each word is once the table is analysed', async () => {
    const stats = await loadSearchStatistics(svc.deps.orm.em.fork());
    expect(stats.rows).toBeGreaterThanOrEqual(46);
    expect(wordShare(stats.meta, 'common')).toBeGreaterThan(0.9);
    expect(wordShare(stats.meta, 'hours')).toBeLessThan(0.1);
  });

  it('filters a year range through year and decade tokens, whole decades and the years around them', async () => {
    const index = new PostgresSearchIndex(svc.deps.orm, svc.clock, { cache: false });
    const titles = async (params: Record<string, string>) => (await index.search(searchQueryFrom({ sort: 'title', page: 1, pageSize: 100, ...params } as Parameters<typeof searchQueryFrom>[0]), AUDIENCE.anonymous)).hits.map((h) => h.title);
    expect(await titles({ year: '1990-1999' })).toHaveLength(40);
    expect(await titles({ q: 'common', year: '1952-1991' })).toEqual([
      'A Common Reader 2', 'A Common Reader 3', 'A Common Reader 4',
      ...['00', '01', '10', '11', '20', '21', '30', '31'].map((n) => `Common Voyage ${n}`), 'Voyage of a Common Man']);
    expect(await titles({ year: '1400' })).toEqual(['Rare Book of Hours']);
    expect(await titles({ q: 'hours', year: '1401-1999' })).toEqual([]);
  });

  it('suggests the titles that begin with the typed words first, then the others that hold them', async () => {
    const index = new PostgresSearchIndex(svc.deps.orm, svc.clock, { cache: false });
    const commonV = await index.suggest('common v', AUDIENCE.anonymous);
    expect(commonV.map((s) => s.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Common Voyage ${String(i).padStart(2, '0')}`));
    const reader = await index.suggest('reader comm', AUDIENCE.anonymous);
    expect(reader.map((s) => s.title).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `A Common Reader ${i}`));
    const aCommon = (await index.suggest('a common', AUDIENCE.anonymous)).map((s) => s.title);
    expect(aCommon).toEqual([...Array.from({ length: 5 }, (_, i) => `A Common Reader ${i}`), 'Voyage of a Common Man']);
    expect(await index.suggest('hours rar', AUDIENCE.anonymous)).toEqual([{ id: created.at(-2), title: 'Rare Book of Hours' }]);
  });
});

describe('Postgres engine: near words for a typo', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    for (const name of ['Karen', 'Karet', 'Kaurel', 'Karl']) {
      await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: `${name} Papers`, authors: ['Writer, W'], year: 1990 } });
    }
    await svc.deps.search.indexer.settle();
  });
  afterAll(async () => { await svc?.close(); });

  it('takes the three nearest indexed words, ties at the third place ordered by pg_trgm similarity', async () => {
    // "karen" and "karet" share 4 of 8 trigrams with "karel", "kaurel" 4 of 9, "karl" 3 of 8; each is one edit away.
    const index = new PostgresSearchIndex(svc.deps.orm, svc.clock, { cache: false });
    const titles = (await index.suggest('karel', AUDIENCE.anonymous)).map((s) => s.title).sort();
    expect(titles).toEqual(['Karen Papers', 'Karet Papers', 'Kaurel Papers']);
  });

  it('vacuums the suggestion vocabulary with the index, so its btree ranges are read from the index alone', async () => {
    await svc.deps.search.indexer.vacuumNow();
    const [row] = await sqlRows<{ visible: number }>(svc.deps.orm.em.fork(), `select relallvisible as visible from pg_class where relname = 'search_terms'`);
    expect(Number(row!.visible)).toBeGreaterThan(0);
  });
});

describe('Postgres engine: statistics as deep as the catalogue is large', () => {
  let svc: TestService;
  beforeAll(async () => { svc = await startTestService(); });
  afterAll(async () => { await svc?.close(); });

  it('lists more of the common words once the catalogue is large, so a word they leave out is known to be rare', async () => {
    // 1,500 words, each in three of 1,500 documents (written straight into the table: only the
    // statistics are under test). With the default target ANALYZE lists the 1,000 most common.
    const em = svc.deps.orm.em.fork();
    await sqlRun(em, `insert into search_documents (record_id, title, title_sort, authors, media_type, copies, available_copies, availability,
        record_created_at, audience, meta_tsv, terms, facets, indexed_at)
      select gen_random_uuid(), 'Statistics ' || i, 'statistics ' || i, '{}', 'Book', 0, 0, 'none', now(), 0,
             to_tsvector('simple', 'lex' || (i % 1500) || ' lex' || ((i + 500) % 1500) || ' lex' || ((i + 1000) % 1500)),
             array['ti:lex' || (i % 1500), 'ti:lex' || ((i + 500) % 1500), 'ti:lex' || ((i + 1000) % 1500)], '{}', now()
        from generate_series(1, 1500) as i`, []);
    await sqlRun(em, 'analyze search_documents', []);
    const index = new PostgresSearchIndex(svc.deps.orm, svc.clock, { cache: false });
    await index.mergePendingWrites();
    expect((await loadSearchStatistics(svc.deps.orm.em.fork())).meta.shares.size).toBe(1000);

    // The planner now believes the table holds 2M documents: the engine asks for ten times the
    // statistics and analyses at once.
    await sqlRun(em, `update pg_class set reltuples = 2000000 where oid = 'search_documents'::regclass`, []);
    await index.mergePendingWrites();
    const stats = await loadSearchStatistics(svc.deps.orm.em.fork());
    expect(stats.meta.shares.size).toBe(1500);
    expect(stats.terms.shares.size).toBe(1500);
    const targets = await sqlRows<{ attname: string; target: number }>(em,
      `select attname, attstattarget as target from pg_attribute where attrelid = 'search_documents'::regclass and attname in ('meta_tsv', 'tsv', 'terms') order by attname`);
    expect(targets.map((t) => [t.attname, Number(t.target)])).toEqual([['meta_tsv', 1000], ['terms', 1000], ['tsv', 1000]]);
  });
});
