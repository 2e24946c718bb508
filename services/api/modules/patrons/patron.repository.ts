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
