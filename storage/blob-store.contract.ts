import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, BlobRangeError, InvalidBlobKeyError } from './blob-store.ts';
import type { BlobStore } from './blob-store.ts';

const MIB = 1024 * 1024;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function collectKeys(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out.sort();
}

export const HOSTILE_KEYS = [
  '../x', '/etc/passwd', 'a//b', 'A B', '', 'a/../b', './a', 'a/', 'a\\b', '.tmp/x', 'x/..', 'é',
];

/**
 * The behaviour every BlobStore adapter must share. `make` is called once; the suite uses
 * distinct keys per test so they can share one store.
 */
export function blobStoreContract(
  name: string,
  make: () => Promise<{ store: BlobStore; cleanup: () => Promise<void> }>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let cleanup: () => Promise<void>;
    let work: string;

    async function sourceFile(name: string, data: Buffer): Promise<string> {
      const file = path.join(work, name);
      await writeFile(file, data);
      return file;
    }

    beforeAll(async () => {
      ({ store, cleanup } = await make());
      work = await mkdtemp(path.join(os.tmpdir(), 'shelfmark-contract-'));
    });

    afterAll(async () => {
      await cleanup?.();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('round-trips a file through putFile/read and reports its size', async () => {
      const data = randomBytes(300 * 1024 + 7);
      await store.putFile('roundtrip/file.bin', await sourceFile('roundtrip.bin', data), 'application/octet-stream');
      expect((await collect(await store.read('roundtrip/file.bin'))).equals(data)).toBe(true);
      const info = await store.stat('roundtrip/file.bin');
      expect(info?.size).toBe(data.length);
      expect(info?.lastModified).toBeInstanceOf(Date);
      expect(Number.isNaN(info?.lastModified.getTime())).toBe(false);
    });

    it('serves exact bytes for ranges', async () => {
      const data = randomBytes(1000);
      await store.putBuffer('ranges/blob', data);
      const slice = async (start: number, end: number) => collect(await store.read('ranges/blob', { start, end }));
      expect((await slice(0, 1)).equals(data.subarray(0, 2))).toBe(true); // first 2 bytes
      expect((await slice(0, 0)).equals(data.subarray(0, 1))).toBe(true); // first byte only
      expect((await slice(400, 599)).equals(data.subarray(400, 600))).toBe(true); // middle
      expect((await slice(999, 999)).equals(data.subarray(999))).toBe(true); // last byte
      expect((await slice(0, 999)).equals(data)).toBe(true); // whole
      expect((await slice(990, 5000)).equals(data.subarray(990))).toBe(true); // end clamped, like HTTP
    });

    it('rejects unsatisfiable ranges with BlobRangeError', async () => {
      await store.putBuffer('ranges/small', Buffer.from('0123456789'));
      await expect(store.read('ranges/small', { start: 10, end: 12 })).rejects.toThrow(BlobRangeError);
      await expect(store.read('ranges/small', { start: 5, end: 2 })).rejects.toThrow(BlobRangeError);
      await expect(store.read('ranges/small', { start: -1, end: 2 })).rejects.toThrow(BlobRangeError);
    });

    it('overwrites an existing key', async () => {
      await store.putBuffer('overwrite/key', Buffer.from('first version, longer'));
      await store.putFile('overwrite/key', await sourceFile('second.txt', Buffer.from('second')));
      expect((await store.readBuffer('overwrite/key')).toString()).toBe('second');
      expect((await store.stat('overwrite/key'))?.size).toBe(6);
    });

    it('deletes idempotently', async () => {
      await store.putBuffer('delete/me', Buffer.from('x'));
      await store.delete('delete/me');
      expect(await store.stat('delete/me')).toBeNull();
      await expect(store.read('delete/me')).rejects.toThrow(BlobNotFoundError);
      await store.delete('delete/me');
      await store.delete('delete/never/existed');
    });

    it('rejects reads of a missing key with BlobNotFoundError and stats it as null', async () => {
      await expect(store.read('missing/key')).rejects.toThrow(BlobNotFoundError);
      await expect(store.read('missing/key', { start: 0, end: 1 })).rejects.toThrow(BlobNotFoundError);
      await expect(store.readBuffer('missing/key')).rejects.toThrow(BlobNotFoundError);
      expect(await store.stat('missing/key')).toBeNull();
    });

    it('treats a "directory" of other keys as absent', async () => {
      await store.putBuffer('nested/dir/leaf', Buffer.from('leaf'));
      expect(await store.stat('nested/dir')).toBeNull();
      await expect(store.read('nested/dir')).rejects.toThrow(BlobNotFoundError);
      await expect(store.readBuffer('nested/dir')).rejects.toThrow(BlobNotFoundError);
      await store.delete('nested/dir');
      expect((await store.readBuffer('nested/dir/leaf')).toString()).toBe('leaf');
    });

    it('lists keys by prefix', async () => {
      for (const key of ['list/a/1', 'list/a/2', 'list/a/deep/3', 'list/b/1', 'list/ab']) {
        await store.putBuffer(key, Buffer.from(key));
      }
      expect(await collectKeys(store.list('list/a/'))).toEqual(['list/a/1', 'list/a/2', 'list/a/deep/3']);
      expect(await collectKeys(store.list('list/a'))).toEqual(['list/a/1', 'list/a/2', 'list/a/deep/3', 'list/ab']);
      expect(await collectKeys(store.list('list/'))).toHaveLength(5);
      expect(await collectKeys(store.list('list/zzz/'))).toEqual([]);
      expect(await collectKeys(store.list('nothing-here/'))).toEqual([]);
      const all = await collectKeys(store.list(''));
      expect(all).toContain('list/ab');
      expect(all.every((key) => !key.startsWith('.'))).toBe(true);
    });

    it('round-trips buffers, including an empty one', async () => {
      const data = Buffer.from('extracted text: Ünïcödé ✓\n');
      await store.putBuffer('buffers/text.txt', data, 'text/plain; charset=utf-8');
      expect((await store.readBuffer('buffers/text.txt')).equals(data)).toBe(true);
      await store.putBuffer('buffers/empty', Buffer.alloc(0));
      expect((await store.readBuffer('buffers/empty')).length).toBe(0);
      expect((await store.stat('buffers/empty'))?.size).toBe(0);
      expect((await collect(await store.read('buffers/empty'))).length).toBe(0);
    });

    it('stores a multipart-sized file byte for byte (20 MiB)', async () => {
      const data = randomBytes(20 * MIB + 123);
      const expected = createHash('sha256').update(data).digest('hex');
      const file = await sourceFile('large.bin', data);
      await store.putFile('large/file.bin', file, 'application/octet-stream');
      expect((await store.stat('large/file.bin'))?.size).toBe(data.length);
      expect(await sha256OfStream(await store.read('large/file.bin'))).toBe(expected);
      const tail = await collect(await store.read('large/file.bin', { start: 16 * MIB - 3, end: 16 * MIB + 4 }));
      expect(tail.equals(data.subarray(16 * MIB - 3, 16 * MIB + 5))).toBe(true);
    });

    it('consumes the source on putFile with move: true', async () => {
      const data = randomBytes(4096);
      const file = await sourceFile('move.bin', data);
      await store.putFile('move/file.bin', file, undefined, { move: true });
      await expect(access(file)).rejects.toThrow();
      expect((await store.readBuffer('move/file.bin')).equals(data)).toBe(true);
    });

    it('refuses hostile keys in every operation', async () => {
      const file = await sourceFile('hostile.bin', Buffer.from('x'));
      for (const key of HOSTILE_KEYS) {
        await expect(store.putBuffer(key, Buffer.from('x')), key).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.putFile(key, file), key).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.read(key), key).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.readBuffer(key), key).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.stat(key), key).rejects.toThrow(InvalidBlobKeyError);
        await expect(store.delete(key), key).rejects.toThrow(InvalidBlobKeyError);
      }
      for (const prefix of ['../', '/etc/', 'a//', 'A', '.tmp/']) {
        await expect(collectKeys(store.list(prefix)), prefix).rejects.toThrow(InvalidBlobKeyError);
      }
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
