import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
// @ts-expect-error: oidc-provider ships no type declarations (a devDependency, used only here)
import { Provider, errors as providerErrors } from 'oidc-provider';
import { startTestService, type TestResponse, type TestService } from '../support/test-service.ts';
import { UserEntity } from '../../services/api/modules/auth/auth.entities.ts';
import { authRoutes } from '../../services/api/modules/auth/auth.routes.ts';
import { OidcProviderClient } from '../../services/api/modules/auth/oidc/oidc-client.ts';
import { SignInThrottle } from '../../services/api/modules/auth/throttle.ts';
import { isProblem } from '../../services/api/http/problem.ts';
import type { RouteSpec } from '../../services/api/http/route.ts';
import type { ApiContext } from '../../services/api/app-context.ts';

// Single sign-on end to end against oidc-provider running in this process on loopback, dressed up as
// a Keycloak realm: issuer {server}/realms/test, Keycloak's endpoint paths, RS256 keys made here,
// roles in realm_access.roles / resource_access.{client}.roles and the client in `azp`. Access
// tokens are JWTs (client credentials + resource indicators, accessTokenFormat 'jwt'), as Keycloak's are.

const REALM = '/realms/test';
const SHELFMARK_API = 'urn:shelfmark:api';
const OTHER_API = 'urn:example:other-api';
const KEYCLOAK_ACCOUNT = 'urn:keycloak:account';
const CLIENT_SECRET = 'shelfmark-test-secret';

/** Keycloak realm roles and client roles of the service-account clients and the people who sign in. */
const ROLES: Record<string, { realm: string[]; shelfmark?: string[] }> = {
  'librarian-bot': { realm: ['librarian', 'offline_access', 'default-roles-test'] },
  'reader-bot': { realm: ['patron', 'uma_authorization'] },
  'staff-bot': { realm: ['offline_access'], shelfmark: ['library-staff'] },
  'nobody-bot': { realm: ['default-roles-test'] },
  'other-app': { realm: ['librarian'] },
  shelfmark: { realm: ['librarian'] },
  alice: { realm: ['library-staff', 'offline_access'] },
  bob: { realm: ['default-roles-test'] },
  carol: { realm: [] },
  dave: { realm: [] },
  mallory: { realm: ['admin'] },
};
const PEOPLE: Record<string, Record<string, unknown>> = {
  alice: { preferred_username: 'alice', name: 'Alice Archivist', email: 'alice@example.org', email_verified: true },
  bob: { preferred_username: 'bob', name: 'Bob Borrower', email: 'bob@example.org', email_verified: true },
  carol: { preferred_username: 'carol', name: 'Carol Claimant', email: 'bob@example.org', email_verified: false },
  dave: { preferred_username: 'dave', name: 'Dave Member', email: 'dave@elsewhere.example', email_verified: true },
  mallory: { preferred_username: 'admin', name: 'Mallory', email: 'mallory@example.org', email_verified: true },
};
const membershipIds: Record<string, string> = {};

let providerServer: Server;
let issuer: string;
let signingKey: CryptoKey;
let signingJwk: JWK;
let nextLogin = 'alice';
let svc: TestService;

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

function keycloakClaims(id: string, clientId: string) {
  const roles = ROLES[id] ?? { realm: [] };
  return {
    azp: clientId,
    realm_access: { roles: roles.realm },
    ...(roles.shelfmark ? { resource_access: { shelfmark: { roles: roles.shelfmark }, account: { roles: ['manage-account'] } } } : {}),
    ...(PEOPLE[id] ?? { preferred_username: `service-account-${id}` }),
    ...(membershipIds[id] ? { membership_id: membershipIds[id] } : {}),
  };
}

