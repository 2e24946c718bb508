import { words } from './search-text.ts';
import type { ParsedText } from './search-text.ts';

// Literals for the Postgres engine. Lexemes come from search-text.ts, so they are runs of letters
// and digits: they never contain a quote or a backslash, and the database's text parser (whose
// idea of a word depends on its locale) is never involved.

export type Weight = 'A' | 'B' | 'C' | 'D';
export interface TsSection { weight: Weight; texts: Array<string | null | undefined> }

/** Postgres keeps positions up to 16383 and 256 positions per lexeme. */
const MAX_POS = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;
/** Gap between two values (two authors, two subjects) so a phrase cannot straddle them. */
const VALUE_GAP = 8;

/** A weighted tsvector literal (`'word':1A,5A 'other':2B`), positions counted across sections in order. */
export function tsvectorLiteral(sections: TsSection[]): string {
  const lexemes = new Map<string, string[]>();
  let pos = 0;
  for (const { weight, texts } of sections) {
    for (const text of texts) {
      for (const w of words(text)) {
        pos = Math.min(pos + 1, MAX_POS);
        const list = lexemes.get(w);
        const entry = `${pos}${weight}`;
        if (!list) lexemes.set(w, [entry]);
        else if (list.length < MAX_POSITIONS_PER_LEXEME && list[list.length - 1] !== entry) list.push(entry);
      }
      pos = Math.min(pos + VALUE_GAP, MAX_POS);
    }
  }
  let out = '';
  for (const [w, positions] of lexemes) out += `${out ? ' ' : ''}'${w}':${dedupePositions(positions).join(',')}`;
  return out;
}

// Positions clamped at MAX_POS may repeat with different weights; Postgres wants one entry per position.
function dedupePositions(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const p = e.slice(0, -1);
    if (seen.has(p)) return false;
    seen.add(p);
    return true;
  });
}

/** Every term, and every phrase as adjacent words: `'a' & 'b' & ('c' <-> 'd')`. */
export function tsqueryLiteral(t: ParsedText): string {
  const parts = t.terms.map((w) => `'${w}'`);
  for (const p of t.phrases) parts.push(`(${p.map((w) => `'${w}'`).join(' <-> ')})`);
  return parts.join(' & ');
}

/** A Postgres array literal for text values (`{"a","b \"c\""}`), to pass as one parameter and cast. */
export function arrayLiteral(values: ReadonlyArray<string | number>): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => '\\' + c)}"`).join(',')}}`;
}
