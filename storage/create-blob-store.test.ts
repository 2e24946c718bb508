import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createBlobStore } from './create-blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

describe('createBlobStore', () => {
  it('picks the adapter from plain config', async () => {
    expect(await createBlobStore({ kind: 'fs', root: os.tmpdir() })).toBeInstanceOf(FsBlobStore);
    const s3 = await createBlobStore({
      kind: 's3', region: 'us-east-1', bucket: 'shelfmark', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true,
    });
    expect(s3).toBeInstanceOf(S3BlobStore);
    expect(s3.bucket).toBe('shelfmark');
    await s3.close();
  });
});
