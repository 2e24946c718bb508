// Seed 002: "If books are not returned on time, the customer is charged a late fee per overdue book
// per day. This price depends on each book's category." and "no customer can be charged more in
// late fines for a single book than what that book is actually worth."
// Seed 003: "A member has a fine when a book is returned later than the due date. A penalty of $1
// per book per day is imposed as a fine to the member."
import { DAY_MS, localDayNumber } from './calendar.ts';
import { loanCategoryPolicy } from './policy.ts';
import type { CirculationPolicy, LoanCategoryPolicy } from './policy.ts';

/**
 * Days a return counts as late. Day-based loans: local calendar days after the due date (returned on
 * the due date = 0, the next day = 1). Hour-based loans: every started 24 h after the due instant.
 */
export function daysLate(policy: CirculationPolicy, loanCategory: string, dueAt: Date, returnedAt: Date): number {
  const late = returnedAt.getTime() - dueAt.getTime();
  if (late <= 0) return 0;
  const { loanPeriod } = loanCategoryPolicy(policy, loanCategory);
  if ('hours' in loanPeriod) return Math.ceil(late / DAY_MS);
  return Math.max(0, localDayNumber(returnedAt, policy.timeZone) - localDayNumber(dueAt, policy.timeZone));
}

/** Caps a charge at the copy's replacement cost when the category says so; an unknown cost caps nothing. */
function capped(rules: LoanCategoryPolicy, cents: number, replacementCostCents: number | null | undefined): number {
  if (!rules.fineCappedAtReplacementCost || replacementCostCents == null) return cents;
  return Math.min(cents, Math.max(0, replacementCostCents));
}

export function overdueFineCents(
  policy: CirculationPolicy,
  loanCategory: string,
  dueAt: Date,
  returnedAt: Date,
  replacementCostCents: number | null | undefined,
): number {
  const rules = loanCategoryPolicy(policy, loanCategory);
  return capped(rules, daysLate(policy, loanCategory, dueAt, returnedAt) * rules.finePerDayCents, replacementCostCents);
}

/**
 * Seed 002: "If he fails to pick it up in this time, he is charged for 3 overdue days with that
 * book." The days come from the policy (0 under `als`) and the same replacement-cost cap applies.
 */
export function noShowChargeCents(policy: CirculationPolicy, loanCategory: string, replacementCostCents: number | null | undefined): number {
  const rules = loanCategoryPolicy(policy, loanCategory);
  return capped(rules, policy.holdNoShowChargeDays * rules.finePerDayCents, replacementCostCents);
}
