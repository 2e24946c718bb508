import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, tokenFor, type TestService } from '../support/test-service.ts';
import { minimalPdf } from '../../services/api/modules/files/test-inputs.ts';

let svc: TestService;
beforeAll(async () => { svc = await startTestService(); });
afterAll(async () => { await svc?.close(); });

describe('accounts managed by admins', () => {
  it('an admin creates a librarian who can then catalogue', async () => {
    const res = await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'Ada', roles: ['librarian'], password: 'ada-long-password' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ username: 'ada', roles: ['librarian'], disabled: false });
    const ada = await tokenFor(svc.api, 'ada', 'ada-long-password');
    expect((await svc.api('POST', '/api/v1/records', { token: ada, json: { title: 'By Ada', authors: ['Lovelace, Ada'] } })).status).toBe(201);
    expect((await svc.api('POST', '/api/v1/users', { token: ada, json: { username: 'x', roles: ['admin'] } })).status).toBe(403);
  });

  it('without a password the answer carries a one-time link; a duplicate username is refused', async () => {
    const res = await (await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'grace', roles: ['supervisor'] } })).json();
    expect(res.activationPath).toContain('token=');
    expect((await svc.api('POST', '/api/v1/account/activate', { json: { token: res.token, password: 'grace-long-password' } })).status).toBe(200);
    expect((await svc.api('POST', '/api/v1/session', { json: { username: 'grace', password: 'grace-long-password' } })).status).toBe(200);
    const dup = await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'grace', roles: ['librarian'] } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).code).toBe('username-taken');
  });

  it('disabling an account stops its tokens at once; an admin cannot disable themselves', async () => {
    await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'temp', roles: ['librarian'], password: 'temp-long-password' } });
    const t = await tokenFor(svc.api, 'temp', 'temp-long-password');
    const list = await (await svc.api('GET', '/api/v1/users', { token: svc.adminToken })).json();
    const temp = list.items.find((u: { username: string }) => u.username === 'temp');
    expect((await svc.api('PATCH', `/api/v1/users/${temp.id}`, { token: svc.adminToken, json: { disabled: true } })).status).toBe(200);
    expect((await svc.api('GET', '/api/v1/me', { token: t })).status).toBe(401);
    const me = await (await svc.api('GET', '/api/v1/me', { token: svc.adminToken })).json();
    expect((await svc.api('PATCH', `/api/v1/users/${me.id}`, { token: svc.adminToken, json: { disabled: true } })).status).toBe(409);
  });

  it('group-restricted holdings open to members of the group only (issue 5: access levels)', async () => {
    const rec = await (await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'Archive', authors: ['Keeper, A'] } })).json();
    const form = new FormData();
    form.set('access', 'restricted');
    form.set('accessGroup', 'law');
    form.set('file', new Blob([new Uint8Array(minimalPdf(['privileged']))]), 'brief.pdf');
    const file = await (await svc.api('POST', `/api/v1/records/${rec.id}/files`, { token: svc.adminToken, body: form })).json();
    await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'lawyer', roles: ['patron', 'group:law'], password: 'lawyer-long-password' } });
    await svc.api('POST', '/api/v1/users', { token: svc.adminToken, json: { username: 'medic', roles: ['patron', 'group:medicine'], password: 'medic-long-password' } });
    const lawyer = await tokenFor(svc.api, 'lawyer', 'lawyer-long-password');
    const medic = await tokenFor(svc.api, 'medic', 'medic-long-password');
    expect((await svc.api('GET', `/api/v1/files/${file.id}/content`, { token: lawyer })).status).toBe(200);
    expect((await svc.api('GET', `/api/v1/files/${file.id}/content`, { token: medic })).status).toBe(403);
    expect((await svc.api('GET', `/api/v1/files/${file.id}/content`)).status).toBe(401);
    const seenByMedic = await (await svc.api('GET', `/api/v1/records/${rec.id}`, { token: medic })).json();
    expect(seenByMedic.files).toEqual([]);
  });
});
