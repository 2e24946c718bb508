import type { Orm } from '../../db/orm.ts';
import type { Logger } from '../../logger.ts';
import { sqlRun } from './sql-rows.ts';
import { BatchWriter } from '../../db/batch-writer.ts';

// Search events for analytics (issue 6 aggregates them): the query text, the fielded filters, how
// many records matched and whether none did, when, and how long it took. Never who searched: no
// user id, session, IP address or user agent is recorded.
//
// Events are written in batches (every second, or every 100 events), off the request path: one
// insert per search would cost a commit per search, which on the embedded database is a WAL flush
// (about 5 ms on PGlite). A crash loses at most the last second of events.

export interface SearchEvent {
  occurredAt: Date;
  query: string | null;
  filters: Record<string, string>;
  sort: string;
  resultCount: number;
  totalRelation: 'eq' | 'gte';
  tookMs: number;
  engine: string;
}

export class SearchEventRecorder {
  private readonly writer: BatchWriter<SearchEvent>;

  constructor(orm: Orm, log: Logger) {
    this.writer = new BatchWriter<SearchEvent>({
      what: 'search events', log, everyMs: 1000, at: 100,
      write: (batch) => sqlRun(orm.em.fork(),
        `insert into search_events (occurred_at, query, filters, sort, result_count, total_relation, no_results, took_ms, engine) values ${batch.map(() => '(?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((e) => [e.occurredAt, e.query ? e.query.slice(0, 500) : null, JSON.stringify(e.filters), e.sort, e.resultCount, e.totalRelation, e.resultCount === 0, Math.round(e.tookMs), e.engine])),
    });
  }

  record(e: SearchEvent): void {
    this.writer.add(e);
  }

  /** Writes what is buffered (the writer does it every second; tests and shutdown call it). */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
