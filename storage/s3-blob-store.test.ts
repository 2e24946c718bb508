import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3rverObjectPath, startS3rver } from '../tests/support/s3rver.ts';
import type { RunningS3rver } from '../tests/support/s3rver.ts';
import { blobStoreContract } from './blob-store.contract.ts';
import { createBlobStore } from './create-blob-store.ts';
import type { S3BlobStore } from './s3-blob-store.ts';

const BUCKET = 'shelfmark-test';

function storeFor(endpoint: string, bucket = BUCKET): Promise<S3BlobStore> {
  return createBlobStore({
    kind: 's3', endpoint, region: 'us-east-1', bucket,
    accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
  });
}

blobStoreContract('s3 (s3rver)', async () => {
  const server = await startS3rver();
  const store = await storeFor(server.endpoint);
  await store.ensureBucket();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await server.stop();
    },
  };
});

describe('S3BlobStore specifics', () => {
  let server: RunningS3rver;
  let store: S3BlobStore;
  let work: string;

  beforeAll(async () => {
    server = await startS3rver();
    store = await storeFor(server.endpoint);
    await store.ensureBucket();
    work = await mkdtemp(path.join(os.tmpdir(), 'shelfmark-s3-'));
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ensureBucket is idempotent', async () => {
    await store.ensureBucket();
    await store.ensureBucket();
    await store.ping();
  });

  // The checksum trap (STACK-NOTES): with the SDK's default checksum mode a streamed PutObject is
  // stored with its aws-chunked framing. Read the bytes s3rver actually wrote to disk.
  it('stores exact bytes, with no aws-chunked framing, for streamed, buffered and multipart puts', async () => {
    const small = Buffer.concat([Buffer.from('hello world\n'), randomBytes(1000)]);
    const smallFile = path.join(work, 'small.bin');
    await writeFile(smallFile, small);
    await store.putFile('exact/streamed', smallFile);
    expect((await readFile(s3rverObjectPath(server.directory, BUCKET, 'exact/streamed'))).equals(small)).toBe(true);

    await store.putBuffer('exact/buffer', small);
    expect((await readFile(s3rverObjectPath(server.directory, BUCKET, 'exact/buffer'))).equals(small)).toBe(true);

    const large = randomBytes(17 * 1024 * 1024);
    const largeFile = path.join(work, 'large.bin');
    await writeFile(largeFile, large);
    await store.putFile('exact/multipart', largeFile);
    const stored = await readFile(s3rverObjectPath(server.directory, BUCKET, 'exact/multipart'));
    expect(stored.length).toBe(large.length);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(large).digest('hex'));
  });

  // Control for the test above: proves reading s3rver's files can see the framing at all. If an SDK
  // or s3rver upgrade makes this fail, the trap is gone upstream and this control can be dropped.
  it('control: a client with default checksum settings does store aws-chunked framing', async () => {
    const file = path.join(work, 'control.txt');
    await writeFile(file, 'hello world');
    const naive = new S3Client({
      endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      await naive.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'control/naive', Body: createReadStream(file) }));
    } finally {
      naive.destroy();
    }
    const stored = await readFile(s3rverObjectPath(server.directory, BUCKET, 'control/naive'), 'utf8');
    expect(stored).not.toBe('hello world');
    expect(stored).toContain('x-amz-checksum');
  });

  it('fails ping when the bucket is missing or the endpoint is down', async () => {
    const noBucket = await storeFor(server.endpoint, 'no-such-bucket');
    await expect(noBucket.ping()).rejects.toThrow();
    await noBucket.close();
    const down = await storeFor('http://127.0.0.1:9'); // discard port: nothing listens there
    await expect(down.ping()).rejects.toThrow();
    await down.close();
  });
});
