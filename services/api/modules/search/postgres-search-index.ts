import type { EntityManager } from '@mikro-orm/sql';
import type { Orm } from '../../db/orm.ts';
import type { Clock } from '../../clock.ts';
import { facetsFrom, type FacetField } from './facet-values.ts';
import { arrayLiteral, tsqueryLiteral, tsvectorLiteral, type TsSection } from './pg-text.ts';
import type { SearchDocument } from './search-document.ts';
import { visibleAccessLevels } from './search-document.ts';
import {
  AUDIENCE, INVALID_ISBN, TOTAL_CAP, type Audience, type Facets, type IndexWriteContext, type RebuildSession, type SearchHit, type SearchIndex,
  type SearchQuery, type SearchResult, type Suggestion,
} from './search-index.ts';
import { allowedEdits, editDistance, fold, valueKey, words } from './search-text.ts';
import { sqlRows, sqlRun } from './sql-rows.ts';
import { AnswerCache } from './answer-cache.ts';
import { matchesToCollect, NO_STATISTICS, prefixShare, SAMPLE_SLICE_SHARE, sampleAnswers, SCAN_ROWS, suggestPlan, wordShare, type SearchStatistics } from './search-statistics.ts';
import { keepStatisticsDeep, loadSearchStatistics } from './search-statistics-source.ts';

// The embedded default: full text in the same PostgreSQL (or PGlite) database.
//
// One row per record in search_documents. Matching uses weighted tsvectors (title and ISBN A,
// authors and subjects B, tags, publisher and year C, file text D): `meta_tsv` (metadata only,
// small, stored inline, also used for ranking and suggestions) and, only for records that have such
// text, the metadata plus public file text (`tsv`), plus signed-in text (`tsv_signed_in`), plus all
// text (`tsv_staff`). Fielded filters, facet filters, years, decades and access levels are prefixed
// tokens in an array (`terms`), indexed together with each vector in one multicolumn GIN index.
//
// Cost is bounded the way Elasticsearch bounds it: a query collects at most PG_CANDIDATE_CAP + 1
// matches; up to the cap the total, the facets and the ranking are exact; beyond it the total is a
// lower bound (`totalRelation: 'gte'`), facets are counted over the matches collected
// (`facetsExact: false`), relevance ranks those, and the other sort orders stay exact (an ordered
// index scan over every match). A query the statistics expect to match well over the cap collects
// a quarter of it first, from the sample slice (a random eighth of the records with GIN indexes of
// their own, so common words cost an eighth of their postings), and that sample answers when the
// slice's count confirms the query is that broad (search-statistics.ts, matchesToCollect and
// sampleAnswers).

const DOC_COLUMNS = `record_id uuid, title text, title_sort text, authors text[], publisher text, year int, isbn text, media_type text,
  call_number text, accession_number text, copies int, available_copies int, availability text, record_created_at timestamptz, audience smallint,
  tsv tsvector, tsv_signed_in tsvector, tsv_staff tsvector, meta_tsv tsvector, terms text[], facets text[], indexed_at timestamptz`;
const DOC_NAMES = DOC_COLUMNS.split(',').map((c) => c.trim().split(' ')[0]!);
const UPSERT = `insert into search_documents (${DOC_NAMES.join(', ')})
  select ${DOC_NAMES.join(', ')} from json_to_recordset(?::json) as x(${DOC_COLUMNS})
  on conflict (record_id) do update set ${DOC_NAMES.filter((n) => n !== 'record_id').map((n) => `${n} = excluded.${n}`).join(', ')}`;

/** Rows per statement are also limited by size: a batch of books with long texts is split. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/**
 * Matches a query collects at most (see the header). Smaller than Elasticsearch's 10,000 because
 * Postgres reads, counts and facets them row by row (about 10 µs a match on PGlite), where
 * Elasticsearch reads columnar doc values; bench/search.md has the measurements behind 1,000.
 */
export const PG_CANDIDATE_CAP = 1_000;
/** Suggestions rank this many matches at most (bounded work per keystroke). */
const SUGGEST_CANDIDATES = 200;
/** Matches ranked when filling a list that has titles beginning with the typed words already. */
const SUGGEST_FILL_CANDIDATES = 30;
/**
 * Rows the index may hand a suggestion to check at most (each may be a page read: 25-40 µs at 1M
 * records with PostgreSQL's default buffers). Words that are each common but rare together ("light
 * introduction of") otherwise read thousands of rows for ten titles (9,000 rows, 300 ms); past this
 * bound such input suggests what those rows hold, possibly fewer than ten titles or none.
 */
