import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindQuery, blindTerms, FieldCipher, normalise, wordsOf } from './field-encryption.ts';

const key = () => randomBytes(32);
const ring = (current: string, keys: Record<string, Buffer>, indexKey = Buffer.alloc(32, 9)) => ({ current, keys: new Map(Object.entries(keys)), indexKey });

describe('FieldCipher (AES-256-GCM with a key ring)', () => {
  const k1 = key();
  const k2 = key();
  it('round-trips text, keeps null, and never repeats a ciphertext', () => {
    const c = new FieldCipher(ring('k1', { k1 }));
    const a = c.encrypt('91234567')!;
    expect(a).not.toContain('91234567');
    expect(c.decrypt(a)).toBe('91234567');
    expect(c.encrypt('91234567')).not.toBe(a);
    expect(c.encrypt(null)).toBeNull();
    expect(c.decrypt(null)).toBeNull();
  });

  it('rotation: new writes use the new key, old rows stay readable while the old key is in the ring', () => {
    const old = new FieldCipher(ring('k1', { k1 }));
    const stored = old.encrypt('12 Elm Street')!;
    const rotated = new FieldCipher(ring('k2', { k1, k2 }));
    expect(rotated.decrypt(stored)).toBe('12 Elm Street');
    expect(rotated.needsRotation(stored)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('x'))).toBe(false);
    const retired = new FieldCipher(ring('k2', { k2 }));
    expect(() => retired.decrypt(stored)).toThrow(/k1 is not configured/);
  });

  it('detects tampering and relabelled key ids', () => {
    const c = new FieldCipher(ring('k1', { k1, k2 }));
    const stored = c.encrypt('secret')!;
    const parts = stored.split(':');
    const flipped = [...parts];
    flipped[3] = Buffer.from(Buffer.from(parts[3]!, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url');
    expect(() => c.decrypt(flipped.join(':'))).toThrow();
    const relabelled = [...parts];
    relabelled[1] = 'k2';
    expect(() => c.decrypt(relabelled.join(':'))).toThrow();
  });

  it('refuses bad key material', () => {
    expect(() => new FieldCipher(ring('k1', { k1: Buffer.alloc(16) }))).toThrow(/32 bytes/);
    expect(() => new FieldCipher(ring('k9', { k1 }))).toThrow(/not in the key ring/);
  });
});

describe('blind indexes (seed 002: search customers by phone and address)', () => {
  const c = new FieldCipher(ring('k1', { k1: key() }));
  it('the same phone typed differently hashes the same', () => {
    expect(normalise.phone('(604) 555-0199')).toBe('6045550199');
    expect(blindQuery(c, 'phone', '604 555 0199').whole).toBe(blindTerms(c, 'phone', '(604) 555-0199')[0]);
  });

  it('an address is found by any of its words, case and accents folded', () => {
    const terms = blindTerms(c, 'address', '12 Rue de l\u2019Église, Montréal QC');
    expect(terms).toContain(blindQuery(c, 'address', 'eglise').words[0]);
    expect(terms).toContain(blindQuery(c, 'address', 'MONTREAL').words[0]);
    expect(terms).not.toContain(blindQuery(c, 'address', 'toronto').words[0]);
    expect(wordsOf('12 Elm St.')).toEqual(['12', 'elm', 'st']);
  });

  it('hashes are domain-separated and keyed: a phone never matches an address, another key matches nothing', () => {
    expect(blindTerms(c, 'phone', '1234')[0]).not.toBe(blindTerms(c, 'address', '1234')[0]);
    const other = new FieldCipher(ring('k1', { k1: key() }, Buffer.alloc(32, 1)));
    expect(blindTerms(other, 'phone', '1234')[0]).not.toBe(blindTerms(c, 'phone', '1234')[0]);
  });
});