async function startProvider(shelfmarkUrl: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  signingKey = privateKey;
  signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
  providerServer = createServer();
  const port = await listen(providerServer);
  issuer = `http://127.0.0.1:${port}${REALM}`;
  const bot = (client_id: string) => ({ client_id, client_secret: `${client_id}-secret`, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
  const resourceServers: Record<string, string> = { [SHELFMARK_API]: 'shelfmark', [OTHER_API]: 'other-api', [KEYCLOAK_ACCOUNT]: 'account' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'shelfmark', client_secret: CLIENT_SECRET, redirect_uris: [`${shelfmarkUrl}/auth/oidc/callback`],
        grant_types: ['authorization_code', 'client_credentials'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
      },
      ...['librarian-bot', 'reader-bot', 'staff-bot', 'nobody-bot', 'other-app'].map(bot),
    ],
    jwks: { keys: [signingJwk] },
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
    },
    cookies: { keys: ['oidc-test-cookie-key'] },
    ttl: { AccessToken: 300, AuthorizationCode: 60, ClientCredentials: 300, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    // Like Keycloak: profile and email claims in the ID token, roles only in the access token.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...PEOPLE[sub] }) }),
    extraTokenClaims: async (_ctx: unknown, token: { accountId?: string; clientId: string }) => keycloakClaims(token.accountId ?? token.clientId, token.clientId),
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `${REALM}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The browser flow's access token is for Shelfmark (a JWT, like Keycloak's), not for userinfo.
        defaultResource: async (_ctx: unknown, client: { clientId: string }, oneOf?: string[]) => oneOf ?? (client.clientId === 'shelfmark' ? SHELFMARK_API : undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          const audience = resourceServers[indicator];
          if (!audience) throw new providerErrors.InvalidTarget();
          return { scope: 'api', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  });
  const callback = provider.callback();
  // A stand-in for Keycloak's login page: signs in `nextLogin` at once and grants what is asked.
  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: nextLogin } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
  };
  providerServer.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(REALM + '/')) { res.statusCode = 404; res.end(); return; }
    if (url.startsWith(`${REALM}/interaction/`)) {
      interaction(req, res).catch((err: Error) => { res.statusCode = 500; res.end(err.message); });
      return;
    }
    // Mounted under the realm path, as Keycloak's endpoints are.
    req.originalUrl = url;
    req.url = url.slice(REALM.length);
    callback(req, res);
  });
}

/** A token from the provider's token endpoint for a service-account client (client credentials). */
async function clientToken(clientId: string, resource = SHELFMARK_API): Promise<string> {
  const secret = clientId === 'shelfmark' ? CLIENT_SECRET : `${clientId}-secret`;
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api' }),
  });
  const body = await res.json() as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`token endpoint: ${res.status} ${body.error}: ${body.error_description}`);
  return body.access_token;
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** A JWT signed by whatever key and header the test likes, with claims that are otherwise valid. */
async function forgedToken(claims: Record<string, unknown>, key: CryptoKey | Uint8Array, header: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, sub: 'forger', aud: 'shelfmark', iat: now, exp: now + 300, azp: 'librarian-bot', realm_access: { roles: ['librarian'] }, ...claims })
    .setProtectedHeader({ alg: 'RS256', ...header })
    .sign(key);
}

const record = { title: 'Signed in through the realm', authors: ['Token, A'] };

beforeAll(async () => {
  const port = await freePort();
  const shelfmarkUrl = `http://127.0.0.1:${port}`;
  await startProvider(shelfmarkUrl);
  svc = await startTestService({}, {
    env: {
      PORT: String(port), PUBLIC_URL: shelfmarkUrl, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'shelfmark', OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_ROLE_MAP: 'librarian=librarian,library-staff=librarian,supervisor=supervisor,admin=admin,patron=patron', OIDC_PATRON_CLAIM: 'membership_id',
    },
  });
  // Tokens carry the provider's real timestamps; the service checks them on its own clock.
  svc.clock.set(new Date());
});
afterAll(async () => {
  await svc?.close();
  await new Promise((r) => (providerServer ? providerServer.close(r) : r(undefined)));
});

describe('the test provider looks like Keycloak', () => {
  it('publishes a Keycloak-shaped discovery document and RS256 JWT access tokens with realm roles', async () => {
    const meta = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json() as Record<string, string>;
    expect(meta.issuer).toBe(issuer);
    expect(meta.issuer).toMatch(/\/realms\/test$/);
    expect(meta.jwks_uri).toBe(`${issuer}/protocol/openid-connect/certs`);
    expect(meta.authorization_endpoint).toBe(`${issuer}/protocol/openid-connect/auth`);
    const token = await clientToken('librarian-bot');
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: 'test-rs256' });
    expect(claimsOf(token)).toMatchObject({ iss: issuer, aud: 'shelfmark', azp: 'librarian-bot', realm_access: { roles: expect.arrayContaining(['librarian']) } });
  });
});

