// How many loans and holds a patron may have and how much they may owe. Seed 002 keeps "Max Books"
// and "Max Fine" on each customer and says the limit "depends on the customer's status"; so the
// patron record may carry its own values, and otherwise the category's (and the policy's) apply.
import { patronCategoryPolicy } from './policy.ts';
import type { CirculationPolicy } from './policy.ts';

export interface PatronStanding {
  category: string;
  /** Seed 002: "Restricted - Flag on whether the customer is restricted from borrowing." */
  restricted: boolean;
  /** Unpaid fines and charges, in cents. */
  balanceCents: number;
  /** Per-patron "Max Books"; null/absent uses the category's maxLoans. */
  maxLoans?: number | null;
  /** Per-patron hold limit; null/absent uses the category's maxHolds, else the loan limit. */
  maxHolds?: number | null;
  /** Per-patron "Max Fine"; null/absent uses the policy's outstandingFineLimitCents. */
  fineLimitCents?: number | null;
}

type LimitFields = Pick<PatronStanding, 'category' | 'maxLoans' | 'maxHolds' | 'fineLimitCents'>;

export function loanLimitFor(policy: CirculationPolicy, patron: LimitFields): number {
  return patron.maxLoans ?? patronCategoryPolicy(policy, patron.category).maxLoans;
}

/** Seed 002: "A customer may make the same number of holds as he can borrow books". */
export function holdLimitFor(policy: CirculationPolicy, patron: LimitFields): number {
  return patron.maxHolds ?? patronCategoryPolicy(policy, patron.category).maxHolds ?? loanLimitFor(policy, patron);
}

/** The largest balance that still allows borrowing; 0 when any unpaid fine blocks (seed 003). */
export function fineLimitFor(policy: CirculationPolicy, patron: Pick<PatronStanding, 'fineLimitCents'> = {}): number {
  if (policy.blockOnAnyUnpaidFine) return 0;
  return patron.fineLimitCents ?? policy.outstandingFineLimitCents;
}
