import { describe, expect, it } from 'vitest';
import { dueDateFor, isOverdue } from './due-date.ts';
import { PRESETS, presetPolicy } from './policy.ts';

const { standard, als } = PRESETS;

// Seed 002: "Books can be borrwed for various durations, but the exact time depends upon a book's category."
// Seed 003: "The due date is therefore a date 14 days after the borrow date" and "A book on loan must be
// returned to the library on the due date." -> due at the end of the local due date.
describe('dueDateFor', () => {
  it.each([
    ['003 "Each book loan is valid for 2 weeks."', als, 'standard-loan', '2024-05-01T09:30:00Z', '2024-05-15T23:59:59.999Z'],
    ['003: every ALS copy lends for 14 days, whatever its catalogue category', als, 'overnight', '2024-05-01T09:30:00Z', '2024-05-15T23:59:59.999Z'],
    ['002 Two Week Loan', standard, 'two-week', '2024-05-01T23:59:00Z', '2024-05-15T23:59:59.999Z'],
    ['002 Overnight loan: back by the end of the next day', standard, 'overnight', '2024-05-01T17:00:00Z', '2024-05-02T23:59:59.999Z'],
    ['002 Reserved: a 2-hour reserve loan, due at the exact instant', standard, 'reserved', '2024-05-01T17:15:00Z', '2024-05-01T19:15:00.000Z'],
    ['month and year roll-over', standard, 'two-week', '2024-12-25T10:00:00Z', '2025-01-08T23:59:59.999Z'],
  ])('%s', (_seed, policy, category, loanedAt, due) => {
    expect(dueDateFor(policy, category, new Date(loanedAt)).toISOString()).toBe(due);
  });

  it('the due date is a date in the library\'s own zone', () => {
    const p = { ...presetPolicy('als'), timeZone: 'Asia/Singapore' };
    // 1 May 23:30 in Singapore is still 1 May there, though it is 15:30Z.
    expect(dueDateFor(p, 'standard-loan', new Date('2024-05-01T15:30:00Z')).toISOString()).toBe('2024-05-15T15:59:59.999Z');
    // 2 May 00:30 in Singapore is 1 May 16:30Z; due 16 May local.
    expect(dueDateFor(p, 'standard-loan', new Date('2024-05-01T16:30:00Z')).toISOString()).toBe('2024-05-16T15:59:59.999Z');
  });

  it('isOverdue: "Overdue" is derived from the due date', () => {
    const due = new Date('2024-05-15T23:59:59.999Z');
    expect(isOverdue(due, new Date('2024-05-15T23:59:59.999Z'))).toBe(false);
    expect(isOverdue(due, new Date('2024-05-16T00:00:00Z'))).toBe(true);
  });
});
