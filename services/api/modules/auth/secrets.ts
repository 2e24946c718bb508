import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a cookie or token; only its SHA-256 is ever stored. */
export const newSecret = (prefix = '') => prefix + randomBytes(32).toString('base64url');
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
