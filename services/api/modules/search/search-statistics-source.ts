import type { EntityManager } from '@mikro-orm/sql';
import { columnStatistics, NO_STATISTICS, yearStatistics, type PgStatsRow, type SearchStatistics } from './search-statistics.ts';
import { sqlRows } from './sql-rows.ts';

/** The planner's statistics of search_documents (search-statistics.ts says what they are for). */
export async function loadSearchStatistics(em: EntityManager): Promise<SearchStatistics> {
  const rows = await sqlRows<PgStatsRow & { column: string; mcv: string | null; mcvFreqs: string | null; bounds: string | null; documents: number | string }>(em,
    `select s.attname as "column", s.most_common_elems::text as elems, s.most_common_elem_freqs::text as freqs, s.null_frac as "nullFrac",
            s.most_common_vals::text as mcv, s.most_common_freqs::text as "mcvFreqs", s.histogram_bounds::text as bounds, c.reltuples as documents
       from pg_stats s join pg_class c on c.oid = 'search_documents'::regclass
      where s.schemaname = current_schema() and s.tablename = 'search_documents' and s.attname in ('meta_tsv', 'tsv', 'terms', 'year')`);
  const of = (column: string) => rows.find((r) => r.column === column);
  const documents = Number(of('meta_tsv')?.documents ?? 0);
  if (!(documents > 0)) return NO_STATISTICS; // never analysed
  return {
    rows: documents,
    meta: columnStatistics(of('meta_tsv')),
    text: columnStatistics(of('tsv')),
    tokens: columnStatistics(of('terms')),
    years: yearStatistics(of('year')),
  };
}
