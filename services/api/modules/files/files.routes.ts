import { createRequire } from 'node:module';
import { z } from 'zod';
import type { ApiContext } from '../../app-context.ts';
import { problem } from '../../http/problem.ts';
import { EVERYONE, STAFF } from '../../http/roles.ts';
import { parseOrThrow, route } from '../../http/route.ts';
import { BlobNotFoundError } from '../../../../storage/blob-store.ts';
import { ACCESS_LEVELS, type StoredFile } from './file.entity.ts';
import { fileAccessChecker, fileContentLoader, fileDeleter, fileIngestor, fileLoader, presentFile, safeDisplayName } from './files.service.ts';
import { hashingDiskStorage, type HashedUpload } from './hashing-disk-storage.ts';
import { contentDisposition, etagMatches, rangeDecision } from './http-range.ts';
import { fileRangeWriter } from '../../http/send-file.ts';
import { contentDispositionFor } from './media-type.ts';
import { recordLoader } from '../catalog/catalog.service.ts';
import { fileRequestRecorder } from '../analytics/usage-events.ts';

const require = createRequire(import.meta.url);
const multer = require('@koa/multer') as (opts: unknown) => { single(name: string): (ctx: unknown, next: () => Promise<void>) => Promise<void> };

// An HTML form sends every field, empty or not: an empty optional field means "not given".
const blankAsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const uploadFields = z.object({
  access: z.preprocess(blankAsAbsent, z.enum(ACCESS_LEVELS).default('public')),
  accessGroup: z.preprocess(blankAsAbsent, z.string().trim().min(1).max(100).optional()),
  embargoUntil: z.preprocess(blankAsAbsent, z.iso.datetime({ offset: true }).or(z.iso.date()).optional()),
  lendableCopies: z.preprocess(blankAsAbsent, z.coerce.number().int().min(0).max(10_000).optional()),
}).superRefine((v, ctx) => {
  if (v.access === 'embargoed' && !v.embargoUntil) ctx.addIssue({ code: 'custom', path: ['embargoUntil'], message: 'required when access is embargoed' });
  if (v.access === 'restricted' && !v.accessGroup) { /* staff-only until a group is named */ }
});

/**
 * Headers every byte response carries. The sniffed type is authoritative and nosniff forbids the
 * browser from guessing; CSP `default-src 'none'` keeps any script inside a hostile file inert, and
 * `sandbox` is added wherever it does not break the browser's own viewer (Chromium's PDF viewer
 * refuses to run in a sandboxed document, so PDFs get only default-src 'none').
 */
function setFileSecurityHeaders(ctx: ApiContext, mediaType: string): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', mediaType === 'application/pdf' ? "default-src 'none'; frame-ancestors 'self'" : "default-src 'none'; frame-ancestors 'self'; sandbox");
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * `beforeBody` runs once the status and headers are decided and before any byte is sent (usage
 * analytics: the event's time is the request's, not whenever the client finished reading).
 */
