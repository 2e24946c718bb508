import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';

// PGlite is a single backend: one connection for the whole process. Concurrent requests must never
// run inside each other's transactions. These tests run on PostgreSQL too, where the pool gives each
// transaction its own connection; the observable result must be the same.
let svc: TestService;
beforeAll(async () => { svc = await startTestService(); });
afterAll(async () => { await svc?.close(); });

describe('concurrent transactions', () => {
  it('40 concurrent read-modify-write transactions lose no update', async () => {
    const conn = svc.deps.orm.em.fork().getConnection();
    await conn.execute(`create table if not exists t_counter (id int primary key, n int not null)`);
    await conn.execute(`insert into t_counter values (1, 0) on conflict (id) do update set n = 0`);
    await Promise.all(Array.from({ length: 40 }, () => svc.deps.orm.em.fork().transactional(async (tx) => {
      const ctx = tx.getTransactionContext();
      // select ... for update serialises on PostgreSQL; on PGlite the connection mutex does.
      const [row] = await tx.getConnection().execute<Array<{ n: number }>>(`select n from t_counter where id = 1 for update`, [], 'all', ctx);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      await tx.getConnection().execute(`update t_counter set n = ? where id = 1`, [row!.n + 1], 'run', ctx);
    })));
    const [row] = await conn.execute<Array<{ n: number }>>(`select n from t_counter where id = 1`);
    expect(row!.n).toBe(40);
  });

  it('a rolled-back transaction leaves nothing behind while others commit around it', async () => {
    const conn = svc.deps.orm.em.fork().getConnection();
    await conn.execute(`create table if not exists t_rows (v text primary key)`);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => svc.deps.orm.em.fork().transactional(async (tx) => {
      const ctx = tx.getTransactionContext();
      await tx.getConnection().execute(`insert into t_rows values (?)`, [`row-${i}`], 'run', ctx);
      await new Promise((r) => setTimeout(r, 1));
      if (i % 2) throw new Error('rollback');
    })));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);
    const rows = await conn.execute<Array<{ v: string }>>(`select v from t_rows order by v`);
    expect(rows.map((r: { v: string }) => r.v).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `row-${k * 2}`).sort());
  });

  it('parallel HTTP writes that each open a transaction all succeed and interleave nothing', async () => {
    const res = await Promise.all(Array.from({ length: 25 }, (_, i) => svc.api('POST', '/api/v1/records', {
      token: svc.adminToken, json: { title: `Parallel ${i}`, authors: ['Writer, A'], subjects: ['Shared subject', `Own ${i}`], tags: ['same-tag'] },
    })));
    expect(res.map((r) => r.status)).toEqual(Array(25).fill(201));
    const list = await (await svc.api('GET', '/api/v1/records?subject=Shared%20subject&pageSize=100')).json();
    expect(list.total).toBe(25);
    expect(list.facets.tag).toEqual([{ value: 'same-tag', count: 25 }]);
  });
});
