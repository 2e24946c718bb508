import { z } from 'zod';
import type { ApiContext } from '../../app-context.ts';
import { problem, unauthorized } from '../../http/problem.ts';
import { EVERYONE, SIGNED_IN } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { apiTokenCreator, apiTokenLister, apiTokenRevoker, credentialsChecker, SESSION_COOKIE, sessionCreator, sessionDestroyer } from './auth.service.ts';
import type { SignInThrottle } from './throttle.ts';

const signIn = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const tokenRequest = z.object({ name: z.string().trim().min(1).max(100) });

const present = (u: NonNullable<ApiContext['state']['user']>) => ({ id: u.id, username: u.username, roles: u.roles, patronId: u.patronId ?? null });

export function authRoutes(throttle: SignInThrottle) {
  return [
    route({
      method: 'post', path: '/api/v1/session', tag: 'sessions', summary: 'Sign in with a local account', allow: EVERYONE, body: signIn, audit: false,
      responses: { 200: 'Signed in; sets the session cookie', 401: 'Bad credentials', 403: 'Password sign-in is turned off (LOCAL_ACCOUNTS=false)', 429: 'Too many failed attempts' },
      handler: async (ctx, { body }) => {
        if (!ctx.deps.config.localAccounts) {
          throw problem(403, 'local-accounts-disabled', 'Password sign-in is turned off', 'Sign in through single sign-on at /auth/oidc/login.');
        }
        const keys = [`user:${body.username.trim().toLowerCase()}`, `ip:${ctx.ip}`];
        const wait = throttle.retryAfter(keys);
        if (wait > 0) {
          const p = problem(429, 'too-many-attempts', 'Too many failed sign-ins', `Try again in ${wait} seconds.`);
          p.headers['Retry-After'] = String(wait);
          throw p;
        }
        const user = await credentialsChecker(ctx.state.em, body.username, body.password, ctx.deps.cipher);
        if (!user) {
          throttle.fail(keys);
          throw problem(401, 'invalid-credentials', 'Wrong username or password');
        }
        throttle.succeed(keys);
        const s = await sessionCreator(ctx.deps, ctx.state.em, user);
        ctx.cookies.set(SESSION_COOKIE, s.cookieValue, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, expires: s.expiresAt, overwrite: true });
        ctx.body = { user: { id: user.id, username: user.username, roles: user.roles }, csrfToken: s.csrfToken };
      },
    }),
    route({
      method: 'delete', path: '/api/v1/session', tag: 'sessions', summary: 'Sign out', allow: EVERYONE, audit: false, responses: { 204: 'Signed out' },
      handler: async (ctx) => {
        const cookie = ctx.cookies.get(SESSION_COOKIE);
        if (cookie) await sessionDestroyer(ctx.state.em, cookie);
        ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', expires: new Date(0) });
        ctx.status = 204;
      },
    }),
    route({
      method: 'get', path: '/api/v1/me', tag: 'sessions', summary: 'The signed-in user', allow: SIGNED_IN, responses: { 200: 'The user', 401: 'Not signed in' },
      handler: (ctx) => {
        if (!ctx.state.user) throw unauthorized();
        ctx.body = present(ctx.state.user);
      },
    }),
    route({
      method: 'post', path: '/api/v1/tokens', tag: 'sessions', summary: 'Create a personal API token (shown once)', allow: SIGNED_IN, body: tokenRequest, audit: 'token.create',
      responses: { 201: 'The token' },
      handler: async (ctx, { body }) => {
        const { id, token } = await apiTokenCreator(ctx.deps, ctx.state.em, ctx.state.user!.id, body.name);
        ctx.status = 201;
        ctx.body = { id, name: body.name, token };
      },
    }),
    route({
      method: 'get', path: '/api/v1/tokens', tag: 'sessions', summary: 'One\'s own personal API tokens (never the secret)', allow: SIGNED_IN,
      handler: async (ctx) => {
        ctx.body = { items: await apiTokenLister(ctx.state.em, ctx.state.user!.id) };
      },
    }),
    route({
      method: 'delete', path: '/api/v1/tokens/:id', tag: 'sessions', summary: 'Revoke one of one\'s own tokens', allow: SIGNED_IN, audit: 'token.revoke',
      responses: { 204: 'Revoked', 404: 'No such token of yours' },
      handler: async (ctx, { params }) => {
        await apiTokenRevoker(ctx.deps, ctx.state.em, ctx.state.user!.id, params.id!);
        ctx.status = 204;
      },
    }),
  ];
}
