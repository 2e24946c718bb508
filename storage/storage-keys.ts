// Every storage key in Shelfmark is computed here, so the layout of the bucket/root is defined in
// one place and orphan sweeps or fixity audits can parse keys back.

const SHA256_HEX = /^[0-9a-f]{64}$/;
// File ids become a path segment; lowercase only, because keys are [a-z0-9/._-] and folding case
// could make two distinct ids share a key.
const FILE_ID = /^[a-z0-9][a-z0-9_-]{0,127}$/;

export const DERIVATIVE_FILES = {
  thumbnail: 'thumbnail.webp',
  text: 'text.txt',
} as const;

export type DerivativeKind = keyof typeof DERIVATIVE_FILES;

export const ORIGINALS_PREFIX = 'originals/';
export const DERIVATIVES_PREFIX = 'derivatives/';

/** Content-addressed: identical uploads share one blob. Fanned out by the first two bytes. */
export function originalKey(sha256Hex: string): string {
  if (typeof sha256Hex !== 'string' || !SHA256_HEX.test(sha256Hex)) {
    throw new TypeError(`originalKey: expected 64 lowercase hex characters, got ${JSON.stringify(sha256Hex)}`);
  }
  return `${ORIGINALS_PREFIX}${sha256Hex.slice(0, 2)}/${sha256Hex.slice(2, 4)}/${sha256Hex}`;
}

/** The sha256 an original key was derived from, or null when `key` is not an original key. */
export function sha256FromOriginalKey(key: string): string | null {
  const match = /^originals\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(key);
  if (!match) return null;
  const [, a, b, sha] = match as unknown as [string, string, string, string];
  return sha.startsWith(a + b) ? sha : null;
}

export function derivativeKey(fileId: string, kind: DerivativeKind): string {
  if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) {
    throw new TypeError(`derivativeKey: invalid file id ${JSON.stringify(fileId)}`);
  }
  if (!Object.hasOwn(DERIVATIVE_FILES, kind)) {
    throw new TypeError(`derivativeKey: unknown derivative kind ${JSON.stringify(kind)}`);
  }
  return `${DERIVATIVES_PREFIX}${fileId}/${DERIVATIVE_FILES[kind]}`;
}

/** All derivatives of one file live under this prefix, so they can be listed or purged together. */
export function derivativesPrefix(fileId: string): string {
  if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) {
    throw new TypeError(`derivativesPrefix: invalid file id ${JSON.stringify(fileId)}`);
  }
  return `${DERIVATIVES_PREFIX}${fileId}/`;
}
