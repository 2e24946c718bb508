import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, tokenFor, type TestService } from '../support/test-service.ts';
import { userCreator } from '../../services/api/modules/auth/auth.service.ts';

let svc: TestService;
let librarian: string;
let supervisor: string;
beforeAll(async () => {
  svc = await startTestService();
  const em = svc.deps.orm.em.fork();
  await userCreator(svc.deps, em, { username: 'lib', password: 'librarian-pass', roles: ['librarian'] });
  await userCreator(svc.deps, em, { username: 'sup', password: 'supervisor-pass', roles: ['supervisor'] });
  librarian = await tokenFor(svc.api, 'lib', 'librarian-pass');
  supervisor = await tokenFor(svc.api, 'sup', 'supervisor-pass');
});
afterAll(async () => { await svc?.close(); });

const audit = async (q = '') => (await (await svc.api('GET', `/api/v1/audit?${q}`, { token: supervisor })).json());

describe('audit log of staff actions (issue 5: who, what, when, before/after)', () => {
  it('records a record update with before and after, by whom and when', async () => {
    const rec = await (await svc.api('POST', '/api/v1/records', { token: librarian, json: { title: 'Old title', authors: ['A, B'] } })).json();
    svc.clock.advance(60_000);
    await svc.api('PATCH', `/api/v1/records/${rec.id}`, { token: librarian, json: { title: 'New title' } });
    const log = await audit(`entityId=${rec.id}`);
    expect(log.items.map((e: { action: string }) => e.action)).toEqual(['records.update', 'records.create']);
    const update = log.items[0];
    expect(update).toMatchObject({ actor: { username: 'lib' }, entityType: 'record', before: { title: 'Old title' }, after: { title: 'New title' } });
    expect(update.at).toBe(svc.clock().toISOString());
  });

  it('keeps a deletion with the reason and what was deleted', async () => {
    const rec = await (await svc.api('POST', '/api/v1/records', { token: librarian, json: { title: 'Doomed', authors: ['A, B'] } })).json();
    await svc.api('DELETE', `/api/v1/records/${rec.id}`, { token: librarian, json: { reason: 'duplicate' } });
    const [entry] = (await audit(`entityId=${rec.id}&action=records.delete`)).items;
    expect(entry).toMatchObject({ reason: 'duplicate', before: { title: 'Doomed' }, after: null });
  });

  it('never shows personal data in clear', async () => {
    const p = await (await svc.api('POST', '/api/v1/patrons', { token: librarian, json: { name: 'Private, P', phone: '91234567', email: 'p@example.org', address: '1 Secret Lane' } })).json();
    const [entry] = (await audit(`entityId=${p.id}`)).items;
    expect(JSON.stringify(entry)).not.toMatch(/91234567|p@example\.org|Secret Lane/);
    expect(entry.after.phone).toBe('[personal data]');
  });

  it('failed and refused writes leave no entry; reads leave none', async () => {
    const before = (await audit()).total;
    await svc.api('POST', '/api/v1/records', { token: librarian, json: { title: '' } });
    await svc.api('GET', '/api/v1/records', { token: librarian });
    expect((await audit()).total).toBe(before);
  });

  it('is readable by supervisors only', async () => {
    expect((await svc.api('GET', '/api/v1/audit', { token: librarian })).status).toBe(403);
    expect((await svc.api('GET', '/api/v1/audit')).status).toBe(401);
  });
});
