import Koa from 'koa';
import Router from '@koa/router';
import type { Deps } from './app-context.ts';
import { authenticate } from './modules/auth/authenticate.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { oidcRoutes } from './modules/auth/oidc/oidc.routes.ts';
import { SignInThrottle } from './modules/auth/throttle.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { circulationRoutes } from './modules/circulation/circulation.routes.ts';
import { patronsRoutes } from './modules/patrons/patrons.routes.ts';
import { healthRoutes } from './http/health.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { usersRoutes } from './modules/auth/users.routes.ts';
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { reportsRoutes } from './modules/analytics/reports.routes.ts';
import { paymentsRoutes } from './modules/payments/payments.routes.ts';
import { suggestionsRoutes } from './modules/acquisitions/suggestions.routes.ts';
import { rawBodyFor, STRIPE_WEBHOOK_PATH } from './modules/payments/raw-body.ts';
import { entityManagerPerRequest, jsonBody, problemErrors, requestLogging, securityHeaders } from './http/middleware.ts';
import { openApiDocument } from './http/openapi.ts';
import { EVERYONE } from './http/roles.ts';
import { mountRoutes, route, type RouteSpec } from './http/route.ts';
import { siteAssets, sitePages } from './http/site-mount.ts';

export const API_VERSION = '0.1.0';

/** Every route of the service, in one list: the router, the OpenAPI document and the role test read it. */
export function allRoutes(deps: Deps): RouteSpec<any, any>[] {
  const routes: RouteSpec<any, any>[] = [
    ...healthRoutes(),
    ...authRoutes(new SignInThrottle(deps.clock)),
    ...catalogRoutes(),
    ...filesRoutes(deps.config.uploadMaxBytes, deps.config.tmpDir),
    ...patronsRoutes(),
    ...circulationRoutes(),
    ...oidcRoutes(deps),
    ...auditRoutes(),
    ...usersRoutes(),
    ...analyticsRoutes(),
    ...reportsRoutes(),
    ...paymentsRoutes(),
    ...suggestionsRoutes(),
  ];
  const doc = route({
    method: 'get', path: '/api/v1/openapi.json', tag: 'service', summary: 'This document', allow: EVERYONE,
    handler: (ctx) => { ctx.body = openApiDocument(everything, API_VERSION); },
  });
  const everything = [...routes, doc];
  return everything;
}

export function createApp(deps: Deps): { app: Koa; routes: RouteSpec<any, any>[] } {
  const app = new Koa({ proxy: deps.config.trustProxy });
  // A player that stops a download (seek, pause, tab closed) aborts the socket: not an error worth a
  // stack trace. Everything else Koa reports goes to the log, not to stderr.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED'].includes(err.code ?? '')) return;
    deps.log.error({ err }, 'koa error');
  });
  (app.context as unknown as { deps: Deps }).deps = deps;
  const router = new Router();
  const routes = allRoutes(deps);
  mountRoutes(router, routes);
  app.use(requestLogging(deps));
  app.use(problemErrors());
  app.use(securityHeaders());
  app.use(siteAssets());
  app.use(entityManagerPerRequest(deps));
  app.use(rawBodyFor([STRIPE_WEBHOOK_PATH])); // Stripe signs the exact bytes: kept before the JSON parser reads them
  app.use(jsonBody());
  app.use(authenticate(deps));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  // The Astro site (site/): every path the API did not take (docs/site.md).
  app.use(sitePages(app, deps));
  return { app, routes };
}
