import type { EntityManager } from '@mikro-orm/sql';
import { columnStatistics, NO_STATISTICS, statisticsTargetFor, statisticsTargetKeeps, type PgStatsRow, type SearchStatistics } from './search-statistics.ts';
import { sqlRows, sqlRun } from './sql-rows.ts';

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

/** The columns whose statistics the engine reads. */
const STATISTICS_COLUMNS = ['meta_tsv', 'tsv', 'terms'];

/**
 * Sets the statistics target the catalogue's size calls for (statisticsTargetFor) on the columns
 * the engine reads, and analyses the table when it changed, so the deeper statistics arrive at once
 * rather than at autovacuum's next ANALYZE (after a tenth of the rows have changed). `rows` is the
 * number of documents when known; otherwise the planner's estimate. Returns the target set, or null
 * when it was right already (statisticsTargetKeeps). The target only changes when the catalogue
 * crosses a step of 100,000 documents (from 250,000 on).
 */
export async function keepStatisticsDeep(em: EntityManager, rows?: number): Promise<number | null> {
  const [row] = await sqlRows<{ estimate: number | string; lowest: number | string; highest: number | string }>(em,
    `with t as (select c.reltuples, coalesce(nullif(a.attstattarget, -1), current_setting('default_statistics_target')::int) as target
                  from pg_class c join pg_attribute a on a.attrelid = c.oid
                 where c.oid = 'search_documents'::regclass and a.attname = any(?::text[]))
     select greatest(max(reltuples), 0) as estimate, min(target) as lowest, max(target) as highest from t`, [`{${STATISTICS_COLUMNS.join(',')}}`]);
  if (!row || row.lowest === null) return null;
  const documents = rows ?? Number(row.estimate);
  if (Number(row.lowest) === Number(row.highest) && statisticsTargetKeeps(Number(row.lowest), documents)) return null;
  const wanted = statisticsTargetFor(documents);
  await sqlRun(em, `alter table search_documents ${STATISTICS_COLUMNS.map((c) => `alter column ${c} set statistics ${wanted}`).join(', ')}`);
  await sqlRun(em, `analyze search_documents`);
  return wanted;
}
