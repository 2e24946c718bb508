import * as client from 'openid-client';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../../app-context.ts';
import { problem, type Problem } from '../../../http/problem.ts';
import { OidcLoginEntity } from '../auth.entities.ts';
import { newSecret, sha256Hex } from '../secrets.ts';
import { looksLikeJwt, providerUnavailable, type OidcProviderClient } from './oidc-client.ts';
import { identityFromClaims, oidcUserUpserter } from './oidc-users.ts';
import { safeReturnTo } from './return-to.ts';

// The authorization code flow with PKCE, state and nonce. The verifier, state and nonce never leave
// the server: the browser carries a random handle in a short-lived httpOnly cookie, and the row it
// names is deleted on first use, so a callback URL cannot be replayed or completed in another browser.

export const OIDC_LOGIN_COOKIE = 'shelfmark_oidc';
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

const loginExpired = () => problem(400, 'oidc-login-expired', 'Sign-in expired or already used', 'Start again at /auth/oidc/login (the sign-in must finish within 10 minutes, in the browser that started it).');
const loginFailed = (detail: string) => problem(401, 'oidc-login-failed', 'Single sign-on failed', detail);
export const accountDisabled = () => problem(403, 'account-disabled', 'Account disabled', 'This account has been disabled in Shelfmark.');

/** Starts a sign-in: stores the checks and returns the provider URL to send the browser to. */
export async function oidcLoginStarter(deps: Deps, em: EntityManager, oidc: OidcProviderClient, returnTo: string): Promise<{ redirectTo: string; handle: string }> {
  const configuration = await oidc.configuration();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const handle = newSecret();
  const now = deps.clock();
  await em.nativeDelete(OidcLoginEntity, { expiresAt: { $lt: now } });
  em.create(OidcLoginEntity, { idHash: sha256Hex(handle), state, nonce, codeVerifier, returnTo, createdAt: now, expiresAt: new Date(now.getTime() + OIDC_LOGIN_TTL_MS) });
  await em.flush();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: oidc.settings.redirectUri,
    scope: oidc.settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { redirectTo: url.href, handle };
}

/**
 * Finishes a sign-in: checks state, exchanges the code with the PKCE verifier, verifies the ID token
 * (signature against the provider's keys, issuer, audience, expiry, nonce) and, when the access token
 * is a JWT that verifies as a bearer token would, reads roles from it as well. Returns the local user.
 */
export async function oidcCallbackCompleter(deps: Deps, em: EntityManager, oidc: OidcProviderClient, handle: string | undefined, querystring: string): Promise<{ userId: string; returnTo: string }> {
  const row = handle ? await em.findOne(OidcLoginEntity, { idHash: sha256Hex(handle) }) : null;
  if (!row) throw loginExpired();
  em.remove(row);
  await em.flush();
  if (row.expiresAt <= deps.clock()) throw loginExpired();

  const configuration = await oidc.configuration();
  // The redirect URI sent to the token endpoint is derived from this URL, so it is built from
  // PUBLIC_URL (what the provider knows) rather than from the request's Host header.
  const currentUrl = new URL(oidc.settings.redirectUri);
  currentUrl.search = querystring;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: row.codeVerifier, expectedState: row.state, expectedNonce: row.nonce, idTokenExpected: true,
    });
  } catch (err) {
    throw callbackProblem(deps, err);
  }
  const idClaims = tokens.claims()! as Record<string, unknown>;
  const claimSets: Array<Record<string, unknown>> = [idClaims];
  if (tokens.access_token && looksLikeJwt(tokens.access_token)) {
    try {
      const at = await oidc.verifyAccessToken(tokens.access_token);
      if (at.sub === idClaims.sub) claimSets.push(at as Record<string, unknown>);
    } catch (err) {
      // Fewer roles, never more: an access token that does not verify contributes nothing.
      deps.log.info({ code: (err as { code?: unknown }).code }, 'OIDC access token not used for roles');
    }
  }
  const user = await oidcUserUpserter(deps, identityFromClaims(claimSets, oidc.settings), { linkPatron: true });
  if (user.disabled) throw accountDisabled();
  return { userId: user.id, returnTo: safeReturnTo(row.returnTo) };
}

function callbackProblem(deps: Deps, err: unknown): Problem {
  if (err instanceof client.AuthorizationResponseError) {
    return loginFailed(`The identity provider refused the sign-in (${err.error}${err.error_description ? `: ${err.error_description}` : ''}).`);
  }
  if (err instanceof client.ResponseBodyError) {
    return err.status >= 500 ? providerUnavailable() : loginFailed(`The identity provider refused the code exchange (${err.error}).`);
  }
  if (err instanceof client.ClientError) {
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return providerUnavailable();
    deps.log.warn({ code: err.code, message: err.message }, 'OIDC callback failed a check');
    return loginFailed('The sign-in response did not pass verification.');
  }
  const name = (err as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError' || (err instanceof TypeError && err.message === 'fetch failed')) return providerUnavailable();
  throw err;
}
