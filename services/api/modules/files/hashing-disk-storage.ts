import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

export interface HashedUpload { path: string; size: number; sha256: string }

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
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      pipeline(file.stream, tap, createWriteStream(target, { highWaterMark: 1024 * 1024 }))
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
