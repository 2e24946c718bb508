import type { EntityManager } from '@mikro-orm/sql';
import type { Orm } from '../../db/orm.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { documentsLoader, documentsPageLoader } from './document-source.ts';
import { arrayLiteral } from './pg-text.ts';
import type { SearchDocument } from './search-document.ts';
import type { SearchIndex } from './search-index.ts';
import { sqlRows, sqlRun } from './sql-rows.ts';

// Drains search_outbox into the SearchIndex. Rows are written by database triggers in the same
// transaction as the change, and marked processed only after the index holds the new state, so a
// crash anywhere loses nothing: unprocessed rows are drained after the restart. Indexing reads the
// record's current state, so replaying a row twice is harmless.
//
// One drain at a time across every process (a transaction-scoped advisory lock): documents are
// written in the order their state was read, so an older read never overwrites a newer one, and
// a rebuild interleaves with drains batch by batch. On the Postgres engine the documents and the
// processed marks commit in one transaction. On Elasticsearch the bulk write happens inside that
// transaction and the marks commit after it (at-least-once; re-indexing is idempotent).

const LOCK_KEY = 7_306_820_044;
export const DRAIN_BATCH = 500;
const REBUILD_BATCH = 1000;
/** The read path only catches up a short backlog; a long one (an import) is the background loop's. */
const CATCH_UP_MAX = 200;
const PRUNE_EVERY_MS = 3_600_000;

export interface DrainResult { locked: boolean; rows: number; indexed: number; removed: number }
export interface RebuildProgress { done: number; total: number }

export interface SearchIndexerOptions {
  pollMs?: number;
  faults?: ReadonlySet<string>;
  /** Vacuum the outbox and the document table now and then (PGlite has no autovacuum). */
  vacuum?: boolean;
}

/** Rows processed between two vacuums when vacuuming is on (or ten minutes, whichever comes first). */
const VACUUM_EVERY_ROWS = 2_000;
const VACUUM_EVERY_MS = 600_000;

export class SearchIndexer {
  private readonly orm: Orm;
  private readonly index: SearchIndex;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly faults: ReadonlySet<string>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPrune = 0;
  private readonly vacuum: boolean;
  private rowsSinceVacuum = 0;
  private lastVacuum = Date.now();
  /** Documents were written since the index last merged its buffered writes. */
  private unmerged = false;

  constructor(orm: Orm, index: SearchIndex, clock: Clock, log: Logger, opts: SearchIndexerOptions = {}) {
    this.orm = orm;
    this.index = index;
    this.clock = clock;
    this.log = log;
    this.pollMs = opts.pollMs ?? 250;
    this.faults = opts.faults ?? new Set();
    this.vacuum = opts.vacuum ?? false;
  }

  private async lock(tx: EntityManager, wait: boolean): Promise<boolean> {
    const rows = await sqlRows<{ ok: boolean | null }>(tx,
      wait ? `select pg_advisory_xact_lock(?) is not null as ok` : `select pg_try_advisory_xact_lock(?) as ok`, [LOCK_KEY]);
    return Boolean(rows[0]?.ok);
  }

  /**
   * Tells caches of search answers (the Postgres engine's) that the index changed. After the commit,
   * never before: a search that read the old generation and then the new data caches newer data
   * under an older generation, which the next bump invalidates; the other order could cache old data
   * under the new generation.
   */
  private async bumpGeneration(): Promise<void> {
    await sqlRows(this.orm.em.fork(), `select nextval('search_generation_seq')`);
    this.index.noteCommittedChange?.();
  }

  /** Indexes the records of up to `limit` pending outbox rows (all pending rows of those records). */
  async drainOnce(limit = DRAIN_BATCH): Promise<DrainResult> {
    const result = await this.drainBatch(limit);
    if (result.indexed || result.removed) {
      this.unmerged = true;
      await this.bumpGeneration();
    }
    this.rowsSinceVacuum += result.rows;
    if (this.vacuum && this.rowsSinceVacuum && (this.rowsSinceVacuum >= VACUUM_EVERY_ROWS || Date.now() - this.lastVacuum >= VACUUM_EVERY_MS)) await this.vacuumNow();
    return result;
  }

