// Issue 3 "Must show", run through the pure rules in sequence with the ledger kept in a variable:
// the same story the integration tests drive through the HTTP API.
import { describe, expect, it } from 'vitest';
import { isBlockedByFines } from './borrowing-block.ts';
import { checkoutDecision } from './checkout-rules.ts';
import { overdueFineCents } from './fines.ts';
import { placeHoldDecision } from './hold-rules.ts';
import { paymentDecision } from './payment-rules.ts';
import { presetPolicy } from './policy.ts';
import { renewalDecision } from './renewal-rules.ts';

const DAY = 86_400_000;

describe('als (seed 003)', () => {
  const als = presetPolicy('als');

  it('"A penalty of $1 per book per day": 5 days late charges 500; then no borrowing or reserving; 400 refused, 500 accepted; borrowing works again', () => {
    const loanedAt = new Date('2024-05-01T09:00:00Z');
    const loan = checkoutDecision(als, {
      patronId: 'A101A',
      patron: { category: 'regular', restricted: false, openLoanCount: 0, balanceCents: 0 },
      item: { status: 'available', loanCategory: 'standard-loan' },
    }, loanedAt);
    if (!loan.ok) throw new Error(loan.reason);

    // "A member has a fine when a book is returned later than the due date."
    const returnedAt = new Date(loan.dueAt.getTime() + 5 * DAY);
    let balance = overdueFineCents(als, 'standard-loan', loan.dueAt, returnedAt, null);
    expect(balance).toBe(500);

    const patron = () => ({ category: 'regular', restricted: false, openLoanCount: 0, openHoldCount: 0, balanceCents: balance });
    // "A member can borrow a book if he/she does not have an outstanding fine"
    expect(checkoutDecision(als, { patronId: 'A101A', patron: patron(), item: { status: 'available', loanCategory: 'standard-loan' } }, returnedAt))
      .toMatchObject({ ok: false, code: 'fines-outstanding' });
    // "A member can only reserve a book if he/she does not have an outstanding fine."
    expect(placeHoldDecision(als, { patron: patron(), item: { status: 'on-loan', hasHold: false } }, returnedAt))
      .toMatchObject({ ok: false, code: 'fines-outstanding' });

    // "No partial payment is allowed."
    expect(paymentDecision(als, balance, 400)).toMatchObject({ ok: false, code: 'payment-amount-invalid' });
    const paid = paymentDecision(als, balance, 500);
    if (!paid.ok) throw new Error(paid.reason);
    balance = paid.newBalanceCents;
    expect(balance).toBe(0);

    expect(checkoutDecision(als, { patronId: 'A101A', patron: patron(), item: { status: 'available', loanCategory: 'standard-loan' } }, returnedAt))
      .toMatchObject({ ok: true });
    expect(placeHoldDecision(als, { patron: patron(), item: { status: 'on-loan', hasHold: false } }, returnedAt)).toMatchObject({ ok: true });
  });

  it('"The fine amount is cumulative if more than one book is returned late."', () => {
    const due = new Date('2024-05-15T23:59:59.999Z');
    const total = overdueFineCents(als, 'standard-loan', due, new Date(due.getTime() + 2 * DAY), null)
      + overdueFineCents(als, 'standard-loan', due, new Date(due.getTime() + 3 * DAY), null);
    expect(total).toBe(500);
  });

  it('"There is no renewal service."', () => {
    expect(renewalDecision(als, {
      patron: { category: 'regular', restricted: false, openLoanCount: 1, balanceCents: 0 },
      loan: { loanCategory: 'standard-loan', dueAt: new Date('2024-05-15T23:59:59.999Z'), renewalCount: 0 },
      item: { hasHold: false, replacementCostCents: null },
    }, new Date('2024-05-10T00:00:00Z'))).toMatchObject({ ok: false, code: 'renewals-not-allowed' });
  });
});

describe('standard (seed 002)', () => {
  const standard = presetPolicy('standard');

  it('"no customer can be charged more in late fines for a single book than what that book is actually worth"', () => {
    const due = new Date('2024-05-15T23:59:59.999Z');
    expect(overdueFineCents(standard, 'overnight', due, new Date(due.getTime() + 365 * DAY), 1299)).toBe(1299);
  });

  it('"Each customer is allowed to owe up to $10.00 at one time": $10.01 blocks, $9.99 does not; paying 2c unblocks at once', () => {
    expect(isBlockedByFines(standard, 1001)).toBe(true);
    expect(isBlockedByFines(standard, 999)).toBe(false);
    const paid = paymentDecision(standard, 1001, 2);
    expect(paid).toEqual({ ok: true, newBalanceCents: 999 });
    if (paid.ok) expect(isBlockedByFines(standard, paid.newBalanceCents)).toBe(false);
  });
});
