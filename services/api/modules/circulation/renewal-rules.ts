// Seed 002: "Customers may renew books. A book renewal will fail if that book is out on hold or if
// the customer has too many outstanding fines. A renewal consists of a return transaction followed
// by a borrow transaction." Seed 003: "There is no renewal service."
import { patronBorrowingBlocks } from './checkout-rules.ts';
import { refuse, resolveBlocks } from './decision.ts';
import type { CirculationCode, DecisionOptions, Refusal } from './decision.ts';
import { dueDateFor } from './due-date.ts';
import { overdueFineCents } from './fines.ts';
import type { PatronStanding } from './patron-limits.ts';
import type { CirculationPolicy } from './policy.ts';

export interface RenewalState {
  patron: PatronStanding & { openLoanCount: number };
  loan: { loanCategory: string; dueAt: Date; renewalCount: number };
  item: {
    /** Any hold on the copy, waiting or ready. */
    hasHold: boolean;
    replacementCostCents: number | null;
  };
}

export type RenewalDecision =
  | {
      ok: true;
      /** A fresh loan period from `now`: the borrow half of "return followed by borrow". */
      dueAt: Date;
      renewalCount: number;
      /** Fine charged by the return half when the loan was already overdue (0 otherwise). */
      fineCents: number;
      overridden: CirculationCode[];
    }
  | Refusal;

export function renewalDecision(
  policy: CirculationPolicy,
  state: RenewalState,
  now: Date,
  options?: DecisionOptions,
): RenewalDecision {
  const { patron, loan, item } = state;
  if (!policy.renewalsAllowed) return refuse('renewals-not-allowed', 'This library does not renew loans.');
  if (item.hasHold) return refuse('item-has-hold', 'Another patron has placed a hold on this copy, so it cannot be renewed.');

  // Judged as the return + borrow it is: the return half's fine counts towards the fine block,
  // and the patron's own loan is given back before the limit is checked.
  const fineCents = overdueFineCents(policy, loan.loanCategory, loan.dueAt, now, item.replacementCostCents);
  const blocks: Refusal[] = [];
  if (loan.renewalCount >= policy.maxRenewals) {
    blocks.push(refuse('renewal-limit-reached', `This loan has already been renewed ${loan.renewalCount} of ${policy.maxRenewals} times allowed.`));
  }
  blocks.push(...patronBorrowingBlocks(policy, patron, patron.balanceCents + fineCents, patron.openLoanCount));

  const resolved = resolveBlocks(policy, blocks, options);
  if (!resolved.ok) return resolved;
  return {
    ok: true,
    dueAt: dueDateFor(policy, loan.loanCategory, now),
    renewalCount: loan.renewalCount + 1,
    fineCents,
    overridden: resolved.overridden,
  };
}
