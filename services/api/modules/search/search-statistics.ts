// How common each word of the metadata vector is, read from the planner's own statistics (pg_stats,
// refreshed by ANALYZE: autovacuum on PostgreSQL, the indexer's vacuum on PGlite), so suggestions
// can plan bounded work per keystroke.
//
// Why suggestions need it: the last word typed is a prefix, and for a prefix the GIN index unions
// the postings of every word it starts before anything else happens: `the` made a bitmap of 400,000
// rows (67 ms at 1M records) even beside a word held by 14 records. Knowing which typed words are
// common, the engine asks the index only for the rare ones and checks the others on the rows found,
// or, when every word is common, reads titles in title order until enough match.

export interface ColumnStatistics {
  /** Share of all documents holding each of the most common elements (at most 1,000 are kept). */
  shares: ReadonlyMap<string, number>;
  /** An element that is not listed is held by fewer documents than this share. */
  floor: number;
}

export interface SearchStatistics {
  /** Documents in the index; 0 when the table has never been analysed (then nothing is known). */
  rows: number;
  /** Lexemes of the metadata vector (titles, authors, subjects, tags, publisher, year). */
  meta: ColumnStatistics;
}

const EMPTY: ColumnStatistics = { shares: new Map(), floor: 0 };
export const NO_STATISTICS: SearchStatistics = { rows: 0, meta: EMPTY };

/** One row of pg_stats as text: `most_common_elems`, `most_common_elem_freqs`, `null_frac`. */
export interface PgStatsRow { elems: string | null; freqs: string | null; nullFrac: number | null }

/**
 * The elements and their shares of all rows. pg_stats gives each element's frequency among non-null
 * rows, followed by the lowest and highest of them (and, for arrays, the frequency of null elements).
 */
export function columnStatistics(row: PgStatsRow | undefined): ColumnStatistics {
  if (!row?.elems || !row.freqs) return EMPTY;
  const elems = parseTextArray(row.elems);
  const freqs = parseTextArray(row.freqs).map(Number);
  const present = 1 - (row.nullFrac ?? 0);
  const shares = new Map<string, number>();
  elems.forEach((e, i) => shares.set(e, (freqs[i] ?? 0) * present));
  return { shares, floor: (freqs[elems.length] ?? Math.min(...freqs.slice(0, elems.length))) * present };
}

/** Postgres's text form of a one-dimensional array: `{a,b,"c d","e\"f"}`. */
export function parseTextArray(literal: string): string[] {
  const out: string[] = [];
  const body = literal.trim().replace(/^\{/, '').replace(/\}$/, '');
  let i = 0;
  while (i < body.length) {
    let value = '';
    if (body[i] === '"') {
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i++];
      }
      i++; // closing quote
    } else {
      while (i < body.length && body[i] !== ',') value += body[i++];
    }
    out.push(value);
    i++; // comma
  }
  return out;
}

/** Share of documents holding a word (an unlisted word: at most the floor). */
export function wordShare(c: ColumnStatistics, word: string): number {
  return c.shares.get(word) ?? c.floor;
}

/** Share holding some word that starts with `prefix`: the listed ones add up (an upper bound), at most 1. */
export function prefixShare(c: ColumnStatistics, prefix: string): number {
  let sum = 0;
  for (const [w, s] of c.shares) if (w.startsWith(prefix)) sum += s;
  return Math.min(1, Math.max(sum, c.floor));
}

// The planner's view of costs, measured here (PostgreSQL 15, 1M documents, table in memory): a GIN
// or btree bitmap costs about 0.2 µs per row it holds (611,000 rows: 103-131 ms); each row then read
// from the table and checked costs about 2.5 µs (6,900 rows read and checked: 17 ms).
const BITMAP_US = 0.2;
const ROW_US = 2.5;

export interface IndexingPlan {
  /** Per condition: answered by its index (true) or checked on the rows found (false). */
  indexed: boolean[];
  /** Estimated microseconds to find `wanted` matches. */
  costUs: number;
}

/**
 * Which typed words to hand to the index so that `wanted` matches are found cheapest: each indexed
 * word costs its bitmap; the rows it leaves are read until enough hold the others. Shares are taken
 * as independent, as the planner does. At least one word is indexed. Without statistics (a new or
 * small catalogue) every word is: Postgres's own choice, right when bitmaps are small.
 */
export function cheapestIndexing(shares: readonly number[], rows: number, wanted: number): IndexingPlan {
  const all = { indexed: shares.map(() => true), costUs: 0 };
  if (!rows || shares.length <= 1) return all;
  let best: IndexingPlan | null = null;
  for (let mask = 1; mask < 1 << shares.length; mask++) {
    const indexed = shares.map((_, i) => (mask & (1 << i)) !== 0);
    let bitmap = 0;
    let found = rows;
    let pass = 1;
    shares.forEach((s, i) => {
      if (indexed[i]) { bitmap += s * rows; found *= s; } else pass *= s;
    });
    const read = Math.min(found, wanted / Math.max(pass, 1e-9));
    const costUs = bitmap * BITMAP_US + read * ROW_US;
    if (!best || costUs < best.costUs) best = { indexed, costUs };
  }
  return best!;
}

/** Suggestions read at most this many titles in title order. */
export const SCAN_ROWS = 5_000;

export interface SuggestPlan {
  /** Read titles in title order and check each (SCAN_ROWS at most), before asking the index. */
  scan: boolean;
  /** The words the GIN index answers; the others are checked on the rows it found. */
  indexed: boolean[];
  costUs: number;
}

/**
 * How to find `candidates` records holding every typed word (shares: of each word, the last a
 * prefix): the cheapest indexing, or, when the words together should match at least one title in
 * SCAN_ROWS / limit and that is cheaper, reading titles in title order until `limit` match (and,
 * should they not, the cheapest indexing after all).
 */
export function suggestPlan(shares: readonly number[], rows: number, limit: number, candidates: number): SuggestPlan {
  const index = cheapestIndexing(shares, rows, candidates);
  if (!rows) return { scan: false, ...index };
  const together = shares.reduce((p, s) => p * s, 1);
  const scanRows = limit / Math.max(together, 1e-9);
  if (scanRows <= SCAN_ROWS && scanRows * ROW_US < index.costUs) return { scan: true, indexed: index.indexed, costUs: scanRows * ROW_US };
  return { scan: false, ...index };
}
