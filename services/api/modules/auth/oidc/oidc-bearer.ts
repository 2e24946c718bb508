import type { AuthUser, Deps } from '../../../app-context.ts';
import type { OidcProviderClient } from './oidc-client.ts';
import { accountDisabled } from './oidc-login.service.ts';
import { identityFromClaims, oidcUserUpserter } from './oidc-users.ts';

/**
 * The caller behind a provider-issued access token: verified (oidc-client.ts says how), then the
 * linked local user, created on first sight, with the roles the token grants now. Throws a 401
 * problem for a token that does not verify, 503 when the provider's keys cannot be fetched.
 */
export async function oidcBearerResolver(deps: Deps, oidc: OidcProviderClient, token: string): Promise<AuthUser> {
  const claims = await oidc.verifyAccessToken(token);
  const user = await oidcUserUpserter(deps, identityFromClaims([claims as Record<string, unknown>], oidc.settings), { linkPatron: false });
  if (user.disabled) throw accountDisabled();
  return { id: user.id, username: user.username, roles: user.roles, via: 'oidc', patronId: user.patronId };
}
