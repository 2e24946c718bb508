// The usage dashboard's date range in the URL (?from=YYYY-MM-DD&to=YYYY-MM-DD), its presets and the
// time-series interval that keeps a chart readable. UTC days, as the analytics API counts them. Pure.

export const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 3_700; // the API's limit (analytics/date-range.ts)

export type Interval = 'day' | 'week' | 'month';
export interface UsageRange { from: string; to: string; days: number; interval: Interval }
export interface RangeErrors { from?: string; to?: string }

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

function isDay(s: string): boolean {
  if (!ISO_DAY.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && utcDay(new Date(t)) === s;
}

/** Days per point: a day up to two months, a week up to about seven months, then a month. */
export function intervalFor(days: number): Interval {
  if (days <= 62) return 'day';
  if (days <= 210) return 'week';
  return 'month';
}

export const PRESETS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 365, label: 'Last 365 days' },
] as const;

export function presetRange(days: number, today: string): { from: string; to: string } {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** Reads ?from&to (default: the last 30 days up to today); errors name the field that is wrong. */
export function readUsageRange(params: URLSearchParams, today: string): { range: UsageRange; errors: RangeErrors; input: { from: string; to: string } } {
  const input = { from: (params.get('from') ?? '').trim().slice(0, 20), to: (params.get('to') ?? '').trim().slice(0, 20) };
  const errors: RangeErrors = {};
  if (input.from && !isDay(input.from)) errors.from = 'Enter the start date as a real date, for example 2026-11-01.';
  if (input.to && !isDay(input.to)) errors.to = 'Enter the end date as a real date, for example 2026-11-30.';
  let to = input.to && !errors.to ? input.to : today;
  let from = input.from && !errors.from ? input.from : addDays(to, -29);
  if (!errors.from && !errors.to) {
    if (from > to) errors.from = 'The start date must be on or before the end date.';
    else if ((Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_RANGE_DAYS) errors.from = `A range is at most ${MAX_RANGE_DAYS.toLocaleString('en')} days (about ten years).`;
  }
  if (errors.from || errors.to) {
    // Show the default range while the form says what to fix.
    to = today;
    from = addDays(today, -29);
  }
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  return { range: { from, to, days, interval: intervalFor(days) }, errors, input };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "5 Nov" for a day or week, "Nov 2026" for a month: short enough for an axis. */
export function periodTick(period: string, interval: Interval): string {
  const [y, m, d] = period.split('-');
  const month = MONTHS[Number(m) - 1] ?? m;
  return interval === 'month' ? `${month} ${y}` : `${Number(d)} ${month}`;
}

/** "5 November 2026", "week of 2 November 2026", "November 2026": for tables and summaries. */
export function periodText(period: string, interval: Interval): string {
  const [y, m, d] = period.split('-');
  const month = MONTHS_LONG[Number(m) - 1] ?? m;
  if (interval === 'month') return `${month} ${y}`;
  const day = `${Number(d)} ${month} ${y}`;
  return interval === 'week' ? `Week of ${day}` : day;
}

export function dayText(day: string): string {
  return periodText(day, 'day');
}
