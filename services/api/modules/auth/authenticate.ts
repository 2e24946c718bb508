import type { Middleware } from 'koa';
import type { ApiContext, Deps } from '../../app-context.ts';
import { problem } from '../../http/problem.ts';
import { apiTokenResolver, SESSION_COOKIE, sessionResolver, TOKEN_PREFIX } from './auth.service.ts';
import { oidcBearerResolver } from './oidc/oidc-bearer.ts';
import { looksLikeJwt, oidcFor } from './oidc/oidc-client.ts';

/**
 * Identifies the caller from a bearer token or the session cookie. A cookie-authenticated write must
 * echo the session's CSRF token in X-CSRF-Token: a third-party page can make the browser send the
 * cookie but cannot read the token. Bearer requests carry no ambient credential and need none.
 * A bearer value is a personal API token (`smk_` prefix) or, with OIDC configured, a JWT access
 * token from the provider; anything that does not verify is a 401, never anonymous access.
 */
export function authenticate(deps: Deps): Middleware<any, any> {
  const oidc = oidcFor(deps);
  return async (ctx, next) => {
    const c = ctx as ApiContext;
    c.state.user = null;
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const value = m?.[1];
      const user = !value ? null
        : value.startsWith(TOKEN_PREFIX) ? await apiTokenResolver(deps, c.state.em, value)
          : oidc && looksLikeJwt(value) ? await oidcBearerResolver(deps, oidc, value)
            : null;
      if (!user) throw problem(401, 'invalid-token', 'Invalid token', 'The bearer token is unknown, revoked or malformed.');
      c.state.user = user;
    } else {
      const cookie = ctx.cookies.get(SESSION_COOKIE);
      if (cookie) {
        const user = await sessionResolver(deps, c.state.em, cookie);
        if (user) {
          const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method);
          if (unsafe && ctx.get('x-csrf-token') !== user.csrfToken && ctx.path.startsWith('/api/')) {
            throw problem(403, 'csrf-token-invalid', 'CSRF token missing or wrong', 'Send the csrfToken from POST /api/v1/session in the X-CSRF-Token header.');
          }
          c.state.user = user;
        }
      }
    }
    await next();
  };
}