describe('bearer access tokens from the provider', () => {
  it('a token with a librarian realm role creates a record; the caller is a local user with mapped roles', async () => {
    const token = await clientToken('librarian-bot');
    const created = await svc.api('POST', '/api/v1/records', { token, json: record });
    expect(created.status).toBe(201);
    const me = await (await svc.api('GET', '/api/v1/me', { token })).json();
    expect(me).toMatchObject({ username: 'service-account-librarian-bot', roles: ['librarian'] });
    // Upserted once, linked by `sub`, so audit entries and loans can name a user id.
    const em = svc.deps.orm.em.fork();
    const users = await em.find(UserEntity, { oidcSubject: 'librarian-bot' });
    expect(users).toHaveLength(1);
    expect(users[0]!.id).toBe(me.id);
    expect(users[0]!.passwordHash).toBeNull();
  });

  it('a Keycloak client role (resource_access.shelfmark.roles) maps too', async () => {
    const token = await clientToken('staff-bot');
    expect((await svc.api('POST', '/api/v1/records', { token, json: record })).status).toBe(201);
    expect((await (await svc.api('GET', '/api/v1/me', { token })).json()).roles).toEqual(['librarian']);
  });

  it('a token without a mapped staff role gets 403 on a staff route; unknown roles mean patron', async () => {
    const reader = await clientToken('reader-bot');
    const refused = await svc.api('POST', '/api/v1/records', { token: reader, json: record });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('forbidden');
    expect((await (await svc.api('GET', '/api/v1/me', { token: reader })).json()).roles).toEqual(['patron']);
    const nobody = await clientToken('nobody-bot');
    expect((await (await svc.api('GET', '/api/v1/me', { token: nobody })).json()).roles).toEqual(['patron']);
    expect((await svc.api('POST', '/api/v1/records', { token: nobody, json: record })).status).toBe(403);
  });

  it('an expired token gets 401 invalid-token', async () => {
    const token = await clientToken('librarian-bot');
    const exp = claimsOf(token).exp as number;
    try {
      svc.clock.set(new Date((exp + 60) * 1000));
      const res = await svc.api('POST', '/api/v1/records', { token, json: record });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'invalid-token', detail: expect.stringMatching(/expired/) });
    } finally {
      svc.clock.set(new Date());
    }
    // Within the 30-second tolerance it still works.
    svc.clock.set(new Date((exp + 10) * 1000));
    try {
      expect((await svc.api('GET', '/api/v1/me', { token })).status).toBe(200);
    } finally {
      svc.clock.set(new Date());
    }
  });

  it('a token signed by another key gets 401, whether it names the provider\'s key id or its own', async () => {
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    for (const kid of ['test-rs256', 'attacker-key']) {
      const res = await svc.api('POST', '/api/v1/records', { token: await forgedToken({}, otherKey, { kid }), json: record });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('invalid-token');
    }
    // The same claims signed with the provider's real key pass: the refusal above is about the signature.
    expect((await svc.api('POST', '/api/v1/records', { token: await forgedToken({}, signingKey, { kid: 'test-rs256' }), json: record })).status).toBe(201);
  });

  it('refuses alg none and HS256 (a shared secret) outright', async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'test-rs256' })).toString('base64url')}.${Buffer.from(JSON.stringify(claimsOf(await clientToken('librarian-bot')))).toString('base64url')}.`;
    const hs = await forgedToken({}, new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'), { alg: 'HS256', kid: 'test-rs256' });
    for (const token of [none, hs]) {
      const res = await svc.api('GET', '/api/v1/me', { token });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('invalid-token');
    }
  });

  it('a token for another audience gets 401; Keycloak\'s aud "account" with azp = our client is accepted', async () => {
    const other = await clientToken('librarian-bot', OTHER_API);
    expect(claimsOf(other)).toMatchObject({ aud: 'other-api', azp: 'librarian-bot' });
    const res = await svc.api('POST', '/api/v1/records', { token: other, json: record });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid-token', detail: expect.stringMatching(/audience/) });
    // Issued to another client for Keycloak's account service: not ours.
    expect((await svc.api('GET', '/api/v1/me', { token: await clientToken('other-app', KEYCLOAK_ACCOUNT) })).status).toBe(401);
    // Issued to Shelfmark's own client (azp) although `aud` says only "account", as Keycloak does by default.
    const own = await clientToken('shelfmark', KEYCLOAK_ACCOUNT);
    expect(claimsOf(own)).toMatchObject({ aud: 'account', azp: 'shelfmark' });
    expect((await svc.api('POST', '/api/v1/records', { token: own, json: record })).status).toBe(201);
  });

  it('refuses another issuer, Keycloak ID tokens, and tokens of a disabled user', async () => {
    const wrongIssuer = await forgedToken({ iss: issuer.replace('/realms/test', '/realms/other') }, signingKey, { kid: 'test-rs256' });
    expect((await svc.api('GET', '/api/v1/me', { token: wrongIssuer })).status).toBe(401);
    const idToken = await forgedToken({ typ: 'ID', aud: 'shelfmark' }, signingKey, { kid: 'test-rs256' });
    expect((await svc.api('GET', '/api/v1/me', { token: idToken })).status).toBe(401);

    const token = await clientToken('reader-bot');
    const em = svc.deps.orm.em.fork();
    const user = await em.findOneOrFail(UserEntity, { oidcSubject: 'reader-bot' });
    user.disabled = true;
    await em.flush();
    const res = await svc.api('GET', '/api/v1/me', { token });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('account-disabled');
  });

  it('personal API tokens still work next to provider tokens, and garbage is still a 401', async () => {
    expect((await svc.api('GET', '/api/v1/me', { token: svc.adminToken })).status).toBe(200);
    for (const token of ['smk_forged', 'not-a-token', 'a.b.c']) {
      const res = await svc.api('GET', '/api/v1/records', { token });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('invalid-token');
    }
  });
});

/** A browser without JavaScript: follows redirects by hand and keeps cookies per origin. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<TestResponse> {
    const origin = new URL(url).origin;
    const cookies = [...(this.jar.get(origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
    const jar = this.jar.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.jar.set(origin, jar);
    return res;
  }

  cookie(origin: string, name: string) {
    return this.jar.get(origin)?.get(name);
  }

  /** Follows redirects until one leads back to `stopAt` (returned unfollowed) or a page answers. */
  async follow(url: string, stopAt: string): Promise<{ res: TestResponse; trail: string[] }> {
    const trail: string[] = [];
    let res = await this.get(url);
    for (let hops = 0; hops < 15 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get('location')!, url).href;
      trail.push(next);
      if (next.startsWith(stopAt)) return { res, trail };
      url = next;
      res = await this.get(url);
    }
    return { res, trail };
  }
}

describe('browser single sign-on (authorization code flow with PKCE)', () => {
  /** Signs `who` in from /auth/oidc/login and returns the browser, the callback's answer and the trail. */
  async function signIn(who: string, returnTo = '/records') {
    nextLogin = who;
    const browser = new Browser();
    const login = await browser.get(`${svc.url}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(login.status).toBe(302);
    const toProvider = new URL(login.headers.get('location')!);
    const { res: atCallback, trail } = await browser.follow(toProvider.href, `${svc.url}/auth/oidc/callback`);
    const callbackUrl = trail.at(-1)!;
    expect(callbackUrl.startsWith(`${svc.url}/auth/oidc/callback?`)).toBe(true);
    void atCallback;
    const done = await browser.get(callbackUrl);
    return { browser, login, toProvider, callbackUrl, done };
  }

  it('signs in through the provider and gets a Shelfmark session with the mapped roles', async () => {
    const { browser, login, toProvider, done } = await signIn('alice', '/records?q=maps');
    // The login redirect: Keycloak's authorization endpoint, PKCE S256, state and nonce, our redirect URI.
    expect(toProvider.origin + toProvider.pathname).toBe(`${issuer}/protocol/openid-connect/auth`);
    const p = toProvider.searchParams;
    expect(p.get('client_id')).toBe('shelfmark');
    expect(p.get('response_type')).toBe('code');
    expect(p.get('redirect_uri')).toBe(`${svc.url}/auth/oidc/callback`);
    expect(p.get('scope')).toBe('openid profile email');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')).toBeTruthy();
    expect(p.get('nonce')).toBeTruthy();
    const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('shelfmark_oidc='))!;
    expect(loginCookie).toMatch(/httponly/i);
    expect(loginCookie).toMatch(/path=\/auth\/oidc/i);
    expect(loginCookie).toMatch(/samesite=lax/i);
    // Nothing secret travels in the cookie: only a random handle.
    expect(loginCookie).not.toContain(p.get('state')!);

    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/records?q=maps');
    const sessionCookie = done.headers.getSetCookie().find((c) => c.startsWith('shelfmark_session='))!;
    expect(sessionCookie).toMatch(/httponly/i);
    expect(sessionCookie).toMatch(/samesite=lax/i);
    const session = browser.cookie(svc.url, 'shelfmark_session')!;
    const me = await svc.api('GET', '/api/v1/me', { headers: { cookie: `shelfmark_session=${session}` } });
    expect(me.status).toBe(200);
    // `library-staff` sits only in the access token's realm_access, as in Keycloak's default setup.
    expect(await me.json()).toMatchObject({ username: 'alice', roles: ['librarian'] });
    const user = await svc.deps.orm.em.fork().findOneOrFail(UserEntity, { oidcSubject: 'alice' });
    expect(user.displayName).toBe('Alice Archivist');
  });

  it('a callback is used once: replaying it, or arriving without the login cookie, is refused', async () => {
    const { browser, callbackUrl, done } = await signIn('alice');
    expect(done.status).toBe(302);
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(400);
    expect((await replay.json()).code).toBe('oidc-login-expired');
    const stranger = await new Browser().get(callbackUrl);
    expect(stranger.status).toBe(400);
  });

  it('a callback whose state was tampered with does not sign in', async () => {
    nextLogin = 'alice';
    const browser = new Browser();
    const login = await browser.get(`${svc.url}/auth/oidc/login`);
    const { trail } = await browser.follow(login.headers.get('location')!, `${svc.url}/auth/oidc/callback`);
    const url = new URL(trail.at(-1)!);
    url.searchParams.set('state', 'forged-state');
    const res = await browser.get(url.href);
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('oidc-login-failed');
    expect(browser.cookie(svc.url, 'shelfmark_session')).toBeUndefined();
  });

  it('returnTo outside this site becomes /', async () => {
    for (const evil of ['https://evil.example/x', '//evil.example/x']) {
      const { done } = await signIn('alice', evil);
      expect(done.headers.get('location')).toBe('/');
    }
  });

  it('a provider account named "admin" does not become the local admin', async () => {
    const { browser, done } = await signIn('mallory');
    expect(done.status).toBe(302);
    const me = await (await svc.api('GET', '/api/v1/me', { headers: { cookie: `shelfmark_session=${browser.cookie(svc.url, 'shelfmark_session')}` } })).json();
    expect(me.username).toMatch(/^admin-[0-9a-f]{8}$/);
    expect(me.roles).toEqual(['admin']);
    const admin = await svc.deps.orm.em.fork().findOneOrFail(UserEntity, { username: 'admin' });
    expect(admin.oidcSubject).toBeNull();
    expect(admin.id).not.toBe(me.id);
  });

  it('links the user to a patron by verified email or by the membership id claim, never by an unverified email', async () => {
    const created = async (body: Record<string, unknown>) => {
      const res = await svc.api('POST', '/api/v1/patrons', { token: svc.adminToken, json: body });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; membershipId: string };
    };
    const bobPatron = await created({ name: 'Borrower, Bob', email: 'bob@example.org' });
    const davePatron = await created({ name: 'Member, Dave', email: 'dave.at.home@example.org' });
    membershipIds.dave = davePatron.membershipId;

    await signIn('carol'); // same address as Bob's patron record, but unverified
    await signIn('bob');
    await signIn('dave');
    const em = svc.deps.orm.em.fork();
    const linked = async (sub: string) => (await em.findOneOrFail(UserEntity, { oidcSubject: sub }, { populate: ['patron'] })).patron?.id ?? null;
    expect(await linked('carol')).toBeNull();
    expect(await linked('bob')).toBe(bobPatron.id);
    expect(await linked('dave')).toBe(davePatron.id);
  });
});

