import type { EntityManager } from '@mikro-orm/sql';
import type { AuthUser } from '../../app-context.ts';
import { forbidden, notFound } from '../../http/problem.ts';
import { isStaff } from '../../http/roles.ts';
import { patronLoader } from './patron.repository.ts';
import type { Patron } from './patron.entity.ts';

/**
 * Patron self-service: staff reach every patron; a patron reaches only the record their account is
 * linked to. Anything else answers 404, exactly as a patron that does not exist, so ids cannot be
 * probed.
 */
export async function patronInScope(em: EntityManager, user: AuthUser | null, ref: string): Promise<Patron> {
  if (user && isStaff(user.roles)) return patronLoader(em, ref);
  const own = user?.patronId ?? null;
  const patron = own ? await patronLoader(em, ref).catch(() => null) : null;
  if (!patron || patron.id !== own) throw notFound('Patron', ref);
  return patron;
}

/** Same rule for a loan or hold: it must belong to the caller's own patron record unless staff. */
export function ownedOrNotFound(user: AuthUser | null, ownerPatronId: string | null | undefined, what: string, id: string): void {
  if (user && isStaff(user.roles)) return;
  if (!user?.patronId || ownerPatronId !== user.patronId) throw notFound(what, id);
}

/** A patron acting for someone else (placing a hold for another member) is refused outright. */
export async function actingForSelf(em: EntityManager, user: AuthUser | null, patronRef: string): Promise<void> {
  if (user && isStaff(user.roles)) return;
  const patron = user?.patronId ? await patronLoader(em, patronRef).catch(() => null) : null;
  if (!patron || patron.id !== user!.patronId) throw forbidden('Patrons place holds for themselves only.');
}
