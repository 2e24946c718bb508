import { describe, expect, it } from 'vitest';
import { PRESETS } from './policy.ts';
import { renewalDecision } from './renewal-rules.ts';
import type { RenewalState } from './renewal-rules.ts';

const { standard, als } = PRESETS;
const NOW = new Date('2024-05-10T10:00:00Z');
const DUE = new Date('2024-05-15T23:59:59.999Z');

function state(change: { patron?: Partial<RenewalState['patron']>; loan?: Partial<RenewalState['loan']>; item?: Partial<RenewalState['item']> } = {}): RenewalState {
  return {
    patron: { category: 'regular', restricted: false, openLoanCount: 1, balanceCents: 0, ...change.patron },
    loan: { loanCategory: 'two-week', dueAt: DUE, renewalCount: 0, ...change.loan },
    item: { hasHold: false, replacementCostCents: 3000, ...change.item },
  };
}

// Seed 002: "Customers may renew books. A book renewal will fail if that book is out on hold or if the
// customer has too many outstanding fines. A renewal consists of a return transaction followed by a
// borrow transaction."
describe('renewalDecision', () => {
  const LATE = new Date('2024-05-19T12:00:00Z'); // 4 days late: 100 cents at 25c/day
  it.each<[string, typeof standard, RenewalState, Date, string]>([
    ['003 "There is no renewal service."', als, state({ loan: { loanCategory: 'standard-loan' } }), NOW, 'renewals-not-allowed'],
    ['002 "A book renewal will fail if that book is out on hold"', standard, state({ item: { hasHold: true } }), NOW, 'item-has-hold'],
    ['002 "... or if the customer has too many outstanding fines"', standard, state({ patron: { balanceCents: 1001 } }), NOW, 'fines-outstanding'],
    ['002 the return half\'s fine counts: $9.01 owed + $1.00 late fine = $10.01', standard, state({ patron: { balanceCents: 901 } }), LATE, 'fines-outstanding'],
    ['policy: at most maxRenewals renewals (2 under standard)', standard, state({ loan: { renewalCount: 2 } }), NOW, 'renewal-limit-reached'],
    ['002 "restricted from borrowing" applies to the borrow half', standard, state({ patron: { restricted: true } }), NOW, 'patron-restricted'],
  ])('%s', (_seed, policy, s, now, code) => {
    expect(renewalDecision(policy, s, now)).toMatchObject({ ok: false, code });
  });

  it('renews from now: "a return transaction followed by a borrow transaction"', () => {
    expect(renewalDecision(standard, state(), NOW)).toEqual({
      ok: true,
      dueAt: new Date('2024-05-24T23:59:59.999Z'),
      renewalCount: 1,
      fineCents: 0,
      overridden: [],
    });
  });

  it('an overdue renewal charges the return half\'s fine and still renews when under the limit', () => {
    // $9.00 owed + $1.00 late fine = $10.00: "allowed to owe up to $10.00".
    expect(renewalDecision(standard, state({ patron: { balanceCents: 900 } }), LATE)).toMatchObject({ ok: true, fineCents: 100, renewalCount: 1 });
  });

  it('the patron\'s own loan is given back first, so a patron at the limit can renew', () => {
    expect(renewalDecision(standard, state({ patron: { openLoanCount: 5 } }), NOW)).toMatchObject({ ok: true });
    expect(renewalDecision(standard, state({ patron: { openLoanCount: 6 } }), NOW)).toMatchObject({ ok: false, code: 'loan-limit-reached' });
  });

  it('staff override the renewal limit and fines, never a hold or a no-renewal policy', () => {
    const override = { override: { staffCategory: 'librarian' } };
    expect(renewalDecision(standard, state({ loan: { renewalCount: 2 }, patron: { balanceCents: 2000 } }), NOW, override)).toMatchObject({
      ok: true,
      overridden: ['renewal-limit-reached', 'fines-outstanding'],
    });
    expect(renewalDecision(standard, state({ item: { hasHold: true } }), NOW, override)).toMatchObject({ ok: false, code: 'item-has-hold' });
    expect(renewalDecision(als, state(), NOW, override)).toMatchObject({ ok: false, code: 'renewals-not-allowed' });
  });
});
