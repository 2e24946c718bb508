import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedDatabase, startTestService, tokenFor, ADMIN_PASSWORD, type TestService } from '../support/test-service.ts';
import { loadConfig, type Config } from '../../services/api/config.ts';
import { startService, type RunningService } from '../../services/api/service.ts';
import { fixedClock } from '../../services/api/clock.ts';
import { createLogger } from '../../services/api/logger.ts';
import { migrate, openOrm, type Orm } from '../../services/api/db/orm.ts';
import { searchQueryFrom } from '../../services/api/modules/search/search-query.ts';
import { AUDIENCE } from '../../services/api/modules/search/search-index.ts';

// Issue 4, point 4: every change reaches the index, whatever happens to the process in between.
// The outbox row is written by a trigger in the change's own transaction; the indexer marks it done
// only once the index holds the new state.

const repo = path.resolve(import.meta.dirname, '../..');
const rows = async <T>(orm: Orm | RunningService['deps']['orm'], sql: string, params: unknown[] = []) =>
  (await orm.em.fork().getConnection().execute(sql, params)) as T[];
const titleQuery = (title: string) => searchQueryFrom({ title, sort: 'relevance', page: 1, pageSize: 20 });

describe('the outbox', () => {
  let svc: TestService;
  beforeAll(async () => { svc = await startTestService(); });
  afterAll(async () => { await svc?.close(); });

  it('gets a row in the same transaction as the change, and none when the change rolls back', async () => {
    const { id } = await (await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'Outbox probe', authors: ['Probe, P'] } })).json();
    const count = async () => Number((await rows<{ n: string }>(svc.deps.orm, `select count(*) as n from search_outbox where record_id = ?`, [id]))[0]!.n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await expect(svc.deps.orm.em.fork().transactional(async (tx) => {
      await tx.getConnection().execute(`update records set title = 'Rolled back' where id = ?`, [id], 'run', tx.getTransactionContext());
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await count()).toBe(before);
    // A status change made the way circulation makes it (plain SQL on items) is caught as well.
    const item = await (await svc.api('POST', `/api/v1/records/${id}/items`, { token: svc.adminToken, json: { loanCategory: 'two-week', location: 'Central Branch', replacementCostCents: 100 } })).json();
    const afterItem = await count();
    await svc.deps.orm.em.fork().getConnection().execute(`update items set status = 'on-loan' where id = ?`, [item.id]);
    expect(await count()).toBe(afterItem + 1);
    await svc.deps.orm.em.fork().getConnection().execute(`update items set floor = '3' where id = ?`, [item.id]);
    expect(await count()).toBe(afterItem + 1); // a field search does not use writes nothing
  });

  it('is drained by the indexer: nothing stays pending and processed rows are marked, not lost', async () => {
    await svc.deps.search.indexer.drain();
    expect(await svc.deps.search.indexer.pending()).toBe(0);
    const [r] = await rows<{ n: string }>(svc.deps.orm, `select count(*) as n from search_outbox where processed_at is not null`);
    expect(Number(r!.n)).toBeGreaterThan(0);
  });
});

describe('cached answers', () => {
  let svc: TestService;
  beforeAll(async () => { svc = await startTestService(); });
  afterAll(async () => { await svc?.close(); });

  it('never outlive an index change: a cached search and a cached suggestion see the next committed change', async () => {
    const ask = async () => ({
      hits: (await (await svc.api('GET', '/api/v1/records?q=zephyrine')).json()).total,
      suggested: (await (await svc.api('GET', '/api/v1/records/suggest?q=zephyri')).json()).length,
    });
    expect(await ask()).toEqual({ hits: 0, suggested: 0 });
    expect(await ask()).toEqual({ hits: 0, suggested: 0 }); // now answered from the caches
    const { id } = await (await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'The Zephyrine Winds', authors: ['Gale, A'] } })).json();
    expect(await ask()).toEqual({ hits: 1, suggested: 1 });
    await svc.api('DELETE', `/api/v1/records/${id}`, { token: svc.adminToken });
    expect(await ask()).toEqual({ hits: 0, suggested: 0 });
  });
});

describe('search events for analytics', () => {
  let svc: TestService;
  beforeAll(async () => { svc = await startTestService(); });
  afterAll(async () => { await svc?.close(); });

  it('records query, filters, result count and the no-result flag, never who searched', async () => {
    await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'A History of Rome', authors: ['Livy'] } });
    await svc.api('GET', '/api/v1/records?q=history', { token: svc.adminToken });
    await svc.api('GET', '/api/v1/records?q=zzzz&year=1990-1999');
    await svc.api('GET', '/api/v1/records'); // browsing is not a search
    await svc.api('GET', '/api/v1/records?q=history&page=2'); // nor is turning a page
    await svc.api('GET', '/api/v1/records/suggest?q=hist'); // nor typing
    await svc.deps.search.events.flush(); // written in batches, off the request path
    const events = await rows<Record<string, unknown>>(svc.deps.orm, `select * from search_events order by id`);
    expect(events.map((e) => [e.query, e.result_count, e.no_results])).toEqual([['history', 1, false], ['zzzz', 0, true]]);
    expect(events[1]!.filters).toEqual({ year: '1990-1999' });
    expect(new Date(events[0]!.occurred_at as string).toISOString()).toBe(svc.clock().toISOString());
    const columns = Object.keys(events[0]!);
    expect(columns.filter((c) => /user|session|ip|agent|token|patron/i.test(c))).toEqual([]);
  });
});

