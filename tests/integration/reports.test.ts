// Issue 6 "Must show: tests for every report against a fixture library with known answers". The
// library is built through the HTTP API (records, copies, patrons, loans, a late return, a hold, a
// withdrawal) at fixed times; every report of API.md is then read as JSON and CSV and compared with
// what the seeds say it must list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { call, staffTokens, type Staff } from './circulation-helpers.ts';

let svc: TestService;
let staff: Staff;
const copies: Record<string, string> = {};
const members: Record<string, { id: string; membershipId: string }> = {};

async function record(title: string, authors: string[], isbn: string | null, subjects: string[], year: number, publisher: string) {
  const r = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title, authors, isbn, subjects, year, publisher, mediaType: 'Book' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function copy(recordId: string, callNumber: string, accessionNumber: string) {
  const c = await call(svc, svc.adminToken, 'POST', `/api/v1/records/${recordId}/items`, {
    callNumber, accessionNumber, loanCategory: 'two-week', location: 'Central Branch', floor: 2, mediaType: 'Book', replacementCostCents: 2500,
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  copies[callNumber] = c.body.id;
}
async function member(name: string, phone: string, email: string) {
  const p = await call(svc, svc.adminToken, 'POST', '/api/v1/patrons', { name, faculty: 'Computing', phone, email, address: '1 Library Way, Toronto' });
  expect(p.status).toBe(201);
  members[name] = { id: p.body.id, membershipId: p.body.membershipId };
}
const lend = async (callNumber: string, who: string, extra: Record<string, unknown> = {}) => {
  const res = await call(svc, svc.adminToken, 'POST', '/api/v1/loans', { callNumber, patronId: members[who]!.id, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const report = (name: string, token = staff.librarian) => call(svc, token, 'GET', `/api/v1/reports/${name}`);
const csv = async (path: string, token = staff.librarian) => {
  const res = await svc.api('GET', path, { token });
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  return res.text();
};

beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
  svc.clock.set('2026-03-02T10:00:00Z');
  const batman = await record('Batman: Year One', ['Miller, Frank', 'Mazzucchelli, David'], '9780930289331', ['Comics'], 1987, 'DC Comics');
  const clrs = await record('Introduction to Algorithms', ['Cormen, Thomas'], '9780262033848', ['Algorithms', 'Computer science'], 2009, 'MIT Press');
  const kr = await record('The C Programming Language', ['Kernighan, Brian', 'Ritchie, Dennis'], '9780131103627', ['Computer science', 'Programming'], 1988, 'Prentice Hall');
  const moby = await record('Moby Dick', ['Melville, Herman'], null, ['Fiction'], 1851, 'Harper');
  await copy(batman, '0000000101', 'B101');
  await copy(clrs, '0000000201', 'B201');
  await copy(clrs, '0000000202', 'B202');
  await copy(kr, '0000000301', 'B301');
  await copy(moby, '0000000401', 'B401');
  await copy(moby, '0000000402', 'B402');
  await member('Lim, Joan', '81093487', 'joan@example.edu');
  await member('Tan, Jia Yu', '91234567', 'tan@example.edu');
  await member('Li, Simon', '92054981', 'simon@example.edu');
  await member('Zed, Zoe', '90000000', 'zoe@example.edu');

  await lend('0000000201', 'Lim, Joan');
  await lend('0000000101', 'Lim, Joan', { dueAt: '2026-03-05T12:00:00Z' });
  await lend('0000000301', 'Tan, Jia Yu');
  const mobyLoan = await lend('0000000401', 'Li, Simon');
  expect((await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { callNumber: '0000000201', patronId: members['Li, Simon']!.id })).status).toBe(201);
  expect((await call(svc, svc.adminToken, 'DELETE', `/api/v1/items/${copies['0000000402']}`, { reason: 'Water damaged' })).status).toBe(204);
  // Due 2026-03-16 (end of day), back on the 18th: two days at 25 cents.
  svc.clock.set('2026-03-18T12:00:00Z');
  expect((await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${mobyLoan}/return`, {})).body.fineCents).toBe(50);
});
afterAll(async () => { await svc?.close(); });

describe('book reports (seed 002 "Generate a report", seed 003 listings)', () => {
  it('books: every copy with its record, sorted by title, with the derived Overdue status', async () => {
    const r = await report('books');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'books', total: 5, page: 1, pageSize: 50, sort: 'title' });
    expect(r.body.items.map((i: any) => [i.callNumber, i.title, i.status])).toEqual([
      ['0000000101', 'Batman: Year One', 'overdue'],
      ['0000000201', 'Introduction to Algorithms', 'overdue'],
      ['0000000202', 'Introduction to Algorithms', 'available'],
      ['0000000401', 'Moby Dick', 'available'],
      ['0000000301', 'The C Programming Language', 'overdue'],
    ]);
    expect(r.body.items[0]).toMatchObject({
      accessionNumber: 'B101', authors: ['Miller, Frank', 'Mazzucchelli, David'], isbn: '9780930289331', publisher: 'DC Comics', year: 1987,
      subjects: ['Comics'], loanCategory: 'two-week', location: 'Central Branch', floor: '2', mediaType: 'Book', replacementCostCents: 2500,
    });
  });

  it('books: sorted the other way and paged', async () => {
    const r = await call(svc, staff.librarian, 'GET', '/api/v1/reports/books?sort=-callNumber&page=2&pageSize=2');
    expect(r.body).toMatchObject({ total: 5, page: 2, pageSize: 2, sort: '-callNumber' });
    expect(r.body.items.map((i: any) => i.callNumber)).toEqual(['0000000201', '0000000202'].reverse());
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/reports/books?sort=colour')).status).toBe(422);
  });

  it('books: a descending sort on a key with a NULLS clause (year) is valid SQL, newest first', async () => {
    const r = await call(svc, staff.librarian, 'GET', '/api/v1/reports/books?sort=-year');
    expect(r.status).toBe(200);
    const years = r.body.items.map((i: any) => i.year).filter((y: unknown) => y !== null);
    expect(years).toEqual([...years].sort((a: number, b: number) => b - a));
  });

  it('overdue: open loans past due, oldest first, with the borrower and the fine so far', async () => {
    const r = await report('overdue');
    expect(r.body.total).toBe(3);
    expect(r.body.items.map((i: any) => [i.callNumber, i.membershipId, i.name, i.daysOverdue, i.fineToDateCents, i.dueAt])).toEqual([
      ['0000000101', members['Lim, Joan']!.membershipId, 'Lim, Joan', 13, 325, '2026-03-05T12:00:00.000Z'],
      ['0000000201', members['Lim, Joan']!.membershipId, 'Lim, Joan', 2, 50, '2026-03-16T23:59:59.999Z'],
      ['0000000301', members['Tan, Jia Yu']!.membershipId, 'Tan, Jia Yu', 2, 50, '2026-03-16T23:59:59.999Z'],
    ]);
  });

  it('by-subject: every subject with its books and copies; one subject with subject=', async () => {
    const r = await report('by-subject');
    expect(r.body.items.map((i: any) => [i.subject, i.title, i.copies, i.availableCopies])).toEqual([
      ['Algorithms', 'Introduction to Algorithms', 2, 1],
      ['Comics', 'Batman: Year One', 1, 0],
      ['Computer science', 'Introduction to Algorithms', 2, 1],
      ['Computer science', 'The C Programming Language', 1, 0],
      ['Fiction', 'Moby Dick', 1, 1],
      ['Programming', 'The C Programming Language', 1, 0],
    ]);
    const one = await call(svc, staff.librarian, 'GET', '/api/v1/reports/by-subject?subject=computer%20science');
    expect(one.body.items.map((i: any) => i.title)).toEqual(['Introduction to Algorithms', 'The C Programming Language']);
  });

  it('in-circulation: the books on loan with seed 003\'s fields', async () => {
    const r = await report('in-circulation');
    expect(r.body.items.map((i: any) => [i.accessionNumber, i.title, i.isbn, i.publisher, i.year, i.membershipId, i.overdue])).toEqual([
      ['B101', 'Batman: Year One', '9780930289331', 'DC Comics', 1987, members['Lim, Joan']!.membershipId, true],
      ['B201', 'Introduction to Algorithms', '9780262033848', 'MIT Press', 2009, members['Lim, Joan']!.membershipId, true],
      ['B301', 'The C Programming Language', '9780131103627', 'Prentice Hall', 1988, members['Tan, Jia Yu']!.membershipId, true],
    ]);
    expect(r.body.items[2].authors).toEqual(['Kernighan, Brian', 'Ritchie, Dennis']);
  });

  it('on-reservation: accession number, title, membership id and name', async () => {
    const r = await report('on-reservation');
    expect(r.body.items).toEqual([expect.objectContaining({
      accessionNumber: 'B201', title: 'Introduction to Algorithms', membershipId: members['Li, Simon']!.membershipId, name: 'Li, Simon', status: 'waiting',
    })]);
  });

  it('member-loans: the books on loan to one member, by membership id', async () => {
    const r = await call(svc, staff.librarian, 'GET', `/api/v1/reports/member-loans?membershipId=${members['Lim, Joan']!.membershipId}&sort=title`);
    expect(r.body.member).toEqual({ membershipId: members['Lim, Joan']!.membershipId, name: 'Lim, Joan' });
    expect(r.body.items.map((i: any) => [i.accessionNumber, i.title, i.authors, i.isbn, i.publisher, i.year])).toEqual([
      ['B101', 'Batman: Year One', ['Miller, Frank', 'Mazzucchelli, David'], '9780930289331', 'DC Comics', 1987],
      ['B201', 'Introduction to Algorithms', ['Cormen, Thomas'], '9780262033848', 'MIT Press', 2009],
    ]);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/reports/member-loans?membershipId=M999999X')).status).toBe(404);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/reports/member-loans')).status).toBe(422);
    const none = await call(svc, staff.librarian, 'GET', `/api/v1/reports/member-loans?membershipId=${members['Zed, Zoe']!.membershipId}`);
    expect(none.body).toMatchObject({ total: 0, items: [] });
  });

  it('deleted-books: the withdrawal log with the title and the reason', async () => {
    const r = await report('deleted-books');
    expect(r.body.items).toEqual([expect.objectContaining({
      entityType: 'item', callNumber: '0000000402', accessionNumber: 'B402', title: 'Moby Dick', reason: 'Water damaged', deletedBy: 'admin',
    })]);
  });
});

describe('patron reports (seed 002 customer reports, seed 003 members with fines)', () => {
  it('patrons: everyone by name, with fines; Max Books and Max Fine for supervisors only', async () => {
    const lib = await report('patrons');
    expect(lib.body.items.map((p: any) => [p.name, p.finesCents, p.openLoans])).toEqual([
      ['Li, Simon', 50, 0], ['Lim, Joan', 0, 2], ['Tan, Jia Yu', 0, 1], ['Zed, Zoe', 0, 0],
    ]);
    expect(lib.body.items[0]).toMatchObject({ phone: '92054981', email: 'simon@example.edu', address: '1 Library Way, Toronto', faculty: 'Computing', category: 'regular' });
    expect(lib.body.columns.map((c: any) => c.key)).not.toContain('maxBooks');
    expect(lib.body.items[0]).not.toHaveProperty('maxBooks');
    const sup = await report('patrons', staff.supervisor);
    expect(sup.body.columns.map((c: any) => c.key)).toEqual(expect.arrayContaining(['maxBooks', 'maxFineCents']));
    expect(sup.body.items[0]).toMatchObject({ maxBooks: 5, maxFineCents: 1000 });
  });

  it('patrons-with-loans, patrons-with-overdue and patrons-with-fines', async () => {
    expect((await report('patrons-with-loans')).body.items.map((p: any) => [p.name, p.openLoans])).toEqual([['Lim, Joan', 2], ['Tan, Jia Yu', 1]]);
    expect((await report('patrons-with-overdue')).body.items.map((p: any) => [p.name, p.overdueLoans])).toEqual([['Lim, Joan', 2], ['Tan, Jia Yu', 1]]);
    const fines = await report('patrons-with-fines');
    expect(fines.body.items).toEqual([expect.objectContaining({
      membershipId: members['Li, Simon']!.membershipId, name: 'Li, Simon', faculty: 'Computing', phone: '92054981', email: 'simon@example.edu', finesCents: 50,
    })]);
  });

  it('CSV: RFC 4180 with quoted names; the supervisor-only columns are not even in the header for others', async () => {
    const lib = await csv('/api/v1/reports/patrons-with-fines?format=csv');
    expect(lib).toBe(
      'Membership id,Name,Faculty,Phone,Email,Address,Category,Fines (cents)\r\n'
      + `${members['Li, Simon']!.membershipId},"Li, Simon",Computing,92054981,simon@example.edu,"1 Library Way, Toronto",regular,50\r\n`);
    const bytes = Buffer.from(await (await svc.api('GET', '/api/v1/reports/patrons-with-fines?format=csv&bom=true', { token: staff.supervisor })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sup = bytes.subarray(3).toString('utf8');
    expect(sup.startsWith('Membership id,Name,Faculty,Phone,Email,Address,Category,Fines (cents),Max books,Max fine (cents)\r\n')).toBe(true);
    expect(sup.trimEnd().endsWith(',50,5,1000')).toBe(true);
  });

  it('a CSV without paging holds every row; with paging, that page', async () => {
    const all = await csv('/api/v1/reports/books?format=csv');
    expect(all.split('\r\n').filter(Boolean)).toHaveLength(6);
    expect(all.split('\r\n')[1]).toBe('0000000101,B101,Batman: Year One,"Miller, Frank; Mazzucchelli, David",9780930289331,DC Comics,1987,,,Comics,two-week,Central Branch,2,Book,2500,overdue');
    const page = await csv('/api/v1/reports/books?format=csv&pageSize=2');
    expect(page.split('\r\n').filter(Boolean)).toHaveLength(3);
  });
});

describe('who may read reports', () => {
  it('staff only; unknown names are 404; the list names every report', async () => {
    expect((await call(svc, null, 'GET', '/api/v1/reports/books')).status).toBe(401);
    expect((await call(svc, staff.patronUser, 'GET', '/api/v1/reports/books')).status).toBe(403);
    expect((await call(svc, staff.librarian, 'GET', '/api/v1/reports/nope')).status).toBe(404);
    const list = await call(svc, staff.librarian, 'GET', '/api/v1/reports');
    expect(list.body.items.map((r: any) => r.name)).toEqual([
      'books', 'overdue', 'by-subject', 'in-circulation', 'on-reservation', 'patrons', 'patrons-with-loans', 'patrons-with-overdue',
      'patrons-with-fines', 'deleted-books', 'member-loans',
    ]);
  });
});
