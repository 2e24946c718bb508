// Issue 6: bookstore links on the record page and purchase suggestions (readers suggest, librarians
// accept or decline; an accepted title becomes a record with an on-order copy that cannot be lent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { buildPatron, call, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;

beforeAll(async () => {
  svc = await startTestService({}, { env: { BOOKSTORE_LINKS: 'Bookshop=https://bookshop.org/book/{isbn13};Library Thing=https://www.librarything.com/isbn/{isbn10}' } });
  staff = await staffTokens(svc);
});
afterAll(async () => { await svc?.close(); });

describe('buy links on the record page', () => {
  it('are built from the ISBN by the configured templates; none without an ISBN', async () => {
    const withIsbn = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: 'SICP', authors: ['Abelson, Harold'], isbn: '0-262-51087-1' });
    const page = await call(svc, null, 'GET', `/api/v1/records/${withIsbn.body.id}`);
    expect(page.body.buyLinks).toEqual([
      { name: 'Bookshop', url: 'https://bookshop.org/book/9780262510875' },
      { name: 'Library Thing', url: 'https://www.librarything.com/isbn/0262510871' },
    ]);
    const without = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: 'A letter', authors: ['Anonymous'] });
    expect((await call(svc, null, 'GET', `/api/v1/records/${without.body.id}`)).body.buyLinks).toEqual([]);
  });
});

describe('purchase suggestions', () => {
  it('a reader suggests; a librarian accepts; the title becomes a record with an on-order copy that cannot be lent or held', async () => {
    const made = await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', {
      title: 'The Art of Computer Programming', authors: ['Knuth, Donald'], isbn: '978-0-201-89683-1', publisher: 'Addison-Wesley', year: 1997, note: 'For CS 240',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'pending', isbn: '9780201896831', mine: true });
    expect(made.body).not.toHaveProperty('suggestedBy');

    const queue = await call(svc, staff.librarian, 'GET', '/api/v1/suggestions?status=pending');
    expect(queue.body.items.map((s: any) => s.title)).toContain('The Art of Computer Programming');
    expect(queue.body.items[0].suggestedBy).toBeTruthy();

    const accepted = await call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${made.body.id}/accept`, {
      loanCategory: 'two-week', location: 'Central Branch', replacementCostCents: 19_999, subjects: ['Algorithms'], note: 'Ordered from the usual supplier',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.suggestion).toMatchObject({ status: 'accepted', recordId: accepted.body.record.id, itemId: accepted.body.item.id, decisionNote: 'Ordered from the usual supplier' });
    expect(accepted.body.record).toMatchObject({ title: 'The Art of Computer Programming', isbn: '9780201896831', authors: ['Knuth, Donald'], subjects: ['Algorithms'] });
    expect(accepted.body.item).toMatchObject({ status: 'on-order', loanCategory: 'two-week', replacementCostCents: 19_999 });
    expect(accepted.body.item.callNumber).toMatch(/^\d{10}$/);
    expect(accepted.body.existingRecord).toBe(false);

    const patron = await buildPatron(svc);
    const loan = await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: accepted.body.item.id, patronId: patron.id });
    expect(loan.status).toBe(409);
    expect(loan.body).toMatchObject({ code: 'item-out-of-circulation', detail: 'This copy is on order and has not arrived yet.' });
    expect((await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: accepted.body.item.id, patronId: patron.id })).body.code).toBe('item-out-of-circulation');
    // When it arrives, staff put it on the shelf and it lends like any copy.
    expect((await call(svc, staff.librarian, 'PATCH', `/api/v1/items/${accepted.body.item.id}`, { status: 'available' })).body.status).toBe('available');
    expect((await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { itemId: accepted.body.item.id, patronId: patron.id })).status).toBe(201);

    // The reader sees the decision on their own suggestion.
    const mine = await call(svc, staff.patronUser, 'GET', `/api/v1/suggestions/${made.body.id}`);
    expect(mine.body).toMatchObject({ status: 'accepted', recordId: accepted.body.record.id });
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${made.body.id}/decline`, {})).status).toBe(409);
  });

  it('a suggestion whose ISBN the catalogue has gets an on-order copy on that record, not a duplicate', async () => {
    const rec = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: 'Refactoring', authors: ['Fowler, Martin'], isbn: '9780134757599' });
    const s = await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', { title: 'Refactoring (2nd ed.)', isbn: '9780134757599' });
    const accepted = await call(svc, staff.supervisor, 'POST', `/api/v1/suggestions/${s.body.id}/accept`, { loanCategory: 'two-week', location: 'Central Branch' });
    expect(accepted.body).toMatchObject({ existingRecord: true, record: { id: rec.body.id }, item: { status: 'on-order', recordId: rec.body.id } });
    const count = await svc.deps.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from records where isbn = '9780134757599'`);
    expect(count[0]!.n).toBe(1);
  });

  it('decline with a reason; readers only see their own; validation and roles', async () => {
    const s = await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', { title: 'A <b>bold</b> idea' });
    const declined = await call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${s.body.id}/decline`, { reason: 'Out of scope for the collection' });
    expect(declined.body).toMatchObject({ status: 'declined', decisionNote: 'Out of scope for the collection', recordId: null });
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${s.body.id}/accept`, { loanCategory: 'two-week', location: 'Central Branch' })).body.code).toBe('suggestion-decided');

    const other = await call(svc, staff.librarian, 'POST', '/api/v1/suggestions', { title: 'Staff pick' });
    expect(other.status).toBe(201);
    const readerView = await call(svc, staff.patronUser, 'GET', '/api/v1/suggestions');
    expect(readerView.body.items.every((x: any) => x.mine)).toBe(true);
    expect((await call(svc, staff.patronUser, 'GET', `/api/v1/suggestions/${other.body.id}`)).status).toBe(404);

    expect((await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', { title: 'Bad', isbn: '978-0-201-89683-2' })).body.code).toBe('invalid-isbn');
    expect((await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', { title: '' })).status).toBe(422);
    expect((await call(svc, null, 'POST', '/api/v1/suggestions', { title: 'Anonymous wish' })).status).toBe(401);
    expect((await call(svc, staff.patronUser, 'POST', `/api/v1/suggestions/${other.body.id}/accept`, { loanCategory: 'two-week', location: 'Central Branch' })).status).toBe(403);
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${other.body.id}/accept`, { loanCategory: 'no-such-category', location: 'Central Branch' })).status).toBe(422);
  });

  it('two librarians accepting at once make one record', async () => {
    const s = await call(svc, staff.patronUser, 'POST', '/api/v1/suggestions', { title: 'Concurrency in Practice', isbn: '9780321349606' });
    const body = { loanCategory: 'two-week', location: 'Central Branch' };
    const results = await Promise.all([
      call(svc, staff.librarian, 'POST', `/api/v1/suggestions/${s.body.id}/accept`, body),
      call(svc, staff.supervisor, 'POST', `/api/v1/suggestions/${s.body.id}/accept`, body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const count = await svc.deps.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from records where isbn = '9780321349606'`);
    expect(count[0]!.n).toBe(1);
  });
});
