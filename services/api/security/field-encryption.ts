import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

// Personal data (patron phone, email, postal address) is stored encrypted with AES-256-GCM. Each
// ciphertext names the key it was made with, so keys can rotate: new writes use the current key,
// old rows stay readable with the retired keys until `npm run rotate-keys` rewrites them.
//
// Searching encrypted fields uses blind indexes: HMAC-SHA256 (with a separate key) of the
// normalised value and of each of its words. Equal inputs give equal hashes; the hash reveals
// nothing about the value without the key.

export interface KeyRing {
  /** Key id used for new ciphertexts. */
  current: string;
  /** All keys that may be needed to decrypt, by id: 32 bytes each. */
  keys: ReadonlyMap<string, Buffer>;
  /** Key for blind indexes (32 bytes); rotating it means recomputing every index. */
  indexKey: Buffer;
}

const VERSION = 'v1';

export class FieldCipher {
  private readonly ring: KeyRing;
  constructor(ring: KeyRing) {
    for (const [id, key] of ring.keys) {
      if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes`);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`encryption key id ${id} must be 1-32 characters of [A-Za-z0-9_-]`);
    }
    if (!ring.keys.has(ring.current)) throw new Error(`the current encryption key ${ring.current} is not in the key ring`);
    if (ring.indexKey.length !== 32) throw new Error('the blind-index key must be 32 bytes');
    this.ring = ring;
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.ring.keys.get(this.ring.current)!, iv);
    // The key id is authenticated data: a ciphertext cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(`${VERSION}:${this.ring.current}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.ring.current, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
  }

  decrypt(stored: string | null | undefined): string | null {
    if (stored === null || stored === undefined) return null;
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('not a Shelfmark ciphertext');
    const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
    const key = this.ring.keys.get(keyId);
    if (!key) throw new Error(`encryption key ${keyId} is not configured (needed to read older rows)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the ciphertext was made with a key other than the current one. */
  needsRotation(stored: string | null | undefined): boolean {
    return !!stored && stored.split(':')[1] !== this.ring.current;
  }

  /** A keyed hash of one normalised term; `field` separates domains (a phone never matches an address). */
  blindHash(field: string, normalisedTerm: string): string {
    return createHmac('sha256', this.ring.indexKey).update(`${field}\u0000${normalisedTerm}`).digest('hex').slice(0, 32);
  }
}

/** Normalisation per field: what a librarian types at the desk must hash like what was stored. */
export const normalise = {
  phone: (s: string) => s.replace(/\D/g, ''),
  email: (s: string) => s.trim().toLowerCase(),
  text: (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim(),
};

/** Words of a value, normalised, for word-level blind indexes (address: "12 Elm Street" finds by "elm"). */
export function wordsOf(s: string): string[] {
  return [...new Set(normalise.text(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2))];
}

/**
 * The blind-index terms stored for a value: the whole normalised value plus each word (and for a
 * phone, its last 4+ digit suffixes are not indexed: partial phone search would leak too much).
 */
export function blindTerms(cipher: FieldCipher, field: 'phone' | 'email' | 'address' | 'name', value: string | null | undefined): string[] {
  if (!value) return [];
  const whole = field === 'phone' ? normalise.phone(value) : field === 'email' ? normalise.email(value) : normalise.text(value);
  const terms = new Set<string>([cipher.blindHash(`${field}:whole`, whole)]);
  if (field === 'address' || field === 'name') for (const w of wordsOf(value)) terms.add(cipher.blindHash(`${field}:word`, w));
  return [...terms];
}

/** Terms to look up for a search string: the whole value, or (for words) every word must match. */
export function blindQuery(cipher: FieldCipher, field: 'phone' | 'email' | 'address' | 'name', query: string): { whole: string; words: string[] } {
  const whole = field === 'phone' ? normalise.phone(query) : field === 'email' ? normalise.email(query) : normalise.text(query);
  return { whole: cipher.blindHash(`${field}:whole`, whole), words: wordsOf(query).map((w) => cipher.blindHash(`${field}:word`, w)) };
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
