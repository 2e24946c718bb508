// Views, downloads and stream starts arrive with page requests, thousands a second on a busy day.
// On the embedded database one INSERT per event costs a commit each (about 500 a second on PGlite
// on disk, bench/analytics.md), so the request only hands its event to this buffer and returns; the
// buffer writes whatever has gathered in one multi-row INSERT every 100 ms (or at 500 events). What
// this costs: a crash loses at most the last ~100 ms of page-view events (never a circulation event:
// those are written inside their own transactions). Under overload the buffer holds 50,000 events
// and then drops new ones with a warning, rather than let memory grow or slow the library's pages.
import type { Orm } from '../../db/orm.ts';
import type { Logger } from '../../logger.ts';
import { usageEventsRecorder, type UsageEventInput } from './usage-events.ts';

export const FLUSH_EVERY_MS = 100;
export const FLUSH_AT = 500;
export const MAX_PENDING = 50_000;
/** File-and-session pairs remembered after their event is written (a stream's later ranges skip the database). */
export const RECENT_STREAMS = 20_000;

export class UsageEventBuffer {
  private pending: UsageEventInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private droppedSinceWarning = 0;
  private readonly recent = new Set<string>();
  private readonly orm: Orm;
  private readonly log: Logger;

  constructor(orm: Orm, log: Logger) {
    this.orm = orm;
    this.log = log;
  }

  get size(): number {
    return this.pending.length;
  }

  add(event: UsageEventInput): void {
    if (this.pending.length >= MAX_PENDING) {
      if (this.droppedSinceWarning++ === 0) this.log.warn({ pending: this.pending.length }, 'usage event buffer full; dropping events until it drains');
      return;
    }
    this.pending.push(event);
    if (event.fileId && event.sessionHash) this.remember(`${event.fileId} ${event.sessionHash}`);
    if (this.pending.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => { void this.flush(); }, FLUSH_EVERY_MS).unref();
  }

  /**
   * Did this process add an event for this file and session (still waiting, or written lately)? The
   * stream-start check asks this first: a player fetching a file range by range would otherwise
   * query usage_events once per range. A miss (another process, a restart) falls back to that query.
   */
  holds(fileId: string, sessionHash: string): boolean {
    return this.recent.has(`${fileId} ${sessionHash}`);
  }

  /** The database says this file and session already have their event (written by another process, or before a restart). */
  noteSeen(fileId: string, sessionHash: string): void {
    this.remember(`${fileId} ${sessionHash}`);
  }

  private remember(key: string): void {
    this.recent.delete(key);
    this.recent.add(key);
    if (this.recent.size > RECENT_STREAMS) this.recent.delete(this.recent.values().next().value!);
  }

  /** Writes everything added so far; resolves when it is in the database (or was lost, logged). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await usageEventsRecorder(this.orm.em.fork(), batch);
        if (this.droppedSinceWarning) { this.log.warn({ dropped: this.droppedSinceWarning }, 'usage events were dropped while the buffer was full'); this.droppedSinceWarning = 0; }
      } catch (err) {
        this.log.warn({ lost: batch.length, err: err instanceof Error ? err.message : String(err) }, 'usage events not written');
      }
    });
    return this.writing;
  }
}

const buffers = new WeakMap<object, UsageEventBuffer>();

/** The process's buffer for this database. */
export function usageEventBuffer(deps: { orm: Orm; log: Logger }): UsageEventBuffer {
  let b = buffers.get(deps.orm);
  if (!b) buffers.set(deps.orm, (b = new UsageEventBuffer(deps.orm, deps.log.child({ module: 'analytics' }))));
  return b;
}

/** Writes the buffered events now: before aggregating, at shutdown, and in tests before reading. */
export function usageEventsFlusher(deps: { orm: Orm; log: Logger }): Promise<void> {
  return usageEventBuffer(deps).flush();
}
