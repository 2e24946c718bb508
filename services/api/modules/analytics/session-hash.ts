// A session-scoped anonymous hash for COUNTER uniqueness and double-click filtering (COUNTER R5
// §7.3: "a logged session ID + transaction date", or "user ID + transaction date + hour of day", or
// "IP address + user agent + transaction date + hour of day"). The identity is hashed with HMAC and
// a random salt of the day; the salt lives in usage_salts and the aggregation job deletes it once the
// day is over, after which no hash can be recomputed from an identity: not reversible, and no user id
// is ever stored next to the event.
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

export interface SessionFacts {
  /** The session cookie of a signed-in browser (already a random secret). */
  sessionCookie?: string | null | undefined;
  /** A signed-in user without a session cookie (bearer token, OIDC token). */
  userId?: string | null | undefined;
  ip: string;
  userAgent: string;
}

/** YYYY-MM-DD of the UTC day: analytics days are UTC days (docs/analytics.md). */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export function sessionIdentity(f: SessionFacts, at: Date): string {
  const hour = at.toISOString().slice(11, 13);
  if (f.sessionCookie) return `session|${f.sessionCookie}`;
  if (f.userId) return `user|${f.userId}|${hour}`;
  return `anonymous|${f.ip}|${f.userAgent}|${hour}`;
}

/** 128 bits of HMAC-SHA256 over the day and the identity, hex. */
export function sessionHash(salt: string, identity: string, day: string): string {
  return createHmac('sha256', salt).update(`${day}|${identity}`).digest('hex').slice(0, 32);
}

const cache = new WeakMap<object, Map<string, string>>();

/** The salt of `day`, made on first use; every process reads the same row. */
export async function dailySaltLoader(em: EntityManager, cacheKey: object, day: string): Promise<string> {
  let byDay = cache.get(cacheKey);
  if (!byDay) cache.set(cacheKey, (byDay = new Map()));
  const known = byDay.get(day);
  if (known) return known;
  await em.execute(`insert into usage_salts (day, salt) values (?, ?) on conflict (day) do nothing`, [day, randomBytes(32).toString('hex')], 'run');
  const rows = await em.execute<Array<{ salt: string }>>(`select salt from usage_salts where day = ?`, [day]);
  const salt = rows[0]!.salt;
  for (const d of byDay.keys()) if (d < day) byDay.delete(d);
  byDay.set(day, salt);
  return salt;
}