const SUGGEST_CHECK_ROWS = 300;
/** The same bound when filling a list that has titles beginning with the typed words already. */
const SUGGEST_FILL_CHECK_ROWS = 100;
/** Estimated work allowed to add word matches to titles that begin with the typed words. */
const SUGGEST_FILL_BUDGET_US = 3_000;
/**
 * The sample slice, exactly as the predicate of its partial indexes (Migration0010SearchSampleSlice)
 * reads, so that the planner uses them: the records whose random id ends in a byte below 32.
 */
export const SAMPLE_SLICE = `get_byte(uuid_send(d.record_id), 15) < ${SAMPLE_SLICE_SHARE * 256}`;
/** How long the planner's statistics are used before they are read again (ANALYZE changes them). */
const STATISTICS_TTL_MS = 60_000;
/** A year range needing more tokens than this is filtered on the year column instead. */
const MAX_YEAR_TOKENS = 60;

const FACET_PREFIX: Record<string, FacetField> = { su: 'subject', tg: 'tag', mt: 'mediaType', yr: 'year', dc: 'decade', av: 'availability', ac: 'access' };

type Sortable = Pick<SearchQuery, 'sort' | 'text'>;

/** The row for one document; exported for the unit tests and the benchmark's bulk loader. */
export function documentRow(doc: SearchDocument, indexedAt: Date) {
  const meta: TsSection[] = [
    { weight: 'A', texts: [doc.title, doc.isbn] },
    { weight: 'B', texts: [...doc.authors, ...doc.subjects] },
    { weight: 'C', texts: [...doc.tags, doc.publisher, doc.year === null ? null : String(doc.year)] },
  ];
  const { public: pub, signedIn, restricted } = doc.text;
  const terms = new Set<string>([
    ...words(doc.title).map((w) => `ti:${w}`),
    ...doc.authors.flatMap((a) => words(a)).map((w) => `au:${w}`),
    ...words(doc.publisher).map((w) => `pu:${w}`),
    ...doc.subjects.flatMap((s) => words(s)).map((w) => `su:${w}`),
    ...doc.tags.flatMap((t) => words(t)).map((w) => `tg:${w}`),
    ...doc.subjects.map((s) => `sk:${valueKey(s)}`),
    ...doc.tags.map((t) => `tk:${valueKey(t)}`),
    `mt=${fold(doc.mediaType)}`,
    `av=${doc.availability}`,
    ...doc.access.map((a) => `ac=${a}`),
  ]);
  if (doc.isbn) terms.add(`is=${doc.isbn}`);
  if (doc.year !== null) terms.add(`yr=${doc.year}`).add(`dc=${doc.decade}`);
  const facets = [
    ...doc.subjects.map((s) => `su=${s}`), ...doc.tags.map((t) => `tg=${t}`), `mt=${doc.mediaType}`, `av=${doc.availability}`,
    ...doc.access.map((a) => `ac=${a}`),
  ];
  if (doc.year !== null) facets.push(`yr=${doc.year}`, `dc=${doc.decade}`);
  return {
    record_id: doc.id, title: doc.title, title_sort: doc.titleSort, authors: doc.authors, publisher: doc.publisher, year: doc.year, isbn: doc.isbn,
    media_type: doc.mediaType, call_number: doc.callNumber, accession_number: doc.accessionNumber, copies: doc.copies,
    available_copies: doc.availableCopies, availability: doc.availability, record_created_at: doc.createdAt, audience: doc.audience,
    tsv: pub ? tsvectorLiteral([...meta, { weight: 'D', texts: [pub] }]) : null,
    tsv_signed_in: signedIn ? tsvectorLiteral([...meta, { weight: 'D', texts: [pub, signedIn] }]) : null,
    tsv_staff: signedIn || restricted ? tsvectorLiteral([...meta, { weight: 'D', texts: [pub, signedIn, restricted] }]) : null,
    meta_tsv: tsvectorLiteral(meta),
    terms: [...terms], facets, indexed_at: indexedAt.toISOString(),
  };
}

/** Words people type into the suggestion box and may misspell. */
export function vocabularyOf(doc: SearchDocument): string[] {
  return [...words(doc.title), ...doc.authors.flatMap((a) => words(a)), ...doc.subjects.flatMap((s) => words(s))]
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w));
}

/** Collects SQL fragments and their parameters in order (MikroORM binds `?` positionally). */
class Sql {
  text = '';
  params: unknown[] = [];
  add(fragment: string, ...params: unknown[]): this {
    this.text += fragment;
    this.params.push(...params);
    return this;
  }
}