  /**
   * Without vacuum, every processed outbox row and every replaced document stays behind as a dead
   * row that scans must step over: on PGlite (single-user Postgres, no autovacuum) the pending-rows
   * probe grew from microseconds to milliseconds after ten thousand changes. Outside a transaction.
   */
  async vacuumNow(): Promise<void> {
    this.rowsSinceVacuum = 0;
    this.lastVacuum = Date.now();
    const em = this.orm.em.fork();
    await sqlRun(em, `vacuum (analyze) search_outbox`);
    if (this.index.engine === 'postgres') {
      await sqlRun(em, `vacuum (analyze) search_documents`);
      // The suggestion vocabulary: vacuumed, its btree ranges are index-only scans (typos read
      // thousands of words a keystroke; from the table they cost PGlite a page each).
      await sqlRun(em, `vacuum (analyze) search_terms`);
    }
  }

  /** Once caught up (never on a search's catch-up path): see SearchIndex.mergePendingWrites. */
  private async mergeIfCaughtUp(): Promise<void> {
    if (!this.unmerged) return;
    this.unmerged = false;
    await this.index.mergePendingWrites?.();
  }

  private async drainBatch(limit: number): Promise<DrainResult> {
    return this.orm.em.fork().transactional(async (tx) => {
      if (!(await this.lock(tx, false))) return { locked: false, rows: 0, indexed: 0, removed: 0 };
      const now = this.clock();
      // Every pending row of the chosen records, as of this statement; the documents are read after
      // it, so they include every change these rows stand for.
      const claimed = await sqlRows<{ id: string | number; record_id: string }>(tx,
        `select o.id, o.record_id from search_outbox o
          where o.processed_at is null and (o.available_at is null or o.available_at <= ?)
            and o.record_id in (select p.record_id from search_outbox p
                                 where p.processed_at is null and (p.available_at is null or p.available_at <= ?)
                                 order by p.id limit ?)`, [now, now, limit]);
      if (!claimed.length) return { locked: true, rows: 0, indexed: 0, removed: 0 };
      const ids = [...new Set(claimed.map((r) => r.record_id))];
      const docs = await documentsLoader(tx, ids, now);
      const present = new Set(docs.map((d) => d.id));
      const gone = ids.filter((id) => !present.has(id));
      await this.index.index(docs, { tx });
      await this.index.remove(gone, { tx });
      await this.scheduleEmbargoEnds(tx, docs);
      if (this.faults.has('search-crash-before-ack')) process.kill(process.pid, 'SIGKILL');
      await sqlRun(tx, `update search_outbox set processed_at = clock_timestamp() where id = any(?::bigint[])`, [arrayLiteral(claimed.map((r) => String(r.id)))]);
      await this.pruneNow(tx);
      return { locked: true, rows: claimed.length, indexed: docs.length, removed: gone.length };
    });
  }

  /** Drains until nothing is due; returns the number of documents written or removed. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const r = await this.drainOnce();
      if (!r.locked) { await new Promise((res) => setTimeout(res, 20)); continue; }
      if (!r.rows) {
        await this.mergeIfCaughtUp();
        return n;
      }
      n += r.indexed + r.removed;
    }
  }

  /** Drains and makes the result visible to searches (tests, the CLI). */
  async settle(): Promise<void> {
    await this.drain();
    await this.index.refresh();
  }

