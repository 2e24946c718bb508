import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { minimalPdf } from '../../services/api/modules/files/test-inputs.ts';

// The whole upload → derivative → stream path with S3 storage: the service is configured the way a
// production deployment on MinIO/AWS would be, against s3rver on loopback.
let s3: RunningS3rver;
let svc: TestService;
let recordId: string;

beforeAll(async () => {
  s3 = await startS3rver();
  svc = await startTestService({}, {
    env: { S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'shelfmark-test', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true' },
  });
  recordId = (await (await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'On S3', authors: ['Bucket, A'] } })).json()).id;
});
let s3Stopped = false;
afterAll(async () => { await svc?.close(); if (!s3Stopped) await s3?.stop(); });

describe('files on S3-compatible storage', () => {
  it('is configured for S3 and ready', async () => {
    expect(svc.deps.blobs.kind).toBe('s3');
    expect((await svc.api('GET', '/ready')).status).toBe(200);
  });

  it('uploads, derives, streams whole and ranged, and deletes', async () => {
    const pdf = Buffer.concat([minimalPdf(['Stored in a bucket']), Buffer.from('%'.repeat(5000))]);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)]), 'bucket.pdf');
    const res = await svc.api('POST', `/api/v1/records/${recordId}/files`, { token: svc.adminToken, body: form });
    expect(res.status).toBe(201);
    const file = await res.json();
    expect(file.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    // s3rver keeps the object as a plain file: the exact bytes, not aws-chunked framing.
    const key = `originals/${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`;
    expect(readFileSync(path.join(s3.directory, 'shelfmark-test', `${key}._S3rver_object`))).toEqual(pdf);

    const { workerFor } = await import('../../services/api/service.ts');
    await workerFor(svc.deps).drain();
    const meta = await (await svc.api('GET', `/api/v1/files/${file.id}`)).json();
    expect(meta.status).toBe('ready');
    expect(meta.derivatives.pageCount).toBe(1);

    const whole = await svc.api('GET', `/api/v1/files/${file.id}/content`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(pdf);
    for (const [range, start, end] of [['bytes=0-1', 0, 1], ['bytes=0-0', 0, 0], ['bytes=100-199', 100, 199], ['bytes=-10', pdf.length - 10, pdf.length - 1]] as const) {
      const part = await svc.api('GET', `/api/v1/files/${file.id}/content`, { headers: { range } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(pdf.subarray(start, end + 1));
    }
    expect((await svc.api('DELETE', `/api/v1/files/${file.id}`, { token: svc.adminToken })).status).toBe(204);
    expect(await svc.deps.blobs.stat(key)).toBeNull();
  });

  it('refuses a disguised executable with 415 and writes nothing to the bucket', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(Buffer.from('MZ\x90\x00' + 'x'.repeat(2000), 'latin1'))]), 'book.pdf');
    const res = await svc.api('POST', `/api/v1/records/${recordId}/files`, { token: svc.adminToken, body: form });
    expect(res.status).toBe(415);
    const keys: string[] = [];
    for await (const k of svc.deps.blobs.list('originals/')) keys.push(k);
    expect(keys).toEqual([]);
  });

  it('GET /ready answers 503 naming storage when the object store stops answering', async () => {
    await s3.stop();
    s3Stopped = true;
    const res = await svc.api('GET', '/ready');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.detail).toContain('storage');
    expect(body.checks.database).toBe('ok');
    expect((await svc.api('GET', '/health')).status).toBe(200);
  });
});