/** The filter tokens a query requires (fielded words, subject and tag keys, facets, ISBN, access). */
function requiredTokens(q: SearchQuery): string[] {
  const required = [
    ...q.title.map((x) => `ti:${x}`), ...q.author.map((x) => `au:${x}`), ...q.publisher.map((x) => `pu:${x}`),
    ...(q.subject.length > 1 ? [`sk:${q.subject.join(' ')}`] : q.subject.map((x) => `su:${x}`)),
    ...(q.tag.length > 1 ? [`tk:${q.tag.join(' ')}`] : q.tag.map((x) => `tg:${x}`)),
  ];
  if (q.isbn) required.push(q.isbn === INVALID_ISBN ? 'is=none' : `is=${q.isbn}`);
  if (q.mediaType) required.push(`mt=${q.mediaType}`);
  if (q.available === true) required.push('av=available');
  if (q.access) required.push(`ac=${q.access}`);
  return required;
}

/** A year range as filter tokens: whole decades as one (`dc=1990`), the years around them one each (`yr=1989`). */
export function yearTokens(from: number, to: number): string[] | null {
  const tokens: string[] = [];
  for (let y = from; y <= to;) {
    if (tokens.length >= MAX_YEAR_TOKENS) return null;
    if (((y % 10) + 10) % 10 === 0 && y + 9 <= to) { tokens.push(`dc=${y}`); y += 10; } else { tokens.push(`yr=${y}`); y++; }
  }
  return tokens;
}

/**
 * The conditions other than the keyword query: audience, fielded words, facets, year. Tokens live in
 * the same GIN index as the words of each vector (Migration0009), so a rare word and a common filter
 * are answered by one index scan that steps through the common posting list with the rare one.
 */
function filtersFor(q: SearchQuery, viewer: Audience): Sql {
  const w = new Sql().add(`d.audience <= ?`, viewer);
  const required = requiredTokens(q);
  if (q.access && !visibleAccessLevels(viewer).includes(q.access)) w.add(' and false');
  if (required.length) w.add(` and d.terms @> ?::text[]`, arrayLiteral(required));
  if (q.available === false) w.add(` and not (d.terms @> '{av=available}'::text[])`);
  if (q.year) {
    const tokens = yearTokens(q.year.from, q.year.to);
    if (tokens) w.add(` and d.terms && ?::text[]`, arrayLiteral(tokens));
    else w.add(` and d.year between ? and ?`, q.year.from, q.year.to);
  }
  return w;
}

/**
 * The keyword query against file text as this viewer may read it. Records without such text have
 * no vector there (null), and their metadata is matched by meta_tsv: each vector holds the metadata
 * too, with the same positions, so words may be spread over metadata and text.
 */
function textMatch(viewer: Audience, tsq: string): Sql {
  if (viewer >= AUDIENCE.staff) return new Sql().add(`(d.tsv_staff @@ ?::tsquery or (d.tsv_staff is null and d.tsv @@ ?::tsquery))`, tsq, tsq);
  if (viewer >= AUDIENCE.signedIn) return new Sql().add(`(d.tsv_signed_in @@ ?::tsquery or (d.tsv_signed_in is null and d.tsv @@ ?::tsquery))`, tsq, tsq);
  return new Sql().add(`d.tsv @@ ?::tsquery`, tsq);
}

/** The words and filter shares of a query, as matchesToCollect and expectedMatches take them. */
function conditionsOf(q: SearchQuery, stats: SearchStatistics): { words: string[]; filters: number[] } {
  // A phrase is at most as common as its rarest word.
  const rarest = (p: string[]) => p.reduce((a, b) => (wordShare(stats.meta, b) < wordShare(stats.meta, a) ? b : a));
  const words = [...(q.text?.terms ?? []), ...(q.text?.phrases ?? []).map(rarest)];
  const filters = requiredTokens(q).map((t) => wordShare(stats.terms, t));
  const years = q.year ? yearTokens(q.year.from, q.year.to) : null;
  if (years) filters.push(Math.min(1, years.reduce((sum, t) => sum + wordShare(stats.terms, t), 0)));
  return { words, filters };
}

function whereFor(q: SearchQuery, viewer: Audience): Sql {
  const f = filtersFor(q, viewer);
  const w = new Sql().add(f.text, ...f.params);
  if (q.text) {
    const tsq = tsqueryLiteral(q.text);
    const t = textMatch(viewer, tsq);
    w.add(` and (d.meta_tsv @@ ?::tsquery or `, tsq).add(t.text, ...t.params).add(`)`);
  }
  return w;
}

function orderBy(q: Sortable, alias: string): string {
  const sort = q.sort === 'relevance' && !q.text ? 'added' : q.sort;
  switch (sort) {
    case 'relevance': return `${alias}rank desc, ${alias}record_id`;
    case 'title': return `${alias}title_sort, ${alias}record_id`;
    case 'year': return `${alias}year asc nulls last, ${alias}record_id`;
    case '-year': return `${alias}year desc nulls last, ${alias}record_id`;
    case 'added':
    default: return `${alias}record_created_at desc, ${alias}record_id`;
  }
}

