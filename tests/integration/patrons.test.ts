// Patrons through the API: seed 002's customer fields and searches, seed 003's membership rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { isValidMembershipId } from '../../services/api/modules/patrons/membership-id.ts';
import { buildCopy, buildPatron, call, checkout, DAY, setPolicy, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;
beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
  await setPolicy(svc, 'standard');
});
afterAll(async () => { await svc?.close(); });

describe('creating and reading', () => {
  it('assigns a unique alphanumeric membership id and returns every field (seed 003: "The membership id is assigned when a membership is created")', async () => {
    const res = await call(svc, staff.librarian, 'POST', '/api/v1/patrons', {
      name: 'Tan Jia Yu', faculty: 'Computing', phone: '91234567', email: 'Jiayu@Example.edu', address: '1 Library Road, Singapore 119077',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Tan Jia Yu', faculty: 'Computing', phone: '91234567', email: 'jiayu@example.edu', address: '1 Library Road, Singapore 119077',
      category: 'regular', restricted: false, balanceCents: 0, openLoanCount: 0, activeHoldCount: 0,
    });
    expect(res.body.membershipId).toMatch(/^[A-Z0-9]+$/);
    expect(isValidMembershipId(res.body.membershipId)).toBe(true);
    // "two member records with the same name ... are considered distinct if the membership ids are different"
    const twin = await call(svc, staff.librarian, 'POST', '/api/v1/patrons', { name: 'Tan Jia Yu' });
    expect(twin.status).toBe(201);
    expect(twin.body.membershipId).not.toBe(res.body.membershipId);
    // Found by id and by membership id.
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${res.body.membershipId}`)).body.id).toBe(res.body.id);
  });

  it('validates input with readable problems', async () => {
    const bad = await call(svc, staff.librarian, 'POST', '/api/v1/patrons', { name: '', email: 'not-an-email', phone: 'call me' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['name', 'email', 'phone']));
    const cat = await call(svc, staff.supervisor, 'POST', '/api/v1/patrons', { name: 'X', category: 'emeritus' });
    expect(cat.status).toBe(422);
    expect(cat.body.code).toBe('unknown-patron-category');
    expect((await call(svc, staff.librarian, 'POST', '/api/v1/patrons', { name: 'X', membershipId: 'A101A' })).status).toBe(422);
  });

  it('shows Max Books and Max Fine to supervisors only (seed 002: "supervisor mode only"), and only they set a patron\'s own limits', async () => {
    const p = await buildPatron(svc, { category: 'librarian' });
    const asLibrarian = (await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${p.id}`)).body;
    expect(asLibrarian).not.toHaveProperty('maxLoans');
    expect(asLibrarian).not.toHaveProperty('maxFineCents');
    const asSupervisor = (await call(svc, staff.supervisor, 'GET', `/api/v1/patrons/${p.id}`)).body;
    expect(asSupervisor).toMatchObject({ maxLoans: 10, maxHolds: 10, maxFineCents: 1000 });
    const list = (await call(svc, staff.librarian, 'GET', `/api/v1/patrons?membershipId=${p.membershipId}`)).body;
    expect(list.items[0]).not.toHaveProperty('maxLoans');

    expect((await call(svc, staff.librarian, 'POST', '/api/v1/patrons', { name: 'Own limits', maxLoans: 3 })).status).toBe(403);
    expect((await call(svc, staff.librarian, 'POST', '/api/v1/patrons', { name: 'Colleague', category: 'librarian' })).status).toBe(403);
    const own = await call(svc, staff.supervisor, 'POST', '/api/v1/patrons', { name: 'Own limits', maxLoans: 1, fineLimitCents: 200 });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ maxLoans: 1, maxHolds: 1, maxFineCents: 200 });
    // The patron's own Max Books applies at the desk.
    const [a, b] = [await buildCopy(svc), await buildCopy(svc)];
    expect((await checkout(svc, a.id, own.body.id)).status).toBe(201);
    expect((await checkout(svc, b.id, own.body.id)).body.code).toBe('loan-limit-reached');
  });

  it('is staff only for now: patrons and anonymous callers are refused', async () => {
    expect((await call(svc, staff.patronUser, 'GET', '/api/v1/patrons')).status).toBe(403);
    expect((await call(svc, null, 'GET', '/api/v1/patrons')).status).toBe(401);
    expect((await call(svc, staff.patronUser, 'POST', '/api/v1/patrons', { name: 'Me' })).status).toBe(403);
  });
});

