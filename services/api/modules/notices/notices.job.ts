// The notice-dispatch job: every few minutes it scans for due-soon and overdue loans, then turns
// pending notices into notice-send jobs; like hold expiry, each run queues the next, and an advisory
// lock keeps processes that start together from multiplying the chain.
import type { Deps } from '../../app-context.ts';
import type { JobHandler } from '../../../worker/job-runner.ts';
import { noticeDispatcher, noticeScanner, noticeSender } from './notices.service.ts';

export { NOTICE_SEND_JOB } from './notices.service.ts';
export const NOTICE_DISPATCH_JOB = 'notice-dispatch';
export const NOTICE_DISPATCH_INTERVAL_MS = 5 * 60_000;
const SCHEDULE_LOCK = 74260007;

export async function noticeDispatchScheduler(deps: Deps, runAt: Date = new Date(deps.clock().getTime() + NOTICE_DISPATCH_INTERVAL_MS)): Promise<boolean> {
  return deps.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${SCHEDULE_LOCK})`, []);
    const queued = await tx.execute<Array<{ n: string | number }>>(`select count(*) as n from jobs where kind = ? and status = 'queued'`, [NOTICE_DISPATCH_JOB]);
    if (Number(queued[0]?.n ?? 0) > 0) return false;
    await deps.jobs.enqueue(tx, NOTICE_DISPATCH_JOB, {}, { runAt, maxAttempts: 3 });
    return true;
  });
}

export function noticeDispatchJob(deps: Deps): JobHandler {
  return async () => {
    try {
      const scanned = await noticeScanner(deps);
      const dispatched = await noticeDispatcher(deps);
      return scanned.dueSoon + scanned.overdue + dispatched.queued + dispatched.unsent > 0 ? 'done' : 'skipped';
    } finally {
      await noticeDispatchScheduler(deps);
    }
  };
}

export function noticeSendJob(deps: Deps): JobHandler {
  return (job) => noticeSender(deps, job);
}
