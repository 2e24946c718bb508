import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// Who did what to which thing, when, and how it looked before and after. Append-only: nothing in
// the application updates or deletes these rows.
export const AuditEntryEntity = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    at: p.datetime().index(),
    actorId: p.string().length(64).nullable(),
    actorName: p.string().length(100).nullable(),
    action: p.string().length(60),
    entityType: p.string().length(40),
    entityId: p.string().length(64).nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    reason: p.text().nullable(),
    requestId: p.string().length(64).nullable(),
  },
});
export type AuditEntry = InferEntity<typeof AuditEntryEntity>;
