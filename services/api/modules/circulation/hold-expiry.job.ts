// Hold expiry as a scheduled job in the job table: the handler expires overdue ready holds and then
// enqueues its own next run. At start the service ensures one run is queued. An advisory lock makes
// "is a run already queued?" and the enqueue one step, so several processes starting or finishing
// at once never multiply the chain, and a failed run still schedules the next.
import type { Deps } from '../../app-context.ts';
import type { JobHandler } from '../../../worker/job-runner.ts';
import { holdExpirer } from './holds.service.ts';

export const HOLD_EXPIRY_JOB = 'hold-expiry';
/** Pickup windows end at local midnight; a quarter of an hour late is soon enough to free a copy. */
export const HOLD_EXPIRY_INTERVAL_MS = 15 * 60_000;
const SCHEDULE_LOCK = 74260002;

/**
 * Queues a hold-expiry run at `runAt` (by default one interval from now) unless one is already
 * queued. Returns whether it queued one. Checkouts and new holds expire a lapsed hold on their copy
 * themselves, so the first run after a start need not be immediate.
 */
export async function holdExpiryScheduler(deps: Deps, runAt: Date = new Date(deps.clock().getTime() + HOLD_EXPIRY_INTERVAL_MS)): Promise<boolean> {
  return deps.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${SCHEDULE_LOCK})`, []);
    const queued = await tx.execute<Array<{ n: string | number }>>(`select count(*) as n from jobs where kind = ? and status = 'queued'`, [HOLD_EXPIRY_JOB]);
    if (Number(queued[0]?.n ?? 0) > 0) return false;
    await deps.jobs.enqueue(tx, HOLD_EXPIRY_JOB, {}, { runAt, maxAttempts: 3 });
    return true;
  });
}

export function holdExpiryJob(deps: Deps): JobHandler {
  return async () => {
    try {
      const { expired, failed } = await holdExpirer(deps);
      if (failed) return { status: 'done', error: `${failed} hold(s) could not be expired; see the log` };
      return expired ? 'done' : 'skipped';
    } finally {
      await holdExpiryScheduler(deps);
    }
  };
}
