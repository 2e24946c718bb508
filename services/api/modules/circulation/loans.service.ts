// Checkout, return and renewal. Each is one transaction that locks the patron's row, then the
// copy's row (always in that order, so two desks never deadlock), gathers the state, asks the pure
// rules (checkout-rules, fines, renewal-rules) and persists their answer. A refusal throws before
// anything is written, so nothing changes; the unique index on open loans backs the copy lock.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { forbidden, notFound, problem, validationFailed } from '../../http/problem.ts';
import { isStaff } from '../../http/roles.ts';
import { patronRowLocker } from '../patrons/patron.repository.ts';
import { staffCategoryOf, type Actor } from './actor.ts';
import { checkoutDecision } from './checkout-rules.ts';
import { HoldEntity, LedgerEntryEntity, LoanEntity, type Hold, type Loan } from './circulation.entities.ts';
import { asCirculationProblem, refusalProblem } from './circulation-problems.ts';
import { activeHoldOfCopy, copyReleaser, readyHoldExpirer } from './copy-release.ts';
import { copyIdResolver, copyLocker, copyRefChecker, copyRefLocker, copyStatusSetter, type Copy, type CopyRef, type CopySummary } from './copy-store.ts';
import type { DecisionOptions } from './decision.ts';
import { overdueFineCents } from './fines.ts';
import { overrideLogger } from './override-logger.ts';
import { deskFactsLoader, patronStandingLoader } from './patron-standing.ts';
import { policyInForce, policyOfVersion } from './policy-store.ts';
import type { CirculationPolicy } from './policy.ts';
import { renewalDecision } from './renewal-rules.ts';
import { circulationUsageRecorder } from '../analytics/usage-events.ts';
import type { LoanFields } from './circulation.presenters.ts';

export interface OverrideInput { reason: string }

