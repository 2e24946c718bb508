import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.ts';

const base = { OIDC_ISSUER: 'https://kc.example.org/realms/library', OIDC_CLIENT_ID: 'shelfmark', PUBLIC_URL: 'https://library.example.org/' };

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('OIDC configuration', () => {
  it('is off without OIDC_ISSUER; local accounts are on by default', () => {
    const c = loadConfig({});
    expect(c.oidc).toBeNull();
    expect(c.localAccounts).toBe(true);
  });

  it('fills in the defaults: audience and client roles from the client id, scopes, identity role map', () => {
    const c = loadConfig(base);
    expect(c.oidc).toMatchObject({
      issuer: 'https://kc.example.org/realms/library', clientId: 'shelfmark', clientSecret: undefined, audiences: ['shelfmark'],
      clientRolesFrom: 'shelfmark', scopes: 'openid profile email', redirectUri: 'https://library.example.org/auth/oidc/callback',
      linkPatronByEmail: true, allowHttp: false,
    });
    expect([...c.oidc!.roleMap.keys()]).toEqual(['patron', 'librarian', 'supervisor', 'admin']);
  });

  it('reads every setting', () => {
    const c = loadConfig({
      ...base, OIDC_CLIENT_SECRET: 's3cret', OIDC_AUDIENCE: 'shelfmark-api, account', OIDC_ROLE_MAP: 'library-staff=librarian',
      OIDC_CLIENT_ROLES_FROM: 'shelfmark-api', OIDC_SCOPES: 'openid  email', OIDC_PATRON_CLAIM: 'membership_id', OIDC_LINK_PATRON_BY_EMAIL: 'false', LOCAL_ACCOUNTS: 'false',
    });
    expect(c.localAccounts).toBe(false);
    expect(c.oidc).toMatchObject({ clientSecret: 's3cret', audiences: ['shelfmark-api', 'account'], clientRolesFrom: 'shelfmark-api', scopes: 'openid email', patronClaim: 'membership_id', linkPatronByEmail: false });
    expect(c.oidc!.roleMap.get('library-staff')).toEqual(new Set(['librarian']));
  });

  it('accepts http:// only for loopback issuers, or with OIDC_ALLOW_HTTP', () => {
    expect(loadConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:8081/realms/test' }).oidc!.allowHttp).toBe(true);
    expect(problemsOf({ ...base, OIDC_ISSUER: 'http://keycloak:8080/realms/library' }).join('\n')).toMatch(/^OIDC_ISSUER: must be https/);
    expect(loadConfig({ ...base, OIDC_ISSUER: 'http://keycloak:8080/realms/library', OIDC_ALLOW_HTTP: 'true' }).oidc!.allowHttp).toBe(true);
    expect(problemsOf({ ...base, OIDC_DISCOVERY_URL: 'http://keycloak:8080/realms/library/.well-known/openid-configuration' }).join('\n')).toMatch(/^OIDC_DISCOVERY_URL: must be https/);
  });

  it.each([
    [{ OIDC_ISSUER: 'https://kc.example.org/realms/library', PUBLIC_URL: 'https://l.example.org' }, 'OIDC_CLIENT_ID: required when OIDC_ISSUER is set'],
    [{ OIDC_ISSUER: 'https://kc.example.org/realms/library', OIDC_CLIENT_ID: 'shelfmark' }, 'PUBLIC_URL: required when OIDC_ISSUER is set'],
    [{ OIDC_CLIENT_ID: 'shelfmark' }, 'OIDC_CLIENT_ID: has no effect without OIDC_ISSUER'],
    [{ OIDC_ROLE_MAP: 'a=librarian' }, 'OIDC_ROLE_MAP: has no effect without OIDC_ISSUER'],
    [{ LOCAL_ACCOUNTS: 'false' }, 'LOCAL_ACCOUNTS: false needs OIDC_ISSUER'],
    [{ ...base, OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER'],
    [{ ...base, OIDC_ISSUER: 'ftp://kc.example.org/realms/x' }, 'OIDC_ISSUER: expected an https:// URL'],
    [{ ...base, OIDC_ISSUER: 'https://kc.example.org/realms/x?a=1' }, 'OIDC_ISSUER: must not carry a query'],
    [{ ...base, OIDC_ROLE_MAP: 'staff=wizard' }, 'OIDC_ROLE_MAP: "wizard" is not a Shelfmark role'],
    [{ ...base, OIDC_SCOPES: 'profile email' }, 'OIDC_SCOPES: must include the scope openid'],
    [{ ...base, OIDC_AUDIENCE: 'a,,b' }, 'OIDC_AUDIENCE'],
    [{ ...base, OIDC_PATRON_CLAIM: 'no spaces please' }, 'OIDC_PATRON_CLAIM'],
    [{ ...base, LOCAL_ACCOUNTS: 'maybe' }, 'LOCAL_ACCOUNTS'],
  ])('names the variable in one line for %o', (env, message) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});
