import { normalizeIsbn, parseIsbn } from '../catalog/isbn.ts';

// The one analyser of Shelfmark search. Documents and queries go through the same functions, in
// Node, before either engine sees them: the Postgres engine stores the exact lexemes made here
// (a tsvector literal, never the database's own parser, whose word rules depend on its locale),
// and the Elasticsearch mapping declares the same rules (split on anything but letters and digits,
// lowercase, fold accents). That is what makes "man" a different word from "batman" (seed 003) in
// both engines: a word is a whole run of letters and digits, nothing is matched inside one.

const WORD = /[\p{L}\p{N}]+/gu;
/** Longer runs are not words a person types (hashes, base64 in extracted text); skipping them keeps lexemes small. */
export const MAX_WORD_LENGTH = 60;
/** At most this many words of a query take part (a pasted paragraph is not a search). */
export const MAX_QUERY_WORDS = 12;

// Letters that accent stripping (NFKD) leaves alone but Elasticsearch's asciifolding rewrites.
const FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h' };
const FOLD_RE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');

/** Lowercase, accents removed: "Café Ørsted" -> "cafe orsted". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

/** The words of a text in order, folded; every other character separates words. */
export function words(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of fold(text).matchAll(WORD)) if (m[0].length <= MAX_WORD_LENGTH) out.push(m[0]);
  return out;
}

/**
 * A subject's or tag's exact key: its words, folded ("Rome -- History" -> "rome history"). A subject
 * or tag filter of several words matches a subject or tag with exactly these words; a filter of one
 * word matches any subject or tag containing it. (Words of one subject always occur together, so
 * matching them one by one would also let the planner badly misjudge how many records match.)
 */
export function valueKey(value: string): string {
  return words(value).join(' ');
}

/** The key titles sort by in both engines (binary order of the folded title, then the record id). */
export function sortKey(title: string): string {
  return words(title).join(' ').slice(0, 200);
}

export interface ParsedText {
  /** Every term must occur (whole words, any indexed field). ISBNs appear in their ISBN-13 form. */
  terms: string[];
  /** Quoted phrases: the words must occur next to each other, in order, within one field. */
  phrases: string[][];
}

/**
 * A keyword query: `"quoted words"` are phrases, a chunk that is a valid ISBN-10 or ISBN-13 (with
 * or without hyphens) becomes the ISBN-13 every record is indexed under, everything else splits
 * into words. Returns null when nothing searchable is left.
 */
export function parseQueryText(q: string | null | undefined): ParsedText | null {
  if (!q) return null;
  const terms: string[] = [];
  const phrases: string[][] = [];
  let budget = MAX_QUERY_WORDS;
  const take = (ws: string[]) => {
    const kept = ws.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return kept;
  };
  const rest = q.replace(/"([^"]*)"?/g, (_, inner: string) => {
    const ws = take(words(inner));
    if (ws.length > 1) phrases.push(ws);
    else terms.push(...ws);
    return ' ';
  });
  for (const chunk of rest.split(/\s+/).filter(Boolean)) {
    const isbn = isbnTerm(chunk);
    if (isbn) { if (budget-- > 0) terms.push(isbn); continue; }
    terms.push(...take(words(chunk)));
  }
  const unique = [...new Set(terms)];
  return unique.length || phrases.length ? { terms: unique, phrases } : null;
}

/** The ISBN-13 of a chunk that is a valid ISBN in either form, else null. */
export function isbnTerm(chunk: string): string | null {
  const compact = normalizeIsbn(chunk);
  if (!/^(\d{9}[\dX]|\d{13})$/.test(compact)) return null;
  const r = parseIsbn(compact);
  return r.ok ? r.isbn13 : null;
}

/** Rows of editDistance's table, reused between calls: a typo is checked against thousands of candidate words. */
let scratch = new Int32Array(64);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions): "histroy" -> "history" is 1. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const cols = b.length + 1;
  // Three rolling rows of the table: the transposition looks two rows back.
  if (scratch.length < 3 * cols) scratch = new Int32Array(3 * cols * 2);
  let before = 0; // row i - 2
  let prev = cols; // row i - 1
  let cur = 2 * cols; // row i
  for (let j = 0; j < cols; j++) scratch[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    scratch[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j < cols; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(scratch[prev + j]! + 1, scratch[cur + j - 1]! + 1, scratch[prev + j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, scratch[before + j - 2]! + 1);
      scratch[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return scratch[prev + cols - 1]!;
}

/** How many edits a typed word may be away from an indexed one (Elasticsearch's "AUTO" fuzziness). */
export function allowedEdits(word: string): number {
  return word.length <= 2 ? 0 : word.length <= 5 ? 1 : 2;
}
