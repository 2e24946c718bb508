import type { BlobStore } from './blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import type { S3BlobStore, S3BlobStoreOptions } from './s3-blob-store.ts';

export interface FsBlobStoreConfig { kind: 'fs'; root: string }
export type S3BlobStoreConfig = { kind: 's3' } & S3BlobStoreOptions;
export type BlobStoreConfig = FsBlobStoreConfig | S3BlobStoreConfig;

/** Picks the adapter from plain config; reading the environment is the config module's job. */
// Async so the AWS SDK (~35 MB resident) is loaded only by deployments that use S3.
export async function createBlobStore(cfg: FsBlobStoreConfig): Promise<FsBlobStore>;
export async function createBlobStore(cfg: S3BlobStoreConfig): Promise<S3BlobStore>;
export async function createBlobStore(cfg: BlobStoreConfig): Promise<BlobStore>;
export async function createBlobStore(cfg: BlobStoreConfig): Promise<BlobStore> {
  switch (cfg.kind) {
    case 'fs':
      return new FsBlobStore(cfg.root);
    case 's3': {
      const { kind: _kind, ...options } = cfg;
      const { S3BlobStore } = await import('./s3-blob-store.ts');
      return new S3BlobStore(options);
    }
    default: {
      const unknownKind: never = cfg;
      throw new Error(`unknown blob store kind: ${JSON.stringify((unknownKind as { kind?: unknown }).kind)}`);
    }
  }
}
