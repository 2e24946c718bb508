// GET /api/v1/loans: the loans of one copy, so a desk can return the book in hand by its call
// number or accession number (seed 003: "Information captured for a book return includes accession
// number and return date") without knowing who borrowed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { buildCopy, buildPatron, call, checkout, setPolicy, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;
beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
  await setPolicy(svc, 'standard');
});
afterAll(async () => { await svc?.close(); });

describe('the loans of one copy', () => {
  it('finds the open loan by call number, accession number or item id, and the returned ones on request', async () => {
    const copy = await buildCopy(svc);
    const patron = await buildPatron(svc);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/loans?callNumber=${copy.callNumber}`)).body).toEqual({ items: [] });

    const lent = await checkout(svc, copy.id, patron.id);
    expect(lent.status).toBe(201);
    const loan = lent.body as { id: string };
    for (const q of [`callNumber=${copy.callNumber}`, `accessionNumber=${copy.accessionNumber}`, `itemId=${copy.id}`]) {
      const res = await call(svc, staff.librarian, 'GET', `/api/v1/loans?${q}`);
      expect(res.status, q).toBe(200);
      expect(res.body.items.map((l: { id: string }) => l.id)).toEqual([loan.id]);
      expect(res.body.items[0]).toMatchObject({ patronId: patron.id, callNumber: copy.callNumber, returnedAt: null });
    }

    expect((await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.id}/return`, {})).status).toBe(200);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/loans?callNumber=${copy.callNumber}`)).body.items).toEqual([]);
    const returned = await call(svc, staff.librarian, 'GET', `/api/v1/loans?callNumber=${copy.callNumber}&status=returned`);
    expect(returned.body.items.map((l: { id: string }) => l.id)).toEqual([loan.id]);
  });

  it('answers 404 for an unknown copy, 422 without exactly one copy reference, and only to staff', async () => {
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/loans?callNumber=9999999999')).body.code).toBe('not-found');
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/loans')).status).toBe(422);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/loans?callNumber=1&accessionNumber=A1')).status).toBe(422);
    expect((await call(svc, staff.patronUser, 'GET', '/api/v1/loans?callNumber=0000000001')).status).toBe(403);
    expect((await call(svc, null, 'GET', '/api/v1/loans?callNumber=0000000001')).status).toBe(401);
  });
});
