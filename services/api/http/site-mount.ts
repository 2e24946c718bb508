import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import type { ApiContext, Deps } from '../app-context.ts';
import { holdingsOverviewer, inProcessApiCaller, type SiteLocals } from './site-api.ts';
import { siteUploadForm, UPLOAD_FORM_PATH } from './site-upload.ts';

// The Astro site (site/, built to site/dist by `npm run build:site`) served by the same Koa process.
// Koa serves the built assets itself (the adapter's middleware mode does not) and hands every other
// path that is not the API's to Astro; Astro calls back when no page matches and Koa answers 404.

export const SITE_DIST = path.resolve(import.meta.dirname, '../../../site/dist');

/** One policy for every page: no inline script or style, nothing from another origin. */
export const SITE_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const API_PATHS = /^\/(api|auth|oai)(\/|$)|^\/(health|ready)$/;
const isApiPath = (p: string) => API_PATHS.test(p);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.map': 'application/json', '.xml': 'application/xml', '.wasm': 'application/wasm',
};

/** GET/HEAD of the built client assets (site/dist/client). Hashed files under /_astro/ are cached for a year. */
export function siteAssets(dist = SITE_DIST): Middleware<any, any> {
  const root = path.join(dist, 'client');
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || isApiPath(ctx.path) || ctx.path === '/' || !existsSync(root)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    if (rel.includes('\0') || rel.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return next();
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep)) return next();
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return next();
    }
    if (!stat.isFile()) return next();
    ctx.set('Cache-Control', rel.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    ctx.set('ETag', `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`);
    ctx.lastModified = stat.mtime;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    ctx.length = stat.size;
    if (ctx.method === 'GET') ctx.body = createReadStream(file);
  };
}

type AstroHandler = (req: IncomingMessage, res: ServerResponse, next: () => void, locals: object) => Promise<void>;

/**
 * The pages: every path the router did not take goes to Astro with `Astro.locals.shelfmark`
 * (SiteLocals). Astro writes the response itself (ctx.respond = false); when no page matches, an
 * HTML request gets the site's 404 page and anything else the API's problem+json 404.
 */
export function sitePages(app: Koa, deps: Deps, dist = SITE_DIST): Middleware<any, any> {
  const entry = path.join(dist, 'server', 'entry.mjs');
  const api = inProcessApiCaller(app);
  const uploadForm = siteUploadForm(app);
  let handler: Promise<AstroHandler | null> | null = null;
  const load = () => (handler ??= (async () => {
    if (!existsSync(entry)) {
      deps.log.warn({ entry }, 'the site is not built (npm run build:site): serving the API only');
      return null;
    }
    const mod = await import(pathToFileURL(entry).href) as { handler: AstroHandler };
    return mod.handler;
  })());

  return async (ctx, next) => {
    if (isApiPath(ctx.path)) return next();
    const astro = await load();
    if (!astro) return next();
    const c = ctx as ApiContext;
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method) && !sameOrigin(ctx)) {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'This form was sent from another site; go back, reload the page and try again.';
      return;
    }
    const user = c.state.user;
    const shelfmark: SiteLocals = {
      user: user ? { id: user.id, username: user.username, roles: [...user.roles], patronId: user.patronId ?? null } : null,
      signIn: { localAccounts: deps.config.localAccounts, oidc: deps.config.oidc !== null },
      requestId: c.state.requestId,
      api: (method, p, body) => api(ctx, method, p, body),
      holdings: (ids) => holdingsOverviewer(deps, user, ids),
    };
    // The upload page's form and script: streamed to the files API, past the 1 MiB page body limit (site-upload.ts).
    if (ctx.method === 'POST' && ctx.path === UPLOAD_FORM_PATH) return uploadForm(ctx, shelfmark.api);
    // Set before Astro writes the head: Koa's own header middleware runs after the response is sent.
    ctx.set('Content-Security-Policy', SITE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.set('X-Frame-Options', 'SAMEORIGIN');
    // Pages show who is signed in: never shared by caches, always revalidated.
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.set('Vary', 'Cookie');
    if (await rendered(astro, ctx, { shelfmark })) return;
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.accepts('json', 'html') === 'html') {
      const original = ctx.req.url;
      ctx.req.url = '/404';
      const done = await rendered(astro, ctx, { shelfmark });
      ctx.req.url = original;
      if (done) return;
    }
    ctx.remove('Content-Security-Policy');
    ctx.remove('Cache-Control');
    ctx.remove('Vary');
    return next();
  };
}

async function rendered(astro: AstroHandler, ctx: Koa.Context, locals: object): Promise<boolean> {
  let matched = true;
  await astro(ctx.req, ctx.res, () => { matched = false; }, locals);
  if (matched) ctx.respond = false;
  return matched;
}

/**
 * CSRF defence for the site's form posts: a browser names the page a form came from in Origin (and
 * Sec-Fetch-Site). Koa's idea of our origin follows TRUST_PROXY, so it is right behind a TLS proxy.
 * Non-browser clients send neither header and carry no ambient cookie worth forging.
 */
function sameOrigin(ctx: Koa.Context): boolean {
  const origin = ctx.get('origin');
  // Koa 3's ctx.origin is the Origin header itself; ours is built from protocol and host.
  if (origin) return origin === `${ctx.protocol}://${ctx.host}`;
  const site = ctx.get('sec-fetch-site');
  return !site || site === 'same-origin' || site === 'none';
}
