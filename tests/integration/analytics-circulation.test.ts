// GET /api/v1/analytics/circulation (loans, returns and renewals by branch and by loan category, from
// the loans themselves) and /analytics/searches-without-results: supervisors only; CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { buildCopy, buildPatron, call, checkout, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;

beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
  const vocab = await call(svc, svc.adminToken, 'POST', '/api/v1/vocabularies/locations', { value: 'East Branch' });
  expect([200, 201]).toContain(vocab.status);
  svc.clock.set('2026-04-01T09:00:00Z');
  const central = await buildCopy(svc, { location: 'Central Branch', loanCategory: 'two-week' });
  const east = await buildCopy(svc, { location: 'East Branch', loanCategory: 'overnight' });
  const east2 = await buildCopy(svc, { location: 'East Branch', loanCategory: 'two-week' });
  const [a, b, c] = [await buildPatron(svc), await buildPatron(svc), await buildPatron(svc)];
  // 1 April: three loans; one renewed the same day (a renewal, not a return and a loan).
  const first = await checkout(svc, central.id, a.id);
  expect(first.status).toBe(201);
  expect((await checkout(svc, east.id, b.id)).status).toBe(201);
  expect((await checkout(svc, east2.id, c.id)).status).toBe(201);
  const renewed = await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${first.body.id}/renew`, {});
  expect(renewed.status).toBe(200);
  // 3 April: the renewed loan comes back.
  svc.clock.set('2026-04-03T15:00:00Z');
  expect((await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${renewed.body.id}/return`, {})).status).toBe(200);
});

afterAll(async () => {
  await svc?.close();
});

describe('circulation by branch and loan category', () => {
  it('counts loans, renewals and returns in the range by location and by loan category', async () => {
    const r = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/circulation?from=2026-04-01&to=2026-04-03');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      from: '2026-04-01', to: '2026-04-03',
      byLocation: [
        { location: 'East Branch', loans: 2, returns: 0, renewals: 0 },
        { location: 'Central Branch', loans: 1, returns: 1, renewals: 1 },
      ],
      byLoanCategory: [
        { loanCategory: 'two-week', loans: 2, returns: 1, renewals: 1 },
        { loanCategory: 'overnight', loans: 1, returns: 0, renewals: 0 },
      ],
    });
  });

  it('keeps to the days asked for', async () => {
    const r = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/circulation?from=2026-04-02&to=2026-04-03');
    expect(r.body.byLocation).toEqual([{ location: 'Central Branch', loans: 0, returns: 1, renewals: 0 }]);
    const none = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/circulation?from=2026-05-01&to=2026-05-31');
    expect(none.body).toMatchObject({ byLocation: [], byLoanCategory: [] });
  });

  it('answers CSV, refuses librarians and bad ranges', async () => {
    const res = await svc.api('GET', '/api/v1/analytics/circulation?from=2026-04-01&to=2026-04-03&format=csv', { token: staff.admin });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await res.text()).split('\r\n').slice(0, 2)).toEqual(['dimension,value,loans,returns,renewals', 'location,East Branch,2,0,0']);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/analytics/circulation')).status).toBe(403);
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/circulation?from=2026-04-05&to=2026-04-01')).status).toBe(422);
  });
});

describe('searches that found nothing', () => {
  it('lists the words of searches without results, most frequent first, case folded, filters-only searches left out', async () => {
    const insert = (at: string, query: string | null, results: number) => svc.deps.orm.em.fork().execute(
      `insert into search_events (occurred_at, query, filters, sort, result_count, total_relation, no_results, took_ms, engine) values (?, ?, '{}', 'relevance', ?, 'eq', ?, 3, 'postgres')`,
      [at, query, results, results === 0]);
    await insert('2026-06-02T10:00:00Z', 'Quantum Gravity', 0);
    await insert('2026-06-02T11:00:00Z', 'quantum gravity ', 0);
    await insert('2026-06-03T09:00:00Z', 'zebra finches', 0);
    await insert('2026-06-03T09:30:00Z', 'batman', 3);
    await insert('2026-06-03T09:40:00Z', null, 0);
    await insert('2026-07-01T09:00:00Z', 'out of range', 0);
    const r = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/searches-without-results?from=2026-06-01&to=2026-06-30');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      from: '2026-06-01', to: '2026-06-30',
      items: [
        { query: 'quantum gravity', searches: 2, lastSearchedAt: '2026-06-02T11:00:00.000Z' },
        { query: 'zebra finches', searches: 1, lastSearchedAt: '2026-06-03T09:00:00.000Z' },
      ],
    });
    const top1 = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/searches-without-results?from=2026-06-01&to=2026-06-30&top=1');
    expect(top1.body.items).toHaveLength(1);
    const csv = await svc.api('GET', '/api/v1/analytics/searches-without-results?from=2026-06-01&to=2026-06-30&format=csv', { token: staff.admin });
    expect((await csv.text()).split('\r\n')[1]).toBe('quantum gravity,2,2026-06-02T11:00:00.000Z');
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/analytics/searches-without-results')).status).toBe(403);
  });
});
