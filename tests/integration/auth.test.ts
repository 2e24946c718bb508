import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, isolatedDatabase, startTestService, tokenFor, type TestService } from '../support/test-service.ts';
import { credentialsChecker, firstAdminEnsurer } from '../../services/api/modules/auth/auth.service.ts';
import { buildDeps } from '../../services/api/service.ts';

let svc: TestService;
beforeAll(async () => { svc = await startTestService(); });
afterAll(async () => { await svc?.close(); });

async function signIn(username: string, password: string, ip?: string) {
  return svc.api('POST', '/api/v1/session', { json: { username, password }, headers: ip ? { 'x-forwarded-for': ip } : {} });
}

describe('sessions (API.md: Sessions and tokens)', () => {
  it('signs in with the first-start admin account and answers /me through the cookie', async () => {
    const res = await signIn('admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ username: 'admin', roles: expect.arrayContaining(['admin']) });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    const cookie = setCookie.split(';')[0]!;
    const me = await svc.api('GET', '/api/v1/me', { headers: { cookie } });
    expect(await me.json()).toMatchObject({ username: 'admin' });
  });

  it('answers wrong credentials with 401 and /me without a session with 401', async () => {
    expect((await signIn('admin', 'wrong-password')).status).toBe(401);
    expect((await signIn('nobody', 'wrong-password')).status).toBe(401);
    expect((await svc.api('GET', '/api/v1/me')).status).toBe(401);
  });

  it('requires X-CSRF-Token on cookie-authenticated writes, not on bearer requests', async () => {
    const res = await signIn('admin', ADMIN_PASSWORD);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = await res.json();
    const record = { title: 'CSRF', authors: ['Forger, A'] };
    const without = await svc.api('POST', '/api/v1/records', { json: record, headers: { cookie } });
    expect(without.status).toBe(403);
    expect((await without.json()).code).toBe('csrf-token-invalid');
    expect((await svc.api('POST', '/api/v1/records', { json: record, headers: { cookie, 'x-csrf-token': csrfToken } })).status).toBe(201);
    expect((await svc.api('POST', '/api/v1/records', { json: record, token: svc.adminToken })).status).toBe(201);
  });

  it('signs out: the cookie stops working', async () => {
    const res = await signIn('admin', ADMIN_PASSWORD);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = await res.json();
    expect((await svc.api('DELETE', '/api/v1/session', { headers: { cookie, 'x-csrf-token': csrfToken } })).status).toBe(204);
    expect((await svc.api('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
  });

  it('throttles repeated failures for an account with 429 and Retry-After', async () => {
    const { userCreator } = await import('../../services/api/modules/auth/auth.service.ts');
    await userCreator(svc.deps, svc.deps.orm.em.fork(), { username: 'victim', password: 'correct-horse', roles: ['patron'] });
    for (let i = 0; i < 5; i++) expect((await signIn('victim', 'guess-' + i)).status).toBe(401);
    const throttled = await signIn('victim', 'correct-horse');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    svc.clock.advance(16 * 60_000);
    expect((await signIn('victim', 'correct-horse')).status).toBe(200);
  });
});

describe('personal API tokens', () => {
  it('are shown once, stored only as a hash, and work as bearer tokens', async () => {
    const rows = await svc.deps.orm.em.fork().getConnection().execute<Array<{ token_hash: string }>>(`select token_hash from api_tokens`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { token_hash: string }) => /^[0-9a-f]{64}$/.test(r.token_hash) && !svc.adminToken.includes(r.token_hash))).toBe(true);
    expect((await svc.api('GET', '/api/v1/me', { token: svc.adminToken })).status).toBe(200);
  });

  it('an unknown bearer token gets 401, never anonymous access', async () => {
    const res = await svc.api('GET', '/api/v1/records', { token: 'smk_forged' });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('invalid-token');
  });
});

describe('first start', () => {
  it('creates admin once; without SHELFMARK_ADMIN_PASSWORD the generated password is printed once', async () => {
    const lines: string[] = [];
    // A database that already has accounts gets no new admin.
    expect(await firstAdminEnsurer(svc.deps, (l) => lines.push(l))).toBe(false);
    expect(lines).toEqual([]);
    const db = await isolatedDatabase();
    const config = Object.freeze({ ...svc.deps.config, database: db.database, adminPassword: undefined });
    const deps = await buildDeps(config, { print: (l) => lines.push(l), log: svc.deps.log, ...(db.loadDataDir ? { pgliteLoadDataDir: db.loadDataDir } : {}) });
    try {
      const password = /password: (\S+)/.exec(lines.join('\n'))?.[1];
      expect(password).toBeTruthy();
      expect(await credentialsChecker(deps.orm.em.fork(), 'admin', password!)).not.toBeNull();
      expect(await firstAdminEnsurer(deps, (l) => lines.push(l))).toBe(false);
      expect(lines.filter((l) => l.includes('password:'))).toHaveLength(1);
    } finally {
      await deps.orm.close();
      await db.drop();
    }
  });
});

describe('token revocation (issue 5: revocable, shown once)', () => {
  it('lists one\'s tokens without secrets and revokes one at once', async () => {
    const t = await tokenForTest();
    const list = await (await svc.api('GET', '/api/v1/tokens', { token: t })).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain(t);
    const mine = list.items.find((i: { name: string }) => i.name === 'tests');
    expect((await svc.api('DELETE', `/api/v1/tokens/${mine.id}`, { token: svc.adminToken })).status).toBe(204);
    expect((await svc.api('GET', '/api/v1/me', { token: t })).status).toBe(401);
  });

  it('records when a token was last used (at most once a minute, off the request path)', async () => {
    const t = await tokenForTest();
    const before = (await (await svc.api('GET', '/api/v1/tokens', { token: svc.adminToken })).json()).items;
    await svc.api('GET', '/api/v1/me', { token: t });
    await new Promise((r) => setTimeout(r, 200)); // written by a statement the request did not wait for
    const after = (await (await svc.api('GET', '/api/v1/tokens', { token: svc.adminToken })).json()).items;
    const newest = after.find((i: { id: string }) => !before.some((b: { id: string; lastUsedAt: string | null }) => b.id === i.id && b.lastUsedAt));
    expect(newest?.lastUsedAt).toBe(svc.clock().toISOString());
  });

  it('another user cannot revoke my token (404)', async () => {
    const { userCreator } = await import('../../services/api/modules/auth/auth.service.ts');
    await userCreator(svc.deps, svc.deps.orm.em.fork(), { username: 'stranger', password: 'stranger-password', roles: ['patron'] });
    const strangerToken = await tokenFor(svc.api, 'stranger', 'stranger-password');
    const admins = await (await svc.api('GET', '/api/v1/tokens', { token: svc.adminToken })).json();
    expect((await svc.api('DELETE', `/api/v1/tokens/${admins.items[0].id}`, { token: strangerToken })).status).toBe(404);
  });
});

async function tokenForTest() {
  return tokenFor(svc.api, 'admin', ADMIN_PASSWORD);
}
