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

// Every API request resolves its caller, so the two resolvers below are one plain indexed select
// each (no entity hydration): on the embedded database the ORM's findOne-with-populate cost about
// 1 ms a request, a third of a small ranged read (bench/README.md). The patron's category comes
// along for usage analytics, which would otherwise look it up again.
interface CallerRow { id: string; username: string; roles: string[]; disabled: boolean; patron_id: string | null; patron_category: string | null }
const CALLER_COLUMNS = 'u.id, u.username, u.roles, u.disabled, u.patron_id, p.category as patron_category';

const callerOf = (r: CallerRow, via: AuthUser['via'], csrfToken?: string): AuthUser => ({
  id: r.id, username: r.username, roles: [...r.roles], via, patronId: r.patron_id ?? null, patronCategory: r.patron_category ?? null, ...(csrfToken ? { csrfToken } : {}),
});

export async function sessionResolver(deps: Deps, em: EntityManager, cookieValue: string): Promise<AuthUser | null> {
  const rows = await em.execute<Array<CallerRow & { csrf_token: string; expires_at: Date | string }>>(
    `select ${CALLER_COLUMNS}, s.csrf_token, s.expires_at from sessions s join users u on u.id = s.user_id left join patrons p on p.id = u.patron_id where s.id_hash = ?`,
    [sha256Hex(cookieValue)]);
  const row = rows[0];
  if (!row || new Date(row.expires_at) <= deps.clock() || row.disabled) return null;
  return callerOf(row, 'session', row.csrf_token);
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

/** Tokens' last use is written at most once a minute per token and process, off the request path. */
const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

export async function apiTokenResolver(deps: Deps, em: EntityManager, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const rows = await em.execute<Array<CallerRow & { token_id: string }>>(
    `select ${CALLER_COLUMNS}, t.id as token_id from api_tokens t join users u on u.id = t.user_id left join patrons p on p.id = u.patron_id where t.token_hash = ? and t.revoked_at is null`,
    [sha256Hex(token)]);
  const row = rows[0];
  if (!row || row.disabled) return null;
  tokenUseRecorder(deps, row.token_id);
  return callerOf(row, 'token');
}

function tokenUseRecorder(deps: Deps, tokenId: string): void {
  const now = deps.clock();
  const last = lastUsedWritten.get(tokenId);
  if (last !== undefined && Math.abs(now.getTime() - last) < LAST_USED_EVERY_MS) return;
  if (lastUsedWritten.size > 10_000) lastUsedWritten.clear();
  lastUsedWritten.set(tokenId, now.getTime());
  // Its own fork, not awaited: the request never waits for (or fails on) this bookkeeping.
  deps.orm.em.fork().execute(`update api_tokens set last_used_at = ? where id = ?`, [now, tokenId], 'run')
    .catch((err: unknown) => deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'token last use not recorded'));
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
