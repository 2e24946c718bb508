import type { Logger } from '../logger.ts';

// Rows that arrive with requests but need not be written by them (page-view and search events):
// gathered in memory and written together, one statement per batch, off the request path. On the
// embedded database one INSERT per event costs a commit each (a WAL flush, ~5 ms on PGlite).
// What it costs: a crash loses what is still gathered (at most `everyMs`). Under overload it holds
// `maxPending` rows and then drops new ones with a warning, rather than let memory grow.

export interface BatchWriterOptions<T> {
  /** Writes one batch; a failure is logged and the batch is lost (never retried into a loop). */
  write(batch: T[]): Promise<void>;
  log: Logger;
  /** What the rows are, for log lines ("usage events"). */
  what: string;
  everyMs: number;
  /** Write at once when this many are gathered. */
  at: number;
  maxPending?: number;
}

export class BatchWriter<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private droppedSinceWarning = 0;
  private readonly opts: BatchWriterOptions<T>;

  constructor(opts: BatchWriterOptions<T>) {
    this.opts = opts;
  }

  get size(): number {
    return this.pending.length;
  }

  /** False when the row was dropped (the writer is full). */
  add(row: T): boolean {
    if (this.opts.maxPending !== undefined && this.pending.length >= this.opts.maxPending) {
      if (this.droppedSinceWarning++ === 0) this.opts.log.warn({ pending: this.pending.length }, `${this.opts.what}: buffer full; dropping until it drains`);
      return false;
    }
    this.pending.push(row);
    if (this.pending.length >= this.opts.at) void this.flush();
    else this.timer ??= setTimeout(() => { void this.flush(); }, this.opts.everyMs).unref();
    return true;
  }

  /** Writes everything added so far; resolves when it is in the database (or was lost, logged). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await this.opts.write(batch);
        if (this.droppedSinceWarning) { this.opts.log.warn({ dropped: this.droppedSinceWarning }, `${this.opts.what} were dropped while the buffer was full`); this.droppedSinceWarning = 0; }
      } catch (err) {
        this.opts.log.warn({ lost: batch.length, err: err instanceof Error ? err.message : String(err) }, `${this.opts.what} not written`);
      }
    });
    return this.writing;
  }
}
