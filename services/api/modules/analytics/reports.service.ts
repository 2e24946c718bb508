// The staff reports of seed 002 ("All books, Overdue books, Books by subject, Books in circulation",
// the customer reports with "Max Books / Max Fine - supervisor mode only") and seed 003 ("Display
// books on loan", "books on reservation" with membership id and name, "members who have outstanding
// fines", "the books on loan to a member given the membership id"), under the names of API.md.
// Every report is a list of columns (some for supervisors only), sort keys and a loader that returns
// one page. Patron reports go through the patrons service, which decrypts contact details and hides
// the limits from non-supervisors; the others are read-only SQL over the catalogue and circulation.
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { notFound, validationFailed } from '../../http/problem.ts';
import { SUPERVISORS, type Role } from '../../http/roles.ts';
import { daysLate, overdueFineCents } from '../circulation/fines.ts';
import { policyInForce } from '../circulation/policy-store.ts';
import type { CirculationPolicy } from '../circulation/policy.ts';
import { patronLoader } from '../patrons/patron.repository.ts';
import { patronLister } from '../patrons/patrons.service.ts';

export const REPORT_NAMES = [
  'books', 'overdue', 'by-subject', 'in-circulation', 'on-reservation', 'patrons', 'patrons-with-loans', 'patrons-with-overdue',
  'patrons-with-fines', 'deleted-books', 'member-loans',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportColumn { key: string; header: string; supervisorOnly?: boolean }

export type ReportRow = Record<string, unknown>;

export interface ReportRequest {
  sort: { key: string; desc: boolean };
  limit: number;
  offset: number;
  params: { membershipId?: string | undefined; subject?: string | undefined };
  viewerRoles: readonly string[];
}

interface ReportDefinition {
  title: string;
  columns: ReportColumn[];
  /** Sort key -> SQL order (ascending; a leading "-" in the request reverses the first term). */
  sorts: Record<string, string[]>;
  defaultSort: string;
  load(deps: Deps, em: EntityManager, req: ReportRequest): Promise<{ total: number; rows: ReportRow[]; context?: Record<string, unknown> }>;
}

const col = (key: string, header: string, supervisorOnly = false): ReportColumn => ({ key, header, ...(supervisorOnly ? { supervisorOnly } : {}) });

function orderBy(def: ReportDefinition, sort: { key: string; desc: boolean }): string {
  const terms = def.sorts[sort.key]!;
  // "desc" goes before a NULLS clause ("year desc nulls last"); appended after it, it is a syntax error.
  return terms.map((t, i) => (i === 0 && sort.desc ? t.replace(/(\s+nulls\s+(first|last))?$/i, ' desc$1') : t)).join(', ');
}

/** Counts and pages a SELECT whose columns are named as the report's keys. */
async function sqlPage(em: EntityManager, def: ReportDefinition, req: ReportRequest, select: string, params: unknown[]) {
  const [count] = await em.execute<Array<{ n: string | number }>>(`select count(*) as n from (${select}) x`, params);
  const rows = await em.execute<ReportRow[]>(`select * from (${select}) x order by ${orderBy(def, req.sort)} limit ? offset ?`, [...params, req.limit, req.offset]);
  return { total: Number(count?.n ?? 0), rows };
}

/** Timestamps leave SQL as ISO 8601 UTC strings: both drivers agree, and they sort as text. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUBJECTS_OF = (record: string) => `coalesce((select array_agg(s.name order by s.name) from record_subjects rs join subjects s on s.id = rs.subject_id where rs.record_id = ${record}), '{}')`;

function fineSoFar(policy: CirculationPolicy, row: ReportRow, now: Date): { daysOverdue: number; fineToDateCents: number | null } {
  const dueAt = new Date(row.dueAt as string | Date);
  try {
    return {
      daysOverdue: daysLate(policy, String(row.loanCategory), dueAt, now),
      fineToDateCents: overdueFineCents(policy, String(row.loanCategory), dueAt, now, row.replacementCostCents === null ? null : Number(row.replacementCostCents)),
    };
  } catch {
    // A loan category the policy no longer defines: the days are still days.
    return { daysOverdue: Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / 86_400_000)), fineToDateCents: null };
  }
}

const LOAN_BOOK_COLUMNS = [
  col('accessionNumber', 'Accession number'), col('callNumber', 'Call number'), col('title', 'Title'), col('authors', 'Authors'),
  col('isbn', 'ISBN'), col('publisher', 'Publisher'), col('year', 'Year'),
];

const OPEN_LOANS = (extraWhere: string) => `
  select l.id as "loanId", i.accession_number as "accessionNumber", i.call_number as "callNumber", r.id as "recordId", r.title, r.authors, r.isbn,
         r.publisher, r.year, p.membership_id as "membershipId", ${iso('l.loaned_at')} as "loanedAt", ${iso('l.due_at')} as "dueAt", (l.due_at < ?) as overdue
    from loans l
    left join items i on i.id = l.item_id
    left join records r on r.id = i.record_id
    left join patrons p on p.id = l.patron_id
   where l.returned_at is null ${extraWhere}`;

/** The patron reports: one shape, a filter of the patrons service, and a few columns of their own. */
function patronReport(title: string, filter: { hasLoans?: boolean; hasOverdue?: boolean; hasFines?: boolean }, own: ReportColumn[]): ReportDefinition {
  return {
    title,
    columns: [
      col('membershipId', 'Membership id'), col('name', 'Name'), col('faculty', 'Faculty'), col('phone', 'Phone'), col('email', 'Email'),
      col('address', 'Address'), col('category', 'Category'), ...own,
      // Seed 002: "Max Books - supervisor mode only", "Max Fine - supervisor mode only".
      col('maxBooks', 'Max books', true), col('maxFineCents', 'Max fine (cents)', true),
    ],
    sorts: { name: ['name'], membershipId: ['membershipId'], created: ['created'] },
    defaultSort: 'name',
    async load(deps, em, req) {
      // The patrons service sorts; it knows name, membership id and newest first.
      if (req.sort.desc) throw validationFailed('Patron reports sort by name or membershipId (A to Z) or created (newest first).', [{ path: 'sort', message: 'no descending order here' }]);
      const sort = req.sort.key as 'name' | 'membershipId' | 'created';
      const page = Math.floor(req.offset / req.limit) + 1;
      const listed = await patronLister(deps, em, { ...filter, sort, page, pageSize: req.limit } as Parameters<typeof patronLister>[2], req.viewerRoles);
      const items = listed.items as Array<Record<string, unknown>>;
      return {
        total: listed.total,
        rows: items.map((p) => ({
          membershipId: p.membershipId, name: p.name, faculty: p.faculty, phone: p.phone, email: p.email, address: p.address, category: p.category,
          finesCents: p.balanceCents, restricted: p.restricted, openLoans: p.openLoanCount, overdueLoans: p.overdueLoanCount,
          maxBooks: p.maxLoans, maxFineCents: p.maxFineCents,
        })),
      };
    },
  };
}

export const REPORTS: Record<ReportName, ReportDefinition> = {
  books: {
    title: 'All books',
    columns: [
      col('callNumber', 'Call number'), col('accessionNumber', 'Accession number'), col('title', 'Title'), col('authors', 'Authors'), col('isbn', 'ISBN'),
      col('publisher', 'Publisher'), col('year', 'Year'), col('edition', 'Edition'), col('version', 'Version'), col('subjects', 'Subjects'),
      col('loanCategory', 'Category'), col('location', 'Location'), col('floor', 'Floor'), col('mediaType', 'Media type'),
      col('replacementCostCents', 'Cost (cents)'), col('status', 'Circulation status'),
    ],
    sorts: { title: ['lower(title)', '"callNumber"'], callNumber: ['"callNumber"'], accessionNumber: ['"accessionNumber"'], year: ['year nulls last', 'lower(title)', '"callNumber"'], added: ['"addedAt"', '"callNumber"'], status: ['status', '"callNumber"'] },
    defaultSort: 'title',
    load: (deps, em, req) => sqlPage(em, REPORTS.books, req, `
      select i.id as "itemId", i.call_number as "callNumber", i.accession_number as "accessionNumber", r.id as "recordId", r.title, r.authors, r.isbn,
             r.publisher, r.year, r.edition, r.version, ${SUBJECTS_OF('r.id')} as subjects, i.loan_category as "loanCategory", i.location, i.floor,
             i.media_type as "mediaType", i.replacement_cost_cents as "replacementCostCents",
             -- Seed 002 lists Overdue as a circulation status; it is derived from the open loan's due date.
             case when i.status = 'on-loan' and exists (select 1 from loans l where l.item_id = i.id and l.returned_at is null and l.due_at < ?) then 'overdue' else i.status end as status,
             ${iso('i.created_at')} as "addedAt"
        from items i join records r on r.id = i.record_id`, [deps.clock()]),
  },
  overdue: {
    title: 'Overdue books',
    columns: [
      col('callNumber', 'Call number'), col('accessionNumber', 'Accession number'), col('title', 'Title'), col('membershipId', 'Membership id'),
      col('name', 'Name'), col('loanedAt', 'Loaned'), col('dueAt', 'Due'), col('daysOverdue', 'Days overdue'), col('fineToDateCents', 'Fine so far (cents)'),
    ],
    sorts: { dueAt: ['"dueAt"', '"callNumber"'], title: ['lower(title)', '"dueAt"'], membershipId: ['"membershipId"', '"dueAt"'], name: ['lower(name)', '"dueAt"'] },
    defaultSort: 'dueAt',
    async load(deps, em, req) {
      const now = deps.clock();
      const page = await sqlPage(em, REPORTS.overdue, req, `
        select l.id as "loanId", i.call_number as "callNumber", i.accession_number as "accessionNumber", r.title, r.authors, p.membership_id as "membershipId",
               p.name, ${iso('l.loaned_at')} as "loanedAt", ${iso('l.due_at')} as "dueAt", l.loan_category as "loanCategory", i.replacement_cost_cents as "replacementCostCents"
          from loans l left join items i on i.id = l.item_id left join records r on r.id = i.record_id left join patrons p on p.id = l.patron_id
         where l.returned_at is null and l.due_at < ?`, [now]);
      const policy = await policyInForce(em);
      return { total: page.total, rows: page.rows.map((r) => ({ ...r, ...fineSoFar(policy, r, now) })) };
    },
  },
  'by-subject': {
    title: 'Books by subject',
    columns: [
      col('subject', 'Subject'), col('title', 'Title'), col('authors', 'Authors'), col('isbn', 'ISBN'), col('publisher', 'Publisher'), col('year', 'Year'),
      col('copies', 'Copies'), col('availableCopies', 'Available'),
    ],
    sorts: { subject: ['lower(subject)', 'lower(title)', '"recordId"'], title: ['lower(title)', 'lower(subject)', '"recordId"'] },
    defaultSort: 'subject',
    load: (_deps, em, req) => sqlPage(em, REPORTS['by-subject'], req, `
      select s.name as subject, r.id as "recordId", r.title, r.authors, r.isbn, r.publisher, r.year,
             (select count(*) from items i where i.record_id = r.id)::int as copies,
             (select count(*) from items i where i.record_id = r.id and i.status = 'available')::int as "availableCopies"
        from subjects s join record_subjects rs on rs.subject_id = s.id join records r on r.id = rs.record_id
       ${req.params.subject ? 'where lower(s.name) = lower(?)' : ''}`, req.params.subject ? [req.params.subject] : []),
  },
  'in-circulation': {
    title: 'Books in circulation (on loan)',
    columns: [...LOAN_BOOK_COLUMNS, col('membershipId', 'Membership id'), col('loanedAt', 'Loaned'), col('dueAt', 'Due'), col('overdue', 'Overdue')],
    sorts: { title: ['lower(title)', '"accessionNumber"'], accessionNumber: ['"accessionNumber"'], dueAt: ['"dueAt"', '"accessionNumber"'], membershipId: ['"membershipId"', '"dueAt"'] },
    defaultSort: 'title',
    load: (deps, em, req) => sqlPage(em, REPORTS['in-circulation'], req, OPEN_LOANS(''), [deps.clock()]),
  },
  'on-reservation': {
    title: 'Books on reservation',
    columns: [
      col('accessionNumber', 'Accession number'), col('callNumber', 'Call number'), col('title', 'Title'), col('membershipId', 'Membership id'), col('name', 'Name'),
      col('status', 'Status'), col('placedAt', 'Reserved'), col('readyUntil', 'Pick up by'),
    ],
    sorts: { placedAt: ['"placedAt"', '"holdId"'], title: ['lower(title)', '"placedAt"'], membershipId: ['"membershipId"', '"placedAt"'], accessionNumber: ['"accessionNumber"'] },
    defaultSort: 'placedAt',
    load: (_deps, em, req) => sqlPage(em, REPORTS['on-reservation'], req, `
      select h.id as "holdId", i.accession_number as "accessionNumber", i.call_number as "callNumber", r.title, p.membership_id as "membershipId", p.name,
             h.status, ${iso('h.placed_at')} as "placedAt", ${iso('h.ready_until')} as "readyUntil"
        from holds h left join items i on i.id = h.item_id left join records r on r.id = i.record_id left join patrons p on p.id = h.patron_id
       where h.status in ('waiting', 'ready')`, []),
  },
  patrons: patronReport('Patrons', {}, [col('finesCents', 'Fines (cents)'), col('restricted', 'Restricted'), col('openLoans', 'Books on loan')]),
  'patrons-with-loans': patronReport('Patrons with books on loan', { hasLoans: true }, [col('openLoans', 'Books on loan'), col('finesCents', 'Fines (cents)')]),
  'patrons-with-overdue': patronReport('Patrons with overdue books', { hasOverdue: true }, [col('overdueLoans', 'Overdue books'), col('finesCents', 'Fines (cents)')]),
  'patrons-with-fines': patronReport('Patrons with outstanding fines', { hasFines: true }, [col('finesCents', 'Fines (cents)')]),
  'deleted-books': {
    title: 'Deleted books',
    columns: [
      col('deletedAt', 'Deleted'), col('entityType', 'What'), col('callNumber', 'Call number'), col('accessionNumber', 'Accession number'), col('title', 'Title'),
      col('isbn', 'ISBN'), col('reason', 'Reason'), col('deletedBy', 'Deleted by'),
    ],
    sorts: { deletedAt: ['"deletedAt"', 'id'], title: ['lower(title)', 'id'] },
    defaultSort: '-deletedAt',
    load: (_deps, em, req) => sqlPage(em, REPORTS['deleted-books'], req, `
      select d.id, d.entity_type as "entityType", d.entity_id as "entityId", d.snapshot->>'callNumber' as "callNumber", d.snapshot->>'accessionNumber' as "accessionNumber",
             coalesce(d.snapshot->>'title', r.title, rd.snapshot->>'title') as title, coalesce(d.snapshot->>'isbn', r.isbn, rd.snapshot->>'isbn') as isbn,
             d.reason, u.username as "deletedBy", ${iso('d.deleted_at')} as "deletedAt"
        from deletion_log d
        left join records r on d.entity_type = 'item' and r.id::text = d.snapshot->>'recordId'
        left join deletion_log rd on d.entity_type = 'item' and rd.entity_type = 'record' and rd.entity_id = d.snapshot->>'recordId'
        left join users u on u.id::text = d.deleted_by
       where d.entity_type in ('item', 'record')`, []),
  },
  'member-loans': {
    title: 'Books on loan to a member',
    columns: [...LOAN_BOOK_COLUMNS, col('loanedAt', 'Loaned'), col('dueAt', 'Due'), col('overdue', 'Overdue')],
    sorts: { dueAt: ['"dueAt"', '"accessionNumber"'], title: ['lower(title)', '"accessionNumber"'], accessionNumber: ['"accessionNumber"'] },
    defaultSort: 'dueAt',
    async load(deps, em, req) {
      if (!req.params.membershipId) throw validationFailed('membershipId is required for this report.', [{ path: 'membershipId', message: 'required' }]);
      const patron = await patronLoader(em, req.params.membershipId).catch(() => { throw notFound('Patron', req.params.membershipId); });
      const page = await sqlPage(em, REPORTS['member-loans'], req, OPEN_LOANS('and l.patron_id = ?'), [deps.clock(), patron.id]);
      return { ...page, context: { member: { membershipId: patron.membershipId, name: patron.name } } };
    },
  },
};

export const isSupervisor = (roles: readonly string[]) => roles.some((r) => SUPERVISORS.includes(r as Role));

/** The columns this viewer may see. */
export function visibleColumns(def: ReportDefinition, roles: readonly string[]): ReportColumn[] {
  const sup = isSupervisor(roles);
  return def.columns.filter((c) => sup || !c.supervisorOnly);
}

export function parseSort(def: ReportDefinition, raw: string | undefined): { key: string; desc: boolean } {
  const text = raw ?? def.defaultSort;
  const desc = text.startsWith('-');
  const key = desc ? text.slice(1) : text;
  if (!Object.hasOwn(def.sorts, key)) {
    throw validationFailed(`sort: one of ${Object.keys(def.sorts).map((k) => `${k}, -${k}`).join(', ')}`, [{ path: 'sort', message: 'unknown sort key' }]);
  }
  return { key, desc };
}

/** Rows with exactly the visible columns, dates as ISO strings. */
export function shapeRows(rows: readonly ReportRow[], columns: readonly ReportColumn[]): ReportRow[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => {
    const v = r[c.key];
    return [c.key, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v ?? null];
  })));
}
