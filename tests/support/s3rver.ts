import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// s3rver ships no type declarations; this is the slice of its 3.7 API the tests use.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

const require = createRequire(import.meta.url);

export interface RunningS3rver {
  endpoint: string;
  /** s3rver's data directory; objects are at `<directory>/<bucket>/<key>._S3rver_object`. */
  directory: string;
  stop(): Promise<void>;
}

/** Starts s3rver in-process on 127.0.0.1, on a free port, over a fresh temp directory. */
export async function startS3rver(): Promise<RunningS3rver> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(path.join(os.tmpdir(), 'shelfmark-s3rver-'));
  // port 0: the kernel picks a free port, so parallel test files never collide.
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Where s3rver 3.7's filesystem store keeps an object's bytes. */
export function s3rverObjectPath(directory: string, bucket: string, key: string): string {
  const parts = key.split('/');
  const last = parts.pop() ?? '';
  return path.join(directory, bucket, ...parts, `${last}._S3rver_object`);
}
