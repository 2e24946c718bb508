import type Router from '@koa/router';
import type { z } from 'zod';
import type { ApiContext } from '../app-context.ts';
import { Readable } from 'node:stream';
import type { Role } from './roles.ts';
import { isStaff } from './roles.ts';
import { auditActorOf, auditRecorder } from '../modules/audit/audit.service.ts';
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
  /**
   * Audit action name for staff writes (default `<tag>.<method>`); `false` for writes that are not
   * staff actions on library data (signing in, creating one's own token).
   */
  audit?: string | false;
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

const WRITE_VERBS: Record<Method, string> = { get: 'read', post: 'create', put: 'replace', patch: 'update', delete: 'delete' };

/**
 * Every successful write by staff leaves an audit entry: who, what (action and entity), when, and
 * the before/after the handler noted (the response body stands in for `after` otherwise). Personal
 * data is scrubbed by the audit module. Patrons acting on their own account are not staff actions.
 */
async function staffActionAuditor(ctx: ApiContext, spec: RouteSpec<any, any>, body: unknown): Promise<void> {
  const user = ctx.state.user;
  if (!user || !isStaff(user.roles) || ctx.status >= 400 || ctx.state.audit?.record === false) return;
  const note = ctx.state.audit ?? {};
  const responseBody = ctx.body && typeof ctx.body === 'object' && !(ctx.body instanceof Readable) && !Buffer.isBuffer(ctx.body) ? ctx.body as Record<string, unknown> : null;
  const raw = body ?? (ctx.request as { body?: unknown }).body;
  const b = raw && typeof raw === 'object' ? raw as Record<string, unknown> : {};
  const reason = note.reason ?? (typeof b.reason === 'string' ? b.reason : (b.override as { reason?: string } | undefined)?.reason) ?? null;
  await auditRecorder(ctx.deps.orm.em.fork(), ctx.deps.clock, auditActorOf(user, ctx.state.requestId), {
    action: typeof spec.audit === 'string' ? spec.audit : `${spec.tag}.${WRITE_VERBS[spec.method]}`,
    entityType: note.entityType ?? spec.tag,
    entityId: note.entityId ?? ctx.params?.id ?? (typeof responseBody?.id === 'string' ? responseBody.id : null),
    before: note.before ?? null,
    after: note.after ?? (spec.method === 'delete' ? null : responseBody),
    reason,
  });
}

export function mountRoutes(router: Router, specs: readonly RouteSpec<any, any>[]): void {
  for (const spec of specs) {
    router[spec.method](spec.path, async (ctx) => {
      const c = ctx as unknown as ApiContext;
      authorize(c, spec.allow);
      const body = spec.body ? parseOrThrow(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body') : undefined;
      const query = spec.query ? parseOrThrow(spec.query, ctx.query, 'query') : undefined;
      await spec.handler(c, { body, query, params: ctx.params as Record<string, string> });
      if (spec.method !== 'get' && spec.audit !== false) await staffActionAuditor(c, spec, body);
    });
  }
}
