import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_MAP, mapRoles, parseRoleMap, providerRolesOf, type RoleMap } from './role-map.ts';

const mapOf = (text: string): RoleMap => {
  const r = parseRoleMap(text);
  if (!r.ok) throw new Error(r.error);
  return r.map;
};

describe('OIDC_ROLE_MAP', () => {
  it('maps provider roles to Shelfmark roles, several provider roles to one, one to several', () => {
    const map = mapOf('librarian=librarian, library-staff=librarian,supervisor=supervisor,admin=admin,admin=supervisor,patron=patron');
    expect(mapRoles(['library-staff'], map)).toEqual(['librarian']);
    expect(mapRoles(['admin'], map)).toEqual(['supervisor', 'admin']);
    expect(mapRoles(['patron', 'librarian'], map)).toEqual(['patron', 'librarian']);
  });

  it('ignores roles the map does not name; nothing mapped means patron', () => {
    const map = mapOf(DEFAULT_ROLE_MAP);
    expect(mapRoles(['offline_access', 'uma_authorization', 'default-roles-library'], map)).toEqual(['patron']);
    expect(mapRoles([], map)).toEqual(['patron']);
    // Provider role names are case-sensitive, as in Keycloak.
    expect(mapRoles(['Librarian'], map)).toEqual(['patron']);
  });

  it.each([
    ['', 'pairs'],
    ['librarian', 'not a provider-role=shelfmark-role pair'],
    ['librarian=wizard', '"wizard" is not a Shelfmark role'],
    ['x=anonymous', 'is not a Shelfmark role'],
    ['a=b=c', 'not a provider-role'],
  ])('refuses %j', (text, message) => {
    const r = parseRoleMap(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('Keycloak-shaped role claims', () => {
  it('reads realm_access.roles and resource_access.{client}.roles of the configured client only', () => {
    const claims = {
      realm_access: { roles: ['patron', 'offline_access'] },
      resource_access: { shelfmark: { roles: ['librarian'] }, account: { roles: ['manage-account', 'admin'] } },
    };
    expect(providerRolesOf(claims, 'shelfmark').sort()).toEqual(['librarian', 'offline_access', 'patron']);
    expect(providerRolesOf(claims, 'other')).toEqual(['patron', 'offline_access']);
  });

  it('tolerates missing or malformed role claims', () => {
    expect(providerRolesOf({}, 'shelfmark')).toEqual([]);
    expect(providerRolesOf({ realm_access: { roles: 'admin' }, resource_access: { shelfmark: null } }, 'shelfmark')).toEqual([]);
    expect(providerRolesOf({ realm_access: { roles: ['admin', 7, null] } }, 'shelfmark')).toEqual(['admin']);
    // An inherited property name is not a client.
    expect(providerRolesOf({ resource_access: {} }, 'constructor')).toEqual([]);
  });
});