describe('discovery, outages and switches', () => {
  it('OIDC_DISCOVERY_URL fetches the metadata from another address, but the issuer must still be OIDC_ISSUER', async () => {
    const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
    const ok = new OidcProviderClient(svc.deps, { ...svc.deps.config.oidc!, discoveryUrl });
    expect((await ok.configuration()).serverMetadata().issuer).toBe(issuer);
    expect((await ok.verifyAccessToken(await clientToken('librarian-bot'))).sub).toBe('librarian-bot');
    const wrong = new OidcProviderClient(svc.deps, { ...svc.deps.config.oidc!, discoveryUrl, issuer: 'https://kc.example.org/realms/test' });
    const err = await wrong.configuration().catch((e: unknown) => e);
    expect(isProblem(err) && err.code).toBe('identity-provider-unavailable');
  });

  it('discovery fails with 503 identity-provider-unavailable and is retried later, not on every request', async () => {
    const closed = await freePort();
    const settings = { ...svc.deps.config.oidc!, issuer: `http://127.0.0.1:${closed}/realms/down` };
    const client = new OidcProviderClient(svc.deps, settings);
    const first = await client.configuration().catch((e: unknown) => e);
    expect(isProblem(first) && first.status).toBe(503);
    expect(isProblem(first) && first.code).toBe('identity-provider-unavailable');
    const started = performance.now();
    const second = await client.verifyAccessToken(await clientToken('librarian-bot')).catch((e: unknown) => e);
    expect(isProblem(second) && second.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('LOCAL_ACCOUNTS=false refuses password sign-in with 403', async () => {
    const signIn: RouteSpec<any, any> = authRoutes(new SignInThrottle(() => new Date()))[0]!;
    expect(signIn.path).toBe('/api/v1/session');
    const ctx = { deps: { config: { localAccounts: false } }, ip: '127.0.0.1' } as unknown as ApiContext;
    const err = await Promise.resolve(signIn.handler(ctx, { body: { username: 'admin', password: 'x' }, query: undefined, params: {} })).catch((e: unknown) => e);
    expect(isProblem(err) && err.status).toBe(403);
    expect(isProblem(err) && err.code).toBe('local-accounts-disabled');
  });
});
