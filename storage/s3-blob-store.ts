import { createReadStream } from 'node:fs';
import { stat as fsStat, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { BucketLocationConstraint, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  assertBlobKey, assertBlobPrefix, assertByteRange, BlobNotFoundError, BlobRangeError, isBlobKey,
} from './blob-store.ts';
import type { BlobInfo, BlobStore, ByteRange, PutFileOptions } from './blob-store.ts';

export interface S3BlobStoreOptions {
  /** Custom endpoint (MinIO, s3rver, ...); omit for AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

const MIB = 1024 * 1024;
const MULTIPART_THRESHOLD = 16 * MIB;
const PART_SIZE = 8 * MIB;
const QUEUE_SIZE = 4;
const PING_TIMEOUT_MS = 5_000;

interface AwsLikeError { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } }

function awsError(err: unknown): AwsLikeError {
  return (typeof err === 'object' && err !== null ? err : {}) as AwsLikeError;
}

function isMissingObject(err: unknown): boolean {
  const e = awsError(err);
  if (e.name === 'NoSuchKey' || e.name === 'NotFound') return true;
  // A missing bucket is a configuration fault, not a missing blob: let it surface.
  return e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket';
}

function isInvalidRange(err: unknown): boolean {
  const e = awsError(err);
  return e.name === 'InvalidRange' || e.$metadata?.httpStatusCode === 416;
}

/** Passes on the first `limit` bytes of `source`, then stops reading it (destroying it). */
function limitStream(source: Readable, limit: number): Readable {
  async function* take(): AsyncGenerator<Buffer> {
    let remaining = limit;
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      const part = buf.length > remaining ? buf.subarray(0, remaining) : buf;
      remaining -= part.length;
      if (part.length > 0) yield part;
      if (remaining === 0) break;
    }
  }
  return Readable.from(take(), { objectMode: false });
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly client: S3Client;
  private readonly region: string;
  private readonly customEndpoint: boolean;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.region = options.region;
    this.customEndpoint = options.endpoint !== undefined;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // The default (WHEN_SUPPORTED) sends streamed bodies with aws-chunked framing plus a trailing
      // checksum; S3-compatible servers that do not understand it (s3rver) store the framing as
      // part of the object. See STACK-NOTES.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Creates the bucket if it does not exist (embedded/dev setups and tests). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (err) {
      const e = awsError(err);
      if (e.$metadata?.httpStatusCode !== 404 && e.name !== 'NotFound' && e.name !== 'NoSuchBucket') throw err;
    }
    try {
      // AWS refuses CreateBucket outside us-east-1 without a location constraint.
      const needsLocation = !this.customEndpoint && this.region !== 'us-east-1';
      await this.client.send(new CreateBucketCommand({
        Bucket: this.bucket,
        CreateBucketConfiguration: needsLocation ? { LocationConstraint: this.region as BucketLocationConstraint } : undefined,
      }));
    } catch (err) {
      if (awsError(err).name !== 'BucketAlreadyOwnedByYou') throw err;
    }
  }

  async ensureReady(): Promise<void> {
    await this.ensureBucket();
  }

  async putFile(key: string, sourcePath: string, contentType?: string, options?: PutFileOptions): Promise<void> {
    assertBlobKey(key);
    const { size } = await fsStat(sourcePath);
    const body = createReadStream(sourcePath, { highWaterMark: MIB });
    try {
      if (size > MULTIPART_THRESHOLD) {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
          leavePartsOnError: false,
        });
        await upload.done();
      } else {
        await this.client.send(new PutObjectCommand({
          Bucket: this.bucket, Key: key, Body: body, ContentLength: size, ContentType: contentType,
        }));
      }
    } finally {
      body.destroy();
    }
    if (options?.move) await unlink(sourcePath);
  }

  async putBuffer(key: string, data: Buffer, contentType?: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length, ContentType: contentType,
    }));
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    if (range) assertByteRange(key, range);
    let out: GetObjectCommandOutput;
    try {
      out = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }));
    } catch (err) {
      if (isMissingObject(err)) throw new BlobNotFoundError(key, { cause: err });
      if (range && isInvalidRange(err)) throw new BlobRangeError(key, range);
      throw err;
    }
    const body = out.Body;
    if (!(body instanceof Readable)) throw new Error(`S3 GetObject returned no stream body for ${key}`);
    if (!range) return body;
    return this.checkedRange(key, range, out, body);
  }

  /**
   * Servers do not always honour the Range exactly (s3rver treats `bytes=0-0` as `bytes=0-`), and
   * a caller serving HTTP 206 must get precisely the bytes it asked for.
   */
  private checkedRange(key: string, range: ByteRange, out: GetObjectCommandOutput, body: Readable): Readable {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(out.ContentRange ?? '');
    if (!match) {
      body.destroy();
      throw new Error(`S3 ignored the Range request for ${key} (Content-Range: ${out.ContentRange ?? 'none'})`);
    }
    const gotStart = Number(match[1]);
    const gotEnd = Number(match[2]);
    const total = match[3] === '*' ? Infinity : Number(match[3]);
    const wantedEnd = Math.min(range.end, total - 1);
    if (gotStart !== range.start || gotEnd < wantedEnd) {
      body.destroy();
      throw new Error(`S3 returned bytes ${gotStart}-${gotEnd} for ${key}, asked for ${range.start}-${wantedEnd}`);
    }
    return gotEnd > wantedEnd ? limitStream(body, wantedEnd - range.start + 1) : body;
  }

  async readBuffer(key: string): Promise<Buffer> {
    const stream = await this.read(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (isMissingObject(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      // S3 answers 204 for absent keys; some compatible servers answer 404.
      if (!isMissingObject(err)) throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertBlobPrefix(prefix);
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket, Prefix: prefix === '' ? undefined : prefix, ContinuationToken: token,
      }));
      for (const object of out.Contents ?? []) {
        // Only keys this store could read back; foreign objects in a shared bucket are skipped.
        if (object.Key !== undefined && isBlobKey(object.Key)) yield object.Key;
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), {
      abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
  }

  /** Releases the client's sockets (graceful shutdown, tests). */
  async close(): Promise<void> {
    this.client.destroy();
  }
}
