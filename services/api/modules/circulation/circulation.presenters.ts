import type { EntityManager } from '@mikro-orm/sql';
import type { Hold, LedgerEntry, Loan } from './circulation.entities.ts';
import { copySummariesLoader, type CopySummary } from './copy-store.ts';
import { isOverdue } from './due-date.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function copyFields(s: CopySummary | undefined) {
  // A copy withdrawn since keeps its id; its numbers and title are in the deletion log.
  return s
    ? { callNumber: s.callNumber, accessionNumber: s.accessionNumber, recordId: s.recordId, title: s.title, authors: s.authors, isbn: s.isbn, publisher: s.publisher, year: s.year }
    : { callNumber: null, accessionNumber: null, recordId: null, title: null, authors: [], isbn: null, publisher: null, year: null };
}

/** What a loan's presentation reads: an entity, or the row checkout writes in plain SQL. */
export type LoanFields = Pick<Loan, 'id' | 'itemId' | 'loanCategory' | 'loanedAt' | 'dueAt' | 'returnedAt' | 'fineCents' | 'renewalCount' | 'renewedFromId'> & { patron?: { id: string } | null };

export function presentLoan(loan: LoanFields, copy: CopySummary | undefined, now: Date) {
  return {
    id: loan.id, itemId: loan.itemId, patronId: loan.patron?.id ?? null, ...copyFields(copy), loanCategory: loan.loanCategory,
    loanedAt: loan.loanedAt.toISOString(), dueAt: loan.dueAt.toISOString(), returnedAt: iso(loan.returnedAt),
    // DESIGN: "Overdue derived from due date", never stored.
    overdue: !loan.returnedAt && isOverdue(loan.dueAt, now),
    fineCents: loan.fineCents ?? null, renewalCount: loan.renewalCount, renewedFromId: loan.renewedFromId ?? null,
  };
}

export function presentHold(hold: Hold, copy: CopySummary | undefined) {
  return {
    id: hold.id, itemId: hold.itemId, patronId: hold.patron?.id ?? null, ...copyFields(copy), status: hold.status,
    placedAt: hold.placedAt.toISOString(), readyAt: iso(hold.readyAt), readyUntil: iso(hold.readyUntil), closedAt: iso(hold.closedAt),
    loanId: hold.loanId ?? null,
  };
}

export function presentLedgerEntry(e: LedgerEntry) {
  return {
    id: e.id, kind: e.kind, amountCents: e.amountCents, loanId: e.loanId ?? null, holdId: e.holdId ?? null, method: e.method ?? null,
    note: e.note ?? null, createdAt: e.createdAt.toISOString(), createdBy: e.createdBy ?? null,
  };
}

export async function presentLoans(em: EntityManager, loans: Loan[], now: Date) {
  const copies = await copySummariesLoader(em, loans.map((l) => l.itemId));
  return loans.map((l) => presentLoan(l, copies.get(l.itemId), now));
}

export async function presentHolds(em: EntityManager, holds: Hold[]) {
  const copies = await copySummariesLoader(em, holds.map((h) => h.itemId));
  return holds.map((h) => presentHold(h, copies.get(h.itemId)));
}
