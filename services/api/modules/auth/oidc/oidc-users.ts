import { patronIdOf } from '../auth.service.ts';
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../../app-context.ts';
import type { OidcConfig } from '../../../config.ts';
import { patronLister } from '../../patrons/patrons.service.ts';
import { patronListQuery } from '../../patrons/patrons.schema.ts';
import { PatronEntity } from '../../patrons/patron.entity.ts';
import { UserEntity, type User } from '../auth.entities.ts';
import { sha256Hex } from '../secrets.ts';
import { mapRoles, providerRolesOf, type MappableRole } from './role-map.ts';

// A person who signs in through the provider is a local user too, so audit entries, loans and API
// tokens can point at a user id. The link is the provider's `sub`, never the username: a provider
// account called "admin" becomes "admin-1a2b3c4d", not the local administrator.

export interface OidcIdentity {
  subject: string;
  preferredUsername: string | null;
  displayName: string | null;
  email: string | null;
  emailVerified: boolean;
  membershipId: string | null;
  roles: MappableRole[];
}

const text = (v: unknown, max: number): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) v = String(v);
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null;
};

/**
 * What Shelfmark keeps of verified claims. Several claim sets may be given (the ID token first, then
 * the access token: Keycloak puts roles only in the access token by default); the first set that has
 * a value wins, and roles are the union of all sets.
 */
export function identityFromClaims(claimSets: ReadonlyArray<Record<string, unknown>>, settings: OidcConfig): OidcIdentity {
  const first = (name: string, max: number) => {
    for (const c of claimSets) { const v = text(c[name], max); if (v) return v; }
    return null;
  };
  const subject = first('sub', 255);
  if (!subject) throw new Error('claims without sub');
  const withEmail = claimSets.find((c) => text(c.email, 255));
  return {
    subject,
    preferredUsername: first('preferred_username', 100),
    displayName: first('name', 255),
    email: withEmail ? text(withEmail.email, 255)!.toLowerCase() : null,
    // The verification flag must come from the same token as the address it vouches for.
    emailVerified: withEmail ? withEmail.email_verified === true || withEmail.email_verified === 'true' : false,
    membershipId: settings.patronClaim ? first(settings.patronClaim, 20) : null,
    roles: mapRoles([...new Set(claimSets.flatMap((c) => providerRolesOf(c, settings.clientRolesFrom)))], settings.roleMap),
  };
}

function usernameCandidates(identity: OidcIdentity): string[] {
  const tag = sha256Hex(identity.subject).slice(0, 8);
  const base = (identity.preferredUsername ?? identity.email ?? '').toLowerCase().replace(/\s+/g, '.').slice(0, 90);
  return base ? [base, `${base}-${tag}`, `oidc-${sha256Hex(identity.subject).slice(0, 24)}`] : [`oidc-${sha256Hex(identity.subject).slice(0, 24)}`];
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * Finds the user linked to the identity's subject or creates it, and brings its roles and display
 * name up to date with the provider (the provider decides roles). Runs on its own entity manager so a
 * lost race with a concurrent first sign-in (unique subject) can simply re-read. A user without a
 * patron record is matched to one when created and at each browser sign-in (`linkPatron`), not on
 * every bearer request.
 */
export async function oidcUserUpserter(deps: Deps, identity: OidcIdentity, opts: { linkPatron: boolean }): Promise<{ id: string; username: string; roles: string[]; disabled: boolean; patronId: string | null }> {
  const settings = deps.config.oidc!;
  for (let attempt = 0; attempt < 3; attempt++) {
    const em = deps.orm.em.fork();
    try {
      let user = await em.findOne(UserEntity, { oidcSubject: identity.subject });
      const created = !user;
      if (!user) {
        const taken = new Set((await em.find(UserEntity, { username: { $in: usernameCandidates(identity) } }, { fields: ['username'] })).map((u) => u.username));
        const username = usernameCandidates(identity).find((c) => !taken.has(c)) ?? `oidc-${randomUUID()}`;
        user = em.create(UserEntity, {
          id: randomUUID(), username, displayName: identity.displayName, passwordHash: null,
          roles: identity.roles, disabled: false, createdAt: deps.clock(), oidcSubject: identity.subject, patron: null,
        });
      } else {
        if (!sameRoles(user.roles, identity.roles)) user.roles = [...identity.roles];
        if (identity.displayName && user.displayName !== identity.displayName) user.displayName = identity.displayName;
      }
      await em.flush();
      if (!user.patron && (created || opts.linkPatron)) await patronLinker(deps, em, user, identity, settings);
      return { id: user.id, username: user.username, roles: [...user.roles], disabled: user.disabled, patronId: patronIdOf(user) };
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // Another request created the same user (or took the username) a moment ago: read again.
    }
  }
  throw new Error('could not create the local user for an OIDC subject');
}

/**
 * Links the user to their patron record: by the membership id in the configured claim, or else by a
 * verified email address that exactly one patron has. An unverified address never links (anyone
 * can type someone else's address into an account form). A patron already linked to another user
 * stays with that user. Lookups go through the patrons module, which owns the (encrypted) contacts.
 */
async function patronLinker(deps: Deps, em: EntityManager, user: User, identity: OidcIdentity, settings: OidcConfig): Promise<void> {
  const find = async (q: Record<string, string>) => {
    const found = await patronLister(deps, em, patronListQuery.parse({ ...q, pageSize: '2' }), ['librarian']);
    return found.items.length === 1 ? found.items[0]!.id : null;
  };
  let patronId: string | null = null;
  let by: 'claim' | 'email' = 'claim';
  if (settings.patronClaim && identity.membershipId) patronId = await find({ membershipId: identity.membershipId });
  if (!patronId && settings.linkPatronByEmail && identity.email && identity.emailVerified) {
    patronId = await find({ email: identity.email });
    by = 'email';
  }
  if (!patronId) return;
  if (await em.count(UserEntity, { patron: patronId })) {
    deps.log.warn({ userId: user.id, patronId }, 'OIDC user matches a patron already linked to another user; not linked');
    return;
  }
  user.patron = em.getReference(PatronEntity, patronId);
  await em.flush();
  deps.log.info({ userId: user.id, patronId, by }, 'OIDC user linked to patron');
}
