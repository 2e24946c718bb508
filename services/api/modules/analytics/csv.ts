// RFC 4180 CSV: CRLF line ends, a header line, fields quoted when they hold a comma, a quote, CR or
// LF, quotes doubled inside. UTF-8; the byte order mark is left out (RFC 4180 and most parsers do not
// expect it) unless asked for with `bom=true`, which spreadsheet programs use to detect UTF-8.
// Text that starts with = + - @ or a tab/CR is prefixed with an apostrophe: a spreadsheet would run it
// as a formula, and suggestion titles and names come from the public (OWASP "CSV injection").
// Numbers are written as they are (a negative balance stays -500).

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined | readonly string[];
}

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: string | number | boolean | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = Array.isArray(value) ? value.join('; ') : (value as string);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[], opts: { bom?: boolean } = {}): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${opts.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
