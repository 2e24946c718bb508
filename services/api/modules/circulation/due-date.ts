// Seed 002: "Books can be borrwed for various durations, but the exact time depends upon a book's
// category." Seed 003: "Each book loan is valid for 2 weeks. The due date is therefore a date 14 days
// after the borrow date" and "A book on loan must be returned to the library on the due date."
//
// Day-based loans are due at the end of the local due date (a book returned any time on that date is
// on time); hour-based loans (short reserve loans) are due at the exact instant.
import { endOfLocalDay, HOUR_MS, localDayNumber } from './calendar.ts';
import { loanCategoryPolicy } from './policy.ts';
import type { CirculationPolicy, LoanPeriod } from './policy.ts';

export function dueDateForPeriod(period: LoanPeriod, loanedAt: Date, timeZone: string): Date {
  if ('hours' in period) return new Date(loanedAt.getTime() + period.hours * HOUR_MS);
  return endOfLocalDay(localDayNumber(loanedAt, timeZone) + period.days, timeZone);
}

export function dueDateFor(policy: CirculationPolicy, loanCategory: string, loanedAt: Date): Date {
  return dueDateForPeriod(loanCategoryPolicy(policy, loanCategory).loanPeriod, loanedAt, policy.timeZone);
}

/** "Overdue" is derived, not stored (DESIGN: Overdue derived from due date). */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime();
}
