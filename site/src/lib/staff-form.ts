// Small pure helpers for the staff workspace's forms: reading posted values, dollars to cents and
// back, dates for the back-dated return, and who may open the workspace. No I/O.

export type StaffAccess = 'ok' | 'anonymous' | 'forbidden';

/** Whether the workspace opens for this visitor; the API still decides every action. */
export function staffAccess(user: { roles: readonly string[] } | null | undefined, needs: 'staff' | 'supervisor' = 'staff'): StaffAccess {
  if (!user) return 'anonymous';
  const allowed = needs === 'supervisor' ? ['supervisor', 'admin'] : ['librarian', 'supervisor', 'admin'];
  return user.roles.some((r) => allowed.includes(r)) ? 'ok' : 'forbidden';
}

/** A posted text field, trimmed and bounded ('' when absent). */
export function text(form: FormData, name: string, max = 255): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim().slice(0, max) : '';
}

/** One value per line or separated by semicolons (authors "Last, First" keep their commas). */
export function list(raw: string, separator: RegExp = /\n|;/): string[] {
  return [...new Set(raw.split(separator).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean))];
}

/**
 * Dollars as typed at a desk ("12", "12.5", "$12.50", "1,200.00") to integer cents; null when it is
 * not an amount. Never goes through floating point for the cents.
 */
export function dollarsToCents(raw: string): number | null {
  const s = raw.replace(/[\s$,]/g, '');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s) ?? /^()\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const whole = m[1] ? Number(m[1]) : 0;
  const cents = Number((m[2] ?? '').padEnd(2, '0') || '0');
  return whole * 100 + cents;
}

/** Cents as the value of a dollars field: 1250 -> "12.50". */
export function centsToDollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return '';
  const abs = Math.abs(Math.round(cents));
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A whole number from a field, or null when empty or not a whole number in range. */
export function wholeNumber(raw: string, min: number, max: number): number | null {
  if (!/^-?\d{1,10}$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= min && n <= max ? n : null;
}

/**
 * A book-drop date from an <input type="date"> (YYYY-MM-DD) as the API's instant: the end of that
 * day in UTC, capped at `now` so "today" is never in the future. Null when empty; 'invalid' otherwise.
 */
export function bookDropInstant(raw: string, now: Date): string | null | 'invalid' {
  if (!raw) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return 'invalid';
  const end = new Date(`${raw}T23:59:59.000Z`);
  if (Number.isNaN(end.getTime())) return 'invalid';
  return (end.getTime() > now.getTime() ? now : end).toISOString();
}

/** Date and time for the desk, in UTC like the rest of the site's dates. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
}

/** Only known notice keys come from the URL after a redirect (no text is ever taken from it). */
export function noticeKey<T extends string>(raw: string | null, keys: readonly T[]): T | null {
  return raw && (keys as readonly string[]).includes(raw) ? raw as T : null;
}
