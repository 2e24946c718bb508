import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, tokenFor, type TestService } from '../support/test-service.ts';
import { userCreator } from '../../services/api/modules/auth/auth.service.ts';
import { ROUTE_ACCESS, ROLE_GROUPS } from './route-access.table.ts';

// Issue 5: every route declares who may call it, and this table says the same thing independently.
// A new route without a row here fails; a row whose roles differ from the route's fails; and every
// route is called with every role, which must get 401/403 exactly when the role is not allowed.
const ROLES = ['anonymous', 'patron', 'librarian', 'supervisor', 'admin'] as const;

let svc: TestService;
const tokens: Record<string, string | null> = { anonymous: null };
let doc: { paths: Record<string, Record<string, { 'x-allowed-roles': string[] }>> };

beforeAll(async () => {
  svc = await startTestService();
  for (const role of ['patron', 'librarian', 'supervisor'] as const) {
    await userCreator(svc.deps, svc.deps.orm.em.fork(), { username: `role-${role}`, password: `${role}-password-1`, roles: [role] });
    tokens[role] = await tokenFor(svc.api, `role-${role}`, `${role}-password-1`);
  }
  await userCreator(svc.deps, svc.deps.orm.em.fork(), { username: 'role-admin', password: 'admin-password-1', roles: ['admin'] });
  tokens.admin = await tokenFor(svc.api, 'role-admin', 'admin-password-1');
  doc = await (await svc.api('GET', '/api/v1/openapi.json')).json();
});
afterAll(async () => { await svc?.close(); });

const routes = () => Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, method, path: p, allowed: op['x-allowed-roles'] })));

describe('the role-by-route table', () => {
  it('has exactly one row for every route of the OpenAPI document, with the same roles', () => {
    const actual = Object.fromEntries(routes().map((r) => [r.key, [...r.allowed].sort()]));
    const expected = Object.fromEntries(Object.entries(ROUTE_ACCESS).map(([k, g]) => [k, [...ROLE_GROUPS[g]].sort()]));
    expect(actual).toEqual(expected);
  });

  it('every route answers every role as the table says (401 anonymous / 403 others when not allowed)', async () => {
    const failures: string[] = [];
    for (const r of routes()) {
      // Unknown ids: allowed callers then get 404 (or 422 for bad input), never 401/403.
      const url = r.path.replace(/\{[^}]+\}/g, () => randomUUID());
      for (const role of ROLES) {
        const write = r.method !== 'get';
        const res = await svc.api(r.method.toUpperCase(), url, { token: tokens[role], ...(write ? { json: {} } : {}) });
        await res.arrayBuffer();
        const allowed = r.allowed.includes(role);
        const denied = res.status === 401 || res.status === 403;
        const expectDenied = !allowed;
        if (expectDenied && res.status !== (role === 'anonymous' ? 401 : 403)) failures.push(`${r.key} as ${role}: ${res.status}, expected ${role === 'anonymous' ? 401 : 403}`);
        if (!expectDenied && denied) failures.push(`${r.key} as ${role}: ${res.status}, expected access`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
