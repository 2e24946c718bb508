import type { EntityManager } from '@mikro-orm/sql';
import { arrayLiteral } from './pg-text.ts';
import { searchDocumentFrom, type SearchDocument, type SourceRecord } from './search-document.ts';
import { sqlRows } from './sql-rows.ts';

// Reads records with everything the index needs in one statement: subjects, tags, copies and the
// text and access of every file. Read-only; the indexer calls it inside its transaction.

const SELECT = `
  select r.id, r.title, r.authors, r.publisher, r.year, r.isbn, r.media_type, r.created_at,
    coalesce((select array_agg(s.name order by s.name) from record_subjects rs join subjects s on s.id = rs.subject_id where rs.record_id = r.id), '{}') as subjects,
    coalesce((select array_agg(t.name order by t.name) from record_tags rt join tags t on t.id = rt.tag_id where rt.record_id = r.id), '{}') as tags,
    i.copies, i.available_copies, i.call_number, i.accession_number,
    coalesce((select json_agg(json_build_object('access', f.access, 'embargoUntil', f.embargo_until, 'text', f.extracted_text) order by f.created_at, f.id)
                from files f where f.record_id = r.id), '[]') as files
  from records r
  left join lateral (
    select count(*) as copies, count(*) filter (where it.status = 'available') as available_copies,
           min(it.call_number) as call_number, min(it.accession_number) as accession_number
      from items it where it.record_id = r.id
  ) i on true`;

interface Row {
  id: string; title: string; authors: string[] | string; publisher: string | null; year: number | null; isbn: string | null; media_type: string;
  created_at: Date | string; subjects: string[] | string; tags: string[] | string; copies: number | string; available_copies: number | string;
  call_number: string | null; accession_number: string | null; files: SourceRecord['files'] | string;
}

// PGlite and node-postgres both parse text[] and json, but be tolerant of a driver that does not.
const pgArray = (v: string[] | string): string[] => {
  if (Array.isArray(v)) return v;
  if (v === '{}') return [];
  return v.slice(1, -1).match(/"((?:[^"\\]|\\.)*)"|[^,]+/g)?.map((s) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s)) ?? [];
};

function toSource(r: Row): SourceRecord {
  return {
    id: r.id, title: r.title, authors: pgArray(r.authors), publisher: r.publisher, year: r.year === null ? null : Number(r.year), isbn: r.isbn,
    mediaType: r.media_type, createdAt: r.created_at, subjects: pgArray(r.subjects), tags: pgArray(r.tags),
    copies: Number(r.copies), availableCopies: Number(r.available_copies), callNumber: r.call_number, accessionNumber: r.accession_number,
    files: typeof r.files === 'string' ? JSON.parse(r.files) : r.files,
  };
}

/** Documents for these records; ids of records that no longer exist are simply absent. */
export async function documentsLoader(em: EntityManager, ids: string[], now: Date): Promise<SearchDocument[]> {
  if (!ids.length) return [];
  const rows = await sqlRows<Row>(em, `${SELECT} where r.id = any(?::uuid[])`, [arrayLiteral(ids)]);
  return rows.map((r) => searchDocumentFrom(toSource(r), now));
}

/** One page of every record in id order (keyset pagination, so a rebuild of millions stays linear). */
export async function documentsPageLoader(em: EntityManager, afterId: string | null, limit: number, now: Date): Promise<SearchDocument[]> {
  const rows = await sqlRows<Row>(em, `${SELECT} ${afterId ? 'where r.id > ?::uuid' : ''} order by r.id limit ?`, afterId ? [afterId, limit] : [limit]);
  return rows.map((r) => searchDocumentFrom(toSource(r), now));
}