const HIT_COLUMNS = ['record_id', 'title', 'authors', 'publisher', 'year', 'isbn', 'media_type', 'call_number', 'accession_number', 'copies', 'available_copies', 'availability'];

function hitFrom(r: unknown[]): SearchHit {
  const [id, title, authors, publisher, year, isbn, mediaType, callNumber, accessionNumber, copies, availableCopies, availability] = r as [
    string, string, string[], string | null, number | null, string | null, string, string | null, string | null, number, number, SearchHit['availability']];
  return { id, title, authors, publisher, year, isbn, mediaType, callNumber, accessionNumber, copies: Number(copies), availableCopies: Number(availableCopies), availability };
}

export class PostgresSearchIndex implements SearchIndex {
  readonly engine = 'postgres' as const;
  private readonly orm: Orm;
  private readonly clock: Clock;
  /** Matches collected per query: exact totals, facets and ranking up to here. */
  readonly candidateCap: number;
  /** Answers by query and viewer; null when caching is off (the benchmark measures both). */
  readonly cache: AnswerCache<SearchResult> | null;
  /** Suggestions, cached only when the generation costs nothing to know (`localGeneration`). */
  readonly suggestCache: AnswerCache<Suggestion[]> | null;
  /**
   * True when the indexer in this process is the only writer of the index, as on PGlite (no other
   * process can open its database): the generation is then a counter the indexer bumps in memory,
   * and a cached answer costs no query at all. Elsewhere it is read from search_generation_seq.
   */
  private readonly localGeneration: boolean;
  private generationCounter = 0;
  private stats: { value: SearchStatistics; at: number } | null = null;
  private statsLoading: Promise<SearchStatistics> | null = null;

  constructor(orm: Orm, clock: Clock, opts: { candidateCap?: number; cache?: boolean; localGeneration?: boolean } = {}) {
    this.orm = orm;
    this.clock = clock;
    this.candidateCap = opts.candidateCap ?? PG_CANDIDATE_CAP;
    this.cache = opts.cache === false ? null : new AnswerCache();
    this.localGeneration = opts.localGeneration ?? false;
    this.suggestCache = opts.cache === false || !this.localGeneration ? null : new AnswerCache(2000);
  }

  noteCommittedChange(): void {
    this.generationCounter++;
  }

  private async generation(): Promise<string> {
    if (this.localGeneration) return `local:${this.generationCounter}`;
    // Before its first nextval a sequence reports its start value as last_value, as it does after
    // the first nextval: is_called tells the two apart (otherwise the first index change would not
    // change the generation, and a cached answer would outlive it).
    const [row] = await sqlRows<{ g: string }>(this.orm.em.fork(), `select case when is_called then last_value else 0 end::text as g from search_generation_seq`);
    return row?.g ?? '0';
  }

  /** The planner's statistics, read at most once a minute; none (index everything) when they cannot be read. */
  private async statistics(): Promise<SearchStatistics> {
    if (this.stats && performance.now() - this.stats.at < STATISTICS_TTL_MS) return this.stats.value;
    this.statsLoading ??= loadSearchStatistics(this.orm.em.fork())
      .catch(() => NO_STATISTICS)
      .then((value) => {
        this.stats = { value, at: performance.now() };
        return value;
      })
      .finally(() => { this.statsLoading = null; });
    return this.statsLoading;
  }

  /** The cached answer, or a fresh one cached under the generation read before computing it. */
  private async cached<T>(cache: AnswerCache<T> | null, key: string, compute: () => Promise<T>): Promise<T> {
    if (!cache) return compute();
    const generation = await this.generation();
    const hit = cache.get(key, generation);
    if (hit) return hit;
    const value = await compute();
    cache.set(key, generation, value);
    return value;
  }

  async ensure(): Promise<{ created: boolean }> {
    return { created: false }; // the migration made everything, and queued every existing record
  }

  private run(ctx: IndexWriteContext | undefined, sql: string, params: unknown[]): Promise<void> {
    return sqlRun(ctx?.tx ?? this.orm.em.fork(), sql, params);
  }