async function sendBlob(ctx: ApiContext, file: Pick<StoredFile, 'createdAt' | 'access'>, key: string, mediaType: string, size: number, disposition: 'inline' | 'attachment', name: string, etag: string, beforeBody?: () => Promise<void>) {
  setFileSecurityHeaders(ctx, mediaType);
  ctx.set('ETag', etag);
  ctx.set('Last-Modified', file.createdAt.toUTCString());
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', file.access === 'public' ? 'public, max-age=3600, must-revalidate' : 'private, no-cache');
  ctx.set('Vary', 'Cookie, Authorization');
  ctx.set('Content-Disposition', contentDisposition(disposition, name));
  if (etagMatches(ctx.get('if-none-match') || undefined, etag)) {
    ctx.status = 304;
    return;
  }
  // If-Range: a range is honoured only while the representation is the one the client holds.
  const ifRange = ctx.get('if-range');
  const rangeHeader = ifRange && ifRange !== etag ? undefined : ctx.get('range') || undefined;
  const decision = rangeDecision(rangeHeader, size);
  if (decision.kind === 'unsatisfiable') {
    const p = problem(416, 'range-not-satisfiable', 'Range not satisfiable', `The file has ${size} bytes.`);
    p.headers['Content-Range'] = `bytes */${size}`;
    throw p;
  }
  ctx.type = mediaType;
  const blobs = deps(ctx).blobs;
  if (ctx.method === 'GET' && blobs.openForRead) {
    const { handle } = await blobs.openForRead(key);
    const [start, end] = decision.kind === 'partial' ? [decision.start, decision.end] : [0, size - 1];
    ctx.status = decision.kind === 'partial' ? 206 : 200;
    if (decision.kind === 'partial') ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
    ctx.length = end - start + 1;
    await beforeBody?.();
    // Koa would pipe a ReadStream that allocates a new buffer per chunk; write from reused buffers instead.
    ctx.respond = false;
    ctx.res.writeHead(ctx.status, ctx.response.headers as Record<string, string>);
    await fileRangeWriter(ctx.res, handle, start, end).catch((err: unknown) => ctx.state.log?.warn({ err: (err as Error).message }, 'file response cut short'));
    return;
  }
  if (decision.kind === 'partial') {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${decision.start}-${decision.end}/${size}`);
    ctx.length = decision.end - decision.start + 1;
    await beforeBody?.();
    // HEAD: status and headers only. (Assigning null would make Koa answer 204 without them.)
    if (ctx.method !== 'HEAD') ctx.body = await deps(ctx).blobs.read(key, { start: decision.start, end: decision.end });
  } else {
    ctx.status = 200;
    ctx.length = size;
    await beforeBody?.();
    if (ctx.method !== 'HEAD') ctx.body = await deps(ctx).blobs.read(key);
  }
}

const deps = (ctx: ApiContext) => ctx.deps;

export function filesRoutes(uploadMaxBytes: number, tmpDir: string) {
  // Browsers send UTF-8 file names without a charset parameter; busboy's default would read them as Latin-1.
  const upload = multer({ storage: hashingDiskStorage(tmpDir), defParamCharset: 'utf8', limits: { fileSize: uploadMaxBytes, files: 1, fields: 20, fieldSize: 10_000 } });
  return [
    route({
      method: 'post', path: '/api/v1/records/:id/files', tag: 'files', summary: 'Upload a digital holding (multipart: file, access, embargoUntil, lendableCopies)', allow: STAFF,
      requestContentType: 'multipart/form-data', responses: { 201: 'Stored; derivatives follow in the background', 413: 'Too large', 415: 'Not an allowed type' },
      handler: async (ctx, { params }) => {
        await recordLoader(ctx.state.em, params.id!); // 404 before reading a large body
        try {
          await upload.single('file')(ctx, async () => undefined);
        } catch (err) {
          const e = err as { code?: string; message?: string };
          if (e.code === 'LIMIT_FILE_SIZE') throw problem(413, 'file-too-large', 'File too large', `Files are limited to ${uploadMaxBytes} bytes.`);
          if (e.code?.startsWith('LIMIT_')) throw problem(400, 'bad-multipart', 'Malformed upload', e.message);
          throw problem(400, 'bad-multipart', 'Malformed upload', 'The multipart body could not be read.');
        }
        const received = (ctx as unknown as { file?: HashedUpload & { originalname?: string } }).file;
        if (!received) throw problem(422, 'validation-failed', 'No file', 'Send the file in a multipart field named "file".');
        let fields;
        try {
          fields = parseOrThrow(uploadFields, (ctx.request as { body?: unknown }).body ?? {}, 'fields');
        } catch (err) {
          await import('node:fs/promises').then((fs) => fs.unlink(received.path)).catch(() => undefined);
          throw err;
        }
        const file = await fileIngestor(ctx.deps, ctx.state.em, params.id!, received, {
          originalName: safeDisplayName(received.originalname),
          access: fields.access,
          accessGroup: fields.accessGroup ?? null,
          embargoUntil: fields.embargoUntil ? new Date(fields.embargoUntil) : null,
          lendableCopies: fields.lendableCopies ?? null,
        });
        ctx.deps.jobs.poke();
        ctx.status = 201;
        ctx.set('Location', `/api/v1/files/${file.id}`);
        ctx.body = presentFile(file);
      },
    }),
    route({
      method: 'get', path: '/api/v1/files/:id', tag: 'files', summary: 'File metadata, derivatives and processing status', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        const file = await fileLoader(ctx.state.em, params.id!);
        fileAccessChecker(file, ctx.state.user, ctx.deps.clock());
        ctx.body = presentFile(file);
      },
    }),
    route({
      method: 'get', path: '/api/v1/files/:id/content', tag: 'files', summary: 'The bytes, with Range, ETag and conditional requests', allow: EVERYONE,
      responses: { 200: 'The whole file', 206: 'A byte range', 304: 'Not modified', 416: 'Range not satisfiable' },
      handler: async (ctx, { params }) => {
        const file = await fileContentLoader(ctx.deps, ctx.state.em, params.id!);
        fileAccessChecker(file, ctx.state.user, ctx.deps.clock());
        // Issue 6: a download or stream start (analytics/file-request-kind.ts), recorded before the bytes flow.
        await sendBlob(ctx, file, file.storageKey, file.mediaType, file.size, contentDispositionFor(file.mediaType), file.originalName, `"${file.sha256}"`, () => fileRequestRecorder(ctx, file));
      },
    }),
    route({
      method: 'get', path: '/api/v1/files/:id/thumbnail', tag: 'files', summary: 'WebP thumbnail', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        const file = await fileLoader(ctx.state.em, params.id!);
        fileAccessChecker(file, ctx.state.user, ctx.deps.clock());
        if (!file.thumbnailKey) throw problem(404, 'no-thumbnail', 'No thumbnail', file.status === 'processing' ? 'The thumbnail is still being made.' : 'This file has no thumbnail.');
        const info = await ctx.deps.blobs.stat(file.thumbnailKey);
        if (!info) throw problem(404, 'no-thumbnail', 'No thumbnail');
        await sendBlob(ctx, file, file.thumbnailKey, 'image/webp', info.size, 'inline', `${file.originalName}.webp`, `"${file.sha256.slice(0, 32)}-thumb"`);
      },
    }),
    route({
      method: 'get', path: '/api/v1/files/:id/text', tag: 'files', summary: 'Text extracted from a PDF', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        const file = await fileLoader(ctx.state.em, params.id!);
        fileAccessChecker(file, ctx.state.user, ctx.deps.clock());
        await ctx.state.em.populate(file, ['extractedText']);
        if (file.extractedText === null || file.extractedText === undefined) throw problem(404, 'no-text', 'No extracted text');
        ctx.type = 'text/plain; charset=utf-8';
        setFileSecurityHeaders(ctx, 'text/plain');
        ctx.body = file.extractedText;
      },
    }),
    route({
      method: 'delete', path: '/api/v1/files/:id', tag: 'files', summary: 'Delete a digital holding', allow: STAFF, responses: { 204: 'Deleted' },
      handler: async (ctx, { params }) => {
        await fileDeleter(ctx.deps, ctx.state.em, params.id!);
        ctx.status = 204;
      },
    }),
  ];
}

export { BlobNotFoundError };