  /**
   * Read-your-writes for the embedded default: before a search, index a short backlog inline, so a
   * librarian who has just added a record finds it. Postgres engine only (its writes are visible at
   * commit); skipped when another process is draining or the backlog is long.
   */
  async catchUp(): Promise<void> {
    if (this.index.engine !== 'postgres') return;
    const now = this.clock();
    const rows = await sqlRows<{ n: string | number }>(this.orm.em.fork(),
      `select count(*) as n from (select 1 from search_outbox where processed_at is null and (available_at is null or available_at <= ?) limit ?) p`,
      [now, CATCH_UP_MAX + 1]);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0 && n <= CATCH_UP_MAX) await this.drainOnce(CATCH_UP_MAX);
  }

  async pending(): Promise<number> {
    const rows = await sqlRows<{ n: string | number }>(this.orm.em.fork(),
      `select count(*) as n from search_outbox where processed_at is null and (available_at is null or available_at <= ?)`, [this.clock()]);
    return Number(rows[0]?.n ?? 0);
  }

  /** An embargo that ends changes who may find the record: queue it for that moment. */
  private async scheduleEmbargoEnds(tx: EntityManager, docs: SearchDocument[]): Promise<void> {
    for (const d of docs.filter((x) => x.reindexAt)) {
      await sqlRun(tx,
        `insert into search_outbox (record_id, source, available_at)
         select ?, 'embargo', ? where not exists (select 1 from search_outbox where record_id = ? and processed_at is null and available_at = ?)`,
        [d.id, d.reindexAt, d.id, d.reindexAt]);
    }
  }

  private async pruneNow(tx: EntityManager): Promise<void> {
    const t = Date.now();
    if (t - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = t;
    // Processed rows are kept a day: a rebuild replays the ones processed while it ran.
    await sqlRun(tx, `delete from search_outbox where processed_at < now() - interval '1 day'`);
  }

  /** Queues every record (an Elasticsearch index that was just created empty). */
  async enqueueAll(source = 'enqueue-all'): Promise<number> {
    const [row] = await sqlRows<{ n: string | number }>(this.orm.em.fork(),
      `with q as (insert into search_outbox (record_id, source) select id, ? from records returning 1) select count(*) as n from q`, [source]);
    return Number(row?.n ?? 0);
  }

  /**
   * Rebuilds the whole index from the database, batch by batch in id order. Searches keep working
   * meanwhile (Postgres: rows are overwritten in place; Elasticsearch: a new index behind the alias).
   * Changes drained while it runs are replayed afterwards, so none is lost to the swap.
   */
  async rebuild(onProgress?: (p: RebuildProgress) => void): Promise<{ records: number; seconds: number }> {
    const started = performance.now();
    const em = this.orm.em.fork();
    // The database's clock, not this process's: drains in other processes stamp rows with it too.
    const startedAt = (await sqlRows<{ t: string }>(em, `select (clock_timestamp() - interval '1 minute')::text as t`))[0]!.t;
    const total = Number((await sqlRows<{ n: string | number }>(em, `select count(*) as n from records`))[0]?.n ?? 0);
    const session = await this.index.rebuild();
    let done = 0;
    try {
      let after: string | null = null;
      for (;;) {
        const batch: SearchDocument[] = await this.orm.em.fork().transactional(async (tx) => {
          await this.lock(tx, true);
          const docs = await documentsPageLoader(tx, after, REBUILD_BATCH, this.clock());
          await session.write(docs, { tx });
          await this.scheduleEmbargoEnds(tx, docs);
          return docs;
        });
        if (!batch.length) break;
        await this.bumpGeneration();
        after = batch[batch.length - 1]!.id;
        done += batch.length;
        onProgress?.({ done, total: Math.max(total, done) });
      }
      await this.orm.em.fork().transactional(async (tx) => {
        await this.lock(tx, true);
        await session.commit({ tx });
        await sqlRun(tx, `update search_outbox set processed_at = null where processed_at >= ?::timestamptz`, [startedAt]);
      });
      await this.bumpGeneration();
      this.unmerged = false;
      await this.index.mergePendingWrites?.();
      if (this.vacuum) await this.vacuumNow();
    } catch (err) {
      await session.abort();
      throw err;
    }
    return { records: done, seconds: (performance.now() - started) / 1000 };
  }

  /** The background loop (in the API process by default, in `npm run worker` at scale). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      let failures = 0;
      while (this.running) {
        let busy = false;
        try {
          const r = await this.drainOnce();
          busy = r.rows > 0;
          if (r.locked && !busy) await this.mergeIfCaughtUp();
          failures = 0;
        } catch (err) {
          failures++;
          this.log.error({ err, failures }, 'search indexing failed; the changes stay queued');
        }
        if (busy || !this.running) continue;
        const wait = failures ? Math.min(30_000, this.pollMs * 2 ** failures) : this.pollMs;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => { this.wake = null; resolve(); }, wait);
          this.wake = () => { clearTimeout(t); this.wake = null; resolve(); };
        });
      }
    })();
  }

  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    this.loop = null;
  }
}