export interface CheckoutInput extends CopyRef {
  patronId: string;
  loanedAt?: Date | undefined;
  dueAt?: Date | undefined;
  override?: OverrideInput | undefined;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function decisionOptions(actor: Actor, override: OverrideInput | undefined): DecisionOptions {
  const staffCategory = override ? staffCategoryOf(actor) : null;
  return staffCategory ? { override: { staffCategory } } : {};
}

/** Expires the copy's ready hold first when its pickup window has passed (POLICY.md: the status is the truth). */
async function copyWithCurrentHold(tx: EntityManager, policy: CirculationPolicy, copy: Copy, now: Date): Promise<Hold | null> {
  const hold = await activeHoldOfCopy(tx, copy.id);
  if (hold && (await readyHoldExpirer(tx, policy, hold, copy, now, null)) !== null) return activeHoldOfCopy(tx, copy.id);
  return hold;
}

export async function loanCreator(deps: Deps, em: EntityManager, input: CheckoutInput, actor: Actor): Promise<{ loan: LoanFields; overridden: string[]; copy: CopySummary }> {
  const now = deps.clock();
  if ((input.loanedAt || input.dueAt) && !isStaff(actor.roles)) throw forbidden('Only staff may set loanedAt or dueAt.');
  if (input.loanedAt && input.loanedAt.getTime() > now.getTime()) throw validationFailed('loanedAt cannot be in the future.', [{ path: 'loanedAt', message: 'in the future' }]);
  const loanedAt = input.loanedAt ?? now;
  if (input.dueAt && input.dueAt.getTime() <= loanedAt.getTime()) throw validationFailed('dueAt must be after the loan time.', [{ path: 'dueAt', message: 'not after loanedAt' }]);
  copyRefChecker(input);
  try {
    return await em.transactional(async (tx) => {
      // Locks first (patron, then copy: the order every desk operation takes), then every other
      // fact in one statement whose snapshot is newer than both locks.
      const patron = await patronRowLocker(tx, input.patronId);
      const patronId = patron.id;
      const { copy, summary } = await copyRefLocker(tx, input);
      const itemId = copy.id;
      const standing = await deskFactsLoader(tx, patronId, itemId, now);
      const policy = await policyOfVersion(tx, standing.policyVersion);
      const hold = standing.activeHoldId ? await copyWithCurrentHold(tx, policy, copy, now) : null;
      const decision = checkoutDecision(policy, {
        patronId,
        patron: { category: patron.category, restricted: patron.restricted, balanceCents: standing.balanceCents, openLoanCount: standing.openLoanCount, maxLoans: patron.maxLoans, maxHolds: patron.maxHolds, fineLimitCents: patron.fineLimitCents },
        item: { status: copy.status, loanCategory: copy.loanCategory, readyHoldPatronId: hold?.status === 'ready' ? (hold.patron?.id ?? null) : null },
      }, loanedAt, decisionOptions(actor, input.override));
      if (!decision.ok) throw refusalProblem(decision, Boolean(input.override));

      // The desk's hot path writes its rows in plain SQL (no unit of work to compute); the unique
      // index on open loans still refuses a second loan of the copy (asCirculationProblem).
      const loan: LoanFields = {
        id: randomUUID(), itemId, patron: { id: patronId }, loanCategory: copy.loanCategory, loanedAt, dueAt: input.dueAt ?? decision.dueAt,
        returnedAt: null, fineCents: null, renewalCount: 0, renewedFromId: null,
      };
      await tx.execute(
        `insert into loans (id, item_id, patron_id, loan_category, loaned_at, due_at, returned_at, fine_cents, renewal_count, renewed_from_id, checked_out_by, returned_by, created_at)
         values (?, ?, ?, ?, ?, ?, null, null, 0, null, ?, null, ?)`,
        [loan.id, itemId, patronId, loan.loanCategory, loanedAt, loan.dueAt, actor.userId, now], 'run');
      if (decision.fulfilsHold && hold) {
        // Seed 003: "When the reservation is fulfilled (i.e., the book is loaned to the member who reserved it), the reservation is deleted."
        hold.status = 'fulfilled';
        hold.closedAt = now;
        hold.closedBy = actor.userId;
        hold.loanId = loan.id;
      }
      if (input.override) overrideLogger(tx, { action: 'checkout', codes: decision.overridden, reason: input.override.reason, actor, patronId, itemId, loanId: loan.id, now });
      await copyStatusSetter(tx, itemId, 'on-loan', now);
      await tx.flush();
      await circulationUsageRecorder(tx, { kind: 'loan', at: now, itemId, patronId });
      return { loan, overridden: decision.overridden, copy: summary };
    }, { clear: true });
  } catch (err) {
    throw asCirculationProblem(err);
  }
}

export async function loanLoader(em: EntityManager, id: string): Promise<Loan> {
  const loan = isUuid(id) ? await em.findOne(LoanEntity, { id }) : null;
  if (!loan) throw notFound('Loan', id);
  return loan;
}

/** Who and what a loan is about, before its transaction takes the locks (one plain select). */
async function loanKeysLoader(em: EntityManager, id: string): Promise<{ itemId: string; patronId: string | null; loanedAt: Date }> {
  const rows = isUuid(id) ? await em.execute<Array<{ item_id: string; patron_id: string | null; loaned_at: Date | string }>>(`select item_id, patron_id, loaned_at from loans where id = ?`, [id]) : [];
  const r = rows[0];
  if (!r) throw notFound('Loan', id);
  return { itemId: r.item_id, patronId: r.patron_id ?? null, loanedAt: new Date(r.loaned_at) };
}

/** openLoanLocker without an entity: the row's fields, locked, for the return (which writes in plain SQL). */
async function openLoanRowLocker(tx: EntityManager, id: string): Promise<LoanFields> {
  const rows = await tx.execute<Array<{ id: string; item_id: string; patron_id: string | null; loan_category: string; loaned_at: Date | string; due_at: Date | string; returned_at: Date | string | null; fine_cents: number | null; renewal_count: number; renewed_from_id: string | null }>>(
    `select id, item_id, patron_id, loan_category, loaned_at, due_at, returned_at, fine_cents, renewal_count, renewed_from_id from loans where id = ? for update`, [id]);
  const r = rows[0];
  if (!r) throw notFound('Loan', id);
  if (r.returned_at) throw problem(409, 'loan-already-returned', 'The loan is already closed', `This loan was closed at ${new Date(r.returned_at).toISOString()}.`);
  return {
    id: r.id, itemId: r.item_id, patron: r.patron_id ? { id: r.patron_id } : null, loanCategory: r.loan_category, loanedAt: new Date(r.loaned_at), dueAt: new Date(r.due_at),
    returnedAt: null, fineCents: r.fine_cents === null ? null : Number(r.fine_cents), renewalCount: Number(r.renewal_count), renewedFromId: r.renewed_from_id,
  };
}

/** Inside the transaction, after patron and copy: the loan row itself, locked, and still open. */
async function openLoanLocker(tx: EntityManager, id: string): Promise<Loan> {
  const loan = await tx.findOne(LoanEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!loan) throw notFound('Loan', id);
  if (loan.returnedAt) throw problem(409, 'loan-already-returned', 'The loan is already closed', `This loan was closed at ${loan.returnedAt.toISOString()}.`);
  return loan;
}

export interface ReturnResult {
  loan: LoanFields;
  fineCents: number;
  /** The hold the copy is now kept for, when one was waiting. */
  readyHold: Hold | null;
  itemStatus: string | null;
}

/**
 * Seed 002 "Customers may return books. When a book is returned it is immediately available for
 * other users", unless a hold waits. `returnedAt` back-dates a book-drop return (staff only, not in
 * the future): the fine counts to that moment, the pickup window of a waiting hold from now.
 */
export async function loanReturner(deps: Deps, em: EntityManager, loanId: string, input: { returnedAt?: Date | undefined }, actor: Actor): Promise<ReturnResult> {
  const now = deps.clock();
  if (input.returnedAt && !isStaff(actor.roles)) throw forbidden('Only staff may back-date a return.');
  if (input.returnedAt && input.returnedAt.getTime() > now.getTime()) throw validationFailed('returnedAt cannot be in the future.', [{ path: 'returnedAt', message: 'in the future' }]);
  const known = await loanKeysLoader(em, loanId);
  const returnedAt = input.returnedAt ?? now;
  if (returnedAt.getTime() < known.loanedAt.getTime()) throw validationFailed('returnedAt is before the loan began.', [{ path: 'returnedAt', message: 'before loanedAt' }]);
  return em.transactional(async (tx) => {
    const policy = await policyInForce(tx);
    if (known.patronId) await patronRowLocker(tx, known.patronId);
    const copy = await copyLocker(tx, known.itemId);
    const loan = await openLoanRowLocker(tx, loanId);
    const fineCents = overdueFineCents(policy, loan.loanCategory, loan.dueAt, returnedAt, copy?.replacementCostCents ?? null);
    loan.returnedAt = returnedAt;
    loan.fineCents = fineCents;
    // Plain SQL on the desk's hot path, as checkout (no unit of work to compute).
    await tx.execute(`update loans set returned_at = ?, fine_cents = ?, returned_by = ? where id = ?`, [returnedAt, fineCents, actor.userId, loan.id], 'run');
    if (fineCents > 0 && loan.patron) {
      await tx.execute(
        `insert into ledger_entries (patron_id, kind, amount_cents, loan_id, hold_id, method, note, created_at, created_by) values (?, 'fine', ?, ?, null, null, null, ?, ?)`,
        [loan.patron.id, fineCents, loan.id, now, actor.userId], 'run');
    }
    const readyHold = copy && copy.status === 'on-loan' ? await copyReleaser(tx, policy, copy, now) : null;
    await tx.flush();
    await circulationUsageRecorder(tx, { kind: 'return', at: now, itemId: loan.itemId, patronId: loan.patron?.id ?? null });
    return { loan, fineCents, readyHold, itemStatus: copy?.status ?? null };
  }, { clear: true }).catch((err: unknown) => { throw asCirculationProblem(err); });
}

export interface RenewalResult {
  loan: Loan;
  previous: Loan;
  fineCents: number;
  overridden: string[];
}

/**
 * Seed 002: "A renewal consists of a return transaction followed by a borrow transaction." Both
 * halves in one transaction: the open loan is closed (with the return half's fine) and a new loan
 * starts now, linked by renewedFromId; the copy never leaves the patron's hands.
 */
export async function loanRenewer(deps: Deps, em: EntityManager, loanId: string, input: { override?: OverrideInput | undefined }, actor: Actor): Promise<RenewalResult> {
  const now = deps.clock();
  const known = await loanLoader(em, loanId);
  const patronId = known.patron?.id;
  if (!patronId) throw problem(409, 'loan-already-returned', 'The loan is already closed');
  try {
    return await em.transactional(async (tx) => {
      const policy = await policyInForce(tx);
      const patron = await patronRowLocker(tx, patronId);
      const copy = await copyLocker(tx, known.itemId);
      const previous = await openLoanLocker(tx, loanId);
      const hold = copy ? await copyWithCurrentHold(tx, policy, copy, now) : null;
      const standing = await patronStandingLoader(tx, patronId, now);
      const decision = renewalDecision(policy, {
        patron: { category: patron.category, restricted: patron.restricted, balanceCents: standing.balanceCents, openLoanCount: standing.openLoanCount, maxLoans: patron.maxLoans, maxHolds: patron.maxHolds, fineLimitCents: patron.fineLimitCents },
        loan: { loanCategory: previous.loanCategory, dueAt: previous.dueAt, renewalCount: previous.renewalCount },
        item: { hasHold: hold !== null, replacementCostCents: copy?.replacementCostCents ?? null },
      }, now, decisionOptions(actor, input.override));
      if (!decision.ok) throw refusalProblem(decision, Boolean(input.override));

      previous.returnedAt = now;
      previous.fineCents = decision.fineCents;
      previous.returnedBy = actor.userId;
      if (decision.fineCents > 0) {
        tx.create(LedgerEntryEntity, {
          patron: patronId, kind: 'fine', amountCents: decision.fineCents, loanId: previous.id, holdId: null, method: null, note: 'Charged on renewal', createdAt: now, createdBy: actor.userId,
        });
      }
      // The return half must reach the database before the borrow half: one open loan per copy.
      await tx.flush();
      const loan = tx.create(LoanEntity, {
        id: randomUUID(), itemId: previous.itemId, patron: patronId, loanCategory: previous.loanCategory, loanedAt: now, dueAt: decision.dueAt,
        returnedAt: null, fineCents: null, renewalCount: decision.renewalCount, renewedFromId: previous.id, checkedOutBy: actor.userId, returnedBy: null, createdAt: now,
      });
      if (input.override) overrideLogger(tx, { action: 'renewal', codes: decision.overridden, reason: input.override.reason, actor, patronId, itemId: previous.itemId, loanId: loan.id, now });
      await tx.flush();
      await circulationUsageRecorder(tx, { kind: 'renewal', at: now, itemId: previous.itemId, patronId });
      return { loan, previous, fineCents: decision.fineCents, overridden: decision.overridden };
    }, { clear: true });
  } catch (err) {
    throw asCirculationProblem(err);
  }
}

export async function patronLoansLister(em: EntityManager, patronId: string, status: 'open' | 'returned' | 'all'): Promise<Loan[]> {
  const where = status === 'open' ? { patron: patronId, returnedAt: null } : status === 'returned' ? { patron: patronId, returnedAt: { $ne: null } } : { patron: patronId };
  return em.find(LoanEntity, where, { orderBy: { loanedAt: 'desc', id: 'asc' }, limit: 1000 });
}

/** A copy's loans, newest first: the open one (at most one, by loans_open_item_unique) by default. */
export async function copyLoansLister(em: EntityManager, ref: CopyRef, status: 'open' | 'returned' | 'all'): Promise<Loan[]> {
  const itemId = await copyIdResolver(em, ref);
  const where = status === 'open' ? { itemId, returnedAt: null } : status === 'returned' ? { itemId, returnedAt: { $ne: null } } : { itemId };
  return em.find(LoanEntity, where, { orderBy: { loanedAt: 'desc', id: 'asc' }, limit: 1000 });
}

/** For the catalogue: refuses to withdraw a copy with an open loan or any active hold (seed 003: "after the book has been removed from all reservations"). */
export async function itemWithdrawalChecker(em: EntityManager, itemId: string): Promise<void> {
  if (await em.count(LoanEntity, { itemId, returnedAt: null })) {
    throw problem(409, 'item-on-loan', 'The copy is on loan', 'A copy on loan cannot be withdrawn; return it first.');
  }
  if (await em.count(HoldEntity, { itemId, status: { $in: ['waiting', 'ready'] } })) {
    throw problem(409, 'item-has-hold', 'The copy has a hold', 'Remove the copy from all reservations first (cancel the hold).');
  }
}
