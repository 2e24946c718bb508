// Issue 3 "Must show": each seed rule reproduced as a scripted scenario through the HTTP API, on a
// real database, with the injected clock. After every refusal the database is compared with its
// state before: a refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { holdExpirer } from '../../services/api/modules/circulation/holds.service.ts';
import { balanceOf, buildCopy, buildPatron, call, checkout, circulationSnapshot, DAY, itemStatus, setPolicy, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;
beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
});
afterAll(async () => { await svc?.close(); });

/** Runs a request that must be refused with `code`, and checks that nothing changed in the database. */
async function refusedWithoutChange(code: string, request: () => Promise<{ status: number; body: any }>, status = 409) {
  const before = await circulationSnapshot(svc);
  const res = await request();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
  expect(await circulationSnapshot(svc)).toEqual(before);
  return res.body;
}

describe('als (seed 003)', () => {
  beforeAll(async () => { await setPolicy(svc, 'als'); });

  it('"Each book loan is valid for 2 weeks": the due date is the end of the 14th day after the loan', async () => {
    svc.clock.set('2026-03-02T10:00:00Z');
    const copy = await buildCopy(svc);
    const member = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, member.id);
    expect(loan.status).toBe(201);
    expect(loan.body.dueAt).toBe('2026-03-16T23:59:59.999Z');
    expect(await itemStatus(svc, copy.id)).toBe('on-loan');
    // On the due date itself the return is on time ("must be returned to the library on the due date").
    svc.clock.set('2026-03-16T22:00:00Z');
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})).body.fineCents).toBe(0);
    expect(await itemStatus(svc, copy.id)).toBe('available');
  });

  it('5 days late charges 500; then no borrowing or reserving; 400 refused, 500 accepted; borrowing works again', async () => {
    svc.clock.set('2026-04-01T09:00:00Z');
    const [book, other, onLoanElsewhere] = [await buildCopy(svc), await buildCopy(svc), await buildCopy(svc)];
    const member = await buildPatron(svc, { name: 'Tan Jia Yu' });
    const neighbour = await buildPatron(svc, { name: 'Joan Lim' });
    expect((await checkout(svc, onLoanElsewhere.id, neighbour.id)).status).toBe(201);
    const loan = await checkout(svc, book.id, member.id);
    expect(loan.body.dueAt).toBe('2026-04-15T23:59:59.999Z');

    // "A penalty of $1 per book per day is imposed as a fine to the member."
    svc.clock.set('2026-04-20T11:00:00Z');
    const returned = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    expect(returned.status).toBe(200);
    expect(returned.body.fineCents).toBe(500);
    expect(await balanceOf(svc, member.id)).toBe(500);
    const ledger = await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${member.id}/ledger`);
    expect(ledger.body.items).toEqual([expect.objectContaining({ kind: 'fine', amountCents: 500, loanId: loan.body.id })]);

    // "A member can borrow a book if he/she does not have an outstanding fine."
    await refusedWithoutChange('fines-outstanding', () => checkout(svc, other.id, member.id));
    // "A member can only reserve a book if he/she does not have an outstanding fine."
    await refusedWithoutChange('fines-outstanding', () => call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: onLoanElsewhere.id, patronId: member.id }));
    // "Fines must be completely paid. No partial payment is allowed."
    await refusedWithoutChange('payment-amount-invalid', () => call(svc, staff.librarian, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: 400, method: 'cash' }));
    await refusedWithoutChange('payment-amount-invalid', () => call(svc, staff.librarian, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: 600, method: 'cash' }));
    await refusedWithoutChange('payment-amount-invalid', () => call(svc, staff.librarian, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: 0, method: 'cash' }));

    const paid = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: 500, method: 'cash' });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ kind: 'payment', amountCents: 500, method: 'cash', balanceCents: 0 });
    expect(await balanceOf(svc, member.id)).toBe(0);

    expect((await checkout(svc, other.id, member.id)).status).toBe(201);
    expect((await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: onLoanElsewhere.id, patronId: member.id })).status).toBe(201);
  });

  it('"The fine amount is cumulative if more than one book is returned late"', async () => {
    svc.clock.set('2026-05-01T09:00:00Z');
    const [a, b] = [await buildCopy(svc), await buildCopy(svc)];
    const member = await buildPatron(svc);
    const l1 = await checkout(svc, a.id, member.id);
    const l2 = await checkout(svc, b.id, member.id);
    svc.clock.set('2026-05-17T09:00:00Z'); // due 2026-05-15: 2 days late
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${l1.body.id}/return`, {});
    svc.clock.set('2026-05-18T09:00:00Z'); // 3 days late
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${l2.body.id}/return`, {});
    expect(await balanceOf(svc, member.id)).toBe(500);
  });

  it('"A member can borrow ... a maximum of 2 books at any time"; staff may override with a logged reason', async () => {
    const [a, b, c] = [await buildCopy(svc), await buildCopy(svc), await buildCopy(svc)];
    const member = await buildPatron(svc);
    expect((await checkout(svc, a.id, member.id)).status).toBe(201);
    expect((await checkout(svc, b.id, member.id)).status).toBe(201);
    const refused = await refusedWithoutChange('loan-limit-reached', () => checkout(svc, c.id, member.id));
    expect(refused.overridable).toBe(true);
    // A patron account cannot lend at all; the override needs a reason.
    expect((await checkout(svc, c.id, member.id, { override: { reason: 'x' } }, staff.librarian)).status).toBe(422);
    expect((await checkout(svc, c.id, member.id, {}, staff.patronUser)).status).toBe(403);

    const overridden = await checkout(svc, c.id, member.id, { override: { reason: 'Thesis deadline, approved at the desk' } }, staff.librarian);
    expect(overridden.status).toBe(201);
    expect(overridden.body.overridden).toEqual(['loan-limit-reached']);
    const [log] = await svc.deps.orm.em.fork().getConnection().execute(`select action, codes, reason, staff_user_id, staff_category, loan_id from circulation_overrides where loan_id = ?`, [overridden.body.id]);
    expect(log).toMatchObject({ action: 'checkout', codes: ['loan-limit-reached'], reason: 'Thesis deadline, approved at the desk', staff_category: 'librarian', loan_id: overridden.body.id });
    expect(log.staff_user_id).toBeTruthy();
  });

  it('an override never waives a fact about the copy (item-on-loan)', async () => {
    const copy = await buildCopy(svc);
    const [m1, m2] = [await buildPatron(svc), await buildPatron(svc)];
    await checkout(svc, copy.id, m1.id);
    const res = await refusedWithoutChange('item-on-loan', () => checkout(svc, copy.id, m2.id, { override: { reason: 'Please' } }, staff.supervisor));
    expect(res.overridable).toBe(false);
  });

  it('"If a book is currently not available ... a member can request for the book to be reserved"; at most 2 reservations', async () => {
    const [shelf, out1, out2, out3] = [await buildCopy(svc), await buildCopy(svc), await buildCopy(svc), await buildCopy(svc)];
    const [borrower, member] = [await buildPatron(svc), await buildPatron(svc)];
    const lender = await buildPatron(svc);
    await checkout(svc, out1.id, borrower.id);
    await checkout(svc, out2.id, borrower.id);
    await checkout(svc, out3.id, lender.id);
    await refusedWithoutChange('item-available', () => call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: shelf.id, patronId: member.id }));
    expect((await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: out1.id, patronId: member.id })).body.status).toBe('waiting');
    expect((await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: out2.id, patronId: member.id })).status).toBe(201);
    await refusedWithoutChange('hold-limit-reached', () => call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: out3.id, patronId: member.id }));
  });

  it('"There is no renewal service."', async () => {
    const copy = await buildCopy(svc);
    const member = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, member.id);
    await refusedWithoutChange('renewals-not-allowed', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/renew`, {}));
  });

  it('"When the reservation is fulfilled ... the reservation is deleted" (closed as fulfilled)', async () => {
    const copy = await buildCopy(svc);
    const [borrower, reserver] = [await buildPatron(svc), await buildPatron(svc)];
    const loan = await checkout(svc, copy.id, borrower.id);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { accessionNumber: copy.accessionNumber, patronId: reserver.membershipId });
    expect(hold.status).toBe(201);
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    // "it can be loaned only to the member who reserved it"
    await refusedWithoutChange('item-on-hold', () => checkout(svc, copy.id, borrower.id));
    const taken = await checkout(svc, copy.id, reserver.id);
    expect(taken.status).toBe(201);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${hold.body.id}`)).body).toMatchObject({ status: 'fulfilled', loanId: taken.body.id });
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${reserver.id}/holds`)).body.items).toEqual([]);
  });
});

