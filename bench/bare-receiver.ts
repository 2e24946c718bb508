// The floor for uploads: a bare Node `http` server that hashes a raw POST body with SHA-256 and
// writes it to DIR/received (same filesystem as the service's DATA_DIR), then answers with the hash.
// `?fsync=1` also fsyncs before answering, as the service does before it publishes a blob.
// Run: DIR=/tmp/x PORT=8091 node bench/bare-receiver.ts   (prints "listening <port>")
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const target = path.join(process.env.DIR ?? '.', 'received');
const server = createServer(async (req, res) => {
  const hash = createHash('sha256');
  req.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(req, createWriteStream(target, { highWaterMark: 1024 * 1024 }));
    if (req.url?.includes('fsync=1')) { const fh = await open(target, 'r+'); await fh.sync(); await fh.close(); }
    res.end(hash.digest('hex'));
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});
server.requestTimeout = 0;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
