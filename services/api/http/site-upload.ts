import { ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Context } from 'koa';
import type { AuthUser } from '../app-context.ts';
import type { ProblemBody } from './problem.ts';
import type { SiteLocals } from './site-api.ts';

// The upload page's form target, `POST /staff/uploads/send?record=<id>` (multipart: file, access,
// embargoUntil, accessGroup, lendableCopies, tags).
//
// Why it exists: pages read at most 1 MiB of a body (astro.config.mjs), and a plain HTML form cannot
// set the X-CSRF-Token header that a cookie-authenticated API write needs. So this path, which the
// site mount reaches only after its Origin check (the CSRF rule of every site form), streams the
// request body untouched into `POST /api/v1/records/{id}/files`, run in-process through the app's
// own middleware with the session's CSRF token, exactly as `api()` does for the other pages. The
// API's own size limit, type sniffing, roles and audit apply; nothing is buffered here.
//
// Answers: a script that asks for JSON (the page's XMLHttpRequest, for upload progress) gets the
// API's status and body; a plain form post gets 303 back to the page (Post/Redirect/Get) with
// `uploaded=<fileId>` or `refused=<problem code>`. Tags belong to records in this catalogue: the
// `tags` field (comma-separated) is added to the record's tags once the file is stored.

export const UPLOAD_FORM_PATH = '/staff/uploads/send';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Pipeline = (ctx: Context) => Promise<unknown>;

export function parseTags(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  const seen = new Set<string>();
  for (const t of raw.split(/[,;\n]/)) {
    const tag = t.trim().replace(/\s+/g, ' ').slice(0, 100);
    if (tag && ![...seen].some((s) => s.toLowerCase() === tag.toLowerCase())) seen.add(tag);
  }
  return [...seen].slice(0, 50);
}

export function siteUploadForm(app: Koa) {
  let pipeline: Pipeline | null = null;
  return async function uploadForm(ctx: Context, api: SiteLocals['api']): Promise<void> {
    const recordId = String(ctx.query.record ?? '');
    const wantsJson = ctx.accepts('html', 'json') === 'json';
    const back = (q: Record<string, string>) => `/staff/uploads?${new URLSearchParams({ ...(UUID.test(recordId) ? { record: recordId } : {}), ...q })}`;
    const answer = (status: number, body: unknown, redirect: string) => {
      ctx.set('Cache-Control', 'no-store');
      if (wantsJson) {
        ctx.status = status;
        ctx.type = status >= 400 ? 'application/problem+json' : 'application/json';
        ctx.body = body;
      } else {
        ctx.status = 303;
        ctx.redirect(redirect);
      }
    };
    if (!UUID.test(recordId)) {
      return answer(422, { type: 'about:blank', title: 'Choose a record', status: 422, code: 'record-required', detail: 'Choose the record the files belong to.' }, back({ refused: 'record-required' }));
    }
    const user = (ctx.state as { user?: AuthUser | null }).user ?? null;
    if (!user) {
      return answer(401, { type: 'about:blank', title: 'Sign in', status: 401, code: 'unauthenticated', detail: 'Sign in to upload files.' },
        `/sign-in?returnTo=${encodeURIComponent(`/staff/uploads?record=${recordId}`)}`);
    }

    pipeline ??= (app as unknown as { compose(mw: unknown[]): Pipeline }).compose(app.middleware);
    const req = ctx.req;
    const originalUrl = req.url;
    req.url = `/api/v1/records/${recordId}/files`;
    req.headers.accept = 'application/json';
    if (user.csrfToken) req.headers['x-csrf-token'] = user.csrfToken;
    const sub = app.createContext(req, new ServerResponse(req));
    try {
      await pipeline(sub);
    } finally {
      req.url = originalUrl;
    }
    // The API may answer before reading the whole body (404, 413): drain the rest so the browser
    // sees the answer instead of a reset connection.
    if (!req.readableEnded) req.resume();
    const status = sub.status;
    const body = sub.body === undefined || sub.body === null || typeof sub.body !== 'object' || Buffer.isBuffer(sub.body) ? null : JSON.parse(JSON.stringify(sub.body));
    if (status !== 201 || !body) {
      const problem = (body ?? { type: 'about:blank', title: 'Upload failed', status, code: 'error' }) as ProblemBody;
      // The size limit is the one detail a form's page can use: a number, so safe to carry in the URL.
      const limit = problem.code === 'file-too-large' ? /(\d+)/.exec(String(problem.detail ?? ''))?.[1] : undefined;
      return answer(status >= 400 ? status : 502, problem, back({ refused: String(problem.code ?? 'error'), ...(limit ? { limit } : {}) }));
    }

    const fields = ((sub.request as { body?: Record<string, unknown> }).body ?? {});
    const tags = parseTags(fields.tags);
    let tagsProblem: ProblemBody | null = null;
    let recordTags: string[] | null = null;
    if (tags.length) {
      const record = await api<{ tags: string[] }>('GET', `/api/v1/records/${recordId}`);
      if (record.ok) {
        const merged = [...record.body.tags];
        for (const t of tags) if (!merged.some((m) => m.toLowerCase() === t.toLowerCase())) merged.push(t);
        const patched = merged.length === record.body.tags.length ? record : await api<{ tags: string[] }>('PATCH', `/api/v1/records/${recordId}`, { tags: merged });
        if (patched.ok) recordTags = patched.body.tags;
        else tagsProblem = patched.problem;
      } else {
        tagsProblem = record.problem;
      }
    }
    const file = body as { id: string };
    return answer(201, { file: body, recordTags, ...(tagsProblem ? { tagsProblem } : {}) },
      back({ uploaded: file.id, ...(tagsProblem ? { tags: 'failed' } : recordTags ? { tags: 'added' } : {}) }));
  };
}