  async index(docs: SearchDocument[], ctx?: IndexWriteContext): Promise<void> {
    if (!docs.length) return;
    const now = this.clock();
    let batch: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      await this.run(ctx, UPSERT, [`[${batch.join(',')}]`]);
      batch = [];
      bytes = 0;
    };
    for (const doc of docs) {
      const json = JSON.stringify(documentRow(doc, now));
      if (bytes + json.length > MAX_BATCH_BYTES) await flush();
      batch.push(json);
      bytes += json.length;
    }
    await flush();
    const vocabulary = [...new Set(docs.flatMap(vocabularyOf))];
    if (vocabulary.length) {
      await this.run(ctx, `insert into search_terms (term) select unnest(?::text[]) on conflict do nothing`, [arrayLiteral(vocabulary)]);
    }
  }

  async remove(ids: string[], ctx?: IndexWriteContext): Promise<void> {
    if (!ids.length) return;
    await this.run(ctx, `delete from search_documents where record_id = any(?::uuid[])`, [arrayLiteral(ids)]);
  }

  async search(q: SearchQuery, viewer: Audience): Promise<SearchResult> {
    return this.cached(this.cache, `s:${viewer}:${JSON.stringify(q)}`, () => this.searchNow(q, viewer));
  }

  private async searchNow(q: SearchQuery, viewer: Audience): Promise<SearchResult> {
    const em = this.orm.em.fork();
    const offset = (q.page - 1) * q.pageSize;
    const pageSize = offset >= TOTAL_CAP ? 0 : Math.min(q.pageSize, TOTAL_CAP - offset);
    // Up to the cap, or first a sample from the sample slice when the statistics expect many more
    // matches (matchesToCollect). The slice's count says how many there are likely to be in all; when
    // that is not well over the cap after all, the matches are collected again, everywhere, up to the cap.
    const stats = await this.statistics();
    const { words: ws, filters } = conditionsOf(q, stats);
    let cap = matchesToCollect(stats, ws, filters, this.candidateCap);
    let sampled = cap < this.candidateCap;
    let found = await this.collect(em, q, viewer, cap, pageSize, offset, sampled);
    if (sampled && !sampleAnswers(found.matched, cap, this.candidateCap)) {
      cap = this.candidateCap;
      sampled = false;
      found = await this.collect(em, q, viewer, cap, pageSize, offset, false);
    }
    // A sample is never complete: the slice holds an eighth of the matches. Its count (at most the
    // sample) is a lower bound, as the cap is for a query collected everywhere.
    const complete = !sampled && found.matched <= cap;
    let page = found.page;
    if (!complete && pageSize > 0 && (q.sort !== 'relevance' || !q.text)) {
      // Sorting by title, year or date stays exact over every match: an ordered index does the work.
      const where = whereFor(q, viewer);
      const exact = new Sql().add(`select json_build_array(${HIT_COLUMNS.map((c) => `d.${c}`).join(', ')}) as hit from search_documents d where `)
        .add(where.text, ...where.params).add(` order by ${orderBy(q, 'd.')} limit ? offset ?`, pageSize, offset);
      page = (await sqlRows<{ hit: unknown }>(em, exact.text, exact.params)).map((r) => parseJson<unknown[]>(r.hit)!);
    }
    // Facet values counted by the database over the matches collected: a few hundred pairs to parse, not an array per match.
    const triples = found.facets.map(([token, n]) => {
      const eq = token.indexOf('=');
      return { field: FACET_PREFIX[token.slice(0, eq)]!, value: token.slice(eq + 1), count: Number(n) };
    }).filter((t) => t.field);
    return {
      total: complete ? found.matched : Math.min(found.matched, cap),
      totalRelation: complete ? 'eq' : 'gte',
      facetsExact: complete,
      hits: page.map(hitFrom),
      facets: facetsFrom(triples, viewer),
    };
  }

  /**
   * One statement: at most `cap` + 1 matches (from the sample slice only, for a sample), their
   * number, their facet values, and, when the set is complete, the requested page with what the
   * results list shows. Collecting stops at the cap whatever the plan (no ORDER BY before the LIMIT, which would
   * make Postgres find and sort every match): for a broad query the set is the first matches the
   * scan meets (bitmap scans meet them in table order), for any other query it is every match. Each
   * candidate row is read once; only the page's rows are read again.
   */
  private async collect(em: EntityManager, q: SearchQuery, viewer: Audience, cap: number, pageSize: number, offset: number, sample: boolean) {
    const tsq = q.text ? tsqueryLiteral(q.text) : null;
    const filters = filtersFor(q, viewer);
    if (sample) filters.add(` and ${SAMPLE_SLICE}`);
    // Ranked on the small metadata vector (stored inline, title A, authors and subjects B, tags and
    // publisher C): a metadata match outranks a mention in file text, which ranks 0.
    const rank = tsq ? 'ts_rank(d.meta_tsv, ?::tsquery)' : '0::real';
    const columns = `d.record_id, d.record_created_at, d.title_sort, d.year, d.facets, ${rank} as rank`;
    const upToCap = 'limit ?';
    const main = new Sql();
    if (tsq) {
      // Metadata matches and matches that need file text are collected apart: the first read small
      // inline vectors, the second come from the GIN index of the records that have text, so no large
      // text vector is read row by row (each would be detoasted: 260 ms for a common word at 1M records).
      const text = textMatch(viewer, tsq);
      main.add(`with a as (select ${columns} from search_documents d where `, tsq).add(filters.text, ...filters.params)
        .add(` and d.meta_tsv @@ ?::tsquery ${upToCap}),`, tsq, cap + 1)
        .add(` b as (select ${columns} from search_documents d where `, tsq).add(filters.text, ...filters.params)
        .add(' and ').add(text.text, ...text.params).add(` and not (d.meta_tsv @@ ?::tsquery) ${upToCap}),`, tsq, cap + 1)
        .add(` m as materialized (select * from a union all select * from b limit ?)`, cap + 1);
    } else {
      main.add(`with m as materialized (select ${columns} from search_documents d where `).add(filters.text, ...filters.params)
        .add(` ${upToCap})`, cap + 1);
    }
    main.add(`
        select (select count(*) from m) as total,
               (select json_agg(json_build_array(f.v, f.n)) from (select v, count(*) as n from (select m.facets from m order by m.record_created_at desc, m.record_id desc limit ?) k,
                  unnest(k.facets) as v group by v) f) as facets,
               (select json_agg(json_build_array(${HIT_COLUMNS.map((c) => `d.${c}`).join(', ')}) order by ${orderBy(q, 'p.')})
                  from (select * from (select * from m order by m.record_created_at desc, m.record_id desc limit ?) k
                         order by ${orderBy(q, 'k.')} limit ? offset ?) p join search_documents d on d.record_id = p.record_id) as page`,
    cap, cap, pageSize, offset);
    const [row] = await sqlRows<{ total: string | number; facets: unknown; page: unknown }>(em, main.text, main.params);
    return {
      matched: Number(row?.total ?? 0),
      facets: parseJson<Array<[string, number]>>(row?.facets) ?? [],
      page: parseJson<unknown[][]>(row?.page) ?? [],
    };
  }

  async facets(q: SearchQuery, viewer: Audience): Promise<Facets> {
    return (await this.search({ ...q, page: 1, pageSize: 0 }, viewer)).facets;
  }

  /**
   * As you type: every word but the last is whole, the last is a prefix, over titles, authors and
   * subjects. First the titles that begin with what was typed (a range of the title index, in title
   * order), then the other records whose words match (suggestPlan says how, within bounded work).
   * When nothing matches, each word that is not an indexed word (for the last: not the start of one)
   * may be a close one instead: an indexed word within 1-2 edits, nearest first, ties broken by
   * pg_trgm similarity. Candidates come from btree ranges on the first two letters as typed, swapped,
   * or with the second skipped, so a typo from the third letter on, a swap of the first two or three,
   * and an extra second letter are all found ("histroy" -> "history"), in a millisecond or two; a typo
   * in the first two letters otherwise is not (as with Elasticsearch's prefix_length 2).
   */
  async suggest(prefix: string, viewer: Audience, limit = 10): Promise<Suggestion[]> {
    const ws = words(prefix).slice(0, 6);
    if (!ws.length) return [];
    return this.cached(this.suggestCache, `${viewer}:${limit}:${ws.join(' ')}`, () => this.suggestNow(ws, viewer, limit));
  }

  private async suggestNow(ws: string[], viewer: Audience, limit: number): Promise<Suggestion[]> {
    const em = this.orm.em.fork();
    const typed = ws.join(' ');
    const starting = await sqlRows<{ record_id: string; title: string }>(em,
      `select d.record_id, d.title from search_documents d
        where d.title_sort >= ? and d.title_sort < ? and d.audience <= ? order by d.title_sort, d.record_id limit ?`,
      [typed, nextPrefix(typed), viewer, limit]);
    const first = starting.map((r) => ({ id: r.record_id, title: r.title }));
    if (first.length >= limit) return first;
    const stats = await this.statistics();
    // Titles that begin with the typed words are the answer people expect; the other matches only
    // fill the list when that is cheap (common words in the middle of titles are not).
    const exact = await this.wordMatches(em, stats, ws.map((w) => [w]), viewer, limit + first.length, first.length ? SUGGEST_FILL_BUDGET_US : Infinity);
    if (exact.length || first.length) return mergeSuggestions(first, exact, limit);
    const near = await this.nearWords(em, ws);
    const alternatives = ws.map((w) => [w, ...(near.get(w) ?? [])]);
    if (alternatives.every((a) => a.length === 1)) return first;
    return mergeSuggestions(first, await this.wordMatches(em, stats, alternatives, viewer, limit), limit);
  }

  /**
   * Records whose title, authors or subjects hold every word (one of its alternatives), the last one
   * as a prefix. The GIN index answers only the selective words; a common one is checked on the rows
   * those found (a prefix like "the" would otherwise make the index union the postings of every word
   * it starts: 60-70 ms at 1M records). When every word is common, titles are read in title order
   * and checked until enough match, which is quick because so many do. Rows checked are bounded
   * (SUGGEST_CHECK_ROWS; fewer when filling a list that has titles already, within budgetUs).
   */
  private async wordMatches(em: EntityManager, stats: SearchStatistics, alternatives: string[][], viewer: Audience, limit: number, budgetUs = Infinity): Promise<Suggestion[]> {
    const last = alternatives.length - 1;
    const lexeme = (w: string, i: number, k: number, weights: string) => {
      const label = (i === last && k === 0 ? '*' : '') + weights; // the typed prefix, then the weights
      return label ? `'${w}':${label}` : `'${w}'`;
    };
    const group = (alts: string[], i: number, weights: string) => `(${alts.map((w, k) => lexeme(w, i, k, weights)).join(' | ')})`;
    const full = alternatives.map((alts, i) => group(alts, i, 'AB')).join(' & ');
    const shares = alternatives.map((alts, i) => Math.min(1, alts.reduce((sum, w, k) => sum + (i === last && k === 0 ? prefixShare(stats.meta, w) : wordShare(stats.meta, w)), 0)));
    const unions = alternatives.map((alts, i) => i === last || alts.length > 1);
    // Filling a list that has titles already needs a few more matches, not a ranking of many.
    const filling = budgetUs < Infinity;
    const candidates = filling ? SUGGEST_FILL_CANDIDATES : SUGGEST_CANDIDATES;
    const checkRows = filling ? SUGGEST_FILL_CHECK_ROWS : SUGGEST_CHECK_ROWS;
    const plan = suggestPlan(shares, stats.rows, limit, candidates, unions, checkRows);
    if (plan.costUs > budgetUs) return [];
    const found = (rows: Array<{ record_id: string; title: string }>) => rows.map((r) => ({ id: r.record_id, title: r.title }));
    if (plan.scan) {
      const rows = await sqlRows<{ record_id: string; title: string }>(em,
        `select d.record_id, d.title from (select d.record_id, d.title, d.title_sort, d.audience, d.meta_tsv from search_documents d order by d.title_sort, d.record_id limit ?) d
          where d.audience <= ? and ts_match_vq(d.meta_tsv, ?::tsquery) order by d.title_sort, d.record_id limit ?`,
        [SCAN_ROWS, viewer, full, limit]);
      // Filling a list that already has titles: what the bounded scan found is enough.
      if (rows.length >= limit || filling) return found(rows);
    }
    // The index is asked without weights, so it needs no recheck and every row it yields counts
    // against SUGGEST_CHECK_ROWS; weights and the words left out are checked on those rows.
    const indexed = alternatives.flatMap((alts, i) => (plan.indexed[i] ? [group(alts, i, '')] : [])).join(' & ');
    const rows = await sqlRows<{ record_id: string; title: string }>(em,
      `select c.record_id, c.title from (
         select d.record_id, d.title, d.title_sort, ts_rank(d.meta_tsv, q.q) as rank
           from (select d.record_id, d.title, d.title_sort, d.meta_tsv from search_documents d where d.audience <= ? and d.meta_tsv @@ ?::tsquery limit ?) d,
                (select ?::tsquery as q) q
          where ts_match_vq(d.meta_tsv, q.q) limit ?) c
        order by c.rank desc, c.title_sort, c.record_id limit ?`, [viewer, indexed, checkRows, full, candidates, limit]);
    return found(rows);
  }

  /**
   * Up to three indexed words within the allowed edits of each word that is not itself an indexed
   * word (the last word: not the start of one), nearest first. One statement gives, per word, the
   * btree ranges of candidates (each as one string: thousands of rows cost PGlite more to hand over
   * than to find) and, for the last word, whether it starts an indexed word; the edit distances are
   * counted here, and pg_trgm similarity is asked for only to order candidates tied at the third
   * place (computing it for every candidate cost 10-20 ms a typo on PGlite).
   */
  private async nearWords(em: EntityManager, ws: string[]): Promise<Map<string, string[]>> {
    const last = ws.length - 1;
    const ranges: Array<[word: string, kind: 'near' | 'prefix', lo: string, hi: string, min: number, max: number]> = [];
    ws.forEach((w, i) => {
      const edits = allowedEdits(w);
      if (!edits) return;
      const [a, b, c] = [...w] as [string, string, string | undefined];
      for (const p of new Set([a + b, b + a, ...(c ? [a + c] : [])])) ranges.push([w, 'near', p, nextPrefix(p), w.length - edits, w.length + edits]);
      if (i === last) ranges.push([w, 'prefix', w, nextPrefix(w), w.length + 1, 60]);
    });
    if (!ranges.length) return new Map();
    const rows = await sqlRows<{ w: string; kind: string; terms: string | null }>(em,
      `select r.w, r.kind, (select string_agg(s.term, ' ') from (select term from search_terms where term >= r.lo and term < r.hi and length(term) between r.minl and r.maxl
                                 limit case when r.kind = 'prefix' then 1 else 5000 end) s) as terms
         from (values ${ranges.map(() => '(?, ?, ?, ?, ?::int, ?::int)').join(', ')}) as r(w, kind, lo, hi, minl, maxl)`,
      ranges.flat());
    const out = new Map<string, string[]>();
    const tied = new Map<string, string[]>();
    for (const w of new Set(ranges.map((r) => r[0]))) {
      const mine = rows.filter((r) => r.w === w && r.terms);
      const terms = mine.flatMap((r) => r.terms!.split(' '));
      if (mine.some((r) => r.kind === 'prefix') || terms.includes(w)) continue; // the start of an indexed word, or one
      const max = allowedEdits(w);
      const near = [...new Set(terms)].map((term) => ({ term, d: editDistance(w, term, max) })).filter((r) => r.d <= max)
        .sort((x, y) => x.d - y.d || (x.term < y.term ? -1 : 1));
      out.set(w, near.slice(0, 3).map((r) => r.term));
      if (near.length > 3 && near[2]!.d === near[3]!.d) tied.set(w, near.filter((r) => r.d === near[2]!.d).map((r) => r.term));
    }
    if (tied.size) {
      const pairs = [...tied].flatMap(([w, ts]) => ts.map((t) => [w, t]));
      const sims = await sqlRows<{ w: string; t: string; sim: number }>(em,
        `select p.w, p.t, similarity(p.t, p.w) as sim from (values ${pairs.map(() => '(?, ?)').join(', ')}) as p(w, t)`, pairs.flat());
      for (const [w, ts] of tied) {
        const sim = new Map(sims.filter((r) => r.w === w).map((r) => [r.t, Number(r.sim)]));
        const nearer = out.get(w)!.filter((t) => !ts.includes(t));
        const ranked = [...ts].sort((x, y) => sim.get(y)! - sim.get(x)! || (x < y ? -1 : 1));
        out.set(w, [...nearer, ...ranked].slice(0, 3));
      }
    }
    return out;
  }

  async rebuild(): Promise<RebuildSession> {
    // In place: each batch overwrites its records' rows, so search keeps answering during a rebuild;
    // commit removes rows whose record is gone and refreshes the planner's statistics, as deep as the
    // catalogue's size calls for.
    return {
      write: (docs, ctx) => this.index(docs, ctx),
      commit: async (ctx) => {
        await this.run(ctx, `delete from search_documents d where not exists (select 1 from records r where r.id = d.record_id)`, []);
        const em = ctx?.tx ?? this.orm.em.fork();
        const [count] = await sqlRows<{ n: number | string }>(em, `select count(*) as n from search_documents`);
        if ((await keepStatisticsDeep(em, Number(count?.n ?? 0))) === null) await this.run(ctx, `analyze search_documents`, []);
      },
      abort: async () => undefined,
    };
  }

  async refresh(): Promise<void> {}

  /**
   * GIN indexes take new entries into an unsorted pending list (fastupdate: cheap writes, up to
   * 4 MB), and every search reads that whole list beside the index proper. After a burst of writes
   * that is ~300 pages per query (5-10 ms at 1M records, for every keyword search and suggestion),
   * so the indexer merges the lists once it has caught up, off the search path.
   */
  async mergePendingWrites(): Promise<void> {
    await sqlRows(this.orm.em.fork(),
      `select gin_clean_pending_list(i.indexrelid) from pg_index i
         join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
        where i.indrelid = 'search_documents'::regclass and am.amname = 'gin'`);
    // A catalogue that grew past a step of 100,000 documents gets deeper statistics (once per step, from 250,000 on).
    await keepStatisticsDeep(this.orm.em.fork());
  }

  async ping(): Promise<void> {
    await sqlRows(this.orm.em.fork(), `select 1 from search_documents limit 1`);
  }

  async close(): Promise<void> {}
}

/** The smallest string greater than every string starting with `prefix` (byte order, as the title index). */
function nextPrefix(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCodePoint(prefix.at(-1)!.codePointAt(0)! + 1);
}

/** The titles that begin with what was typed, then the other matches, without repeats. */
function mergeSuggestions(first: Suggestion[], more: Suggestion[], limit: number): Suggestion[] {
  const seen = new Set(first.map((s) => s.id));
  return [...first, ...more.filter((s) => !seen.has(s.id))].slice(0, limit);
}

function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