/** A service on a database that outlives it, so a restart finds what the last run left. */
async function persistentService() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shelfmark-search-'));
  const db = await isolatedDatabase();
  const database: Config['database'] = db.database.kind === 'postgres' ? db.database : { kind: 'pglite', dataDir: path.join(dataDir, 'db') };
  const config = Object.freeze({
    ...loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false', SHELFMARK_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent', WORKER: 'off' }),
    database,
  });
  const clock = fixedClock('2026-03-02T10:00:00Z');
  return {
    dataDir, database,
    start: () => startService(config, { clock, log: createLogger('silent'), print: () => undefined }),
    cleanup: async () => { await db.drop(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

describe('a crash between a change and its indexing', () => {
  it('loses nothing: after a restart the indexer brings the index up to date', async () => {
    const p = await persistentService();
    try {
      let svc = await p.start();
      const token = await tokenFor((m, u, o = {}) => fetch(svc.url + u, { method: m, headers: { ...(o.json ? { 'content-type': 'application/json' } : {}), ...o.headers }, ...(o.json ? { body: JSON.stringify(o.json) } : {}) }) as any, 'admin', ADMIN_PASSWORD);
      const post = (u: string, json: unknown, method = 'POST') => fetch(svc.url + u, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
      const { id } = await (await post('/api/v1/records', { title: 'First Title', authors: ['Writer, W'] })).json() as { id: string };
      await svc.deps.search.indexer.drain();
      // The change is committed, the indexer is stopped (WORKER=off) and nothing drains it...
      expect((await post(`/api/v1/records/${id}`, { title: 'Second Title' }, 'PATCH')).status).toBe(200);
      expect(await svc.deps.search.indexer.pending()).toBeGreaterThan(0);
      expect((await svc.deps.search.index.search(titleQuery('second'), AUDIENCE.staff)).total).toBe(0);
      // ...and the process goes away without draining.
      await svc.stop();

      svc = await p.start();
      expect(await svc.deps.search.indexer.pending()).toBeGreaterThan(0);
      expect((await svc.deps.search.index.search(titleQuery('first'), AUDIENCE.staff)).total).toBe(1);
      svc.deps.search.indexer.start(); // the background loop, as WORKER=inline runs it
      const deadline = Date.now() + 20_000;
      while ((await svc.deps.search.indexer.pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await svc.deps.search.index.search(titleQuery('second'), AUDIENCE.staff)).hits.map((h) => h.id)).toEqual([id]);
      expect((await svc.deps.search.index.search(titleQuery('first'), AUDIENCE.staff)).total).toBe(0);
      await svc.stop();
    } finally {
      await p.cleanup();
    }
  });
});

describe('kill -9 between a change and its indexing (a real process)', () => {
  let child: ChildProcess | null = null;
  let base = '';
  let p: Awaited<ReturnType<typeof persistentService>>;
  beforeAll(async () => { p = await persistentService(); });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await p?.cleanup();
  });

  function spawnService(env: Record<string, string>): ChildProcess {
    const e: Record<string, string> = {
      ...process.env as Record<string, string>, DATA_DIR: p.dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn',
      SHELFMARK_ADMIN_PASSWORD: ADMIN_PASSWORD, NODE_ENV: 'test', ...env,
    };
    if (p.database.kind === 'postgres') e.DATABASE_URL = p.database.url; else delete e.DATABASE_URL;
    child = spawn(process.execPath, ['services/api/main.ts'], { cwd: repo, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    return child;
  }
  async function start(env: Record<string, string>): Promise<ChildProcess> {
    const c = spawnService(env);
    let stderr = '';
    c.stderr!.on('data', (d) => { stderr += d; });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      c.stdout!.on('data', (d) => {
        out += d;
        const m = /running at http:\/\/localhost:(\d+)/.exec(out);
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      c.once('exit', (code, signal) => reject(new Error(`service exited early (${code ?? signal}): ${stderr}`)));
    });
    return c;
  }
  const exited = (c: ChildProcess) => new Promise<string | null>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve(c.signalCode);
    else c.once('exit', (_code, signal) => resolve(signal));
  });
  const pendingAndTitles = async () => {
    const orm = await openOrm(p.database);
    try {
      await migrate(orm);
      const pending = Number((await rows<{ n: string }>(orm, `select count(*) as n from search_outbox where processed_at is null`))[0]!.n);
      const titles = (await rows<{ title: string }>(orm, `select title from search_documents order by title`)).map((r) => r.title);
      return { pending, titles };
    } finally {
      await orm.close();
    }
  };

  it('leaves the index consistent after the restart, even when the indexer itself is killed mid-batch', async () => {
    // 1. Create and index a record, then change it and kill the process before any indexing.
    let c = await start({ WORKER: 'off' });
    const api = (m: string, u: string, o: { json?: unknown; headers?: Record<string, string> } = {}) =>
      fetch(base + u, { method: m, headers: { ...(o.json ? { 'content-type': 'application/json' } : {}), ...o.headers }, ...(o.json ? { body: JSON.stringify(o.json) } : {}) });
    const token = await tokenFor(api as any, 'admin', ADMIN_PASSWORD);
    const auth = { authorization: `Bearer ${token}` };
    const { id } = await (await api('POST', '/api/v1/records', { json: { title: 'Before the crash', authors: ['Writer, W'] }, headers: auth })).json() as { id: string };
    expect((await (await api('GET', '/api/v1/records?title=before')).json() as { total: number }).total).toBe(1); // indexed (read path catch-up)
    expect((await api('PATCH', `/api/v1/records/${id}`, { json: { title: 'After the crash' }, headers: auth })).status).toBe(200);
    c.kill('SIGKILL');
    expect(await exited(c)).toBe('SIGKILL');
    let state = await pendingAndTitles();
    expect(state.pending).toBeGreaterThan(0);
    expect(state.titles).toEqual(['Before the crash']);

    // 2. Restart with the indexer on; it is killed after writing the batch but before marking it done.
    c = spawnService({ WORKER: 'inline', FAULT_INJECTION: 'search-crash-before-ack' });
    expect(await exited(c)).toBe('SIGKILL');
    state = await pendingAndTitles();
    expect(state.pending).toBeGreaterThan(0); // the marks never committed

    // 3. Restart normally: the indexer drains what is left and search answers with the new title.
    c = await start({ WORKER: 'inline' });
    const deadline = Date.now() + 20_000;
    let found: { total: number; items: Array<{ id: string }> } = { total: 0, items: [] };
    while (Date.now() < deadline) {
      found = await (await api('GET', '/api/v1/records?title=after')).json() as typeof found;
      if (found.total) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found.items.map((i) => i.id)).toEqual([id]);
    expect((await (await api('GET', '/api/v1/records?title=before')).json() as { total: number }).total).toBe(0);
    c.kill('SIGTERM');
    await exited(c);
    state = await pendingAndTitles();
    expect(state).toEqual({ pending: 0, titles: ['After the crash'] });
  }, 180_000);
});

describe('npm run reindex', () => {
  it('rebuilds the index from the database with a progress bar on stderr', async () => {
    const p = await persistentService();
    try {
      const svc = await p.start();
      const token = await tokenFor((m, u, o = {}) => fetch(svc.url + u, { method: m, headers: { ...(o.json ? { 'content-type': 'application/json' } : {}), ...o.headers }, ...(o.json ? { body: JSON.stringify(o.json) } : {}) }) as any, 'admin', ADMIN_PASSWORD);
      for (const title of ['One', 'Two', 'Three']) {
        await fetch(`${svc.url}/api/v1/records`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title, authors: ['A, B'] }) });
      }
      const fileOf = async (orm: typeof svc.deps.orm) => (await rows<{ f: string }>(orm, `select pg_relation_filenode('search_documents')::text as f`))[0]!.f;
      const fileBefore = await fileOf(svc.deps.orm);
      // Lose the index entirely (and the queue): only a rebuild from the database can bring it back.
      await svc.deps.orm.em.fork().getConnection().execute(`delete from search_documents`);
      await svc.deps.orm.em.fork().getConnection().execute(`update search_outbox set processed_at = now()`);
      await svc.stop();
      const env: Record<string, string> = { ...process.env as Record<string, string>, DATA_DIR: p.dataDir, LOG_LEVEL: 'warn' };
      if (p.database.kind === 'postgres') env.DATABASE_URL = p.database.url; else delete env.DATABASE_URL;
      const c = spawn(process.execPath, ['services/api/modules/search/reindex-cli.ts'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      c.stderr!.on('data', (d) => { stderr += d; });
      const code = await new Promise<number | null>((resolve) => c.once('exit', (n) => resolve(n)));
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/reindex \(postgres\) \[#+\] 100% 3\/3 records/);
      expect(stderr).toMatch(/reindexed 3 records in/);
      const again = await p.start();
      const docs = await rows<{ title: string }>(again.deps.orm, `select title from search_documents order by title`);
      expect(docs.map((d) => d.title)).toEqual(['One', 'Three', 'Two']);
      // On PGlite the table is compacted afterwards (VACUUM FULL writes it anew); on PostgreSQL it is left to the operator.
      if (p.database.kind === 'pglite') {
        expect(stderr).toMatch(/compacted the search table/);
        expect(await fileOf(again.deps.orm)).not.toBe(fileBefore);
      } else {
        expect(await fileOf(again.deps.orm)).toBe(fileBefore);
      }
      await again.stop();
    } finally {
      await p.cleanup();
    }
  }, 120_000);
});
