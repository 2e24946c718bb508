// How common each word and filter token is, read from the planner's own statistics (pg_stats,
// refreshed by ANALYZE: autovacuum on PostgreSQL, the indexer's vacuum on PGlite), so suggestions
// can plan bounded work per keystroke and keyword queries expected to be broad can start from a
// sample (matchesToCollect, below).
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
  /** Share of documents that have the column at all (a text vector: only records with file text). */
  present: number;
}

export interface SearchStatistics {
  /** Documents in the index; 0 when the table has never been analysed (then nothing is known). */
  rows: number;
  /** Lexemes of the metadata vector (titles, authors, subjects, tags, publisher, year). */
  meta: ColumnStatistics;
  /** Filter tokens (`mt=book`, `dc=1990`, `su:history`...). */
  terms: ColumnStatistics;
  /** Lexemes of the public text vector (metadata and file text; only records with file text have one). */
  text: ColumnStatistics;
}

const EMPTY: ColumnStatistics = { shares: new Map(), floor: 0, present: 1 };
export const NO_STATISTICS: SearchStatistics = { rows: 0, meta: EMPTY, terms: EMPTY, text: EMPTY };

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
  return { shares, floor: (freqs[elems.length] ?? Math.min(...freqs.slice(0, elems.length))) * present, present };
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

/** PostgreSQL's default statistics target: ANALYZE lists ten times this many words of a vector. */
export const DEFAULT_STATISTICS_TARGET = 100;
/** The deepest statistics the engine asks for (ANALYZE then samples 300,000 rows). */
export const MAX_STATISTICS_TARGET = 1_000;
/** Statistics target per 100,000 documents. */
const TARGET_PER_100K = 50;

/**
 * The statistics target the search vectors and filter tokens need for a catalogue of `rows`
 * documents. A word the statistics do not list counts as common as the least listed one (the
 * floor), and a query holding one is taken as possibly broad when the floor stands for more records
 * than BROAD_FACTOR times the cap: it then pays for a slice sample before collecting everything.
 * With Zipf-like words the floor, in records, grows with the catalogue and shrinks as more words
 * are listed, so the target grows with the catalogue: 50 per 100,000 documents, never below the
 * default, at most 1,000. Measured at 1M records (metadata and text vector floors added up, against
 * a threshold of 1,500): the default 100 left 2,300 + 4,500 records (a fifth of the benchmark's
 * queries sampled the slice for nothing), 300 left 370 + 1,430, 500 left 210 + 870, 1,000 left
 * 100 + 540. Deeper is not free: the planner reads the list for every text condition, and planning
 * a keyword query took 0.6 ms with 100, 0.9 ms with 500 and 1.4 ms with 1,000. At 100,000 documents
 * the default leaves 230 records, and ANALYZE, which blocks PGlite's one backend, takes 1 s there
 * (3 s with 1,000).
 */
export function statisticsTargetFor(rows: number): number {
  const target = Math.round(Math.max(0, rows) / 100_000) * TARGET_PER_100K;
  return Math.min(MAX_STATISTICS_TARGET, Math.max(DEFAULT_STATISTICS_TARGET, target));
}

/**
 * Whether a column's current statistics target may stay for `rows` documents: within 5 % of a step
 * either is right, so a catalogue whose size (the planner's estimate, which moves with every
 * ANALYZE) hovers at a step does not have its statistics target changed, and the table analysed,
 * back and forth.
 */
