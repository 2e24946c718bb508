import type { EntityManager } from '@mikro-orm/sql';
import { sqlRun } from './sql-rows.ts';

// Search events for analytics (issue 6 aggregates them): the query text, the fielded filters, how
// many records matched and whether none did, when, and how long it took. Never who searched: no
// user id, session, IP address or user agent is recorded.

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

export async function searchEventRecorder(em: EntityManager, e: SearchEvent): Promise<void> {
  await sqlRun(em,
    `insert into search_events (occurred_at, query, filters, sort, result_count, total_relation, no_results, took_ms, engine) values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)`,
    [e.occurredAt, e.query ? e.query.slice(0, 500) : null, JSON.stringify(e.filters), e.sort, e.resultCount, e.totalRelation, e.resultCount === 0, Math.round(e.tookMs), e.engine]);
}
