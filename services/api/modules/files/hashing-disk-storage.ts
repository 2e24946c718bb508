import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, fdatasync, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

export interface HashedUpload { path: string; size: number; sha256: string }

/**
 * The blob store fsyncs the whole file before publishing it. Asking the kernel to write back every
 * 64 MiB while the upload is still arriving (one fdatasync in flight at a time) overlaps that work
 * with the network instead of paying it all at the end.
 */
const WRITEBACK_EVERY = 64 * 1024 * 1024;

/**
 * A multer storage engine that streams the upload to a temporary file under a name of our own
 * (the client's file name never touches the file system) while computing SHA-256 in the same pass.
 */
export function hashingDiskStorage(tmpDir: string): StorageEngine {
  mkdirSync(tmpDir, { recursive: true });
  return {
    _handleFile(_req: Request, file, cb) {
      const target = path.join(tmpDir, `upload-${randomUUID()}`);
      const hash = createHash('sha256');
      let size = 0;
      let sinceWriteback = 0;
      let writingBack = false;
      const out = createWriteStream(target, { highWaterMark: 1024 * 1024 });
      const fdOf = () => (out as unknown as { fd: number | null }).fd; // set once the file is open
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          sinceWriteback += chunk.length;
          if (sinceWriteback >= WRITEBACK_EVERY && !writingBack && typeof fdOf() === 'number') {
            sinceWriteback = 0;
            writingBack = true;
            fdatasync(fdOf()!, () => { writingBack = false; }); // an error here only means no head start
          }
          done(null, chunk);
        },
      });
      pipeline(file.stream, tap, out)
        .then(() => cb(null, { path: target, size, sha256: hash.digest('hex') } as Partial<Express.Multer.File>))
        .catch(async (err: unknown) => {
          await unlink(target).catch(() => undefined);
          cb(err as Error);
        });
    },
    _removeFile(_req: Request, file, cb) {
      unlink((file as { path: string }).path).then(() => cb(null), () => cb(null));
    },
  };
}
