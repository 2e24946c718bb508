// Issue 3, item 9: "50 parallel checkouts of one copy produce exactly one loan; 20 parallel
// checkouts by one patron of different copies never exceed the limit". The database enforces it
// (a unique partial index on open loans per copy, the patron's row locked for limits), on PGlite
// and on PostgreSQL (npm run test:pg).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { asCirculationProblem } from '../../services/api/modules/circulation/circulation-problems.ts';
import { holdExpirer } from '../../services/api/modules/circulation/holds.service.ts';
import { isProblem } from '../../services/api/http/problem.ts';
import { buildCopies, buildCopy, buildPatron, call, checkout, DAY, setPolicy } from './circulation-helpers.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
  await setPolicy(svc, 'standard');
});
afterAll(async () => { await svc?.close(); });

const db = () => svc.deps.orm.em.fork().getConnection();
const codesOf = (results: Array<{ status: number; body: any }>) => results.reduce<Record<string, number>>((acc, r) => {
  const key = r.status === 201 || r.status === 200 ? String(r.status) : `${r.status} ${r.body.code}`;
  acc[key] = (acc[key] ?? 0) + 1;
  return acc;
}, {});

describe('one copy, many desks', () => {
  it('50 parallel checkouts of one copy by 50 patrons produce exactly one loan; the others get item-on-loan', async () => {
    const copy = await buildCopy(svc);
    const patrons = [];
    for (let i = 0; i < 50; i++) patrons.push(await buildPatron(svc));
    const results = await Promise.all(patrons.map((p) => checkout(svc, copy.id, p.id)));
    expect(codesOf(results)).toEqual({ 201: 1, '409 item-on-loan': 49 });
    const open = await db().execute(`select count(*)::int as n from loans where item_id = ? and returned_at is null`, [copy.id]);
    expect(open[0].n).toBe(1);
  });

  it('20 parallel holds on one copy: exactly one hold, the others hold-exists', async () => {
    const copy = await buildCopy(svc);
    const borrower = await buildPatron(svc);
    await checkout(svc, copy.id, borrower.id);
    const patrons = [];
    for (let i = 0; i < 20; i++) patrons.push(await buildPatron(svc));
    const results = await Promise.all(patrons.map((p) => call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: p.id })));
    expect(codesOf(results)).toEqual({ 201: 1, '409 hold-exists': 19 });
    const active = await db().execute(`select count(*)::int as n from holds where item_id = ? and status in ('waiting', 'ready')`, [copy.id]);
    expect(active[0].n).toBe(1);
  });

  it('parallel returns of one loan: one return, one fine, the others loan-already-returned', async () => {
    const copy = await buildCopy(svc, { loanCategory: 'overnight' });
    const patron = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, patron.id);
    svc.clock.advance(5 * DAY);
    const results = await Promise.all(Array.from({ length: 10 }, () => call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})));
    expect(codesOf(results)).toEqual({ 200: 1, '409 loan-already-returned': 9 });
    const fines = await db().execute(`select count(*)::int as n from ledger_entries where loan_id = ?`, [loan.body.id]);
    expect(fines[0].n).toBe(1);
  });
});

