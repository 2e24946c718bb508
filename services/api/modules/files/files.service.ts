import { randomUUID } from 'node:crypto';
import { rm, unlink } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/sql';
import type { AuthUser, Deps } from '../../app-context.ts';
import { forbidden, notFound, problem, unauthorized } from '../../http/problem.ts';
import { isStaff } from '../../http/roles.ts';
import { originalKey } from '../../../../storage/storage-keys.ts';
import { BlobIntentEntity, FileEntity, type AccessLevel, type StoredFile } from './file.entity.ts';
import { sniffMediaType } from './media-type.ts';
import type { HashedUpload } from './hashing-disk-storage.ts';
import { fileRowCache } from './file-row-cache.ts';

export interface UploadMetadata {
  originalName: string;
  access: AccessLevel;
  accessGroup: string | null;
  embargoUntil: Date | null;
  lendableCopies: number | null;
}

/** Recovery tests kill the process at named points (config refuses faults outside NODE_ENV=test). */
function crashPoint(deps: Deps, name: string): void {
  if (deps.config.faults.has(name)) process.kill(process.pid, 'SIGKILL');
}

/** Client file names are metadata only: strip any path and control characters, keep it short. */
export function safeDisplayName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return cleaned || 'file';
}

/**
 * The upload pipeline after the bytes are on local disk: sniff, journal, store, commit.
 * The blob intent is committed before the blob is written and removed in the same transaction that
 * inserts the row, so a crash at any point leaves either a complete pair or an intent that
 * `blobSweeper` resolves at the next start. The temporary file is always removed.
 */
export async function fileIngestor(deps: Deps, em: EntityManager, recordId: string, upload: HashedUpload, meta: UploadMetadata): Promise<StoredFile> {
  try {
    const sniffed = await sniffMediaType(upload.path);
    if (!sniffed) {
      throw problem(415, 'unsupported-media-type', 'Unsupported file type',
        'The file content is not an allowed type (PDF, EPUB, MP3, FLAC, OGG, WAV, M4A, MP4, WebM, JPEG, PNG, WebP, TIFF or GIF). The type is read from the content, not the name.');
    }
    if (upload.size === 0) throw problem(422, 'empty-file', 'Empty file', 'The uploaded file has no content.');
    const key = originalKey(upload.sha256);
    const now = deps.clock();
    await em.fork().getConnection().execute(`insert into blob_intents (storage_key, created_at) values (?, ?) on conflict (storage_key) do nothing`, [key, now], 'run');
    if (!(await deps.blobs.stat(key))) await deps.blobs.putFile(key, upload.path, sniffed.mediaType, { move: true });
    crashPoint(deps, 'crash-after-blob-stored');
    const file = await em.transactional(async (tx) => {
      const record = await tx.getConnection().execute<Array<{ id: string }>>(`select id from records where id = ? for share`, [recordId], 'all', tx.getTransactionContext());
      if (!record.length) throw notFound('Record', recordId);
      const f = tx.create(FileEntity, {
        id: randomUUID(), record: recordId, originalName: meta.originalName, mediaType: sniffed.mediaType, size: upload.size,
        sha256: upload.sha256, storageKey: key, status: 'processing', reason: null, access: meta.access, accessGroup: meta.accessGroup,
        embargoUntil: meta.embargoUntil, lendableCopies: meta.lendableCopies, thumbnailKey: null, extractedText: null, pageCount: null,
        durationSeconds: null, technical: null, createdAt: now, processedAt: null,
      });
      await tx.nativeDelete(BlobIntentEntity, { storageKey: key });
      await deps.jobs.enqueue(tx, 'derive-file', { fileId: f.id });
      await tx.flush();
      return f;
    });
    crashPoint(deps, 'crash-after-file-committed');
    return file;
  } finally {
    await unlink(upload.path).catch(() => undefined);
  }
}

/**
 * Settles every blob intent: a key that some file row references is kept, any other blob is
 * deleted. Runs at start and after deletions; idempotent, so a crash inside it is harmless.
 */
export async function blobSweeper(deps: Deps, olderThan?: Date): Promise<{ kept: number; deleted: number }> {
  const em = deps.orm.em.fork();
  const intents = await em.find(BlobIntentEntity, olderThan ? { createdAt: { $lte: olderThan } } : {});
  let kept = 0;
  let deleted = 0;
  for (const intent of intents) {
    const referenced = await em.count(FileEntity, { $or: [{ storageKey: intent.storageKey }, { thumbnailKey: intent.storageKey }] });
    if (referenced) kept++;
    else {
      await deps.blobs.delete(intent.storageKey);
      deleted++;
    }
    await em.nativeDelete(BlobIntentEntity, { id: intent.id });
  }
  return { kept, deleted };
}

/** Removes leftovers of uploads that a previous process did not finish (temp files are never reused). */
export async function tempUploadsCleaner(tmpDir: string): Promise<void> {
  await rm(tmpDir, { recursive: true, force: true });
}

/**
 * Within the caller's transaction: journals the blobs of the files being deleted. After commit,
 * `afterCommit` deletes the ones no other row shares (content-addressed blobs may be shared).
 */
