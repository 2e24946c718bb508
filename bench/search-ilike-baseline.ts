import type { EntityManager } from '@mikro-orm/sql';
import type { RecordListQuery } from '../services/api/modules/catalog/catalog.schema.ts';
import { parseIsbn } from '../services/api/modules/catalog/isbn.ts';

// The naive baseline of the search benchmark: the catalogue listing GET /api/v1/records answered
// before the SearchIndex existed (services/api/modules/catalog/record-lister.ts, kept here as it
// was): ILIKE substring scans over the catalogue tables, an exact count, and five facet queries.
// It matches substrings ("man" finds "Batman"), so it also answers a different, wrong question.

type Facet = Array<{ value: string; count: number }>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

export async function ilikeRecordLister(em: EntityManager, q: RecordListQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const like = (s: string) => `%${escapeLike(s)}%`;
  const authorsText = `array_to_string(r.authors, ' ')`;
  if (q.q) {
    for (const word of q.q.split(/\s+/).filter(Boolean).slice(0, 10)) {
      const isbn = parseIsbn(word);
      where.push(`(r.title ilike ? or ${authorsText} ilike ? or coalesce(r.publisher, '') ilike ? or r.isbn = ? or exists (select 1 from record_subjects rs join subjects s on s.id = rs.subject_id where rs.record_id = r.id and s.name ilike ?) or exists (select 1 from record_tags rt join tags t on t.id = rt.tag_id where rt.record_id = r.id and t.name ilike ?))`);
      params.push(like(word), like(word), like(word), isbn.ok ? isbn.isbn13 : word, like(word), like(word));
    }
  }
  if (q.title) { where.push(`r.title ilike ?`); params.push(like(q.title)); }
  if (q.author) { where.push(`${authorsText} ilike ?`); params.push(like(q.author)); }
  if (q.publisher) { where.push(`r.publisher ilike ?`); params.push(like(q.publisher)); }
  if (q.isbn) { const i = parseIsbn(q.isbn); where.push(`r.isbn = ?`); params.push(i.ok ? i.isbn13 : '-'); }
  if (q.year) {
    const [from, to] = q.year.split('-').map(Number);
    if (to === undefined) { where.push(`r.year = ?`); params.push(from); } else { where.push(`r.year between ? and ?`); params.push(from, to); }
  }
  if (q.mediaType) { where.push(`r.media_type = ?`); params.push(q.mediaType); }
  if (q.subject) { where.push(`exists (select 1 from record_subjects rs join subjects s on s.id = rs.subject_id where rs.record_id = r.id and lower(s.name) = lower(?))`); params.push(q.subject); }
  if (q.tag) { where.push(`exists (select 1 from record_tags rt join tags t on t.id = rt.tag_id where rt.record_id = r.id and lower(t.name) = lower(?))`); params.push(q.tag); }
  if (q.available) { where.push(`${q.available === 'true' ? '' : 'not '}exists (select 1 from items i where i.record_id = r.id and i.status = 'available')`); }

  const filter = where.length ? `where ${where.join(' and ')}` : '';
  const order = {
    relevance: 'r.created_at desc, r.id', added: 'r.created_at desc, r.id', title: 'lower(r.title), r.id', year: 'r.year nulls last, r.id', '-year': 'r.year desc nulls last, r.id',
  }[q.sort];
  const conn = em.getConnection();
  const offset = (q.page - 1) * q.pageSize;
  const base = `select r.id from records r ${filter}`;
  const [countRows, rows] = await Promise.all([
    conn.execute<Array<{ n: string | number }>>(`select count(*) as n from (${base}) b`, params),
    conn.execute<Array<Record<string, unknown>>>(
      `select r.id, r.title, r.authors, r.publisher, r.year, r.isbn, r.media_type,
              (select count(*) from items i where i.record_id = r.id) as copies,
              (select count(*) from items i where i.record_id = r.id and i.status = 'available') as available_copies,
              (select min(i.call_number) from items i where i.record_id = r.id) as call_number,
              (select min(i.accession_number) from items i where i.record_id = r.id) as accession_number
         from records r ${filter} order by ${order} limit ? offset ?`, [...params, q.pageSize, offset]),
  ]);
  const facet = async (sql: string): Promise<Facet> => (await conn.execute<Array<{ value: string; count: string | number }>>(sql, params))
    .map((r) => ({ value: String(r.value), count: Number(r.count) }));
  const [subject, mediaType, year, tag, availability] = await Promise.all([
    facet(`select s.name as value, count(*) as count from (${base}) b join record_subjects rs on rs.record_id = b.id join subjects s on s.id = rs.subject_id group by s.name order by count desc, s.name limit 30`),
    facet(`select r.media_type as value, count(*) as count from records r ${filter} group by r.media_type order by count desc, r.media_type`),
    facet(`select r.year as value, count(*) as count from records r ${filter} ${filter ? 'and' : 'where'} r.year is not null group by r.year order by r.year desc limit 50`),
    facet(`select t.name as value, count(*) as count from (${base}) b join record_tags rt on rt.record_id = b.id join tags t on t.id = rt.tag_id group by t.name order by count desc, t.name limit 30`),
    facet(`select case when exists (select 1 from items i where i.record_id = r.id and i.status = 'available') then 'available'
                       when exists (select 1 from items i where i.record_id = r.id) then 'unavailable' else 'no-copies' end as value, count(*) as count
             from records r ${filter} group by 1 order by 2 desc`),
  ]);
  return {
    total: Number(countRows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id, title: r.title, authors: r.authors, publisher: r.publisher, year: r.year, isbn: r.isbn, mediaType: r.media_type,
      callNumber: r.call_number ?? null, accessionNumber: r.accession_number ?? null,
      copies: Number(r.copies), availableCopies: Number(r.available_copies),
      availability: Number(r.available_copies) > 0 ? 'available' : Number(r.copies) > 0 ? 'unavailable' : 'no-copies',
    })),
    facets: { subject, mediaType, year, tag, availability },
  };
}

/** The naive "as you type": titles containing the typed text anywhere (no typo tolerance). */
export async function ilikeSuggester(em: EntityManager, prefix: string): Promise<Array<{ id: string; title: string }>> {
  const rows = await em.getConnection().execute(`select id, title from records where title ilike ? limit 10`, [`%${escapeLike(prefix.trim())}%`]);
  return rows as Array<{ id: string; title: string }>;
}
