import type { ServerResponse } from 'node:http';
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1024 * 1024;
const BUFFERS_PER_RESPONSE = 4;
// Buffers are recycled across responses: a fresh 1 MiB Buffer per chunk (what fs.createReadStream
// does) is external memory that makes V8 run a full mark-compact every ~64 MB streamed, and with
// the service's ~40 MB heap that halved throughput (bench/README.md).
const spare: Buffer[] = [];
const MAX_SPARE = 16;

/**
 * Writes bytes start..end (inclusive) of an open file to `res` and ends it, reusing a few 1 MiB
 * buffers: a buffer is read into again only after the socket has taken the previous bytes (the
 * write callback). Closes the handle. Rejects (after destroying `res`) on a read or socket error.
 */
export async function fileRangeWriter(res: ServerResponse, fh: FileHandle, start: number, end: number): Promise<void> {
  const own: Buffer[] = [];
  for (let i = 0; i < BUFFERS_PER_RESPONSE; i++) own.push(spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK));
  const free = [...own];
  let wake: (() => void) | null = null;
  let failed: Error | null = null;
  const onClose = () => { if (!res.writableFinished) failed ??= new Error('client went away'); wake?.(); };
  res.once('close', onClose);
  try {
    let pos = start;
    while (pos <= end) {
      while (!free.length && !failed) await new Promise<void>((r) => { wake = r; });
      if (failed) throw failed;
      const buf = free.pop()!;
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos + 1), pos);
      if (bytesRead === 0) throw new Error('file shorter than expected');
      pos += bytesRead;
      res.write(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead), (err) => {
        if (err) failed ??= err;
        free.push(buf);
        const w = wake;
        wake = null;
        w?.();
      });
    }
    await new Promise<void>((resolve, reject) => res.end((err?: Error | null) => (err ? reject(err) : resolve())));
    // Only buffers the socket has finished with go back to the pool.
    if (free.length === own.length) for (const b of own) if (spare.length < MAX_SPARE) spare.push(b);
  } catch (err) {
    res.destroy();
    throw err;
  } finally {
    res.off('close', onClose);
    await fh.close();
  }
}
