// The circulation side of a physical copy: its status and the facts the rules need. This is the one
// file that touches the catalogue's `items` table from circulation (status moves between
// available / on-loan / on-hold here only); a catalogue service function could take its place.
import type { EntityManager } from '@mikro-orm/sql';
import { notFound, validationFailed } from '../../http/problem.ts';
import type { ItemStatus } from './item-status.ts';

export interface Copy {
  id: string;
  recordId: string;
  status: ItemStatus;
  loanCategory: string;
  replacementCostCents: number;
  callNumber: string;
  accessionNumber: string;
}

export interface CopyRef {
  itemId?: string | undefined;
  callNumber?: string | undefined;
  accessionNumber?: string | undefined;
}

interface CopyRow {
  id: string;
  record_id: string;
  status: string;
  loan_category: string;
  replacement_cost_cents: number;
  call_number: string;
  accession_number: string;
}

const COLUMNS = 'id, record_id, status, loan_category, replacement_cost_cents, call_number, accession_number';
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

const toCopy = (r: CopyRow): Copy => ({
  id: r.id, recordId: r.record_id, status: r.status as ItemStatus, loanCategory: r.loan_category,
  replacementCostCents: Number(r.replacement_cost_cents), callNumber: r.call_number, accessionNumber: r.accession_number,
});

/** The copy's id from exactly one of itemId, callNumber or accessionNumber; 404 when there is none. */
export async function copyIdResolver(em: EntityManager, ref: CopyRef): Promise<string> {
  copyRefChecker(ref);
  let rows: Array<{ id: string }>;
  if (ref.itemId !== undefined) {
    if (!isUuid(ref.itemId)) throw notFound('Item', ref.itemId);
    rows = await em.execute(`select id from items where id = ?`, [ref.itemId]);
  } else if (ref.callNumber !== undefined) {
    rows = await em.execute(`select id from items where call_number = ?`, [ref.callNumber]);
  } else {
    rows = await em.execute(`select id from items where accession_number = ?`, [ref.accessionNumber]);
  }
  const id = rows[0]?.id;
  if (!id) throw notFound('Item', ref.itemId ?? ref.callNumber ?? ref.accessionNumber);
  return id;
}

/** Checks a copy reference names the copy exactly one way (before any transaction starts). */
export function copyRefChecker(ref: CopyRef): void {
  const given = [ref.itemId, ref.callNumber, ref.accessionNumber].filter((v) => v !== undefined);
  if (given.length !== 1) throw validationFailed('Name the copy by exactly one of itemId, callNumber or accessionNumber.');
}

/**
 * Finds and locks the copy named by id, call number or accession number in one statement, with what
 * a loan's presentation shows of it (title, authors...: read once, not again after commit); 404
 * when there is none. The checkout's hot path (bench/README.md).
 */
export async function copyRefLocker(tx: EntityManager, ref: CopyRef): Promise<{ copy: Copy; summary: CopySummary }> {
  copyRefChecker(ref);
  const [column, value] = ref.itemId !== undefined ? ['id', ref.itemId] : ref.callNumber !== undefined ? ['call_number', ref.callNumber] : ['accession_number', ref.accessionNumber!];
  if (column === 'id' && !isUuid(value)) throw notFound('Item', value);
  const rows = await tx.execute<Array<CopyRow & { title: string; authors: string[]; isbn: string | null; publisher: string | null; year: number | null }>>(
    `select ${COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, r.title, r.authors, r.isbn, r.publisher, r.year
       from items i join records r on r.id = i.record_id where i.${column} = ? for update of i`, [value]);
  const r = rows[0];
  if (!r) throw notFound('Item', value);
  return {
    copy: toCopy(r),
    summary: { callNumber: r.call_number, accessionNumber: r.accession_number, recordId: r.record_id, title: r.title, authors: r.authors, isbn: r.isbn, publisher: r.publisher, year: r.year },
  };
}

/** Locks the copy's row for the rest of the transaction: the copy's loan and holds change under this lock only. */
export async function copyLocker(tx: EntityManager, id: string): Promise<Copy | null> {
  const rows = await tx.execute<CopyRow[]>(`select ${COLUMNS} from items where id = ? for update`, [id]);
  return rows[0] ? toCopy(rows[0]) : null;
}

export async function copyStatusSetter(tx: EntityManager, id: string, status: ItemStatus, now: Date): Promise<void> {
  await tx.execute(`update items set status = ?, updated_at = ? where id = ?`, [status, now, id], 'run');
}

/** Title and numbers of copies for listings (loans, holds), including copies since withdrawn (null then). */
export async function copySummariesLoader(em: EntityManager, ids: readonly string[]): Promise<Map<string, CopySummary>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await em.execute<Array<{ id: string; call_number: string; accession_number: string; record_id: string; title: string; authors: string[]; isbn: string | null; publisher: string | null; year: number | null }>>(
    `select i.id, i.call_number, i.accession_number, i.record_id, r.title, r.authors, r.isbn, r.publisher, r.year
       from items i join records r on r.id = i.record_id where i.id in (${unique.map(() => '?').join(', ')})`, unique);
  return new Map(rows.map((r) => [r.id, {
    callNumber: r.call_number, accessionNumber: r.accession_number, recordId: r.record_id, title: r.title, authors: r.authors,
    isbn: r.isbn, publisher: r.publisher, year: r.year,
  }]));
}

export interface CopySummary {
  callNumber: string;
  accessionNumber: string;
  recordId: string;
  title: string;
  authors: string[];
  isbn: string | null;
  publisher: string | null;
  year: number | null;
}
