import type { Role } from '../auth.entities.ts';

// Which Shelfmark roles a person holds is decided by the identity provider: the roles in its tokens
// pass through a configured map (OIDC_ROLE_MAP). Roles the map does not name are ignored, so a
// realm's own housekeeping roles (offline_access, uma_authorization, default-roles-*) grant nothing.

export const MAPPABLE_ROLES = ['patron', 'librarian', 'supervisor', 'admin'] as const satisfies readonly Role[];
export type MappableRole = (typeof MAPPABLE_ROLES)[number];
export type RoleMap = ReadonlyMap<string, ReadonlySet<MappableRole>>;

export const DEFAULT_ROLE_MAP = 'patron=patron,librarian=librarian,supervisor=supervisor,admin=admin';

/** Parses `idp-role=shelfmark-role` pairs separated by commas; one provider role may appear twice to grant two roles. */
export function parseRoleMap(text: string): { ok: true; map: RoleMap } | { ok: false; error: string } {
  const map = new Map<string, Set<MappableRole>>();
  const pairs = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (!pairs.length) return { ok: false, error: 'expected provider-role=shelfmark-role pairs separated by commas, e.g. library-staff=librarian' };
  for (const pair of pairs) {
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
    if (!m) return { ok: false, error: `"${pair}" is not a provider-role=shelfmark-role pair` };
    const target = m[2]!.toLowerCase();
    if (!(MAPPABLE_ROLES as readonly string[]).includes(target)) {
      return { ok: false, error: `"${m[2]}" is not a Shelfmark role (one of ${MAPPABLE_ROLES.join(', ')})` };
    }
    const set = map.get(m[1]!) ?? new Set<MappableRole>();
    set.add(target as MappableRole);
    map.set(m[1]!, set);
  }
  return { ok: true, map };
}

const stringsIn = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The provider roles a token carries, Keycloak-shaped: realm roles plus one client's roles. */
export function providerRolesOf(claims: Record<string, unknown>, clientRolesFrom: string): string[] {
  const realm = stringsIn((claims.realm_access as { roles?: unknown } | undefined)?.roles);
  const resourceAccess = claims.resource_access;
  const client = resourceAccess && typeof resourceAccess === 'object' && Object.hasOwn(resourceAccess, clientRolesFrom)
    ? stringsIn(((resourceAccess as Record<string, { roles?: unknown } | undefined>)[clientRolesFrom])?.roles)
    : [];
  return [...new Set([...realm, ...client])];
}

/** Shelfmark roles for a set of provider roles; someone the map grants nothing is a `patron`. */
export function mapRoles(providerRoles: readonly string[], map: RoleMap): MappableRole[] {
  const granted = new Set<MappableRole>();
  for (const r of providerRoles) for (const g of map.get(r) ?? []) granted.add(g);
  const roles = MAPPABLE_ROLES.filter((r) => granted.has(r));
  return roles.length ? roles : ['patron'];
}
