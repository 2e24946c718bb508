// How a staff report's cells read on screen and on paper. The API sends raw values (ISO times,
// integer cents, lists, booleans); the CSV download keeps them raw for spreadsheets. Pure.

export interface ReportColumn { key: string; header: string }

/** Integer cents as dollars: 1250 -> "$12.50". (Seeds 002/003 count fines in dollars.) */
export function centsText(cents: number): string {
  const abs = Math.abs(Math.round(cents));
  const text = `$${Math.floor(abs / 100).toLocaleString('en')}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `−${text}` : text;
}

const isMoney = (key: string) => /Cents$/.test(key);
const isTime = (key: string) => /(At|Until)$/.test(key);

/** The header without the API's "(cents)" unit: the cells are shown in dollars. */
export function headerText(c: ReportColumn): string {
  return isMoney(c.key) ? c.header.replace(/\s*\(cents\)\s*$/i, '') : c.header;
}

export function isNumeric(c: ReportColumn): boolean {
  return isMoney(c.key) || /^(year|copies|availableCopies|daysOverdue|openLoans|overdueLoans|maxBooks|floor)$/.test(c.key);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "4 Dec 2026, 14:05 UTC": unambiguous in print, short enough for a table. */
export function timeText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hm} UTC`;
}

export function cellText(c: ReportColumn, v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  if (Array.isArray(v)) return v.length ? v.join('; ') : '–';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number' && isMoney(c.key)) return centsText(v);
  if (typeof v === 'string' && isTime(c.key)) return timeText(v);
  if (c.key === 'status' || c.key === 'entityType') {
    const s = String(v).replace(/-/g, ' ');
    return s === 'item' ? 'Copy' : s[0]!.toUpperCase() + s.slice(1);
  }
  return String(v);
}
