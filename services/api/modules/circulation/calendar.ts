// Local calendar days in the library's time zone. Due dates are dates ("The due date is therefore a
// date 14 days after the borrow date", seed 003) and a book is on time if "returned to the library
// on the due date", so day-based deadlines end at local midnight, not 24 h multiples after checkout.
// Only Intl is used (no I/O, no clock).

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 of the local calendar date of `instant` in `timeZone`. */
export function localDayNumber(instant: Date, timeZone: string): number {
  if (timeZone === 'UTC') return Math.floor(instant.getTime() / DAY_MS);
  let y = 0;
  let m = 0;
  let d = 0;
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type === 'year') y = Number(part.value);
    else if (part.type === 'month') m = Number(part.value);
    else if (part.type === 'day') d = Number(part.value);
  }
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** The first instant of local day `dayNumber` (local midnight, or the first instant after a DST gap). */
export function startOfLocalDay(dayNumber: number, timeZone: string): Date {
  const wall = dayNumber * DAY_MS;
  if (timeZone === 'UTC') return new Date(wall);
  // UTC offsets lie within -12h..+14h, so local midnight is within 15 h of the same wall time read
  // as UTC. Binary search on whole seconds (zone transitions fall on whole seconds) for the first
  // instant whose local date is `dayNumber`: exact across DST without offset arithmetic.
  let lo = Math.floor((wall - 15 * HOUR_MS) / 1000); // local date before dayNumber
  let hi = Math.floor((wall + 15 * HOUR_MS) / 1000); // local date dayNumber or later
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDayNumber(new Date(mid * 1000), timeZone) >= dayNumber) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}

/** The last millisecond of local day `dayNumber`. */
export function endOfLocalDay(dayNumber: number, timeZone: string): Date {
  return new Date(startOfLocalDay(dayNumber + 1, timeZone).getTime() - 1);
}
