import { randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { type FileHandle, access, copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertBlobKey, assertBlobPrefix, assertByteRange, BlobNotFoundError, BlobRangeError, isBlobKey,
} from './blob-store.ts';
import type { BlobInfo, BlobStore, ByteRange, PutFileOptions } from './blob-store.ts';

// 1 MiB chunks streamed ~3x faster than the 64 KiB default over loopback (see STACK-NOTES).
const READ_HIGH_WATER_MARK = 1024 * 1024;
// Temp files live inside the root so the final rename never crosses a filesystem. Keys cannot
// start with a dot, so this directory is never visible as a key.
const TMP_DIR = '.tmp';

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** ENOTDIR: a path component is a file, so the key cannot exist either. */
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR']);

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch (err) {
    // Some platforms (Windows) cannot open or fsync a directory; a rename there is as durable as it gets.
    if (errnoCode(err) === 'EISDIR' || errnoCode(err) === 'EPERM' || errnoCode(err) === 'EINVAL') return;
    throw err;
  }
}

export class FsBlobStore implements BlobStore {
  readonly kind = 'fs' as const;
  readonly root: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
  }

  private pathFor(key: string): string {
    assertBlobKey(key);
    const full = path.join(this.root, ...key.split('/'));
    // The key rules already forbid escaping; this guards against a future change to them.
    if (!full.startsWith(this.root + path.sep)) throw new Error(`key escapes the storage root: ${key}`);
    return full;
  }

  /**
   * Creates the root (and its temp area) when missing, and removes temp files of writes that a
   * crashed process left unfinished. Only files older than an hour go: another process sharing this
   * root (an API and a worker on one machine) may be writing right now.
   */
  async ensureReady(): Promise<void> {
    const tmpDir = path.join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    const cutoff = Date.now() - 3_600_000;
    for (const name of await readdir(tmpDir)) {
      const p = path.join(tmpDir, name);
      const info = await stat(p).catch(() => null);
      if (info && info.mtimeMs < cutoff) await rm(p, { force: true });
    }
  }

  async putFile(key: string, sourcePath: string, _contentType?: string, options?: PutFileOptions): Promise<void> {
    const target = this.pathFor(key);
    if (options?.move) {
      // The rename publishes the data, so it must be on disk first.
      await fsyncPath(sourcePath);
      try {
        await this.publish(sourcePath, target);
        return;
      } catch (err) {
        if (errnoCode(err) !== 'EXDEV') throw err;
      }
    }
    const tmp = await this.tempPath();
    try {
      await copyFile(sourcePath, tmp, fsConstants.COPYFILE_FICLONE);
      await fsyncPath(tmp);
      await this.publish(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    if (options?.move) await unlink(sourcePath);
  }

  async putBuffer(key: string, data: Buffer, _contentType?: string): Promise<void> {
    const target = this.pathFor(key);
    const tmp = await this.tempPath();
    try {
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.publish(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathFor(key);
    if (range) assertByteRange(key, range);
    let fh;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      if (ABSENT_CODES.has(errnoCode(err) ?? '')) throw new BlobNotFoundError(key, { cause: err });
      throw err;
    }
    try {
      // Opening first turns "missing" into a rejection instead of a later stream error.
      const info = await fh.stat();
      if (!info.isFile()) throw new BlobNotFoundError(key);
      let start: number | undefined;
      let end: number | undefined;
      if (range) {
        if (range.start >= info.size) throw new BlobRangeError(key, range, info.size);
        start = range.start;
        end = Math.min(range.end, info.size - 1);
      }
      return createReadStream(file, { fd: fh, start, end, highWaterMark: READ_HIGH_WATER_MARK, autoClose: true });
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async localPathOf(key: string): Promise<string | null> {
    const file = this.pathFor(key);
    try {
      return (await stat(file)).isFile() ? file : null;
    } catch {
      return null;
    }
  }

  async openForRead(key: string): Promise<{ handle: FileHandle; size: number }> {
    const file = this.pathFor(key);
    let fh;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      if (ABSENT_CODES.has(errnoCode(err) ?? '')) throw new BlobNotFoundError(key, { cause: err });
      throw err;
    }
    const info = await fh.stat();
    if (!info.isFile()) {
      await fh.close();
      throw new BlobNotFoundError(key);
    }
    return { handle: fh, size: info.size };
  }

  async readBuffer(key: string): Promise<Buffer> {
    const file = this.pathFor(key);
    try {
      return await readFile(file);
    } catch (err) {
      const code = errnoCode(err) ?? '';
      if (ABSENT_CODES.has(code) || code === 'EISDIR') throw new BlobNotFoundError(key, { cause: err });
      throw err;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    const file = this.pathFor(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      return { size: info.size, lastModified: info.mtime };
    } catch (err) {
      if (ABSENT_CODES.has(errnoCode(err) ?? '')) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      await unlink(file);
    } catch (err) {
      const code = errnoCode(err) ?? '';
      // EISDIR/EPERM: the key names a directory of other keys, so no blob of that name exists.
      if (ABSENT_CODES.has(code) || code === 'EISDIR' || code === 'EPERM') return;
      throw err;
    }
    await this.pruneEmptyDirs(path.dirname(file));
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertBlobPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    // Start at the deepest directory the prefix pins down; the rest is a string filter.
    const startRel = slash === -1 ? '' : prefix.slice(0, slash);
    yield* this.walk(startRel, prefix);
  }

  async ping(): Promise<void> {
    const info = await stat(this.root);
    if (!info.isDirectory()) throw new Error(`storage root is not a directory: ${this.root}`);
    await access(this.root, fsConstants.R_OK | fsConstants.W_OK);
  }

  private async *walk(rel: string, prefix: string): AsyncGenerator<string> {
    let entries;
    try {
      entries = await readdir(rel === '' ? this.root : path.join(this.root, ...rel.split('/')), { withFileTypes: true });
    } catch (err) {
      if (ABSENT_CODES.has(errnoCode(err) ?? '')) return;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        const asDir = `${childRel}/`;
        if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) yield* this.walk(childRel, prefix);
      } else if (entry.isFile() && childRel.startsWith(prefix) && isBlobKey(childRel)) {
        yield childRel;
      }
    }
  }

  private async tempPath(): Promise<string> {
    const dir = path.join(this.root, TMP_DIR);
    await mkdir(dir, { recursive: true });
    return path.join(dir, randomUUID());
  }

  /** Renames `from` onto `target` atomically and makes the new directory entries durable. */
  private async publish(from: string, target: string): Promise<void> {
    const dir = path.dirname(target);
    for (let attempt = 0; ; attempt++) {
      const created = await mkdir(dir, { recursive: true });
      if (created !== undefined) await this.fsyncNewDirs(created, dir);
      try {
        await rename(from, target);
        break;
      } catch (err) {
        // A concurrent delete may have pruned the freshly made (still empty) directory.
        if (errnoCode(err) === 'ENOENT' && attempt < 3) continue;
        throw err;
      }
    }
    await fsyncDir(dir);
  }

  /** `mkdir -p` made `firstCreated` .. `dir`; each new entry lives in its parent, so fsync the parents. */
  private async fsyncNewDirs(firstCreated: string, dir: string): Promise<void> {
    let current = dir;
    const parents: string[] = [];
    while (current.length >= firstCreated.length) {
      parents.push(path.dirname(current));
      if (current === firstCreated) break;
      current = path.dirname(current);
    }
    for (const p of parents.reverse()) await fsyncDir(p);
  }

  private async pruneEmptyDirs(dir: string): Promise<void> {
    let current = dir;
    while (current !== this.root && current.startsWith(this.root + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone / raced with a put): stop climbing
      }
      current = path.dirname(current);
    }
  }
}
