import { hostname } from 'node:os';
import type { Orm } from '../api/db/orm.ts';
import type { Logger } from '../api/logger.ts';
import type { JobQueue, ClaimedJob } from './job-queue.ts';

export type JobResult = 'done' | 'skipped' | 'failed';
/** Handlers are idempotent: a job may run again after a crash. Throwing means "try again later". */
export type JobHandler = (job: ClaimedJob) => Promise<JobResult | { status: JobResult; error?: string }>;

export interface JobRunnerOptions {
  concurrency: number;
  pollMs?: number;
  leaseMs?: number;
}

/** Polls the job table with N lanes; in the embedded default it runs inside the API process. */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private running = false;
  private lanes: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private readonly orm: Orm;
  private readonly queue: JobQueue;
  private readonly log: Logger;
  private readonly opts: Required<JobRunnerOptions>;

  constructor(orm: Orm, queue: JobQueue, log: Logger, opts: JobRunnerOptions) {
    this.orm = orm;
    this.queue = queue;
    this.log = log;
    this.opts = { pollMs: 500, leaseMs: 10 * 60_000, ...opts };
  }

  register(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const requeued = await this.queue.requeueAbandoned(this.orm.em.fork(), this.opts.leaseMs);
    if (requeued) this.log.warn({ requeued }, 'requeued jobs abandoned by a stopped process');
    this.running = true;
    this.unsubscribe = this.queue.onWork(() => this.poke());
    this.lanes = Array.from({ length: this.opts.concurrency }, () => this.lane());
  }

  /** Nudges idle lanes after an enqueue so work starts at once instead of at the next poll. */
  poke(): void {
    for (const w of [...this.wakers]) w();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.poke();
    await Promise.all(this.lanes);
  }

  /** Runs queued jobs until none is due (tests and the CLI use it). */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  private async lane(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (err) {
        this.log.error({ err }, 'job lane error');
      }
      if (!worked && this.running) {
        await new Promise<void>((resolve) => {
          const wake = () => { clearTimeout(t); this.wakers.delete(wake); resolve(); };
          const t = setTimeout(wake, this.opts.pollMs);
          this.wakers.add(wake);
        });
      }
    }
  }

  private async runOne(): Promise<boolean> {
    const em = this.orm.em.fork();
    const job = await this.queue.claim(em, this.workerId);
    if (!job) return false;
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      await this.queue.finish(em, job.id, 'failed', `no handler for job kind ${job.kind}`);
      return true;
    }
    try {
      const result = await handler(job);
      const status = typeof result === 'string' ? result : result.status;
      const error = typeof result === 'string' ? undefined : result.error;
      await this.queue.finish(em, job.id, status, error);
      this.log.debug({ jobId: job.id, kind: job.kind, status }, 'job finished');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job attempt failed');
      await this.queue.retryLater(em, job, message);
    }
    return true;
  }
}
