import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { buildCopy, buildPatron, call } from './circulation-helpers.ts';

// Issue 5, points 5 and 9: patrons sign in with their membership id or email and a password set
// through a one-time link; they see and act on their own loans, holds and ledger only.
let svc: TestService;
let pat: { id: string; membershipId: string };
let other: { id: string; membershipId: string };
let patToken: string;

async function signIn(username: string, password: string) {
  const res = await svc.api('POST', '/api/v1/session', { json: { username, password } });
  if (res.status !== 200) return { status: res.status, cookie: '', csrf: '' };
  return { status: 200, cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: (await res.json()).csrfToken as string };
}

beforeAll(async () => {
  svc = await startTestService();
  pat = await buildPatron(svc, { name: 'Tan, Jia Yu', email: 'jiayu@example.edu' });
  other = await buildPatron(svc, { name: 'Lim, Joan' });
});
afterAll(async () => { await svc?.close(); });

describe('patron accounts through a one-time link', () => {
  let token: string;
  it('staff create the link; the patron sets a password once', async () => {
    const inv = await call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${pat.id}/account`);
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ username: pat.membershipId.toLowerCase(), membershipId: pat.membershipId });
    expect(inv.body.activationPath).toContain(encodeURIComponent(inv.body.token));
    token = inv.body.token;
    expect((await call(svc, null, 'POST', '/api/v1/account/activate', { token, password: 'short' })).status).toBe(422);
    expect((await call(svc, null, 'POST', '/api/v1/account/activate', { token, password: 'a long enough secret' })).status).toBe(200);
    const again = await call(svc, null, 'POST', '/api/v1/account/activate', { token, password: 'another long secret' });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('invitation-invalid');
  });

  it('signs in with the membership id or with the email on the patron record', async () => {
    expect((await signIn(pat.membershipId, 'a long enough secret')).status).toBe(200);
    const byEmail = await signIn('JiaYu@Example.edu', 'a long enough secret');
    expect(byEmail.status).toBe(200);
    const me = await (await svc.api('GET', '/api/v1/me', { headers: { cookie: byEmail.cookie } })).json();
    expect(me).toMatchObject({ roles: ['patron'], patronId: pat.id });
    const t = await svc.api('POST', '/api/v1/tokens', { json: { name: 'app' }, headers: { cookie: byEmail.cookie, 'x-csrf-token': byEmail.csrf } });
    patToken = (await t.json()).token;
  });

  it('a link expires after seven days, and a new link voids the old one', async () => {
    const first = (await call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${other.id}/account`)).body.token;
    const second = (await call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${other.id}/account`)).body.token;
    expect((await call(svc, null, 'POST', '/api/v1/account/activate', { token: first, password: 'a long enough secret' })).status).toBe(410);
    svc.clock.advance(8 * 86_400_000);
    expect((await call(svc, null, 'POST', '/api/v1/account/activate', { token: second, password: 'a long enough secret' })).status).toBe(410);
    svc.clock.advance(-8 * 86_400_000);
  });

  it('changes the password with the current one', async () => {
    expect((await call(svc, patToken, 'POST', '/api/v1/me/password', { currentPassword: 'wrong', newPassword: 'a brand new secret' })).status).toBe(401);
    expect((await call(svc, patToken, 'POST', '/api/v1/me/password', { currentPassword: 'a long enough secret', newPassword: 'a brand new secret' })).status).toBe(204);
    expect((await signIn(pat.membershipId, 'a brand new secret')).status).toBe(200);
  });
});

describe('a patron sees and acts on their own account only (no id guessing)', () => {
  let ownLoan: string;
  let otherLoan: string;
  let otherHold: string;
  beforeAll(async () => {
    ownLoan = (await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: (await buildCopy(svc)).id, patronId: pat.id })).body.id;
    const lent = await buildCopy(svc);
    otherLoan = (await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: lent.id, patronId: other.id })).body.id;
    const c = await buildCopy(svc);
    await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: c.id, patronId: pat.id });
    otherHold = (await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: c.id, patronId: other.id })).body.id;
  });

  it('reads their own record, loans, holds and ledger', async () => {
    expect((await call(svc, patToken, 'GET', `/api/v1/patrons/${pat.id}`)).body.membershipId).toBe(pat.membershipId);
    const loans = await call(svc, patToken, 'GET', `/api/v1/patrons/${pat.membershipId}/loans`);
    expect(loans.status).toBe(200);
    expect(loans.body.items.map((l: { id: string }) => l.id)).toContain(ownLoan);
    expect((await call(svc, patToken, 'GET', `/api/v1/patrons/${pat.id}/holds`)).status).toBe(200);
    expect((await call(svc, patToken, 'GET', `/api/v1/patrons/${pat.id}/ledger`)).status).toBe(200);
    expect((await call(svc, patToken, 'GET', `/api/v1/loans/${ownLoan}`)).status).toBe(200);
  });

  it('gets 404 for another patron\'s record, loans, holds, ledger, loan and hold', async () => {
    for (const path of [`/api/v1/patrons/${other.id}`, `/api/v1/patrons/${other.membershipId}/loans`, `/api/v1/patrons/${other.id}/holds`,
      `/api/v1/patrons/${other.id}/ledger`, `/api/v1/loans/${otherLoan}`, `/api/v1/holds/${otherHold}`]) {
      expect((await call(svc, patToken, 'GET', path)).status, path).toBe(404);
    }
    expect((await call(svc, patToken, 'DELETE', `/api/v1/holds/${otherHold}`)).status).toBe(404);
    expect((await call(svc, patToken, 'POST', `/api/v1/loans/${otherLoan}/renew`, {})).status).toBe(404);
  });

  it('cannot list patrons, lend, return, pay or edit what the library sets', async () => {
    expect((await call(svc, patToken, 'GET', '/api/v1/patrons')).status).toBe(403);
    expect((await call(svc, patToken, 'POST', '/api/v1/loans', { itemId: (await buildCopy(svc)).id, patronId: pat.id })).status).toBe(403);
    expect((await call(svc, patToken, 'POST', `/api/v1/loans/${ownLoan}/return`, {})).status).toBe(403);
    expect((await call(svc, patToken, 'POST', `/api/v1/patrons/${pat.id}/payments`, { amountCents: 100, method: 'cash' })).status).toBe(403);
    expect((await call(svc, patToken, 'PATCH', `/api/v1/patrons/${pat.id}`, { restricted: false })).status).toBe(403);
  });

  it('edits their own contact details, places a hold for themselves (not for others) and renews their loan', async () => {
    const upd = await call(svc, patToken, 'PATCH', `/api/v1/patrons/${pat.id}`, { phone: '81093487' });
    expect(upd.status).toBe(200);
    expect(upd.body.phone).toBe('81093487');
    const lent = await buildCopy(svc);
    await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: lent.id, patronId: other.id });
    expect((await call(svc, patToken, 'POST', '/api/v1/holds', { itemId: lent.id, patronId: other.id })).status).toBe(403);
    const hold = await call(svc, patToken, 'POST', '/api/v1/holds', { itemId: lent.id, patronId: pat.id });
    expect(hold.status).toBe(201);
    expect((await call(svc, patToken, 'DELETE', `/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    const renewed = await call(svc, patToken, 'POST', `/api/v1/loans/${ownLoan}/renew`, {});
    expect(renewed.status).toBe(200);
  });
});
