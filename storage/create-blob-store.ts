import type { BlobStore } from './blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

export interface FsBlobStoreConfig { kind: 'fs'; root: string }
export type S3BlobStoreConfig = { kind: 's3' } & S3BlobStoreOptions;
export type BlobStoreConfig = FsBlobStoreConfig | S3BlobStoreConfig;

/** Picks the adapter from plain config; reading the environment is the config module's job. */
export function createBlobStore(cfg: FsBlobStoreConfig): FsBlobStore;
export function createBlobStore(cfg: S3BlobStoreConfig): S3BlobStore;
export function createBlobStore(cfg: BlobStoreConfig): BlobStore;
export function createBlobStore(cfg: BlobStoreConfig): BlobStore {
  switch (cfg.kind) {
    case 'fs':
      return new FsBlobStore(cfg.root);
    case 's3': {
      const { kind: _kind, ...options } = cfg;
      return new S3BlobStore(options);
    }
    default: {
      const unknownKind: never = cfg;
      throw new Error(`unknown blob store kind: ${JSON.stringify((unknownKind as { kind?: unknown }).kind)}`);
    }
  }
}
