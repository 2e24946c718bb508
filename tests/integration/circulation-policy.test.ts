// The circulation policy as data (GET/PUT /api/v1/policy), versioned; and the hold-expiry job in
// the job table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { workerFor } from '../../services/api/service.ts';
import { HOLD_EXPIRY_INTERVAL_MS, HOLD_EXPIRY_JOB, holdExpiryScheduler } from '../../services/api/modules/circulation/hold-expiry.job.ts';
import { buildCopy, buildPatron, call, checkout, DAY, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;
beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
});
afterAll(async () => { await svc?.close(); });

describe('policy', () => {
  it('is the standard preset on a fresh database (version 0), readable by anyone', async () => {
    const res = await svc.api('GET', '/api/v1/policy');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"policy-0"');
    expect(await res.json()).toMatchObject({ name: 'standard', version: 0, preset: 'standard', outstandingFineLimitCents: 1000, holdPickupDays: 3, createdBy: null });
  });

  it('is changed by supervisors only, with a preset or a whole document; every version is kept with who and when', async () => {
    expect((await call(svc, staff.librarian, 'PUT', '/api/v1/policy', { preset: 'als' })).status).toBe(403);
    expect((await call(svc, null, 'PUT', '/api/v1/policy', { preset: 'als' })).status).toBe(401);
    const als = await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', { preset: 'als' });
    expect(als.status).toBe(200);
    expect(als.body).toMatchObject({ name: 'als', version: 1, preset: 'als', blockOnAnyUnpaidFine: true, createdAt: '2026-03-02T10:00:00.000Z' });
    expect(als.body.createdBy).toBeTruthy();

    // A GET, edit, PUT round trip: the metadata GET adds is accepted back.
    svc.clock.advance(DAY);
    const current = (await call(svc, staff.supervisor, 'GET', '/api/v1/policy')).body;
    const edited = { ...current, name: 'als-with-grace', patronCategories: { ...current.patronCategories, visiting: { label: 'Visiting scholar', maxLoans: 1, canOverride: false } } };
    const saved = await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', edited);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ name: 'als-with-grace', version: 2, preset: null });

    // Someone else's stale copy is refused rather than silently overwriting version 2.
    const stale = await call(svc, staff.admin, 'PUT', '/api/v1/policy', { ...current, name: 'stale' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'policy-version-conflict', currentVersion: 2 });

    const versions = (await call(svc, staff.librarian, 'GET', '/api/v1/policy/versions')).body.items;
    expect(versions.map((v: { version: number; name: string }) => [v.version, v.name])).toEqual([[2, 'als-with-grace'], [1, 'als'], [0, 'standard']]);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/policy/versions/1')).body.name).toBe('als');
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/policy/versions/99')).status).toBe(404);
  });

  it('accepts patron categories the policy defines (seed: "regular, librarian, supervisor" plus policy-defined ones)', async () => {
    const visitor = await call(svc, staff.supervisor, 'POST', '/api/v1/patrons', { name: 'Visiting, Vera', category: 'visiting' });
    expect(visitor.status).toBe(201);
    expect(visitor.body).toMatchObject({ category: 'visiting', categoryLabel: 'Visiting scholar', maxLoans: 1 });
    const [a, b] = [await buildCopy(svc), await buildCopy(svc)];
    expect((await checkout(svc, a.id, visitor.body.id)).status).toBe(201);
    expect((await checkout(svc, b.id, visitor.body.id)).body.code).toBe('loan-limit-reached');
  });

  it('validates a document with the policy schema and stores nothing when it is wrong', async () => {
    const before = (await call(svc, staff.librarian, 'GET', '/api/v1/policy/versions')).body.items.length;
    const current = (await call(svc, staff.supervisor, 'GET', '/api/v1/policy')).body;
    const { regular: _dropped, ...withoutRegular } = current.patronCategories;
    const cases = [
      { ...current, patronCategories: withoutRegular },
      { ...current, timeZone: 'Mars/Olympus_Mons' },
      { ...current, outstandingFineLimitCents: -1 },
      { ...current, surprise: true },
      { preset: 'lenient' },
    ];
    for (const body of cases) {
      const res = await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.body.code).toBe('validation-failed');
    }
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/policy/versions')).body.items.length).toBe(before);
  });

  it('a patron whose category the policy later drops is lent to as regular', async () => {
    const visitor = await call(svc, staff.supervisor, 'POST', '/api/v1/patrons', { name: 'Visiting, Val', category: 'visiting' });
    await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', { preset: 'standard' });
    const shown = (await call(svc, staff.supervisor, 'GET', `/api/v1/patrons/${visitor.body.id}`)).body;
    expect(shown).toMatchObject({ category: 'visiting', categoryLabel: 'Regular', maxLoans: 5 });
    expect((await checkout(svc, (await buildCopy(svc)).id, visitor.body.id)).status).toBe(201);
  });

  it('a policy that does not cover a copy\'s loan category refuses to lend it with a clear problem, not a 500', async () => {
    const current = (await call(svc, staff.supervisor, 'GET', '/api/v1/policy')).body;
    const { overnight: _gone, ...loanCategories } = current.loanCategories;
    const { defaultLoanCategory: _none, ...rest } = current;
    expect((await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', { ...rest, name: 'no-overnight', loanCategories })).status).toBe(200);
    const copy = await buildCopy(svc, { loanCategory: 'overnight' });
    const res = await checkout(svc, copy.id, (await buildPatron(svc)).id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('loan-category-not-in-policy');
    expect((await call(svc, staff.supervisor, 'PUT', '/api/v1/policy', { preset: 'standard' })).status).toBe(200);
  });

  it('describes every circulation route in the OpenAPI document', async () => {
    const doc = await (await svc.api('GET', '/api/v1/openapi.json')).json();
    for (const [path, method] of [
      ['/api/v1/loans', 'post'], ['/api/v1/loans/{id}/return', 'post'], ['/api/v1/loans/{id}/renew', 'post'], ['/api/v1/holds', 'post'],
      ['/api/v1/holds/{id}', 'delete'], ['/api/v1/patrons/{id}/payments', 'post'], ['/api/v1/policy', 'put'], ['/api/v1/patrons', 'get'],
      ['/api/v1/patrons/{id}/ledger', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/v1/policy'].put['x-allowed-roles']).toEqual(['supervisor', 'admin']);
  });
});

describe('hold expiry job', () => {
  const queued = async () => svc.deps.orm.em.fork().getConnection().execute<Array<{ run_at: Date }>>(`select run_at from jobs where kind = ? and status = 'queued'`, [HOLD_EXPIRY_JOB]);

  it('is queued once at start; running it expires overdue ready holds and queues exactly one next run', async () => {
    expect(await queued()).toHaveLength(1);
    expect(await holdExpiryScheduler(svc.deps)).toBe(false); // already queued: nothing added
    await Promise.all([holdExpiryScheduler(svc.deps), holdExpiryScheduler(svc.deps), holdExpiryScheduler(svc.deps)]);
    expect(await queued()).toHaveLength(1);

    const copy = await buildCopy(svc);
    const holder = await buildPatron(svc);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect(hold.body.status).toBe('ready');
    svc.clock.advance(4 * DAY + 1);

    const worker = workerFor(svc.deps);
    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${hold.body.id}`)).body.status).toBe('expired');
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/items/${copy.id}`)).body.status).toBe('available');
    const next = await queued();
    expect(next).toHaveLength(1);
    expect(new Date(next[0]!.run_at).getTime()).toBe(svc.clock().getTime() + HOLD_EXPIRY_INTERVAL_MS);
  });

  it('a cancellation after the pickup window is the expiry, with its charge', async () => {
    const copy = await buildCopy(svc);
    const holder = await buildPatron(svc);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    svc.clock.advance(5 * DAY);
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${hold.body.id}`)).body.status).toBe('expired');
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${holder.id}/ledger`)).body.balanceCents).toBe(75);
  });
});