describe('updating (seed 003: "Membership id, the number of books borrowable, and the number of books reservable cannot be changed")', () => {
  it('changes name, faculty, phone, email and address', async () => {
    const p = await buildPatron(svc);
    const res = await call(svc, staff.librarian, 'PATCH', `/api/v1/patrons/${p.id}`, { name: 'Lim, Joan', faculty: 'Science', phone: '81093487', email: 'joan@example.edu', address: '2 Science Drive' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Lim, Joan', faculty: 'Science', phone: '81093487', email: 'joan@example.edu', address: '2 Science Drive', membershipId: p.membershipId });
    expect((await call(svc, staff.librarian, 'PATCH', `/api/v1/patrons/${p.id}`, { address: null })).body.address).toBeNull();
  });

  it('refuses to change the membership id or the limits (patron-field-fixed), and accepts them unchanged in a round trip', async () => {
    const p = await buildPatron(svc);
    const changeId = await call(svc, staff.supervisor, 'PATCH', `/api/v1/patrons/${p.id}`, { membershipId: 'A101A' });
    expect(changeId.status).toBe(409);
    expect(changeId.body.code).toBe('patron-field-fixed');
    expect((await call(svc, staff.supervisor, 'PATCH', `/api/v1/patrons/${p.id}`, { maxLoans: 50 })).body.code).toBe('patron-field-fixed');
    const shown = (await call(svc, staff.supervisor, 'GET', `/api/v1/patrons/${p.id}`)).body;
    const roundTrip = await call(svc, staff.supervisor, 'PATCH', `/api/v1/patrons/${p.id}`, {
      membershipId: shown.membershipId, maxLoans: shown.maxLoans, maxHolds: shown.maxHolds, name: 'Renamed',
    });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body.membershipId).toBe(p.membershipId);
  });

  it('changes the category only for supervisors, and only to a category of the policy', async () => {
    const p = await buildPatron(svc);
    expect((await call(svc, staff.librarian, 'PATCH', `/api/v1/patrons/${p.id}`, { category: 'librarian' })).status).toBe(403);
    expect((await call(svc, staff.supervisor, 'PATCH', `/api/v1/patrons/${p.id}`, { category: 'nobody' })).body.code).toBe('unknown-patron-category');
    expect((await call(svc, staff.supervisor, 'PATCH', `/api/v1/patrons/${p.id}`, { category: 'librarian' })).body.category).toBe('librarian');
  });
});

describe('searching (seed 002: "Search customer based on: name, phone, address, or user ID")', () => {
  let simon: { id: string; membershipId: string };
  let late: { id: string };
  let fined: { id: string };
  let borrower: { id: string };
  beforeAll(async () => {
    svc.clock.set('2026-05-01T10:00:00Z');
    simon = await buildPatron(svc, { name: 'Simon Li Thales', phone: '(416) 555-0199', address: '77 Queen Street, Toronto, ON M5H 2N2' });
    borrower = await buildPatron(svc, { name: 'Borrowing Bea' });
    late = await buildPatron(svc, { name: 'Late Larry' });
    fined = await buildPatron(svc, { name: 'Fined Fay' });
    await checkout(svc, (await buildCopy(svc)).id, borrower.id);
    await checkout(svc, (await buildCopy(svc)).id, late.id, { loanedAt: '2026-04-01T10:00:00Z' });
    const l = await checkout(svc, (await buildCopy(svc)).id, fined.id, { loanedAt: '2026-04-01T10:00:00Z' });
    await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${l.body.id}/return`, {});
  });
  const ids = async (query: string) => (await call(svc, staff.librarian, 'GET', `/api/v1/patrons?pageSize=100&${query}`)).body.items.map((p: { id: string }) => p.id);

  it('by name, phone in any format, address, membership id and free text', async () => {
    expect(await ids('name=thales')).toEqual([simon.id]);
    expect(await ids('phone=4165550199')).toEqual([simon.id]);
    expect(await ids(`phone=${encodeURIComponent('416-555-0199')}`)).toEqual([simon.id]);
    expect(await ids('address=queen%20street')).toEqual([simon.id]);
    expect(await ids(`membershipId=${simon.membershipId.toLowerCase()}`)).toEqual([simon.id]);
    expect(await ids('q=toronto')).toEqual([simon.id]);
    expect(await ids(`q=${simon.membershipId}`)).toEqual([simon.id]);
  });

  it('filters by loans, overdue loans and fines', async () => {
    const withLoans = await ids('hasLoans=true');
    expect(withLoans).toEqual(expect.arrayContaining([late.id]));
    expect(withLoans).not.toContain(simon.id);
    const overdue = await ids('hasOverdue=true');
    expect(overdue).toContain(late.id);
    expect(overdue).not.toContain(borrower.id);
    expect(await ids('hasOverdue=false')).toContain(borrower.id);
    expect(await ids('hasFines=true')).toEqual([fined.id]);
    expect(await ids('hasFines=false')).not.toContain(fined.id);
    const page = (await call(svc, staff.librarian, 'GET', '/api/v1/patrons?hasOverdue=true&name=late')).body;
    expect(page).toMatchObject({ total: 1, page: 1, items: [expect.objectContaining({ overdueLoanCount: 1, openLoanCount: 1 })] });
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/patrons?hasFines=maybe')).status).toBe(422);
  });

  it('lists a patron\'s loans, holds and ledger', async () => {
    const loans = (await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${late.id}/loans`)).body.items;
    expect(loans).toEqual([expect.objectContaining({ overdue: true, title: expect.any(String), callNumber: expect.stringMatching(/^\d{10}$/) })]);
    const ledger = (await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${fined.id}/ledger`)).body;
    expect(ledger.balanceCents).toBeGreaterThan(0);
    expect(ledger.items[0]).toMatchObject({ kind: 'fine', amountCents: ledger.balanceCents });
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${late.id}/holds`)).body.items).toEqual([]);
  });
});

