// Recording usage events, append-only. Views and file requests are recorded from the HTTP layer
// after the answer is decided, through the in-process buffer (usage-event-buffer.ts: one multi-row
// INSERT every 100 ms), and never fail the request (a lost analytics row is better than a refused
// book). Circulation events are written inside the circulation transaction, so an event exists
// exactly when the loan, return, renewal, hold or payment does.
import type { EntityManager } from '@mikro-orm/sql';
import type { ApiContext } from '../../app-context.ts';
import { SESSION_COOKIE } from '../auth/auth.service.ts';
import type { UsageEventKind } from './analytics.entities.ts';
import { fileRequestKind } from './file-request-kind.ts';
import { isRobotUserAgent } from './robots.ts';
import { dailySaltLoader, sessionHash, sessionIdentity, utcDay } from './session-hash.ts';
import { usageEventBuffer } from './usage-event-buffer.ts';

export interface UsageEventInput {
  kind: UsageEventKind;
  at: Date;
  recordId?: string | null;
  fileId?: string | null;
  itemId?: string | null;
  patronCategory?: string | null;
  sessionHash?: string | null;
  robot?: boolean;
  amountCents?: number | null;
}

const COLUMNS = 'occurred_at, kind, record_id, file_id, item_id, patron_category, session_hash, robot, amount_cents';
const row = (e: UsageEventInput) => [e.at, e.kind, e.recordId ?? null, e.fileId ?? null, e.itemId ?? null, e.patronCategory ?? null, e.sessionHash ?? null, e.robot ?? false, e.amountCents ?? null];

/** Appends one event (`usageEventsRecorder` appends many in one statement). */
export async function usageEventRecorder(em: EntityManager, event: UsageEventInput): Promise<void> {
  await em.execute(`insert into usage_events (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`, row(event), 'run');
}

export async function usageEventsRecorder(em: EntityManager, events: readonly UsageEventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const chunk = events.slice(i, i + 1000);
    await em.execute(`insert into usage_events (${COLUMNS}) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, chunk.flatMap(row), 'run');
  }
}

export type CirculationEventKind = Extract<UsageEventKind, 'loan' | 'return' | 'renewal' | 'hold' | 'payment'>;

/**
 * Inside a circulation transaction: the copy's record and the patron's category are looked up in the
 * same statement, so the patron's id is used but never stored.
 */
export async function circulationUsageRecorder(tx: EntityManager, e: { kind: CirculationEventKind; at: Date; itemId?: string | null; patronId?: string | null; amountCents?: number | null }): Promise<void> {
  await tx.execute(
    `insert into usage_events (${COLUMNS})
     select ?, ?, (select i.record_id from items i where i.id = ?), null, ?, (select p.category from patrons p where p.id = ?), null, false, ?`,
    [e.at, e.kind, e.itemId ?? null, e.itemId ?? null, e.patronId ?? null, e.amountCents ?? null], 'run');
}

interface RequestFacts { sessionHash: string; robot: boolean }

async function requestFacts(ctx: ApiContext, at: Date): Promise<RequestFacts> {
  const userAgent = ctx.get('user-agent');
  const user = ctx.state.user;
  const identity = sessionIdentity({
    sessionCookie: user?.via === 'session' ? ctx.cookies.get(SESSION_COOKIE) : null,
    userId: user?.id ?? null,
    ip: ctx.ip,
    userAgent,
  }, at);
  const day = utcDay(at);
  const salt = await dailySaltLoader(ctx.state.em, ctx.deps.orm, day);
  return { sessionHash: sessionHash(salt, identity, day), robot: isRobotUserAgent(userAgent) };
}

/** The viewer's patron category when the signed-in user is linked to a patron record; never who. */
async function viewerCategory(ctx: ApiContext): Promise<string | null> {
  const userId = ctx.state.user?.id;
  if (!userId) return null;
  if (ctx.state.user!.patronCategory !== undefined) return ctx.state.user!.patronCategory;
  const rows = await ctx.state.em.execute<Array<{ category: string }>>(`select p.category from users u join patrons p on p.id = u.patron_id where u.id = ?`, [userId]);
  return rows[0]?.category ?? null;
}

async function requestEventRecorder(ctx: ApiContext, e: { kind: 'view' | 'download' | 'stream'; recordId: string; fileId: string | null; firstOnly?: boolean }): Promise<void> {
  const at = ctx.deps.clock();
  const facts = await requestFacts(ctx, at);
  const buffer = usageEventBuffer(ctx.deps);
  if (e.firstOnly && e.fileId) {
    // A continuation counts only as the first request of this file in this session.
    if (buffer.holds(e.fileId, facts.sessionHash)) return;
    const seen = await ctx.state.em.execute(`select 1 from usage_events where file_id = ? and session_hash = ? limit 1`, [e.fileId, facts.sessionHash]);
    if (seen.length) { buffer.noteSeen(e.fileId, facts.sessionHash); return; }
  }
  buffer.add({ kind: e.kind, at, recordId: e.recordId, fileId: e.fileId, patronCategory: await viewerCategory(ctx), sessionHash: facts.sessionHash, robot: facts.robot });
}

function safely(ctx: ApiContext, what: string, work: () => Promise<void>): Promise<void> {
  return work().catch((err: unknown) => {
    ctx.state.log?.warn({ err: err instanceof Error ? err.message : String(err) }, `usage event not recorded (${what})`);
  });
}

/** GET /api/v1/records/:id answered: a COUNTER investigation of the record. */
export function recordViewRecorder(ctx: ApiContext, recordId: string): Promise<void> {
  if (ctx.method !== 'GET') return Promise.resolve();
  return safely(ctx, 'view', () => requestEventRecorder(ctx, { kind: 'view', recordId, fileId: null }));
}

/** GET /api/v1/files/:id/content answered: a download, a stream start, or nothing (file-request-kind.ts). */
export function fileRequestRecorder(ctx: ApiContext, file: { id: string; record: { id: string } | string }): Promise<void> {
  const kind = fileRequestKind(ctx.method, ctx.status, ctx.response.get('Content-Range') || undefined);
  if (!kind) return Promise.resolve();
  const recordId = typeof file.record === 'string' ? file.record : file.record.id;
  return safely(ctx, kind, () => requestEventRecorder(ctx, {
    kind: kind === 'download' ? 'download' : 'stream', recordId, fileId: file.id, firstOnly: kind === 'continuation',
  }));
}
