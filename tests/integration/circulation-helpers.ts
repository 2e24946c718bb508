// Factories for the circulation and patron integration tests: staff accounts, copies and patrons
// made through the same HTTP API a desk uses, and a direct look at the database for "nothing
// changed" checks after a refusal.
import { expect } from 'vitest';
import { userCreator } from '../../services/api/modules/auth/auth.service.ts';
import { tokenFor, type TestService } from '../support/test-service.ts';

export const DAY = 86_400_000;

export interface Staff { admin: string; librarian: string; supervisor: string; patronUser: string }

export async function staffTokens(svc: TestService): Promise<Staff> {
  const make = async (username: string, roles: string[]) => {
    await userCreator(svc.deps, svc.deps.orm.em.fork(), { username, password: `${username}-password-1`, roles });
    return tokenFor(svc.api, username, `${username}-password-1`);
  };
  return {
    admin: svc.adminToken,
    librarian: await make('lib', ['librarian']),
    supervisor: await make('sup', ['supervisor']),
    patronUser: await make('reader', ['patron']),
  };
}

/** A JSON call that returns status and parsed body. */
export async function call(svc: TestService, token: string | null, method: string, path: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await svc.api(method, path, { token, ...(json !== undefined ? { json } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let records = 0;
/** A record with `n` copies; returns the copies as the API shows them. */
export async function buildCopies(svc: TestService, n: number, over: Record<string, unknown> = {}): Promise<Array<{ id: string; callNumber: string; accessionNumber: string; status: string }>> {
  records++;
  const rec = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: `Circulating title ${records}`, authors: ['Author, Test'], isbn: null });
  expect(rec.status).toBe(201);
  const copies = [];
  for (let i = 0; i < n; i++) {
    const c = await call(svc, svc.adminToken, 'POST', `/api/v1/records/${rec.body.id}/items`, {
      loanCategory: 'two-week', location: 'Central Branch', mediaType: 'Book', replacementCostCents: 2500, ...over,
    });
    expect(c.status).toBe(201);
    copies.push(c.body);
  }
  return copies;
}

export async function buildCopy(svc: TestService, over: Record<string, unknown> = {}) {
  return (await buildCopies(svc, 1, over))[0]!;
}

let patrons = 0;
export async function buildPatron(svc: TestService, over: Record<string, unknown> = {}): Promise<{ id: string; membershipId: string }> {
  patrons++;
  const res = await call(svc, svc.adminToken, 'POST', '/api/v1/patrons', { name: `Member ${patrons}`, faculty: 'Computing', phone: `9123${String(patrons).padStart(4, '0')}`, email: `member${patrons}@example.edu`, ...over });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function setPolicy(svc: TestService, preset: 'standard' | 'als') {
  const res = await call(svc, svc.adminToken, 'PUT', '/api/v1/policy', { preset });
  expect(res.status).toBe(200);
}

export async function checkout(svc: TestService, itemId: string, patronId: string, extra: Record<string, unknown> = {}, token = svc.adminToken) {
  return call(svc, token, 'POST', '/api/v1/loans', { itemId, patronId, ...extra });
}

/** Everything circulation writes, for "a refused request changes nothing" checks. */
export async function circulationSnapshot(svc: TestService) {
  const conn = svc.deps.orm.em.fork().getConnection();
  const q = async (sql: string) => JSON.stringify(await conn.execute(sql));
  return {
    loans: await q(`select id, item_id, patron_id, due_at, returned_at, fine_cents, renewal_count from loans order by id`),
    holds: await q(`select id, item_id, patron_id, status, ready_until, closed_at from holds order by id`),
    ledger: await q(`select id, patron_id, kind, amount_cents from ledger_entries order by id`),
    items: await q(`select id, status from items order by id`),
    notices: await q(`select id, patron_id, kind from notices order by id`),
    overrides: await q(`select id from circulation_overrides order by id`),
    patrons: await q(`select id, name, category, restricted from patrons order by id`),
  };
}

export async function itemStatus(svc: TestService, itemId: string): Promise<string> {
  return (await call(svc, svc.adminToken, 'GET', `/api/v1/items/${itemId}`)).body.status;
}

export async function balanceOf(svc: TestService, patronId: string): Promise<number> {
  return (await call(svc, svc.adminToken, 'GET', `/api/v1/patrons/${patronId}/ledger`)).body.balanceCents;
}
