import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiContext, Deps } from '../app-context.ts';
import type { Problem } from './problem.ts';
import { isProblem, problem } from './problem.ts';

type Mw = Middleware<any, any>;

/** Request id, a child logger and one access-log line per request (method, path, status, time: no PII). */
export function requestLogging(deps: Deps): Mw {
  return async (ctx, next) => {
    const c = ctx as ApiContext;
    const incoming = ctx.get('x-request-id');
    const requestId = /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.state.requestId = requestId;
    c.state.log = deps.log.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      // ctx.path only: query strings can carry search terms typed by a person.
      c.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}

/** Every error leaves as RFC 9457 problem+json; unexpected ones are logged and never leak internals. */
export function problemErrors(): Mw {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
        throw problem(404, 'not-found', 'Not found', `No route for ${ctx.method} ${ctx.path}.`);
      }
    } catch (err) {
      let p: Problem;
      if (isProblem(err)) p = err;
      else if (isHttpError(err)) p = problem(err.status, err.status === 413 ? 'payload-too-large' : 'bad-request', err.expose ? err.message : 'Bad request');
      else {
        (ctx as ApiContext).state.log?.error({ err }, 'unhandled error');
        p = problem(500, 'internal-error', 'Internal server error', 'Something went wrong on our side; the request id identifies it in the logs.');
      }
      ctx.status = p.status;
      for (const [k, v] of Object.entries(p.headers)) ctx.set(k, v);
      ctx.type = 'application/problem+json';
      ctx.body = { ...p.toJSON(), requestId: (ctx as ApiContext).state.requestId };
    }
  };
}

function isHttpError(err: unknown): err is { status: number; expose?: boolean; message: string } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && (err as { status: number }).status >= 400 && (err as { status: number }).status < 600;
}

/** Baseline security headers for API responses; file responses tighten CSP further. */
export function securityHeaders(): Mw {
  return async (ctx, next) => {
    // Set before the handler runs, so a route that writes its own response (file streaming) keeps them.
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.set('X-Frame-Options', 'SAMEORIGIN');
    await next();
    if (ctx.respond === false) return;
    if (!ctx.response.get('Content-Security-Policy') && ctx.path.startsWith('/api/')) {
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
  };
}

const JSON_LIMIT = 1024 * 1024;

/** Reads a JSON body (1 MiB at most) for application/json requests; other bodies are left to routes. */
export function jsonBody(): Mw {
  return async (ctx, next) => {
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) && ctx.is('application/json', 'application/*+json')) {
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > JSON_LIMIT) throw problem(413, 'payload-too-large', 'Request body too large', 'JSON bodies are limited to 1 MiB.');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req) {
        size += (chunk as Buffer).length;
        if (size > JSON_LIMIT) throw problem(413, 'payload-too-large', 'Request body too large', 'JSON bodies are limited to 1 MiB.');
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        (ctx.request as { body?: unknown }).body = text.length ? JSON.parse(text) : {};
      } catch {
        throw problem(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
      }
    }
    await next();
  };
}

/** A fork of the entity manager per request (MikroORM's identity map must never be shared). */
export function entityManagerPerRequest(deps: Deps): Mw {
  return async (ctx, next) => {
    (ctx as ApiContext).state.em = deps.orm.em.fork();
    await next();
  };
}
