import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertBlobKey } from './blob-store.ts';
import { derivativeKey, derivativesPrefix, originalKey, sha256FromOriginalKey } from './storage-keys.ts';
import type { DerivativeKind } from './storage-keys.ts';

const sha = createHash('sha256').update('hello').digest('hex');

describe('storage keys', () => {
  it('fans originals out by the first two bytes of their sha256', () => {
    expect(originalKey(sha)).toBe(`originals/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`);
    expect(() => assertBlobKey(originalKey(sha))).not.toThrow();
  });

  it('parses an original key back to its sha256', () => {
    expect(sha256FromOriginalKey(originalKey(sha))).toBe(sha);
    expect(sha256FromOriginalKey(`originals/00/00/${sha}`)).toBeNull();
    expect(sha256FromOriginalKey('derivatives/x/text.txt')).toBeNull();
  });

  it('refuses anything but a lowercase sha256 hex digest', () => {
    for (const bad of ['', 'abc', sha.toUpperCase(), `${sha}0`, `../${sha.slice(3)}`, sha.replace(/.$/, 'g')]) {
      expect(() => originalKey(bad), bad).toThrow(TypeError);
    }
  });

  it('names derivatives per file and kind', () => {
    const id = '0192f1a4-7c2e-7b3a-9d1e-2f3a4b5c6d7e';
    expect(derivativeKey(id, 'thumbnail')).toBe(`derivatives/${id}/thumbnail.webp`);
    expect(derivativeKey(id, 'text')).toBe(`derivatives/${id}/text.txt`);
    expect(derivativesPrefix(id)).toBe(`derivatives/${id}/`);
    expect(() => assertBlobKey(derivativeKey(id, 'text'))).not.toThrow();
  });

  it('refuses hostile file ids and unknown kinds', () => {
    for (const bad of ['', '..', '../x', 'a/b', 'ABC', 'a b', '.hidden', 'x'.repeat(200)]) {
      expect(() => derivativeKey(bad, 'text'), bad).toThrow(TypeError);
    }
    expect(() => derivativeKey('abc', 'toString' as DerivativeKind)).toThrow(TypeError);
    expect(() => derivativeKey('abc', 'audio' as DerivativeKind)).toThrow(TypeError);
  });
});
