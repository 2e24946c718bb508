import { defineEntity, p } from '@mikro-orm/core';

export const JOB_STATUSES = ['queued', 'running', 'done', 'skipped', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JobEntity = defineEntity({
  name: 'Job',
  tableName: 'jobs',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    kind: p.string().length(50),
    payload: p.json<Record<string, unknown>>(),
    status: p.string().length(20),
    attempts: p.integer().default(0),
    maxAttempts: p.integer().default(3),
    runAt: p.datetime(),
    lockedAt: p.datetime().nullable(),
    lockedBy: p.string().length(100).nullable(),
    lastError: p.text().nullable(),
    createdAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
});
