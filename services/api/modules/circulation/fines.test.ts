import { describe, expect, it } from 'vitest';
import { dueDateFor } from './due-date.ts';
import { daysLate, noShowChargeCents, overdueFineCents } from './fines.ts';
import { PRESETS } from './policy.ts';

const { standard, als } = PRESETS;
const d = (iso: string) => new Date(iso);
const DUE = d('2024-05-15T23:59:59.999Z'); // end of the due date, as dueDateFor produces for day loans

// Seed 003: "A member has a fine when a book is returned later than the due date. A penalty of $1 per
// book per day is imposed as a fine to the member."
describe('als: "A penalty of $1 per book per day"', () => {
  it.each([
    ['returned on the due date, late in the day', '2024-05-15T23:00:00Z', 0, 0],
    ['returned early', '2024-05-10T12:00:00Z', 0, 0],
    ['returned the day after, just after midnight', '2024-05-16T00:00:01Z', 1, 100],
    ['returned 5 days late', '2024-05-20T10:00:00Z', 5, 500],
    ['returned 30 days late: no cap under als (seed 003 names none)', '2024-06-14T10:00:00Z', 30, 3000],
  ])('%s', (_case, returnedAt, days, cents) => {
    expect(daysLate(als, 'standard-loan', DUE, d(returnedAt))).toBe(days);
    expect(overdueFineCents(als, 'standard-loan', DUE, d(returnedAt), 1500)).toBe(cents);
  });

  it('a copy borrowed 1 May and returned 5 days after its due date charges 500 cents', () => {
    const loanedAt = d('2024-05-01T09:00:00Z');
    const dueAt = dueDateFor(als, 'standard-loan', loanedAt);
    const returnedAt = new Date(loanedAt.getTime() + 19 * 86_400_000);
    expect(overdueFineCents(als, 'standard-loan', dueAt, returnedAt, null)).toBe(500);
  });
});

// Seed 002: "the customer is charged a late fee per overdue book per day. This price depends on each
// book's category." and "no customer can be charged more in late fines for a single book than what
// that book is actually worth."
describe('standard: per-category fines, "no customer can be charged more in late fines for a single book than what that book is actually worth"', () => {
  it.each<[string, string, string, number | null, number]>([
    ['two-week, 4 days late at 25c', 'two-week', '2024-05-19T12:00:00Z', 5000, 100],
    ['overnight, 3 days late at $1', 'overnight', '2024-05-18T12:00:00Z', 5000, 300],
    ['overnight, 400 days late, capped at the $25.00 cost', 'overnight', '2025-06-19T12:00:00Z', 2500, 2500],
    ['two-week, cap equals the fine exactly', 'two-week', '2024-05-19T12:00:00Z', 100, 100],
    ['cheap copy: fine capped at 80c', 'two-week', '2024-05-25T12:00:00Z', 80, 80],
    ['unknown replacement cost: no cap to apply', 'overnight', '2024-05-25T12:00:00Z', null, 1000],
    ['a free copy (cost 0) is never fined', 'overnight', '2024-05-25T12:00:00Z', 0, 0],
  ])('%s', (_case, category, returnedAt, cost, cents) => {
    expect(overdueFineCents(standard, category, DUE, d(returnedAt), cost)).toBe(cents);
  });

  it('never exceeds the replacement cost, for any lateness', () => {
    for (let days = 0; days <= 1000; days += 7) {
      const returnedAt = new Date(DUE.getTime() + days * 86_400_000);
      for (const category of ['overnight', 'two-week', 'reserved']) {
        expect(overdueFineCents(standard, category, DUE, returnedAt, 1999)).toBeLessThanOrEqual(1999);
      }
    }
  });

  it('hour-based reserve loans: any started day late counts as a day', () => {
    const due = d('2024-05-01T19:15:00Z');
    expect(daysLate(standard, 'reserved', due, d('2024-05-01T19:15:00Z'))).toBe(0);
    expect(daysLate(standard, 'reserved', due, d('2024-05-01T19:16:00Z'))).toBe(1);
    expect(daysLate(standard, 'reserved', due, d('2024-05-02T19:15:00Z'))).toBe(1);
    expect(daysLate(standard, 'reserved', due, d('2024-05-02T19:15:01Z'))).toBe(2);
    expect(overdueFineCents(standard, 'reserved', due, d('2024-05-01T20:00:00Z'), 5000)).toBe(200);
  });

  it('day loans count local calendar days in the policy zone', () => {
    const toronto = { ...standard, timeZone: 'America/Toronto' };
    const due = dueDateFor(toronto, 'two-week', d('2024-03-01T15:00:00Z')); // due end of 15 March, Toronto
    expect(due.toISOString()).toBe('2024-03-16T03:59:59.999Z');
    expect(daysLate(toronto, 'two-week', due, d('2024-03-16T03:59:00Z'))).toBe(0); // 23:59 on 15 March local
    expect(daysLate(toronto, 'two-week', due, d('2024-03-16T04:00:00Z'))).toBe(1); // 00:00 on 16 March local
  });
});

// Seed 002: "If he fails to pick it up in this time, he is charged for 3 overdue days with that book."
describe('noShowChargeCents: "he is charged for 3 overdue days with that book"', () => {
  it.each<[string, typeof standard, string, number | null, number]>([
    ['standard two-week: 3 x 25c', standard, 'two-week', 5000, 75],
    ['standard overnight: 3 x $1', standard, 'overnight', 5000, 300],
    ['standard, capped at the cost', standard, 'overnight', 250, 250],
    ['als charges nothing (seed 003 names no such charge)', als, 'standard-loan', 5000, 0],
  ])('%s', (_case, policy, category, cost, cents) => {
    expect(noShowChargeCents(policy, category, cost)).toBe(cents);
  });
});
