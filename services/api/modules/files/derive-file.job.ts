import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../../app-context.ts';
import type { JobHandler } from '../../../worker/job-runner.ts';
import { derivativeKey } from '../../../../storage/storage-keys.ts';
import { FileEntity } from './file.entity.ts';
import { DerivativeError, isBlankImage, makeThumbnail } from './thumbnail.ts';
import { extractPdfText } from './pdf-text.ts';
import { probeImage, probeMedia } from './media-probe.ts';

/**
 * Makes a file's derivatives: a WebP thumbnail for images, text and page count for PDFs, duration
 * and technical metadata for audio and video. Idempotent (keys are per file, writes overwrite). A
 * corrupt file is marked `failed` with the reason and the job ends; an infrastructure error
 * (storage unreachable) throws so the runner retries later.
 */
export function deriveFileJob(deps: Deps): JobHandler {
  return async (job) => {
    const fileId = String(job.payload.fileId ?? '');
    const em = deps.orm.em.fork();
    const file = await em.findOne(FileEntity, { id: fileId });
    if (!file) return 'skipped'; // deleted before we got to it
    if (file.status === 'ready') return 'skipped';

    mkdirSync(deps.config.tmpDir, { recursive: true });
    const scratch = path.join(deps.config.tmpDir, `derive-${randomUUID()}`);
    // A local store's blob is read in place; a remote one is copied to a temp file first. (Copying a
    // 1 GiB blob cost as much disk I/O as the upload itself, and ~130 MB of RSS in 1 MiB chunks.)
    const inPlace = await deps.blobs.localPathOf?.(file.storageKey) ?? null;
    const local = inPlace ?? scratch;
    try {
      if (!inPlace) await pipeline(await deps.blobs.read(file.storageKey), createWriteStream(scratch));
      const technical: Record<string, unknown> = {};
      try {
        if (file.mediaType.startsWith('image/')) {
          Object.assign(technical, await probeImage(local));
          const thumb = await makeThumbnail(local);
          const key = derivativeKey(file.id, 'thumbnail');
          await deps.blobs.putBuffer(key, thumb.data, thumb.mediaType);
          file.thumbnailKey = key;
        } else if (file.mediaType === 'application/pdf') {
          const { text, pages, firstPagePng } = await extractPdfText(local);
          file.extractedText = text;
          file.pageCount = pages;
          // A thumbnail of page 1 when pdf.js could draw it; a PDF without one is still ready. A page
          // drawn blank (scans in JPEG 2000, which pdf.js cannot decode here) gets none rather than a
          // white rectangle.
          if (firstPagePng && !(await isBlankImage(firstPagePng))) {
            const png = `${scratch}.page1.png`;
            try {
              await writeFile(png, firstPagePng);
              const thumb = await makeThumbnail(png);
              const key = derivativeKey(file.id, 'thumbnail');
              await deps.blobs.putBuffer(key, thumb.data, thumb.mediaType);
              file.thumbnailKey = key;
            } catch (err) {
              if (!(err instanceof DerivativeError)) throw err;
            } finally {
              await unlink(png).catch(() => undefined);
            }
          }
        } else if (file.mediaType.startsWith('audio/') || file.mediaType.startsWith('video/')) {
          const probe = await probeMedia(local, file.mediaType);
          file.durationSeconds = probe.durationSeconds;
          Object.assign(technical, probe);
        }
        file.technical = Object.keys(technical).length ? technical : null;
        file.status = 'ready';
        file.reason = null;
      } catch (err) {
        // Unexpected errors get the runner's retries; on the last attempt the file is marked failed
        // rather than left "processing" for ever.
        const final = err instanceof DerivativeError || job.attempts >= job.maxAttempts;
        if (!final) throw err;
        file.status = 'failed';
        file.reason = err instanceof DerivativeError ? err.message : `Processing failed: ${(err as Error).message}`;
      }
      file.processedAt = deps.clock();
      await em.flush();
      return file.status === 'ready' ? 'done' : { status: 'failed', error: file.reason ?? 'failed' };
    } finally {
      if (!inPlace) await unlink(scratch).catch(() => undefined);
    }
  };
}
