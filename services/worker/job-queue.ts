import type { EntityManager } from '@mikro-orm/sql';
import type { Clock } from '../api/clock.ts';

export interface EnqueueOptions { runAt?: Date; maxAttempts?: number }

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/**
 * The job table is the queue: jobs are rows, enqueued inside the caller's transaction (so a job
 * exists exactly when the change that asked for it does) and claimed with FOR UPDATE SKIP LOCKED,
 * which lets several worker processes share one table at scale.
 */
export class JobQueue {
  private readonly clock: Clock;
  private readonly wakers = new Set<() => void>();
  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** A runner in this process registers here to be woken when work was committed. */
  onWork(waker: () => void): () => void {
    this.wakers.add(waker);
    return () => this.wakers.delete(waker);
  }

  /** Call after the transaction that enqueued jobs has committed. */
  poke(): void {
    for (const w of this.wakers) w();
  }

  async enqueue(em: EntityManager, kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<void> {
    const now = this.clock();
    await em.getConnection().execute(
      `insert into jobs (kind, payload, status, attempts, max_attempts, run_at, created_at) values (?, ?, 'queued', 0, ?, ?, ?)`,
      [kind, JSON.stringify(payload), opts.maxAttempts ?? 3, opts.runAt ?? now, now],
      'run',
      em.getTransactionContext(),
    );
  }

  async claim(em: EntityManager, workerId: string): Promise<ClaimedJob | null> {
    const now = this.clock();
    const rows = await em.getConnection().execute<Array<{ id: string | number; kind: string; payload: Record<string, unknown> | string; attempts: number; max_attempts: number }>>(
      `update jobs set status = 'running', locked_at = ?, locked_by = ?, attempts = attempts + 1
        where id = (select id from jobs where status = 'queued' and run_at <= ? order by run_at, id for update skip locked limit 1)
        returning id, kind, payload, attempts, max_attempts`,
      [now, workerId, now],
    );
    const r = rows[0];
    if (!r) return null;
    return { id: Number(r.id), kind: r.kind, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload, attempts: r.attempts, maxAttempts: r.max_attempts };
  }

  async finish(em: EntityManager, id: number, status: 'done' | 'skipped' | 'failed', error?: string): Promise<void> {
    await em.getConnection().execute(`update jobs set status = ?, finished_at = ?, last_error = ?, locked_at = null, locked_by = null where id = ?`, [status, this.clock(), error ?? null, id]);
  }

  /** A failed attempt goes back in the queue with exponential backoff until attempts run out. */
  async retryLater(em: EntityManager, job: ClaimedJob, error: string): Promise<void> {
    if (job.attempts >= job.maxAttempts) return this.finish(em, job.id, 'failed', error);
    const delayMs = Math.min(60_000 * 2 ** (job.attempts - 1), 3_600_000);
    await em.getConnection().execute(`update jobs set status = 'queued', run_at = ?, last_error = ?, locked_at = null, locked_by = null where id = ?`, [new Date(this.clock().getTime() + delayMs), error, job.id]);
  }

  /** Jobs left running by a process that died (its lease expired) are queued again: job state survives restarts. */
  async requeueAbandoned(em: EntityManager, leaseMs: number): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - leaseMs);
    const res = await em.getConnection().execute<{ affectedRows?: number }>(`update jobs set status = 'queued', locked_at = null, locked_by = null where status = 'running' and locked_at <= ?`, [cutoff], 'run');
    return (res as { affectedRows?: number }).affectedRows ?? 0;
  }

  async counts(em: EntityManager): Promise<Record<string, number>> {
    const rows = await em.getConnection().execute<Array<{ status: string; n: string | number }>>(`select status, count(*) as n from jobs group by status`);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
