import type { EntityManager } from '@mikro-orm/sql';
import { columnStatistics, NO_STATISTICS, type PgStatsRow, type SearchStatistics } from './search-statistics.ts';
import { sqlRows } from './sql-rows.ts';

/** The planner's statistics of the metadata vector (search-statistics.ts says what they are for). */
export async function loadSearchStatistics(em: EntityManager): Promise<SearchStatistics> {
  const [row] = await sqlRows<PgStatsRow & { documents: number | string }>(em,
    `select s.most_common_elems::text as elems, s.most_common_elem_freqs::text as freqs, s.null_frac as "nullFrac", c.reltuples as documents
       from pg_stats s join pg_class c on c.oid = 'search_documents'::regclass
      where s.schemaname = current_schema() and s.tablename = 'search_documents' and s.attname = 'meta_tsv'`);
  const documents = Number(row?.documents ?? 0);
  if (!row || !(documents > 0)) return NO_STATISTICS; // never analysed
  return { rows: documents, meta: columnStatistics(row) };
}
