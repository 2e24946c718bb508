import type { EntityManager } from '@mikro-orm/sql';
import { columnStatistics, NO_STATISTICS, type PgStatsRow, type SearchStatistics } from './search-statistics.ts';
import { sqlRows } from './sql-rows.ts';

/** The planner's statistics of the metadata and text vectors and of the filter tokens (search-statistics.ts says what they are for). */
export async function loadSearchStatistics(em: EntityManager): Promise<SearchStatistics> {
  const rows = await sqlRows<PgStatsRow & { attname: string; documents: number | string }>(em,
    `select s.attname, s.most_common_elems::text as elems, s.most_common_elem_freqs::text as freqs, s.null_frac as "nullFrac", c.reltuples as documents
       from pg_stats s join pg_class c on c.oid = 'search_documents'::regclass
      where s.schemaname = current_schema() and s.tablename = 'search_documents' and s.attname in ('meta_tsv', 'terms', 'tsv')`);
  const meta = rows.find((r) => r.attname === 'meta_tsv');
  const documents = Number(meta?.documents ?? 0);
  if (!meta || !(documents > 0)) return NO_STATISTICS; // never analysed
  const of = (attname: string) => columnStatistics(rows.find((r) => r.attname === attname));
  return { rows: documents, meta: columnStatistics(meta), terms: of('terms'), text: of('tsv') };
}
