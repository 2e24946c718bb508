// The content route's file rows, kept for a few seconds per process. A media player reads a file in
// dozens of ranges, each a request; on the embedded database one indexed select costs ~0.8 ms of
// PGlite work, which on 8 MiB ranges was a fifth of the time (bench/README.md).
//
// Why a cache is safe here: a file row's access fields never change after upload (no route edits
// them); the only change is deletion, and deletion forgets the row in this process after commit
// (filesBlobsReleaser). Another process (several API instances on PostgreSQL) may serve a deleted
// file for at most TTL_MS, the same order as the `max-age=3600` public files already carry.
// Access is still decided per request, from the cached row, the caller and the clock.
import type { FileForContent } from './files.service.ts';

export const TTL_MS = 5_000;
export const MAX_ROWS = 5_000;

export class FileRowCache {
  private readonly rows = new Map<string, { row: FileForContent; until: number }>();

  get(id: string, now: number): FileForContent | undefined {
    const hit = this.rows.get(id);
    if (!hit) return undefined;
    if (hit.until <= now) { this.rows.delete(id); return undefined; }
    return hit.row;
  }

  set(row: FileForContent, now: number): void {
    if (this.rows.size >= MAX_ROWS) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(row.id, { row, until: now + TTL_MS });
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.rows.delete(id);
  }
}

const caches = new WeakMap<object, FileRowCache>();

/** This process's cache for this database. */
export function fileRowCache(orm: object): FileRowCache {
  let c = caches.get(orm);
  if (!c) caches.set(orm, (c = new FileRowCache()));
  return c;
}
