import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface ByteRange { start: number; end: number } // inclusive, like HTTP Range
export interface BlobInfo { size: number; lastModified: Date }

export interface PutFileOptions {
  /**
   * The caller no longer needs `sourcePath`: the fs adapter renames it into place when it is on
   * the same filesystem (no copy), otherwise the source is removed once the bytes are durable.
   */
  move?: boolean;
}

export interface BlobStore {
  readonly kind: 'fs' | 's3';
  /** Stores the local file at `sourcePath` under `key`. Resolves only once the bytes are durable (fs: written to a temp name, fsynced, renamed into place; s3: upload complete). Overwriting the same key is allowed and atomic. Large files (> 16 MiB) go multipart on S3 (@aws-sdk/lib-storage Upload). */
  putFile(key: string, sourcePath: string, contentType?: string, options?: PutFileOptions): Promise<void>;
  /** Stores a small in-memory buffer (thumbnails, extracted text). */
  putBuffer(key: string, data: Buffer, contentType?: string): Promise<void>;
  /**
   * A stream of the bytes, or only of `range` when given. Rejects with BlobNotFoundError when
   * absent. An `end` past the last byte is clamped (as HTTP does); a `start` at or past the end of
   * the blob rejects with BlobRangeError.
   */
  read(key: string, range?: ByteRange): Promise<Readable>;
  readBuffer(key: string): Promise<Buffer>;
  stat(key: string): Promise<BlobInfo | null>;
  /** Idempotent: deleting an absent key is fine. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, for orphan sweeps and fixity audits. Order is not specified. */
  list(prefix: string): AsyncIterable<string>;
  /** Throws when the store cannot be reached (used by GET /ready). */
  ping(): Promise<void>;
  /**
   * An open file handle on the blob, for stores whose blobs are local files: the streaming route
   * then writes from a few reused buffers instead of a ReadStream (bench/README.md: GC, not disk,
   * was the limit). Absent on remote stores.
   */
  openForRead?(key: string): Promise<{ handle: FileHandle; size: number }>;
  /**
   * The file a local store keeps the blob in, for readers that need a path (media probes, PDF
   * parsing) and must not write to it: they read it in place instead of copying it first. Absent on
   * remote stores; null when the blob does not exist.
   */
  localPathOf?(key: string): Promise<string | null>;
  /** Creates what the store needs (fs: the root directory; s3: the bucket). For dev setups and tests. */
  ensureReady?(): Promise<void>;
  /** Releases connections (graceful shutdown). */
  close?(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super(`blob not found: ${key}`, options);
    this.name = 'BlobNotFoundError';
    this.key = key;
  }
}

export class InvalidBlobKeyError extends Error {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidBlobKeyError';
    this.key = key;
  }
}

/** The range cannot be served from this blob (maps to HTTP 416). */
export class BlobRangeError extends Error {
  readonly key: string;
  constructor(key: string, range: ByteRange, size?: number) {
    super(`range ${range.start}-${range.end} not satisfiable for ${key}${size === undefined ? '' : ` (size ${size})`}`);
    this.name = 'BlobRangeError';
    this.key = key;
  }
}

const KEY_CHARS = /^[a-z0-9/._-]+$/;
// S3's limit is 1024 bytes per key; 255 is the usual filesystem limit per path segment.
const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;

function checkSegments(key: string, segments: string[]): void {
  for (const segment of segments) {
    if (segment === '') throw new InvalidBlobKeyError(key, 'empty path segment');
    // Refusing every dot-leading segment rules out `.` and `..` and keeps the fs adapter's
    // `.tmp/` area unreachable through a key.
    if (segment.startsWith('.')) throw new InvalidBlobKeyError(key, 'segment starts with a dot');
    if (segment.length > MAX_SEGMENT_LENGTH) throw new InvalidBlobKeyError(key, 'segment too long');
  }
}

/** Throws InvalidBlobKeyError unless `key` is a relative, slash-separated key that cannot escape the root. */
export function assertBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidBlobKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidBlobKeyError(key, 'too long');
  if (!KEY_CHARS.test(key)) throw new InvalidBlobKeyError(key, 'only [a-z0-9/._-] allowed');
  checkSegments(key, key.split('/'));
}

export function isBlobKey(key: string): boolean {
  try {
    assertBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * A list prefix is either empty (everything) or a key fragment: the same rules as a key, except
 * that it may end with `/` and its last segment may be partial.
 */
export function assertBlobPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new InvalidBlobKeyError(String(prefix), 'not a string');
  if (prefix === '') return;
  if (prefix.length > MAX_KEY_LENGTH) throw new InvalidBlobKeyError(prefix, 'too long');
  if (!KEY_CHARS.test(prefix)) throw new InvalidBlobKeyError(prefix, 'only [a-z0-9/._-] allowed');
  const segments = prefix.split('/');
  if (prefix.endsWith('/')) segments.pop();
  checkSegments(prefix, segments);
}

export function assertByteRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new BlobRangeError(key, range);
  }
}
