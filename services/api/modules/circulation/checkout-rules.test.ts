import { describe, expect, it } from 'vitest';
import { checkoutDecision } from './checkout-rules.ts';
import type { CheckoutState } from './checkout-rules.ts';
import { OVERRIDABLE_CODES } from './decision.ts';
import { PRESETS } from './policy.ts';

const { standard, als } = PRESETS;
const NOW = new Date('2024-05-01T10:00:00Z');

function state(change: { patron?: Partial<CheckoutState['patron']>; item?: Partial<CheckoutState['item']>; patronId?: string } = {}): CheckoutState {
  return {
    patronId: change.patronId ?? 'A',
    patron: { category: 'regular', restricted: false, openLoanCount: 0, balanceCents: 0, ...change.patron },
    item: { status: 'available', loanCategory: 'two-week', readyHoldPatronId: null, ...change.item },
  };
}

describe('checkoutDecision refusals', () => {
  it.each<[string, typeof standard, CheckoutState, string]>([
    ['002 "Customers cannot borrow books that are signed out."', standard, state({ item: { status: 'on-loan' } }), 'item-on-loan'],
    ['003 "A book can be borrowed if it is not ... already on loan to another member."', als, state({ item: { status: 'on-loan' } }), 'item-on-loan'],
    ['002 "Customers are not allowed to borrow books that are on hold by others"', standard, state({ item: { status: 'on-hold', readyHoldPatronId: 'B' } }), 'item-on-hold'],
    ['003 "it can be loaned only to the member who reserved it"', als, state({ item: { status: 'on-hold', readyHoldPatronId: 'B' } }), 'item-on-hold'],
    ['002 "... or books out of circulation."', standard, state({ item: { status: 'out-of-circulation' } }), 'item-out-of-circulation'],
    ['002 "Each customer has a maximum limit of books that can be borrowed and this limit cannot be exceeded."', standard, state({ patron: { openLoanCount: 5 } }), 'loan-limit-reached'],
    ['002: per-patron "Max Books"', standard, state({ patron: { openLoanCount: 1, maxLoans: 1 } }), 'loan-limit-reached'],
    ['003 "A member can borrow ... a maximum of 2 books at any time."', als, state({ patron: { openLoanCount: 2 } }), 'loan-limit-reached'],
    ['002 "If a customer owes more money ... he must reduce his fine to below $10.00 before he is allowed to borrow"', standard, state({ patron: { balanceCents: 1001 } }), 'fines-outstanding'],
    ['003 "A member can borrow a book if he/she does not have an outstanding fine"', als, state({ patron: { balanceCents: 1 } }), 'fines-outstanding'],
    ['002 "Restricted - Flag on whether the customer is restricted from borrowing."', standard, state({ patron: { restricted: true } }), 'patron-restricted'],
  ])('%s', (_seed, policy, s, code) => {
    const decision = checkoutDecision(policy, s, NOW);
    expect(decision.ok).toBe(false);
    if (!decision.ok) {
      expect(decision.code).toBe(code);
      expect(decision.reason).toMatch(/\.$/);
    }
  });
});

describe('checkoutDecision allows', () => {
  it.each<[string, typeof standard, CheckoutState, string]>([
    ['002 Two Week Loan', standard, state(), '2024-05-15T23:59:59.999Z'],
    ['002 Overnight loan', standard, state({ item: { loanCategory: 'overnight' } }), '2024-05-02T23:59:59.999Z'],
    ['issue 3 "loans on Reserved copies follow their category"', standard, state({ item: { loanCategory: 'reserved' } }), '2024-05-01T12:00:00.000Z'],
    ['003 "Each book loan is valid for 2 weeks."', als, state({ item: { loanCategory: 'standard-loan' } }), '2024-05-15T23:59:59.999Z'],
    ['002 one under the limit', standard, state({ patron: { openLoanCount: 4 } }), '2024-05-15T23:59:59.999Z'],
    ['003 one under the limit', als, state({ patron: { openLoanCount: 1 } }), '2024-05-15T23:59:59.999Z'],
    ['002 "$9.99 does not" block (issue 3)', standard, state({ patron: { balanceCents: 999 } }), '2024-05-15T23:59:59.999Z'],
    ['002 "allowed to owe up to $10.00"', standard, state({ patron: { balanceCents: 1000 } }), '2024-05-15T23:59:59.999Z'],
  ])('%s', (_seed, policy, s, dueAt) => {
    const decision = checkoutDecision(policy, s, NOW);
    expect(decision).toEqual({ ok: true, dueAt: new Date(dueAt), fulfilsHold: false, overridden: [] });
  });
});

// Seed 002: "If the book is on hold then the customer that is waiting for it will be notified and has 3
// days to pick it up, during which no one else can sign it out."
describe('a ready hold: "during which no one else can sign it out"', () => {
  const held = { status: 'on-hold' as const, readyHoldPatronId: 'A' };
  it.each([standard, als])('$name: B is refused, A borrows and fulfils the hold', (policy) => {
    const forB = checkoutDecision(policy, state({ patronId: 'B', item: held }), NOW);
    expect(forB).toMatchObject({ ok: false, code: 'item-on-hold' });
    const forA = checkoutDecision(policy, state({ patronId: 'A', item: held }), NOW);
    expect(forA).toMatchObject({ ok: true, fulfilsHold: true });
  });

  it('the holder is still subject to their own limits', () => {
    expect(checkoutDecision(als, state({ item: held, patron: { balanceCents: 100 } }), NOW)).toMatchObject({ ok: false, code: 'fines-outstanding' });
  });
});

// Seed 002: "Librarians are allowed to override:" (the list is lost from the seed); issue 3: "A
// librarian or supervisor can override with a reason; the override is logged."
describe('overrides', () => {
  const blocked = state({ patron: { restricted: true, balanceCents: 5000, openLoanCount: 9 } });

  it.each(['librarian', 'supervisor'])('%s waives every patron-side block and the decision lists them', (staffCategory) => {
    expect(checkoutDecision(standard, blocked, NOW, { override: { staffCategory } })).toMatchObject({
      ok: true,
      overridden: ['patron-restricted', 'fines-outstanding', 'loan-limit-reached'],
    });
  });

  it.each([undefined, 'regular', 'unknown-category'])('staff category %s cannot override', (staffCategory) => {
    const options = staffCategory ? { override: { staffCategory } } : {};
    expect(checkoutDecision(standard, blocked, NOW, options)).toMatchObject({ ok: false, code: 'patron-restricted' });
  });

  it.each<[string, CheckoutState, string]>([
    ['a copy cannot be on loan twice', state({ item: { status: 'on-loan' } }), 'item-on-loan'],
    ['a copy kept for another patron', state({ item: { status: 'on-hold', readyHoldPatronId: 'B' } }), 'item-on-hold'],
    ['a withdrawn copy', state({ item: { status: 'out-of-circulation' } }), 'item-out-of-circulation'],
    ['a copy on order that has not arrived (issue 6)', state({ item: { status: 'on-order' } }), 'item-out-of-circulation'],
  ])('never overrides: %s', (_case, s, code) => {
    expect(checkoutDecision(standard, s, NOW, { override: { staffCategory: 'supervisor' } })).toMatchObject({ ok: false, code });
    expect(OVERRIDABLE_CODES.has(code as never)).toBe(false);
  });

  it('an override with nothing to waive changes nothing', () => {
    expect(checkoutDecision(standard, state(), NOW, { override: { staffCategory: 'librarian' } })).toMatchObject({ ok: true, overridden: [] });
  });
});