export function statisticsTargetKeeps(current: number, rows: number): boolean {
  return current >= statisticsTargetFor(rows * 0.95) && current <= statisticsTargetFor(rows * 1.05);
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

// Costs measured here (PostgreSQL 15, 1M documents). A GIN scan for words that must all occur
// merges their posting lists, about 0.02 µs per posting (`the`, 611,000 postings, adds ~10 ms beside
// a rare word), and puts the rows holding all of them into a bitmap, about 0.2 µs each (a word of
// 37,000 rows alone: 8-19 ms). A prefix, or one of several alternatives, is a union: every posting
// goes into a bitmap first (611,000: 103-131 ms). A row then read from the table and checked
// costs 1-3 µs when its page is in PostgreSQL's buffers and 25-40 µs when it is not (this machine,
// default settings, a 1 GB table): 10 µs stands between the two.
const MERGE_US = 0.02;
const UNION_US = 0.2;
const ROW_US = 10;

export interface IndexingPlan {
  /** Per condition: answered by its index (true) or checked on the rows found (false). */
  indexed: boolean[];
  /** Estimated microseconds to find `wanted` matches. */
  costUs: number;
}

/**
 * Which typed words to hand to the index so that `wanted` matches are found cheapest: each indexed
 * word costs its postings (merged, or put in a bitmap for a union: `unions[i]` for a prefix or a
 * set of alternatives); the rows the index leaves are read until enough hold the others, or until
 * `maxRead` (the caller's bound on rows checked, which then may find fewer). Shares are
 * taken as independent, as the planner does. At least one word is indexed. Without statistics (a
 * new or small catalogue) every word is: Postgres's own choice, right when posting lists are short.
 */
export function cheapestIndexing(shares: readonly number[], rows: number, wanted: number, unions: readonly boolean[] = [], maxRead = Infinity): IndexingPlan {
  const all = { indexed: shares.map(() => true), costUs: 0 };
  if (!rows || shares.length <= 1) return all;
  let best: IndexingPlan | null = null;
  for (let mask = 1; mask < 1 << shares.length; mask++) {
    const indexed = shares.map((_, i) => (mask & (1 << i)) !== 0);
    let postingsUs = 0;
    let found = rows;
    let pass = 1;
    shares.forEach((s, i) => {
      if (indexed[i]) { postingsUs += s * rows * (unions[i] ? UNION_US : MERGE_US); found *= s; } else pass *= s;
    });
    const read = Math.min(found, wanted / Math.max(pass, 1e-9), maxRead);
    // The rows the index finds go into the bitmap the table is then read from.
    const costUs = postingsUs + found * UNION_US + read * ROW_US;
    if (!best || costUs < best.costUs) best = { indexed, costUs };
  }
  return best!;
}

/** A keyword query the statistics expect to match this many times the cap or more is sampled first. */
export const BROAD_FACTOR = 1.5;
/**
 * A sample suggesting this many times the cap or more answers the query. Above 1 so that a query
 * with fewer matches than the cap keeps its exact answer: with 900 matches, a slice of an eighth
 * holds 112 on average, and would have to hold 157 to pass (4.5 standard deviations).
 */
export const SAMPLE_FACTOR = 1.25;
/** The sample such a query collects first, as a share of the cap (250 of 1,000). */
export const SAMPLE_SHARE = 0.25;
/**
 * The share of all records in the sample slice: those whose id ends in a byte below 32. Ids are
 * random UUIDs, so the slice is a random eighth, fixed, with its own small GIN indexes
 * (Migration0010SearchSampleSlice).
 */
export const SAMPLE_SLICE_SHARE = 32 / 256;

/**
 * Matches the statistics expect in metadata and in file text for a query of these words and
 * filters (each filter a share of all documents), conditions taken as independent as the planner
 * takes them; words of file text are independent among the records that have text, not among all
 * records (a long text holds many words: two rare ones together are far more likely there).
 * A word the statistics do not list counts as common as the least listed one (only a bound: at 1M
 * records, "fewer than 4 % of the records with text" is up to 4,000 matches).
 */
export function expectedMatches(stats: Pick<SearchStatistics, 'rows' | 'meta' | 'text'>, words: readonly string[], filters: readonly number[]): { meta: number; text: number } {
  const filtered = filters.reduce((p, s) => p * s, stats.rows);
  if (!words.length) return { meta: filtered, text: 0 };
  const { present } = stats.text;
  const inText = present > 0 ? words.reduce((p, w) => p * Math.min(1, wordShare(stats.text, w) / present), present) : 0;
  return { meta: filtered * words.reduce((p, w) => p * wordShare(stats.meta, w), 1), text: filtered * inText };
}

/**
 * How many matches a keyword query collects first. A query expected to match more than the cap gets
 * a lower bound and facets of the matches collected in any case; collecting a sample (SAMPLE_SHARE
 * of the cap, from the sample slice) instead of the cap reads a quarter of the rows (each one a page
 * of the table, the dominant cost at 1M records) and an eighth of the postings of its words for the
 * same kind of answer. The statistics only say which queries may be that broad (matches in metadata
 * and file text added up, unlisted words as common as the least listed); the slice's count then
 * says whether they are (matchesFromSlice), and when not, the engine collects again up to the cap.
 * Without statistics, or without conditions (browsing everything reads the table in order, a page
 * at a time), the cap.
 */
export function matchesToCollect(stats: Pick<SearchStatistics, 'rows' | 'meta' | 'text'>, words: readonly string[], filters: readonly number[], cap: number): number {
  if (!stats.rows || !(words.length + filters.length)) return cap;
  const e = expectedMatches(stats, words, filters);
  return e.meta + e.text >= BROAD_FACTOR * cap ? Math.max(1, Math.floor(cap * SAMPLE_SHARE)) : cap;
}

/**
 * How many matches in all a count in the sample slice stands for. `found` is what a collection of at
 * most `sample` + 1 from the slice returned: more than `sample` means at least that many in the slice.
 */
export function matchesFromSlice(found: number, sample: number, share = SAMPLE_SLICE_SHARE): number {
  return Math.min(found, sample + 1) / share;
}

/** Whether a sample from the slice answers the query (a lower bound), or the matches are collected again up to the cap. */
export function sampleAnswers(found: number, sample: number, cap: number): boolean {
  return matchesFromSlice(found, sample) >= SAMPLE_FACTOR * cap;
}

/** Suggestions read at most this many titles in title order. */
export const SCAN_ROWS = 300;

export interface SuggestPlan {
  /** Read titles in title order and check each (SCAN_ROWS at most), before asking the index. */
  scan: boolean;
  /** The words the GIN index answers; the others are checked on the rows it found. */
  indexed: boolean[];
  costUs: number;
}

/**
 * How to find `candidates` records holding every typed word (shares: of each word, the last a
 * prefix; unions and maxRead as for cheapestIndexing): the cheapest indexing, or, when the words together
 * should match at least one title in SCAN_ROWS / limit and that is cheaper, reading titles in title
 * order until `limit` match (and, should they not, the cheapest indexing after all).
 */
export function suggestPlan(shares: readonly number[], rows: number, limit: number, candidates: number, unions: readonly boolean[] = [], maxRead = Infinity): SuggestPlan {
  const index = cheapestIndexing(shares, rows, candidates, unions, maxRead);
  if (!rows) return { scan: false, ...index };
  const together = shares.reduce((p, s) => p * s, 1);
  const scanRows = limit / Math.max(together, 1e-9);
  if (scanRows <= SCAN_ROWS && scanRows * ROW_US < index.costUs) return { scan: true, indexed: index.indexed, costUs: scanRows * ROW_US };
  return { scan: false, ...index };
}
