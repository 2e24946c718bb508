// Loading and locking patron rows. Circulation locks the patron (SELECT ... FOR UPDATE) before it
// counts loans, holds and the balance, so limits hold when one patron is served at two desks at once.
import type { EntityManager } from '@mikro-orm/sql';
import { notFound } from '../../http/problem.ts';
import { isValidMembershipId } from './membership-id.ts';
import { PatronEntity, type Patron } from './patron.entity.ts';

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A patron by id or by membership id (desks scan membership cards); 404 when there is none. */
export async function patronLoader(em: EntityManager, ref: string): Promise<Patron> {
  const where = isUuid(ref) ? { id: ref } : isValidMembershipId(ref) ? { membershipId: ref.trim().toUpperCase() } : null;
  const patron = where ? await em.findOne(PatronEntity, where) : null;
  if (!patron) throw notFound('Patron', ref);
  return patron;
}

/**
 * Inside a transaction: the patron's row, locked until commit, read fresh after the lock. The lock is
 * FOR NO KEY UPDATE, not FOR UPDATE: it still serialises everything done for one patron, but does not
 * block the FOR KEY SHARE that foreign-key checks take when another transaction writes a row that
 * points at this patron (a notice or a no-show charge for a holder while the holder borrows at another
 * desk). With FOR UPDATE those two wait for each other: a deadlock that PostgreSQL answers with an error.
 */
export async function patronLocker(tx: EntityManager, id: string): Promise<Patron> {
  const locked = isUuid(id) ? await tx.execute<Array<{ id: string }>>(`select id from patrons where id = ? for no key update`, [id]) : [];
  const patron = locked.length ? await tx.findOne(PatronEntity, { id }, { refresh: true }) : null;
  if (!patron) throw notFound('Patron', id);
  return patron;
}

/** What circulation's rules need of a patron (policy limits and category), read under the lock. */
export interface LockedPatron {
  id: string;
  category: string;
  restricted: boolean;
  maxLoans: number | null;
  maxHolds: number | null;
  fineLimitCents: number | null;
}

/**
 * Inside a transaction: locks the patron's row (FOR NO KEY UPDATE, as patronLocker) and returns the
 * fields circulation decides on, in one plain statement, by id or membership id; 404 when there is
 * none. The desk's hot path: no entity is hydrated (bench/README.md, circulation).
 */
export async function patronRowLocker(tx: EntityManager, ref: string): Promise<LockedPatron> {
  const by = isUuid(ref) ? { column: 'id', value: ref } : isValidMembershipId(ref) ? { column: 'membership_id', value: ref.trim().toUpperCase() } : null;
  const rows = by
    ? await tx.execute<Array<{ id: string; category: string; restricted: boolean; max_loans: number | null; max_holds: number | null; fine_limit_cents: number | null }>>(
      `select id, category, restricted, max_loans, max_holds, fine_limit_cents from patrons where ${by.column} = ? for no key update`, [by.value])
    : [];
  const r = rows[0];
  if (!r) throw notFound('Patron', ref);
  const int = (v: number | null) => (v === null || v === undefined ? null : Number(v));
  return { id: r.id, category: r.category, restricted: Boolean(r.restricted), maxLoans: int(r.max_loans), maxHolds: int(r.max_holds), fineLimitCents: int(r.fine_limit_cents) };
}
