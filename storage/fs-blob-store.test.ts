import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from './blob-store.contract.ts';
import { FsBlobStore } from './fs-blob-store.ts';

async function makeStore(): Promise<{ store: FsBlobStore; root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'shelfmark-fs-store-'));
  const store = new FsBlobStore(root);
  await store.ensureReady();
  return { store, root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

blobStoreContract('fs', makeStore);

describe('FsBlobStore specifics', () => {
  let store: FsBlobStore;
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, root, cleanup } = await makeStore());
  });
  afterAll(async () => cleanup());

  it('stores a key at the matching path and leaves no temp files behind', async () => {
    await store.putBuffer('originals/ab/cd/abcd', Buffer.from('bytes'));
    expect((await stat(path.join(root, 'originals', 'ab', 'cd', 'abcd'))).size).toBe(5);
    const src = path.join(root, '..', `${path.basename(root)}-src.bin`);
    await writeFile(src, 'copied');
    try {
      await store.putFile('copy/x', src);
    } finally {
      await rm(src, { force: true });
    }
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('names the file a blob lives in, so derivative jobs read it in place instead of copying it', async () => {
    await store.putBuffer('originals/ef/01/ef01', Buffer.from('in place'));
    const p = await store.localPathOf('originals/ef/01/ef01');
    expect(p).toBe(path.join(root, 'originals', 'ef', '01', 'ef01'));
    expect(await store.localPathOf('originals/ef/01/missing')).toBeNull();
  });

  it('never writes outside the root for hostile keys', async () => {
    const outside = path.join(root, '..', 'escaped-by-test');
    await expect(store.putBuffer('../escaped-by-test', Buffer.from('x'))).rejects.toThrow();
    await expect(stat(outside)).rejects.toThrow();
  });

  it('does not list its temp area', async () => {
    await writeFile(path.join(root, '.tmp', 'stray'), 'partial');
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys.some((key) => key.includes('stray'))).toBe(false);
  });

  it('prunes directories emptied by delete', async () => {
    await store.putBuffer('prune/one/two/leaf', Buffer.from('x'));
    await store.delete('prune/one/two/leaf');
    await expect(stat(path.join(root, 'prune'))).rejects.toThrow();
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('streams with 1 MiB chunks', async () => {
    await store.putBuffer('hwm/blob', Buffer.alloc(10));
    const stream = await store.read('hwm/blob');
    expect(stream.readableHighWaterMark).toBe(1024 * 1024);
    stream.destroy();
  });

  it('fails ping when the root is missing', async () => {
    await expect(new FsBlobStore(path.join(root, 'does-not-exist')).ping()).rejects.toThrow();
  });
});
