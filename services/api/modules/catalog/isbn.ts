// ISBN validation and conversion (seed 002: "ISBN Number - Supplied by the publisher, it is of
// fixed length and format including a check digit"). Records store the ISBN-13 form so that the
// same book entered as ISBN-10 and as ISBN-13 is one value. Pure: no I/O.

export type IsbnParseResult =
  | { ok: true; isbn13: string; isbn10: string | null }
  | { ok: false; reason: string };

// Hyphen-like characters people paste from publisher pages and PDFs, besides ASCII '-'.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;

/** Strips spaces and hyphens and uppercases a trailing x. Does not validate. */
export function normalizeIsbn(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

/** The ISBN-10 check character for the first nine digits: '0'..'9' or 'X' (for 10). */
export function isbn10CheckDigit(first9: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(first9[i]);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** The ISBN-13 (EAN-13) check digit for the first twelve digits. */
export function isbn13CheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(first12[i]);
  return String((10 - (sum % 10)) % 10);
}

/** True for a well-formed ISBN-10 with a correct check character (hyphens and spaces allowed). */
export function isValidIsbn10(s: string): boolean {
  const n = normalizeIsbn(s);
  return /^\d{9}[\dX]$/.test(n) && isbn10CheckDigit(n.slice(0, 9)) === n[9];
}

/** True for a well-formed 978/979 ISBN-13 with a correct check digit (hyphens and spaces allowed). */
export function isValidIsbn13(s: string): boolean {
  const n = normalizeIsbn(s);
  return /^97[89]\d{10}$/.test(n) && isbn13CheckDigit(n.slice(0, 12)) === n[12];
}

/** Converts a valid ISBN-10 to its ISBN-13 (978 prefix, check digit recomputed). Throws RangeError otherwise. */
export function isbn10To13(isbn10: string): string {
  if (!isValidIsbn10(isbn10)) throw new RangeError(`Not a valid ISBN-10: ${isbn10}`);
  const body = '978' + normalizeIsbn(isbn10).slice(0, 9);
  return body + isbn13CheckDigit(body);
}

/**
 * Converts a valid ISBN-13 to ISBN-10, or null for a 979 ISBN, which has no ISBN-10 form.
 * Throws RangeError when the input is not a valid ISBN-13.
 */
export function isbn13To10(isbn13: string): string | null {
  if (!isValidIsbn13(isbn13)) throw new RangeError(`Not a valid ISBN-13: ${isbn13}`);
  const n = normalizeIsbn(isbn13);
  if (!n.startsWith('978')) return null;
  const body = n.slice(3, 12);
  return body + isbn10CheckDigit(body);
}

/**
 * Display form of a valid ISBN-13: the 13 digits. Real hyphenation (group/publisher ranges) needs the
 * International ISBN Agency's range table, which we do not ship; digits alone are unambiguous.
 */
export function formatIsbn13(isbn13: string): string {
  if (!isValidIsbn13(isbn13)) throw new RangeError(`Not a valid ISBN-13: ${isbn13}`);
  return normalizeIsbn(isbn13);
}

/**
 * Accepts an ISBN-10 or ISBN-13, with or without hyphens/spaces, and returns the ISBN-13 form
 * plus the ISBN-10 form when one exists (978 prefix only). Reasons are written for a librarian.
 */
export function parseIsbn(input: string): IsbnParseResult {
  const n = normalizeIsbn(input);
  if (n.length === 0) return { ok: false, reason: 'The ISBN is empty.' };

  // Reported from the input as typed, so the librarian sees their own character (not uppercased).
  const stray = input.replace(SEPARATORS, '').match(/[^\dXx]/);
  if (stray) {
    return {
      ok: false,
      reason: `An ISBN may contain only digits, hyphens and spaces (and X as the last character of an ISBN-10); "${stray[0]}" is not allowed.`,
    };
  }

  if (n.length === 10) {
    if (n.slice(0, 9).includes('X')) {
      return { ok: false, reason: 'Only the last character of an ISBN-10 may be X.' };
    }
    const expected = isbn10CheckDigit(n.slice(0, 9));
    if (expected !== n[9]) {
      return { ok: false, reason: `The check digit should be ${expected}, not ${n[9]}.` };
    }
    return { ok: true, isbn13: isbn10To13(n), isbn10: n };
  }

  if (n.length === 13) {
    if (n.includes('X')) {
      return { ok: false, reason: 'An ISBN-13 contains digits only; X is allowed only in an ISBN-10.' };
    }
    if (!n.startsWith('978') && !n.startsWith('979')) {
      return { ok: false, reason: `An ISBN-13 starts with 978 or 979, not ${n.slice(0, 3)}.` };
    }
    const expected = isbn13CheckDigit(n.slice(0, 12));
    if (expected !== n[12]) {
      return { ok: false, reason: `The check digit should be ${expected}, not ${n[12]}.` };
    }
    return { ok: true, isbn13: n, isbn10: isbn13To10(n) };
  }

  return {
    ok: false,
    reason: `An ISBN has 10 or 13 digits; this one has ${n.length}.`,
  };
}
