import type Router from '@koa/router';
import type { z } from 'zod';
import type { ApiContext } from '../app-context.ts';
import type { Role } from './roles.ts';
import { forbidden, unauthorized, validationFailed } from './problem.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B = unknown, Q = unknown> {
  method: Method;
  /** Koa-router path, e.g. `/api/v1/records/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Every route says who may call it; the role-by-route test walks this list. */
  allow: readonly Role[];
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Non-JSON request bodies (multipart uploads, MARC) for the OpenAPI document. */
  requestContentType?: string;
  responses?: Record<number, string>;
  handler: (ctx: ApiContext, input: { body: B; query: Q; params: Record<string, string> }) => Promise<void> | void;
}

export function route<B = undefined, Q = undefined>(spec: RouteSpec<B, Q>): RouteSpec<B, Q> {
  return spec;
}

export function zodIssues(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const errors = zodIssues(r.error);
    throw validationFailed(`${where}: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`, errors);
  }
  return r.data;
}

export function authorize(ctx: ApiContext, allow: readonly Role[]): void {
  const user = ctx.state.user;
  if (allow.includes('anonymous')) return;
  if (!user) throw unauthorized();
  if (!user.roles.some((r) => allow.includes(r as Role))) throw forbidden();
}

export function mountRoutes(router: Router, specs: readonly RouteSpec<any, any>[]): void {
  for (const spec of specs) {
    router[spec.method](spec.path, async (ctx) => {
      const c = ctx as unknown as ApiContext;
      authorize(c, spec.allow);
      const body = spec.body ? parseOrThrow(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body') : undefined;
      const query = spec.query ? parseOrThrow(spec.query, ctx.query, 'query') : undefined;
      await spec.handler(c, { body, query, params: ctx.params as Record<string, string> });
    });
  }
}
