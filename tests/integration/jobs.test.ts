import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { JobRunner } from '../../services/worker/job-runner.ts';

let svc: TestService;
beforeAll(async () => { svc = await startTestService(); });
afterAll(async () => { await svc?.close(); });

const runner = () => new JobRunner(svc.deps.orm, svc.deps.jobs, svc.deps.log, { concurrency: 1, leaseMs: 60_000 });
const statusOf = async (kind: string) => (await svc.deps.orm.em.fork().getConnection().execute<Array<{ status: string; attempts: number; last_error: string | null }>>(
  `select status, attempts, last_error from jobs where kind = ? order by id`, [kind]));

describe('job queue on the database', () => {
  it('a job enqueued in a transaction that rolls back never exists', async () => {
    await svc.deps.orm.em.fork().transactional(async (tx) => {
      await svc.deps.jobs.enqueue(tx, 'ghost', {});
      throw new Error('abort');
    }).catch(() => undefined);
    expect(await statusOf('ghost')).toEqual([]);
  });

  it('a job left running by a killed process is picked up again after restart (job state survives)', async () => {
    const seen: unknown[] = [];
    await svc.deps.jobs.enqueue(svc.deps.orm.em.fork(), 'survivor', { n: 1 });
    // A worker claims it and then "dies": the row stays `running` with its lease.
    const claimed = await svc.deps.jobs.claim(svc.deps.orm.em.fork(), 'dead-worker');
    expect(claimed?.kind).toBe('survivor');
    expect((await statusOf('survivor'))[0]!.status).toBe('running');
    // The next process starts once the lease has run out.
    svc.clock.advance(61_000);
    const r = runner().register('survivor', async (job) => { seen.push(job.payload); return 'done'; });
    await r.start();
    await r.stop();
    await r.drain();
    expect(seen).toEqual([{ n: 1 }]);
    expect((await statusOf('survivor'))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a throwing handler is retried with backoff, then marked failed with the error', async () => {
    await svc.deps.jobs.enqueue(svc.deps.orm.em.fork(), 'flaky', {}, { maxAttempts: 2 });
    const r = runner().register('flaky', async () => { throw new Error('storage unreachable'); });
    expect(await r.drain()).toBe(1);
    expect((await statusOf('flaky'))[0]).toMatchObject({ status: 'queued', attempts: 1, last_error: 'storage unreachable' });
    expect(await r.drain()).toBe(0); // not due yet: backoff
    svc.clock.advance(61_000);
    expect(await r.drain()).toBe(1);
    expect((await statusOf('flaky'))[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('a job with no handler fails instead of looping', async () => {
    await svc.deps.jobs.enqueue(svc.deps.orm.em.fork(), 'unknown-kind', {});
    await runner().drain();
    expect((await statusOf('unknown-kind'))[0]).toMatchObject({ status: 'failed', last_error: 'no handler for job kind unknown-kind' });
  });
});