describe('standard (seed 002)', () => {
  beforeAll(async () => {
    await setPolicy(svc, 'standard');
    svc.clock.set('2026-06-01T10:00:00Z');
  });

  it('"no customer can be charged more in late fines for a single book than what that book is actually worth"', async () => {
    const cheap = await buildCopy(svc, { loanCategory: 'overnight', replacementCostCents: 300 });
    const member = await buildPatron(svc);
    const loan = await checkout(svc, cheap.id, member.id);
    expect(loan.body.dueAt).toBe('2026-06-02T23:59:59.999Z'); // Overnight: the end of the next day
    svc.clock.advance(30 * DAY);
    const ret = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    expect(ret.body.fineCents).toBe(300); // 29 days x $1.00 capped at the copy's $3.00
    expect(await balanceOf(svc, member.id)).toBe(300);
  });

  it('"Each customer is allowed to owe up to $10.00": $10.01 blocks, $10.00 and $9.99 do not; paying 1 cent unblocks at once', async () => {
    const next = await buildCopy(svc);
    const owes = async (cents: number) => {
      // An overnight copy worth `cents`, returned very late, charges exactly its worth.
      const copy = await buildCopy(svc, { loanCategory: 'overnight', replacementCostCents: cents });
      const member = await buildPatron(svc);
      const loan = await checkout(svc, copy.id, member.id);
      svc.clock.advance(40 * DAY);
      expect((await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})).body.fineCents).toBe(cents);
      return member;
    };
    const over = await owes(1001);
    await refusedWithoutChange('fines-outstanding', () => checkout(svc, next.id, over.id));
    const at = await owes(1000);
    const under = await owes(999);
    const l1 = await checkout(svc, next.id, under.id);
    expect(l1.status).toBe(201);
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${l1.body.id}/return`, {});
    const l2 = await checkout(svc, next.id, at.id);
    expect(l2.status).toBe(201);
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${l2.body.id}/return`, {});

    // Partial payments are allowed under standard; the balance drops to 1000 and the block lifts now.
    const pay = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${over.id}/payments`, { amountCents: 1, method: 'card' });
    expect(pay.body.balanceCents).toBe(1000);
    expect((await checkout(svc, next.id, over.id)).status).toBe(201);
  });

  it('holds: one per copy; the returned copy is kept 3 days for the holder, who is notified; others are refused item-on-hold', async () => {
    svc.clock.set('2026-10-01T10:00:00Z');
    const copy = await buildCopy(svc);
    const [borrower, holder, other] = [await buildPatron(svc), await buildPatron(svc), await buildPatron(svc)];
    const loan = await checkout(svc, copy.id, borrower.id);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ status: 'waiting', readyUntil: null, patronId: holder.id });
    // "Only one hold may be placed on a single book copy."
    await refusedWithoutChange('hold-exists', () => call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: other.id }));
    // "A book renewal will fail if that book is out on hold"
    await refusedWithoutChange('item-has-hold', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/renew`, {}));

    svc.clock.set('2026-10-05T15:00:00Z');
    const ret = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    expect(ret.body).toMatchObject({ itemStatus: 'on-hold', readyHold: { id: hold.body.id, patronId: holder.id, readyUntil: '2026-10-08T23:59:59.999Z' } });
    expect(await itemStatus(svc, copy.id)).toBe('on-hold');
    const notices = await svc.deps.orm.em.fork().getConnection().execute(`select kind, payload, sent_at from notices where patron_id = ?`, [holder.id]);
    expect(notices).toEqual([expect.objectContaining({ kind: 'hold-ready', sent_at: null, payload: expect.objectContaining({ holdId: hold.body.id, itemId: copy.id, readyUntil: '2026-10-08T23:59:59.999Z' }) })]);

    // "during which no one else can sign it out"
    await refusedWithoutChange('item-on-hold', () => checkout(svc, copy.id, other.id));
    await refusedWithoutChange('item-on-hold', () => checkout(svc, copy.id, borrower.id, { override: { reason: 'asked nicely' } }, staff.supervisor));
    svc.clock.set('2026-10-08T20:00:00Z');
    const taken = await checkout(svc, copy.id, holder.id);
    expect(taken.status).toBe(201);
    expect(await itemStatus(svc, copy.id)).toBe('on-loan');
  });

  it('a hold on a copy on the shelf is ready at once (policy switch holdsOnlyWhenUnavailable = false)', async () => {
    const copy = await buildCopy(svc);
    const [holder, other] = [await buildPatron(svc), await buildPatron(svc)];
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { callNumber: copy.callNumber, patronId: holder.id });
    expect(hold.body.status).toBe('ready');
    expect(await itemStatus(svc, copy.id)).toBe('on-hold');
    await refusedWithoutChange('item-on-hold', () => checkout(svc, copy.id, other.id));
  });

  it('"Before the 3 day time limit expires a customer may ... cancel the hold without being charged"; the copy goes back on the shelf', async () => {
    const copy = await buildCopy(svc);
    const holder = await buildPatron(svc);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    svc.clock.advance(2 * DAY);
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    expect(await balanceOf(svc, holder.id)).toBe(0);
    expect(await itemStatus(svc, copy.id)).toBe('available');
    await refusedWithoutChange('hold-not-active', () => call(svc, staff.librarian, 'DELETE', `/api/v1/holds/${hold.body.id}`));
  });

  it('cancelling a waiting hold leaves the copy with its borrower', async () => {
    const copy = await buildCopy(svc);
    const [borrower, holder] = [await buildPatron(svc), await buildPatron(svc)];
    await checkout(svc, copy.id, borrower.id);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    expect(await itemStatus(svc, copy.id)).toBe('on-loan');
  });

  it('"If he fails to pick it up in this time, he is charged for 3 overdue days"; the job puts the copy back on the shelf', async () => {
    svc.clock.set('2026-10-12T09:00:00Z');
    await holdExpirer(svc.deps); // holds left ready by earlier tests
    const copy = await buildCopy(svc); // two-week: 25 cents a day
    const holder = await buildPatron(svc);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect(hold.body.readyUntil).toBe('2026-10-15T23:59:59.999Z');
    svc.clock.set('2026-10-15T23:00:00Z');
    expect((await holdExpirer(svc.deps)).expired).toBe(0);
    svc.clock.set('2026-10-16T00:30:00Z');
    const run = await holdExpirer(svc.deps);
    expect(run.expired).toBe(1);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${hold.body.id}`)).body.status).toBe('expired');
    expect(await itemStatus(svc, copy.id)).toBe('available');
    const ledger = await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${holder.id}/ledger`);
    expect(ledger.body.items).toEqual([expect.objectContaining({ kind: 'no-show', amountCents: 75, holdId: hold.body.id })]);
    // Idempotent: a second run finds nothing to do.
    expect((await holdExpirer(svc.deps)).expired).toBe(0);
    expect(await balanceOf(svc, holder.id)).toBe(75);
  });

  it('an expired ready hold does not keep the copy from the next borrower even before the job runs', async () => {
    const copy = await buildCopy(svc);
    const [holder, other] = [await buildPatron(svc), await buildPatron(svc)];
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    svc.clock.advance(5 * DAY);
    expect((await checkout(svc, copy.id, other.id)).status).toBe(201);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/holds/${hold.body.id}`)).body.status).toBe('expired');
    expect(await balanceOf(svc, holder.id)).toBe(75);
  });

  it('renewal = return + borrow: a new loan from now; at most 2 renewals; an overdue renewal charges the return half\'s fine', async () => {
    svc.clock.set('2026-11-02T10:00:00Z');
    const copy = await buildCopy(svc);
    const member = await buildPatron(svc);
    const first = await checkout(svc, copy.id, member.id);
    svc.clock.set('2026-11-10T10:00:00Z');
    const r1 = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${first.body.id}/renew`, {});
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ dueAt: '2026-11-24T23:59:59.999Z', renewalCount: 1, renewedFromId: first.body.id, fineCents: 0 });
    expect(r1.body.id).not.toBe(first.body.id);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/loans/${first.body.id}`)).body.returnedAt).toBe('2026-11-10T10:00:00.000Z');
    await refusedWithoutChange('loan-already-returned', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${first.body.id}/renew`, {}));

    svc.clock.set('2026-11-26T10:00:00Z'); // 2 days late: the return half charges 2 x 25
    const r2 = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${r1.body.id}/renew`, {});
    expect(r2.body).toMatchObject({ renewalCount: 2, fineCents: 50, dueAt: '2026-12-10T23:59:59.999Z' });
    expect(await balanceOf(svc, member.id)).toBe(50);

    const refused = await refusedWithoutChange('renewal-limit-reached', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${r2.body.id}/renew`, {}));
    expect(refused.overridable).toBe(true);
    const r3 = await call(svc, staff.supervisor, 'POST', `/api/v1/loans/${r2.body.id}/renew`, { override: { reason: 'Long-term research loan' } });
    expect(r3.status).toBe(200);
    expect(r3.body).toMatchObject({ renewalCount: 3, overridden: ['renewal-limit-reached'] });
    const open = await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${member.id}/loans`);
    expect(open.body.items.map((l: { id: string }) => l.id)).toEqual([r3.body.id]);
    const all = await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${member.id}/loans?status=all`);
    expect(all.body.items).toHaveLength(4);
  });

  it('"A book renewal will fail if ... the customer has too many outstanding fines"', async () => {
    const [costly, kept] = [await buildCopy(svc, { loanCategory: 'overnight', replacementCostCents: 1500 }), await buildCopy(svc)];
    const member = await buildPatron(svc);
    const l1 = await checkout(svc, costly.id, member.id);
    const l2 = await checkout(svc, kept.id, member.id);
    svc.clock.advance(13 * DAY);
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/loans/${l1.body.id}/return`, {})).body.fineCents).toBe(1200);
    await refusedWithoutChange('fines-outstanding', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${l2.body.id}/renew`, {}));
  });

  it('book-drop returns are back-dated by staff, never into the future or before the loan', async () => {
    svc.clock.set('2027-01-04T10:00:00Z');
    const copy = await buildCopy(svc);
    const member = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, member.id);
    svc.clock.set('2027-01-21T08:00:00Z'); // due 2027-01-18: emptied from the drop three days on
    await refusedWithoutChange('validation-failed', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, { returnedAt: '2027-01-22T08:00:00Z' }), 422);
    await refusedWithoutChange('validation-failed', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, { returnedAt: '2027-01-01T08:00:00Z' }), 422);
    const ret = await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, { returnedAt: '2027-01-18T21:00:00Z' });
    expect(ret.body).toMatchObject({ fineCents: 0, returnedAt: '2027-01-18T21:00:00.000Z' });
    await refusedWithoutChange('loan-already-returned', () => call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {}));
  });

  it('staff may set loanedAt and dueAt; loans on Reserved copies follow their category (2 hours)', async () => {
    svc.clock.set('2027-02-01T10:00:00Z');
    const [a, reserve] = [await buildCopy(svc), await buildCopy(svc, { loanCategory: 'reserved' })];
    const member = await buildPatron(svc);
    const manual = await checkout(svc, a.id, member.id, { loanedAt: '2027-02-01T09:00:00Z', dueAt: '2027-02-05T17:00:00Z' });
    expect(manual.body).toMatchObject({ loanedAt: '2027-02-01T09:00:00.000Z', dueAt: '2027-02-05T17:00:00.000Z' });
    await refusedWithoutChange('validation-failed', () => checkout(svc, reserve.id, member.id, { loanedAt: '2027-02-02T09:00:00Z' }), 422);
    const short = await checkout(svc, reserve.id, member.id);
    expect(short.body.dueAt).toBe('2027-02-01T12:00:00.000Z');
  });

  it('refuses restricted patrons, copies out of circulation and unknown ids with their codes', async () => {
    const [copy, withdrawn] = [await buildCopy(svc), await buildCopy(svc, { status: 'out-of-circulation' })];
    const member = await buildPatron(svc);
    await refusedWithoutChange('item-out-of-circulation', () => checkout(svc, withdrawn.id, member.id));
    await refusedWithoutChange('item-out-of-circulation', () => call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: withdrawn.id, patronId: member.id }));
    expect((await call(svc, staff.librarian, 'PATCH', `/api/v1/patrons/${member.id}`, { restricted: true })).status).toBe(200);
    await refusedWithoutChange('patron-restricted', () => checkout(svc, copy.id, member.id));
    await refusedWithoutChange('not-found', () => checkout(svc, '00000000-0000-4000-8000-000000000000', member.id), 404);
    await refusedWithoutChange('not-found', () => checkout(svc, copy.id, '00000000-0000-4000-8000-000000000000'), 404);
    await refusedWithoutChange('not-found', () => call(svc, staff.librarian, 'POST', '/api/v1/loans', { callNumber: '9999999999', patronId: member.id }), 404);
    await refusedWithoutChange('validation-failed', () => call(svc, staff.librarian, 'POST', '/api/v1/loans', { itemId: copy.id, callNumber: copy.callNumber, patronId: member.id }), 422);
    await refusedWithoutChange('not-found', () => call(svc, staff.librarian, 'POST', '/api/v1/loans/00000000-0000-4000-8000-000000000000/return', {}), 404);
  });

  it('a copy with a hold, waiting or ready, cannot be withdrawn until the hold is gone', async () => {
    const copy = await buildCopy(svc);
    const [borrower, holder] = [await buildPatron(svc), await buildPatron(svc)];
    const loan = await checkout(svc, copy.id, borrower.id);
    const hold = await call(svc, staff.librarian, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/items/${copy.id}`)).status).toBe(409);
    await call(svc, staff.librarian, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    const ready = await call(svc, staff.librarian, 'DELETE', `/api/v1/items/${copy.id}`);
    expect(ready.status).toBe(409);
    expect(ready.body.code).toBe('item-on-hold');
    await call(svc, staff.librarian, 'DELETE', `/api/v1/holds/${hold.body.id}`);
    expect((await call(svc, staff.librarian, 'DELETE', `/api/v1/items/${copy.id}`)).status).toBe(204);
    // History outlives the copy: the loan still lists, without the copy's numbers.
    const loans = await call(svc, staff.librarian, 'GET', `/api/v1/patrons/${borrower.id}/loans?status=all`);
    expect(loans.body.items).toEqual([expect.objectContaining({ id: loan.body.id, itemId: copy.id, callNumber: null })]);
  });
});