describe('one patron, many desks', () => {
  it('20 parallel checkouts of different copies by one patron never exceed the limit (5 for regular)', async () => {
    const copies = await buildCopies(svc, 20);
    const patron = await buildPatron(svc);
    const results = await Promise.all(copies.map((c) => checkout(svc, c.id, patron.id)));
    expect(codesOf(results)).toEqual({ 201: 5, '409 loan-limit-reached': 15 });
    const open = await db().execute(`select count(*)::int as n from loans where patron_id = ? and returned_at is null`, [patron.id]);
    expect(open[0].n).toBe(5);
    const lent = await db().execute(`select count(*)::int as n from items where status = 'on-loan' and id in (${copies.map(() => '?').join(',')})`, copies.map((c) => c.id));
    expect(lent[0].n).toBe(5);
  });

  it('parallel full payments of one fine under als: exactly one is taken', async () => {
    await setPolicy(svc, 'als');
    try {
      const copy = await buildCopy(svc);
      const patron = await buildPatron(svc);
      const loan = await checkout(svc, copy.id, patron.id);
      svc.clock.advance(17 * DAY);
      const fine = (await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})).body.fineCents;
      expect(fine).toBeGreaterThan(0);
      const results = await Promise.all(Array.from({ length: 10 }, () => call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${patron.id}/payments`, { amountCents: fine, method: 'cash' })));
      expect(codesOf(results)).toEqual({ 201: 1, '409 payment-amount-invalid': 9 });
      expect((await call(svc, svc.adminToken, 'GET', `/api/v1/patrons/${patron.id}/ledger`)).body.balanceCents).toBe(0);
    } finally {
      await setPolicy(svc, 'standard');
    }
  });
});

// Transactions lock patron rows, then copy rows; rows written for a third patron (a notice, a
// no-show charge) take a foreign-key share lock on that patron. These mixes deadlocked on PostgreSQL
// while the patron lock was FOR UPDATE; with FOR NO KEY UPDATE none may end in a 500.
describe('transactions that touch two patrons', () => {
  it('a return that readies a hold while the holder borrows that copy at another desk', async () => {
    const rounds = [];
    for (let i = 0; i < 25; i++) {
      const copy = await buildCopy(svc);
      const [borrower, holder] = [await buildPatron(svc), await buildPatron(svc)];
      const loan = await checkout(svc, copy.id, borrower.id);
      await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
      rounds.push({ copy, holder, loan: loan.body });
    }
    const results = await Promise.all(rounds.flatMap((r) => [
      call(svc, svc.adminToken, 'POST', `/api/v1/loans/${r.loan.id}/return`, {}),
      checkout(svc, r.copy.id, r.holder.id),
    ]));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of rounds) {
      const open = await db().execute(`select count(*)::int as n from loans where item_id = ? and returned_at is null`, [r.copy.id]);
      expect(open[0].n).toBeLessThanOrEqual(1);
    }
  });

  it('the expiry job charging holders while others borrow the freed copies and the holders borrow elsewhere', async () => {
    const rounds = [];
    for (let i = 0; i < 15; i++) {
      const [copy, elsewhere] = [await buildCopy(svc), await buildCopy(svc)];
      const [holder, other] = [await buildPatron(svc), await buildPatron(svc)];
      await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
      rounds.push({ copy, elsewhere, holder, other });
    }
    svc.clock.advance(5 * DAY);
    const results = await Promise.all([
      holdExpirer(svc.deps).then(() => ({ status: 200, body: null })),
      ...rounds.flatMap((r) => [checkout(svc, r.copy.id, r.other.id), checkout(svc, r.elsewhere.id, r.holder.id)]),
    ]);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of rounds) {
      const charges = await db().execute(`select count(*)::int as n from ledger_entries where patron_id = ? and kind = 'no-show'`, [r.holder.id]);
      expect(charges[0].n).toBe(1);
    }
  });

  it('deleting members whose holds become ready through returns at the same moment', async () => {
    const rounds = [];
    for (let i = 0; i < 15; i++) {
      const copy = await buildCopy(svc);
      const [borrower, holder] = [await buildPatron(svc), await buildPatron(svc)];
      const loan = await checkout(svc, copy.id, borrower.id);
      await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
      rounds.push({ copy, holder, loan: loan.body });
    }
    const results = await Promise.all(rounds.flatMap((r) => [
      call(svc, svc.adminToken, 'POST', `/api/v1/loans/${r.loan.id}/return`, {}),
      call(svc, svc.adminToken, 'DELETE', `/api/v1/patrons/${r.holder.id}`),
    ]));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 200 || r.status === 204)).toBe(true);
    for (const r of rounds) {
      // Whichever came first, the copy is not left kept for a member who no longer exists.
      const [item] = await db().execute(`select status from items where id = ?`, [r.copy.id]);
      expect(item.status).toBe('available');
    }
  });
});

describe('the database is the last line of defence', () => {
  it('refuses a second open loan of a copy even when the application is bypassed, and that error becomes item-on-loan (409), not a 500', async () => {
    const copy = await buildCopy(svc);
    const patron = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, patron.id);
    expect(loan.status).toBe(201);
    let caught: unknown = null;
    try {
      await svc.deps.orm.em.fork().execute(
        `insert into loans (id, item_id, patron_id, loan_category, loaned_at, due_at, renewal_count, created_at) values (gen_random_uuid(), ?, ?, 'two-week', now(), now() + interval '1 day', 0, now())`,
        [copy.id, patron.id]);
    } catch (err) { caught = err; }
    expect(caught).not.toBeNull();
    const mapped = asCirculationProblem(caught);
    expect(isProblem(mapped) && mapped.status === 409 && mapped.code === 'item-on-loan').toBe(true);
  });

  it('refuses a second active hold on a copy (hold-exists)', async () => {
    const copy = await buildCopy(svc);
    const [a, b] = [await buildPatron(svc), await buildPatron(svc)];
    await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: a.id });
    let caught: unknown = null;
    try {
      await svc.deps.orm.em.fork().execute(`insert into holds (id, item_id, patron_id, status, placed_at) values (gen_random_uuid(), ?, ?, 'waiting', now())`, [copy.id, b.id]);
    } catch (err) { caught = err; }
    const mapped = asCirculationProblem(caught);
    expect(isProblem(mapped) && mapped.code === 'hold-exists').toBe(true);
  });

  it('keeps the ledger honest: a charge is never negative and a payment never positive', async () => {
    const patron = await buildPatron(svc);
    await expect(db().execute(`insert into ledger_entries (patron_id, kind, amount_cents, created_at) values (?, 'payment', 100, now())`, [patron.id])).rejects.toThrow();
    await expect(db().execute(`insert into ledger_entries (patron_id, kind, amount_cents, created_at) values (?, 'fine', -100, now())`, [patron.id])).rejects.toThrow();
  });
});