describe('deleting (seed 003: "Membership Deletion")', () => {
  it('is refused while books are on loan or fines are unpaid; then cancels reservations and frees the held copy', async () => {
    svc.clock.set('2026-07-01T10:00:00Z');
    const member = await buildPatron(svc);
    const other = await buildPatron(svc);
    const [borrowed, shelf, elsewhere] = [await buildCopy(svc), await buildCopy(svc), await buildCopy(svc)];
    const loan = await checkout(svc, borrowed.id, member.id);
    await checkout(svc, elsewhere.id, other.id);
    const ready = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: shelf.id, patronId: member.id });
    const waiting = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: elsewhere.id, patronId: member.id });
    expect([ready.body.status, waiting.body.status]).toEqual(['ready', 'waiting']);

    const withLoan = await call(svc, staff.librarian, 'DELETE', `/api/v1/patrons/${member.id}`);
    expect(withLoan.status).toBe(409);
    expect(withLoan.body.code).toBe('patron-has-loans');
    svc.clock.advance(20 * DAY);
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    const withFine = await call(svc, staff.librarian, 'DELETE', `/api/v1/patrons/${member.id}`);
    expect(withFine.body.code).toBe('fines-outstanding');
    const balance = (await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${member.id}/ledger`)).body.balanceCents;
    // The ready hold on the shelf copy expired meanwhile (no-show charge); pay everything.
    await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: balance, method: 'cash' });

    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/patrons/${member.id}`)).status).toBe(204);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${member.id}`)).status).toBe(404);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${waiting.body.id}`)).body).toMatchObject({ status: 'cancelled', patronId: null });
    const log = await svc.deps.orm.em.fork().getConnection().execute(`select snapshot from deletion_log where entity_type = 'patron' and entity_id = ?`, [member.id]);
    expect(log[0].snapshot).toEqual({ membershipId: member.membershipId, category: 'regular', createdAt: expect.any(String) });
  });

  it('cancels a ready hold and puts its copy back on the shelf', async () => {
    const member = await buildPatron(svc);
    const copy = await buildCopy(svc);
    await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: member.id });
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/items/${copy.id}`)).body.status).toBe('on-hold');
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/patrons/${member.id}`)).status).toBe(204);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/items/${copy.id}`)).body.status).toBe('available');
  });

  it('never hands out a membership id again, even after a deletion', async () => {
    const a = await buildPatron(svc);
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/patrons/${a.id}`)).status).toBe(204);
    const b = await buildPatron(svc);
    expect(b.membershipId).not.toBe(a.membershipId);
    const seq = (id: string) => Number(id.slice(1, -1));
    expect(seq(b.membershipId)).toBeGreaterThan(seq(a.membershipId));
    // And the database refuses a duplicate outright.
    await expect(svc.deps.orm.em.fork().getConnection().execute(
      `insert into patrons (id, membership_id, name, category, restricted, created_at, updated_at) values (gen_random_uuid(), ?, 'Copy', 'regular', false, now(), now())`, [b.membershipId],
    )).rejects.toThrow();
  });
});
