import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { notFound } from '../../http/problem.ts';
import type { AuthUser, Deps } from '../../app-context.ts';
import { ApiTokenEntity, SessionEntity, UserEntity, type User } from './auth.entities.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { patronIdByEmail } from '../patrons/patron-contact.ts';
import { newSecret, sha256Hex } from './secrets.ts';

export const SESSION_COOKIE = 'shelfmark_session';
export const TOKEN_PREFIX = 'smk_';

/** The patron id a user is linked to, whether the relation is loaded or only a reference. */
export const patronIdOf = (u: User): string | null => (u.patron ? (typeof u.patron === 'object' ? (u.patron as { id: string }).id : String(u.patron)) : null);

const toAuthUser = (u: User, via: AuthUser['via'], csrfToken?: string): AuthUser => ({
  id: u.id, username: u.username, roles: [...u.roles], via, patronId: patronIdOf(u), ...(csrfToken ? { csrfToken } : {}),
});

/**
 * Local sign-in. The name typed may be a username, a membership id (patron accounts are named after
 * it) or the email address on a patron record (found through the patrons module's blind index).
 */
export async function credentialsChecker(em: EntityManager, username: string, password: string, cipher?: FieldCipher): Promise<User | null> {
  const name = username.trim().toLowerCase();
  let user = await em.findOne(UserEntity, { username: name });
  if (!user && cipher && name.includes('@')) {
    const patronId = await patronIdByEmail(em, cipher, name);
    if (patronId) user = await em.findOne(UserEntity, { patron: patronId });
  }
  const ok = await verifyPassword(user && !user.disabled ? user.passwordHash : null, password);
  return ok ? user : null;
}

export async function sessionCreator(deps: Deps, em: EntityManager, user: User): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = newSecret();
  const csrfToken = randomBytes(24).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000);
  em.create(SessionEntity, { idHash: sha256Hex(cookieValue), user, csrfToken, createdAt: now, expiresAt });
  await em.flush();
  return { cookieValue, csrfToken, expiresAt };
}

export async function sessionResolver(deps: Deps, em: EntityManager, cookieValue: string): Promise<AuthUser | null> {
  const session = await em.findOne(SessionEntity, { idHash: sha256Hex(cookieValue) }, { populate: ['user'] });
  if (!session || session.expiresAt <= deps.clock() || session.user.disabled) return null;
  return toAuthUser(session.user, 'session', session.csrfToken);
}

export async function sessionDestroyer(em: EntityManager, cookieValue: string): Promise<void> {
  await em.nativeDelete(SessionEntity, { idHash: sha256Hex(cookieValue) });
}

export async function apiTokenCreator(deps: Deps, em: EntityManager, userId: string, name: string): Promise<{ id: string; token: string }> {
  const token = newSecret(TOKEN_PREFIX);
  const id = randomUUID();
  em.create(ApiTokenEntity, { id, user: em.getReference(UserEntity, userId), name, tokenHash: sha256Hex(token), createdAt: deps.clock(), lastUsedAt: null, revokedAt: null });
  await em.flush();
  return { id, token };
}

export async function apiTokenLister(em: EntityManager, userId: string) {
  const rows = await em.find(ApiTokenEntity, { user: userId }, { orderBy: { createdAt: 'desc' } });
  return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null }));
}

/** Revoking is immediate: the resolver ignores revoked tokens. Only the owner revokes (404 otherwise). */
export async function apiTokenRevoker(deps: Deps, em: EntityManager, userId: string, tokenId: string): Promise<void> {
  const row = /^[0-9a-f-]{36}$/i.test(tokenId) ? await em.findOne(ApiTokenEntity, { id: tokenId, user: userId }) : null;
  if (!row) throw notFound('Token', tokenId);
  row.revokedAt ??= deps.clock();
  await em.flush();
}

export async function apiTokenResolver(deps: Deps, em: EntityManager, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await em.findOne(ApiTokenEntity, { tokenHash: sha256Hex(token), revokedAt: null }, { populate: ['user'] });
  if (!row || row.user.disabled) return null;
  return toAuthUser(row.user, 'token');
}

export async function userCreator(deps: Deps, em: EntityManager, input: { username: string; password: string | null; roles: string[]; displayName?: string }): Promise<User> {
  const user = em.create(UserEntity, {
    id: randomUUID(),
    username: input.username.trim().toLowerCase(),
    displayName: input.displayName ?? null,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    roles: input.roles,
    disabled: false,
    createdAt: deps.clock(),
  });
  await em.flush();
  return user;
}

/**
 * First start with no accounts creates `admin`. Its password comes from SHELFMARK_ADMIN_PASSWORD,
 * or is generated and printed once (to stdout, not the log stream, so it does not land in log storage).
 */
export async function firstAdminEnsurer(deps: Deps, print: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<boolean> {
  const em = deps.orm.em.fork();
  if ((await em.count(UserEntity, {})) > 0) return false;
  const password = deps.config.adminPassword ?? randomBytes(12).toString('base64url');
  await userCreator(deps, em, { username: 'admin', password, roles: ['admin', 'supervisor', 'librarian'], displayName: 'Administrator' });
  if (!deps.config.adminPassword) {
    print(`\n  Shelfmark created the account "admin" with the password: ${password}\n  It is shown only this once; set SHELFMARK_ADMIN_PASSWORD to choose it yourself.\n`);
  }
  return true;
}
