// How common each indexed word and filter token is, read from the planner's own statistics
// (pg_stats, refreshed by ANALYZE: autovacuum on PostgreSQL, the indexer's vacuum on PGlite).
//
// Why the engine needs it: Postgres answers "a AND b" over two indexes by building a bitmap of
// every row each index matches, then intersecting them. Its cost model prices a GIN bitmap of half
// a million rows at a fraction of what it costs (measured at 1M records: 100-130 ms for `the`,
// for a subject shared by 30 % of the catalogue, or for a decade of years), so a rare word with a
// common filter, or a common word with a rare filter, paid for the common side in full. Knowing
// which side is common, the engine lets an index answer only the selective conditions and checks
// the common ones on the rows the selective ones found (the row check costs about a microsecond).

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
  /** Lexemes of the public-text vector (documents without file text have none). */
  text: ColumnStatistics;
  /** Tokens of the filter array (`su:word`, `sk:subject`, `mt=book`, `av=available`...). */
  tokens: ColumnStatistics;
  /** The year column's distribution. */
  years: YearStatistics;
}

export interface YearStatistics {
  /** Share of documents for each of the most common years. */
  common: ReadonlyMap<number, number>;
  /** Equal-frequency bucket bounds of the other years, and the share of documents they hold. */
  bounds: readonly number[];
  boundsShare: number;
}

const EMPTY: ColumnStatistics = { shares: new Map(), floor: 0 };
const NO_YEARS: YearStatistics = { common: new Map(), bounds: [], boundsShare: 0 };
export const NO_STATISTICS: SearchStatistics = { rows: 0, meta: EMPTY, text: EMPTY, tokens: EMPTY, years: NO_YEARS };

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

/**
 * Share holding every one of several words or tokens, taking them as independent (as the planner
 * does). Words that go together (a title's "history of") make this too low: the condition is then
 * left to an index, which is what happens without statistics anyway.
 */
export function allShare(c: ColumnStatistics, elems: readonly string[]): number {
  return [...new Set(elems)].reduce((m, e) => m * wordShare(c, e), 1);
}

/** The year column's statistics: the common years, then the histogram of the others. */
export function yearStatistics(row: { mcv: string | null; mcvFreqs: string | null; bounds: string | null; nullFrac: number | null } | undefined): YearStatistics {
  if (!row) return NO_YEARS;
  const common = new Map<number, number>();
  const years = row.mcv ? parseTextArray(row.mcv).map(Number) : [];
  const freqs = row.mcvFreqs ? parseTextArray(row.mcvFreqs).map(Number) : [];
  years.forEach((y, i) => common.set(y, freqs[i] ?? 0));
  const commonShare = freqs.reduce((s, f) => s + f, 0);
  return { common, bounds: row.bounds ? parseTextArray(row.bounds).map(Number) : [], boundsShare: Math.max(0, 1 - commonShare - (row.nullFrac ?? 0)) };
}

/** Share of documents whose year is in [from, to]: common years counted, the others from the equal-frequency buckets. */
export function yearShare(y: YearStatistics, from: number, to: number): number {
  let share = 0;
  for (const [year, s] of y.common) if (year >= from && year <= to) share += s;
  const b = y.bounds;
  if (b.length >= 2) {
    let inside = 0;
    for (let i = 0; i + 1 < b.length; i++) {
      const lo = b[i]!;
      const hi = b[i + 1]!;
      const overlap = Math.min(hi, to + 1) - Math.max(lo, from);
      if (overlap > 0) inside += hi > lo ? Math.min(1, overlap / (hi - lo)) : 1;
    }
    share += (y.boundsShare * inside) / (b.length - 1);
  }
  return Math.min(1, share);
}

/** A condition a query could hand to an index, and the share of documents it lets through. */
export type IndexedCondition = 'text' | 'tokens' | 'year';

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
 * Which conditions to hand to indexes so that `wanted` matches are found cheapest: each indexed
 * condition costs its bitmap; the rows it leaves are read until enough pass the others. Shares are
 * taken as independent, as the planner does. At least one condition is indexed. Without statistics
 * (a new or small catalogue) every condition is: Postgres's own choice, right when bitmaps are small.
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

/** As cheapestIndexing, by condition name. */
export function indexedConditions(shares: Partial<Record<IndexedCondition, number>>, rows: number, wanted: number): Set<IndexedCondition> {
  const entries = Object.entries(shares) as Array<[IndexedCondition, number]>;
  const plan = cheapestIndexing(entries.map(([, s]) => s), rows, wanted);
  return new Set(entries.filter((_, i) => plan.indexed[i]).map(([c]) => c));
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
