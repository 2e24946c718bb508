// The usage aggregation as a scheduled job in the job table, like hold expiry: each run aggregates,
// applies retention and queues the next run; at start the service makes sure one run is queued. The
// advisory lock makes "is a run already queued?" and the enqueue one step across processes.
import type { Deps } from '../../app-context.ts';
import type { JobHandler } from '../../../worker/job-runner.ts';
import { usageAggregator } from './usage-aggregator.ts';

export const USAGE_AGGREGATION_JOB = 'usage-aggregation';
/** Dashboards read aggregates: today's figures are at most this old. */
export const USAGE_AGGREGATION_INTERVAL_MS = 10 * 60_000;
const SCHEDULE_LOCK = 74260005;

export async function usageAggregationScheduler(deps: Deps, runAt: Date = new Date(deps.clock().getTime() + USAGE_AGGREGATION_INTERVAL_MS)): Promise<boolean> {
  return deps.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${SCHEDULE_LOCK})`, []);
    const queued = await tx.execute<Array<{ n: string | number }>>(`select count(*) as n from jobs where kind = ? and status = 'queued'`, [USAGE_AGGREGATION_JOB]);
    if (Number(queued[0]?.n ?? 0) > 0) return false;
    await deps.jobs.enqueue(tx, USAGE_AGGREGATION_JOB, {}, { runAt, maxAttempts: 3 });
    return true;
  });
}

export function usageAggregationJob(deps: Deps): JobHandler {
  return async () => {
    try {
      const r = await usageAggregator(deps);
      deps.log.debug({ days: r.days.length, deletedEvents: r.deletedEvents }, 'usage aggregated');
      return 'done';
    } finally {
      await usageAggregationScheduler(deps);
    }
  };
}
