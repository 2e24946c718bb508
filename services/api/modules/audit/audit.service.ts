import type { EntityManager } from '@mikro-orm/sql';
import type { AuthUser } from '../../app-context.ts';
import type { Clock } from '../../clock.ts';
import { AuditEntryEntity } from './audit.entity.ts';

export interface AuditActor { id: string | null; username: string | null; requestId?: string | null }
export const auditActorOf = (user: AuthUser | null, requestId?: string): AuditActor => ({ id: user?.id ?? null, username: user?.username ?? null, requestId: requestId ?? null });

export interface AuditEvent {
  action: string;            // e.g. 'record.update', 'loan.override', 'policy.change'
  entityType: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

// Fields whose values never enter the audit trail in clear: personal data is logged as changed, not shown.
const PERSONAL = new Set(['phone', 'email', 'address', 'password', 'passwordHash', 'token']);
function scrub(v: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!v) return null;
  return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, PERSONAL.has(k) && val !== null && val !== undefined ? '[personal data]' : val]));
}

/** Records a staff action inside the caller's transaction, so the entry exists exactly when the change does. */
export async function auditRecorder(tx: EntityManager, clock: Clock, actor: AuditActor, e: AuditEvent): Promise<void> {
  // Pending changes of the caller's unit of work go first, as they did when this was an entity.
  await tx.flush();
  // One plain INSERT: every staff write pays for it, and through the unit of work it was a
  // transaction of its own (three round trips) plus the ORM's change tracking.
  const json = (v: Record<string, unknown> | null) => (v === null ? null : JSON.stringify(v));
  await tx.execute(
    `insert into audit_log (at, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, request_id) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
    [clock(), actor.id, actor.username, e.action, e.entityType, e.entityId, json(scrub(e.before)), json(scrub(e.after)), e.reason ?? null, actor.requestId ?? null], 'run');
}

export interface AuditQuery { entityType?: string; entityId?: string; actorId?: string; action?: string; from?: Date; to?: Date; page: number; pageSize: number }

export async function auditLister(em: EntityManager, q: AuditQuery) {
  const where: Record<string, unknown> = {};
  if (q.entityType) where.entityType = q.entityType;
  if (q.entityId) where.entityId = q.entityId;
  if (q.actorId) where.actorId = q.actorId;
  if (q.action) where.action = q.action;
  if (q.from || q.to) where.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
  const [rows, total] = await em.findAndCount(AuditEntryEntity, where, { orderBy: { at: 'desc', id: 'desc' }, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total, page: q.page, pageSize: q.pageSize,
    items: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: { id: r.actorId, username: r.actorName }, action: r.action, entityType: r.entityType, entityId: r.entityId, before: r.before, after: r.after, reason: r.reason, requestId: r.requestId })),
  };
}
