import { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Context } from 'koa';
import type { AuthUser, Deps } from '../app-context.ts';
import { FileEntity } from '../modules/files/file.entity.ts';
import { fileAccessChecker } from '../modules/files/files.service.ts';
import type { ProblemBody } from './problem.ts';

// What the Astro site receives in `Astro.locals.shelfmark` from the Koa mount (site-mount.ts).
//
// The site calls the service's own HTTP API, but in-process: `api()` builds a Koa context for the
// sub-request (the visitor's cookie, address, user agent and request id) and runs it through the
// same middleware stack a network request takes. One auth path, the same validation, roles,
// presenters, audit and usage counting as API.md promises, with no socket, no port to discover and
// no loopback address in the sign-in throttle or the analytics.

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type SiteApiResponse<T> =
  | { ok: true; status: number; body: T; setCookies: string[] }
  | { ok: false; status: number; problem: ProblemBody; setCookies: string[] };

/** What a page may show about the holdings of a record without counting a view. */
export interface HoldingsOverview {
  /** Thumbnail of the first image holding the viewer may open, if it has one. */
  thumbnail: string | null;
  /** What the viewer may open online (kinds of its open holdings, each once). */
  online: OnlineKind[];
  /** Holdings left out of the record's file list for this viewer, by why. */
  withheld: {
    /** Signing in would (or might, for group-restricted ones) open these. */
    signIn: number;
    /** Restricted to staff or a reading group the signed-in viewer is not in. */
    restricted: number;
    /** Under embargo; the earliest end date when one is set. */
    embargoed: number;
    embargoEnds: string | null;
  };
}

export type OnlineKind = 'audio' | 'video' | 'image' | 'text' | 'other';

const onlineKind = (mediaType: string): OnlineKind =>
  mediaType.startsWith('audio/') ? 'audio' : mediaType.startsWith('video/') ? 'video' : mediaType.startsWith('image/') ? 'image'
    : mediaType === 'application/pdf' || mediaType === 'application/epub+zip' ? 'text' : 'other';

export interface SiteLocals {
  user: { id: string; username: string; roles: string[]; patronId: string | null } | null;
  signIn: { localAccounts: boolean; oidc: boolean };
  requestId: string;
  /** Calls GET/POST/... /api/v1/... as the visitor (path with its query string; body as JSON value). */
  api<T = unknown>(method: ApiMethod, path: string, body?: unknown): Promise<SiteApiResponse<T>>;
  /** Thumbnails and withheld-holding counts for a page of records, in one query. */
  holdings(recordIds: readonly string[]): Promise<Record<string, HoldingsOverview>>;
}

// The headers a sub-request inherits: who is asking (cookie, bearer), from where (address through a
// trusted proxy) and with what (user agent: robots are not counted as readers).
const INHERITED = ['host', 'cookie', 'authorization', 'user-agent', 'accept-language', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id'];

type Pipeline = (ctx: Context) => Promise<unknown>;

/** Runs one API request in-process through `app`'s middleware and returns its JSON answer. */
export function inProcessApiCaller(app: Koa) {
  let pipeline: Pipeline | null = null;
  return async function apiCall<T>(parent: Context, method: ApiMethod, path: string, body?: unknown): Promise<SiteApiResponse<T>> {
    if (!path.startsWith('/api/') && !path.startsWith('/auth/')) throw new Error(`site api: ${path} is not an API path`);
    // Koa 3 keeps its composer on the application; composing lazily picks up every app.use().
    pipeline ??= (app as unknown as { compose(mw: unknown[]): Pipeline }).compose(app.middleware);
    const req = new IncomingMessage(parent.req.socket);
    req.method = method;
    req.url = path;
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.httpVersion = '1.1';
    for (const name of INHERITED) {
      const v = parent.req.headers[name];
      if (v !== undefined) req.headers[name] = v;
    }
    req.headers.accept = 'application/json';
    const user = (parent.state as { user?: AuthUser | null }).user;
    // The page's own form post passed the site's Origin check (site-mount.ts); the sub-request
    // carries the session's CSRF token the way the site's JavaScript would.
    if (user?.csrfToken) req.headers['x-csrf-token'] = user.csrfToken;
    req.push(null);
    const res = new ServerResponse(req);
    const ctx = app.createContext(req, res);
    if (body !== undefined) (ctx.request as { body?: unknown }).body = body;
    await pipeline(ctx);
    const raw = res.getHeader('set-cookie');
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    const status = ctx.status;
    // A JSON round trip, so the site sees exactly what an HTTP client of API.md would (dates as strings).
    const json = ctx.body === undefined || ctx.body === null || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body) || typeof (ctx.body as { pipe?: unknown }).pipe === 'function'
      ? null
      : JSON.parse(JSON.stringify(ctx.body));
    if (status >= 400) {
      const problem = (json ?? { type: 'about:blank', title: 'Error', status, code: 'error' }) as ProblemBody;
      return { ok: false, status, problem, setCookies };
    }
    return { ok: true, status, body: json as T, setCookies };
  };
}

/** See HoldingsOverview: one query for a page of records, never counted as views. */
export async function holdingsOverviewer(deps: Deps, viewer: AuthUser | null, recordIds: readonly string[]): Promise<Record<string, HoldingsOverview>> {
  const ids = [...new Set(recordIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const out: Record<string, HoldingsOverview> = {};
  for (const id of ids) out[id] = { thumbnail: null, online: [], withheld: { signIn: 0, restricted: 0, embargoed: 0, embargoEnds: null } };
  if (!ids.length) return out;
  const em = deps.orm.em.fork();
  const files = await em.find(FileEntity, { record: { $in: ids } }, {
    orderBy: { createdAt: 'asc' },
    fields: ['id', 'record', 'mediaType', 'status', 'access', 'accessGroup', 'embargoUntil', 'thumbnailKey'],
  });
  const now = deps.clock();
  for (const f of files) {
    const recordId = typeof f.record === 'object' ? f.record.id : String(f.record);
    const entry = out[recordId];
    if (!entry) continue;
    let open = true;
    try {
      fileAccessChecker(f, viewer, now);
    } catch {
      open = false;
    }
    if (open) {
      if (!entry.thumbnail && f.status === 'ready' && f.thumbnailKey) entry.thumbnail = `/api/v1/files/${f.id}/thumbnail`;
      const kind = onlineKind(f.mediaType);
      if (f.status !== 'failed' && !entry.online.includes(kind)) entry.online.push(kind);
      continue;
    }
    if (f.access === 'embargoed') {
      entry.withheld.embargoed++;
      const ends = f.embargoUntil?.toISOString() ?? null;
      if (ends && (!entry.withheld.embargoEnds || ends < entry.withheld.embargoEnds)) entry.withheld.embargoEnds = ends;
    } else if (!viewer) {
      entry.withheld.signIn++;
    } else {
      entry.withheld.restricted++;
    }
  }
  return out;
}
