import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { problem, unauthorized } from '../../http/problem.ts';
import { patronLoader } from '../patrons/patron.repository.ts';
import { AccountInvitationEntity } from './account-invitation.entity.ts';
import { UserEntity } from './auth.entities.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { newSecret, sha256Hex } from './secrets.ts';

const INVITATION_DAYS = 7;
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Staff give a patron an account: the user (username = membership id, role patron, linked to the
 * patron) is created on first use, and a one-time link to set the password is returned to be shown,
 * printed or emailed. A new link voids the older unused ones (a lost letter cannot be used later).
 */
export async function patronAccountInviter(deps: Deps, em: EntityManager, patronRef: string, actorId: string | null) {
  const patron = await patronLoader(em, patronRef);
  const token = newSecret('smi_');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const user = await em.transactional(async (tx) => {
    let u = await tx.findOne(UserEntity, { patron: patron.id });
    if (!u) {
      u = tx.create(UserEntity, {
        id: randomUUID(), username: patron.membershipId.toLowerCase(), displayName: patron.name, passwordHash: null,
        roles: ['patron'], disabled: false, createdAt: now, oidcSubject: null, patron: patron.id,
      });
    }
    await tx.nativeUpdate(AccountInvitationEntity, { user: u.id, usedAt: null }, { usedAt: now });
    tx.create(AccountInvitationEntity, { id: randomUUID(), tokenHash: sha256Hex(token), user: u, createdBy: actorId, createdAt: now, expiresAt, usedAt: null });
    await tx.flush();
    return u;
  });
  return { username: user.username, membershipId: patron.membershipId, token, activationPath: `/account/activate?token=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
}

/** The patron follows the link and chooses a password: the link works once, before it expires. */
export async function accountActivator(deps: Deps, em: EntityManager, token: string, password: string): Promise<{ username: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) throw problem(422, 'password-too-short', 'Password too short', `Choose at least ${MIN_PASSWORD_LENGTH} characters.`);
  return em.transactional(async (tx) => {
    const inv = await tx.findOne(AccountInvitationEntity, { tokenHash: sha256Hex(token) }, { populate: ['user'] });
    const now = deps.clock();
    if (!inv || inv.usedAt || inv.expiresAt <= now) {
      throw problem(410, 'invitation-invalid', 'This link no longer works', 'Ask the library for a new link: each one works once and expires after a week.');
    }
    inv.usedAt = now;
    inv.user.passwordHash = await hashPassword(password);
    await tx.flush();
    return { username: inv.user.username };
  });
}

export async function passwordChanger(em: EntityManager, userId: string, current: string, next: string): Promise<void> {
  if (next.length < MIN_PASSWORD_LENGTH) throw problem(422, 'password-too-short', 'Password too short', `Choose at least ${MIN_PASSWORD_LENGTH} characters.`);
  const user = await em.findOne(UserEntity, { id: userId });
  if (!user || !(await verifyPassword(user.passwordHash, current))) throw unauthorized('The current password is wrong.');
  user.passwordHash = await hashPassword(next);
  await em.flush();
}
