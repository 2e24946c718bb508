// Day ranges for the dashboards. Aggregates are per UTC day and per calendar month; a range is read
// as its whole months from the monthly table and its ragged ends from the daily one, so a year-long
// summary touches twelve monthly slices instead of 365 daily ones.
import { validationFailed } from '../../http/problem.ts';
import { utcDay } from './session-hash.ts';

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 3_700;

export const addDays = (day: string, n: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
export const firstOfMonth = (day: string) => `${day.slice(0, 7)}-01`;
export const firstOfNextMonth = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return utcDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
};
export const lastOfMonth = (day: string) => addDays(firstOfNextMonth(day), -1);

export interface DayRange { from: string; to: string }

/** from..to inclusive; the default is the 30 days up to today. */
export function dayRange(from: string | undefined, to: string | undefined, today: string): DayRange {
  const end = to ?? today;
  const start = from ?? addDays(end, -29);
  if (start > end) throw validationFailed('from must not be after to.', [{ path: 'from', message: 'after to' }]);
  if ((Date.parse(end) - Date.parse(start)) / DAY_MS > MAX_RANGE_DAYS) throw validationFailed(`A range is at most ${MAX_RANGE_DAYS} days.`, [{ path: 'from', message: 'range too long' }]);
  return { from: start, to: end };
}

/**
 * Splits [from, to] (inclusive) into whole months [monthsFrom, monthsTo) and the days outside them,
 * as half-open day intervals. No whole month: everything is days.
 */
export function splitByMonths(r: DayRange): { months: { from: string; to: string } | null; days: Array<{ from: string; to: string }> } {
  const endExclusive = addDays(r.to, 1);
  const monthsFrom = r.from === firstOfMonth(r.from) ? r.from : firstOfNextMonth(r.from);
  const monthsTo = firstOfMonth(endExclusive);
  if (monthsFrom >= monthsTo) return { months: null, days: [{ from: r.from, to: endExclusive }] };
  const days: Array<{ from: string; to: string }> = [];
  if (r.from < monthsFrom) days.push({ from: r.from, to: monthsFrom });
  if (monthsTo < endExclusive) days.push({ from: monthsTo, to: endExclusive });
  return { months: { from: monthsFrom, to: monthsTo }, days };
}
