import { z } from 'zod';
import type { Deps } from '../../../app-context.ts';
import { problem } from '../../../http/problem.ts';
import { EVERYONE } from '../../../http/roles.ts';
import { route } from '../../../http/route.ts';
import { UserEntity } from '../auth.entities.ts';
import { SESSION_COOKIE, sessionCreator } from '../auth.service.ts';
import { oidcFor } from './oidc-client.ts';
import { OIDC_LOGIN_COOKIE, OIDC_LOGIN_TTL_MS, oidcCallbackCompleter, oidcLoginStarter } from './oidc-login.service.ts';
import { safeReturnTo } from './return-to.ts';

const loginQuery = z.object({ returnTo: z.string().max(2048).optional() });
const COOKIE_PATH = '/auth/oidc';

const notConfigured = () => problem(404, 'sso-not-configured', 'Single sign-on is not configured', 'This Shelfmark has no OIDC_ISSUER; sign in with a local account.');

/** Browser single sign-on through the configured OpenID Connect provider (API.md: Sessions and tokens). */
export function oidcRoutes(deps: Deps) {
  return [
    route({
      method: 'get', path: '/auth/oidc/login', tag: 'sessions', summary: 'Start single sign-on (redirects to the identity provider)', allow: EVERYONE, query: loginQuery,
      responses: { 302: 'To the identity provider', 404: 'Single sign-on is not configured', 503: 'The identity provider is unreachable' },
      handler: async (ctx, { query }) => {
        const oidc = oidcFor(deps);
        if (!oidc) throw notConfigured();
        const { redirectTo, handle } = await oidcLoginStarter(deps, ctx.state.em, oidc, safeReturnTo(query.returnTo));
        ctx.cookies.set(OIDC_LOGIN_COOKIE, handle, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: COOKIE_PATH, maxAge: OIDC_LOGIN_TTL_MS, overwrite: true });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(redirectTo);
      },
    }),
    route({
      method: 'get', path: '/auth/oidc/callback', tag: 'sessions', summary: 'Finish single sign-on (the identity provider redirects here)', allow: EVERYONE,
      responses: { 302: 'Signed in; sets the session cookie and returns to returnTo', 400: 'Sign-in expired or already used', 401: 'The provider refused or the response did not verify', 403: 'Account disabled', 404: 'Single sign-on is not configured', 503: 'The identity provider is unreachable' },
      handler: async (ctx) => {
        const oidc = oidcFor(deps);
        if (!oidc) throw notConfigured();
        const handle = ctx.cookies.get(OIDC_LOGIN_COOKIE);
        ctx.cookies.set(OIDC_LOGIN_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: COOKIE_PATH, expires: new Date(0), overwrite: true });
        const { userId, returnTo } = await oidcCallbackCompleter(deps, ctx.state.em, oidc, handle, ctx.querystring);
        const user = await ctx.state.em.findOneOrFail(UserEntity, { id: userId });
        const s = await sessionCreator(deps, ctx.state.em, user);
        ctx.cookies.set(SESSION_COOKIE, s.cookieValue, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, expires: s.expiresAt, overwrite: true });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(returnTo);
      },
    }),
  ];
}