export async function filesBlobsReleaser(deps: Deps, tx: EntityManager, files: StoredFile[]): Promise<{ afterCommit: () => Promise<void> }> {
  const keys = new Set<string>();
  for (const f of files) {
    keys.add(f.storageKey);
    if (f.thumbnailKey) keys.add(f.thumbnailKey);
  }
  for (const key of keys) {
    await tx.getConnection().execute(`insert into blob_intents (storage_key, created_at) values (?, ?) on conflict (storage_key) do nothing`, [key, deps.clock()], 'run', tx.getTransactionContext());
  }
  return { afterCommit: async () => { fileRowCache(deps.orm).forget(files.map((f) => f.id)); await blobSweeper(deps); } };
}

export async function recordFilesReleaser(deps: Deps, tx: EntityManager, recordId: string) {
  const files = await tx.find(FileEntity, { record: recordId });
  const released = await filesBlobsReleaser(deps, tx, files);
  for (const f of files) tx.remove(f);
  return released;
}

export async function fileDeleter(deps: Deps, em: EntityManager, id: string): Promise<void> {
  const released = await em.transactional(async (tx) => {
    const file = await fileLoader(tx, id);
    const r = await filesBlobsReleaser(deps, tx, [file]);
    tx.remove(file);
    await tx.flush();
    return r;
  });
  await released.afterCommit();
}

export async function fileLoader(em: EntityManager, id: string): Promise<StoredFile> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('File', id);
  const file = await em.findOne(FileEntity, { id });
  if (!file) throw notFound('File', id);
  return file;
}

/** What the content route needs of a file: one plain indexed select, no entity (it runs per range request). */
export interface FileForContent {
  id: string; record: string; originalName: string; mediaType: string; size: number; sha256: string; storageKey: string;
  access: StoredFile['access']; accessGroup: string | null; embargoUntil: Date | null; createdAt: Date;
}

// A media player fetches a file in many ranges, each a request: hydrating the entity through the ORM
// cost ~2 ms of a small range's ~3 ms on the embedded database (bench/README.md); rows are also
// kept for a few seconds (file-row-cache.ts explains why that is safe).
export async function fileContentLoader(deps: Pick<Deps, 'orm' | 'clock'>, em: EntityManager, id: string): Promise<FileForContent> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('File', id);
  const cache = fileRowCache(deps.orm);
  const now = Date.now(); // the cache's own age, not the library's clock (tests fix that one)
  const cached = cache.get(id, now);
  if (cached) return cached;
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select id, record_id, original_name, media_type, size, sha256, storage_key, access, access_group, embargo_until, created_at from files where id = ?`, [id]);
  const r = rows[0];
  if (!r) throw notFound('File', id);
  const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
  const row: FileForContent = {
    id: String(r.id), record: String(r.record_id), originalName: String(r.original_name), mediaType: String(r.media_type), size: Number(r.size),
    sha256: String(r.sha256), storageKey: String(r.storage_key), access: r.access as StoredFile['access'], accessGroup: (r.access_group as string | null) ?? null,
    embargoUntil: date(r.embargo_until), createdAt: date(r.created_at)!,
  };
  cache.set(row, now);
  return row;
}

/**
 * Who may read a holding's bytes. Staff read everything; `restricted` is open to staff and the
 * named group (group membership arrives with the identity issue); `embargoed` opens to everyone on
 * its date. Anonymous callers get 401 (sign in may help), signed-in callers 403.
 */
export function fileAccessChecker(file: Pick<StoredFile, 'access' | 'embargoUntil' | 'accessGroup'>, user: AuthUser | null, now: Date): void {
  if (user && isStaff(user.roles)) return;
  const deny = () => { throw user ? forbidden('This holding is restricted.') : unauthorized('Sign in to open this holding.'); };
  switch (file.access) {
    case 'public':
      return;
    case 'signed-in':
      if (!user) deny();
      return;
    case 'embargoed':
      if (file.embargoUntil && file.embargoUntil <= now) return;
      deny();
      return;
    case 'restricted':
    default:
      if (user && file.accessGroup && user.roles.includes(`group:${file.accessGroup}`)) return;
      deny();
  }
}

export function presentFile(f: StoredFile) {
  return {
    id: f.id, recordId: typeof f.record === 'object' ? f.record.id : f.record, originalName: f.originalName, mediaType: f.mediaType,
    size: f.size, sha256: f.sha256, status: f.status, ...(f.reason ? { reason: f.reason } : {}),
    access: f.access, accessGroup: f.accessGroup, embargoUntil: f.embargoUntil?.toISOString() ?? null, lendableCopies: f.lendableCopies,
    derivatives: {
      thumbnail: f.thumbnailKey ? `/api/v1/files/${f.id}/thumbnail` : null,
      pageCount: f.pageCount, durationSeconds: f.durationSeconds, technical: f.technical,
      text: f.status === 'ready' && f.mediaType === 'application/pdf' ? `/api/v1/files/${f.id}/text` : null,
    },
    links: { content: `/api/v1/files/${f.id}/content` },
    createdAt: f.createdAt.toISOString(), processedAt: f.processedAt?.toISOString() ?? null,
  };
}
