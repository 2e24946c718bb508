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
import { BatchWriter } from '../../db/batch-writer.ts';

export const FLUSH_EVERY_MS = 100;
export const FLUSH_AT = 500;
export const MAX_PENDING = 50_000;
/** File-and-session pairs remembered after their event is written (a stream's later ranges skip the database). */
export const RECENT_STREAMS = 20_000;

export class UsageEventBuffer {
  private readonly writer: BatchWriter<UsageEventInput>;
  private readonly recent = new Set<string>();

  constructor(orm: Orm, log: Logger) {
    this.writer = new BatchWriter<UsageEventInput>({
      what: 'usage events', log, everyMs: FLUSH_EVERY_MS, at: FLUSH_AT, maxPending: MAX_PENDING,
      write: (batch) => usageEventsRecorder(orm.em.fork(), batch),
    });
  }

  get size(): number {
    return this.writer.size;
  }

  add(event: UsageEventInput): void {
    if (this.writer.add(event) && event.fileId && event.sessionHash) this.remember(`${event.fileId} ${event.sessionHash}`);
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
    return this.writer.flush();
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
