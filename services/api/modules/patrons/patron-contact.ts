// Phone, email and postal address: the personal data of a patron. Only this file reads, writes or
// searches those columns. They are stored encrypted (AES-256-GCM, services/api/security) and found
// through blind indexes in `contact_index`: keyed hashes of the normalised phone and email and of
// each word of the address. Never log what passes through here.
import type { FieldCipher } from '../../security/field-encryption.ts';
import { blindQuery, blindTerms } from '../../security/field-encryption.ts';
import type { EntityManager } from '@mikro-orm/sql';
import type { Patron } from './patron.entity.ts';

export interface PatronContact {
  phone: string | null;
  email: string | null;
  address: string | null;
}

export function contactOf(cipher: FieldCipher, patron: Patron): PatronContact {
  return { phone: cipher.decrypt(patron.phone), email: cipher.decrypt(patron.email), address: cipher.decrypt(patron.address) };
}

/** Applies the fields present in `input` (undefined leaves a field as it is, null clears it) and rebuilds the index. */
export function contactAssigner(cipher: FieldCipher, patron: Patron, input: Partial<PatronContact>): void {
  const current = contactOf(cipher, patron);
  const next: PatronContact = {
    phone: input.phone !== undefined ? input.phone : current.phone,
    email: input.email !== undefined ? input.email : current.email,
    address: input.address !== undefined ? input.address : current.address,
  };
  patron.phone = cipher.encrypt(next.phone);
  patron.email = cipher.encrypt(next.email);
  patron.address = cipher.encrypt(next.address);
  patron.contactIndex = [...blindTerms(cipher, 'phone', next.phone), ...blindTerms(cipher, 'email', next.email), ...blindTerms(cipher, 'address', next.address)];
}

/** True when a row holds a value written with a retired key or before encryption (rotate-keys rewrites it). */
export function contactNeedsRewrite(cipher: FieldCipher, patron: Patron): boolean {
  return [patron.phone, patron.email, patron.address].some((v) => v !== null && v !== undefined && (!v.startsWith('v1:') || cipher.needsRotation(v)));
}

/** Re-encrypts with the current key (and rebuilds the index); reads plain legacy values as they are. */
export function contactRewriter(cipher: FieldCipher, patron: Patron): void {
  const read = (v: string | null | undefined) => (v === null || v === undefined ? null : v.startsWith('v1:') ? cipher.decrypt(v) : v);
  const plain = { phone: read(patron.phone), email: read(patron.email), address: read(patron.address) };
  patron.phone = null;
  patron.email = null;
  patron.address = null;
  contactAssigner(cipher, patron, plain);
}

const arrayParam = (terms: string[]) => `{${terms.join(',')}}`; // hex hashes need no quoting

/** SQL conditions on the contact index of `p` (the patrons alias) for a patron search. */
export function contactSearchConditions(cipher: FieldCipher, q: { phone?: string | undefined; address?: string | undefined; email?: string | undefined }): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  // Staff type numbers as they come ("(416) 555-0199", "4165550199"): the digits are hashed.
  if (q.phone !== undefined) { where.push(`p.contact_index @> ?::text[]`); params.push(arrayParam([blindQuery(cipher, 'phone', q.phone).whole])); }
  if (q.email !== undefined) { where.push(`p.contact_index @> ?::text[]`); params.push(arrayParam([blindQuery(cipher, 'email', q.email).whole])); }
  if (q.address !== undefined) {
    // Every word of the query must be a word of the address ("queen street" finds "77 Queen Street, Toronto").
    const words = blindQuery(cipher, 'address', q.address).words;
    where.push(words.length ? `p.contact_index @> ?::text[]` : 'false');
    if (words.length) params.push(arrayParam(words));
  }
  return { where, params };
}

/** The contact part of a free-text patron search: one SQL condition (an OR) and its parameters. */
export function contactFreeTextCondition(cipher: FieldCipher, word: string): { sql: string; params: unknown[] } {
  const terms = [blindQuery(cipher, 'phone', word).whole, blindQuery(cipher, 'email', word).whole, ...blindQuery(cipher, 'address', word).words];
  return { sql: `p.contact_index && ?::text[]`, params: [arrayParam(terms)] };
}

/** The patron whose email is exactly this one (sign-in by email), or null; none when two share it. */
export async function patronIdByEmail(em: EntityManager, cipher: FieldCipher, email: string): Promise<string | null> {
  const rows = await em.getConnection().execute<Array<{ id: string }>>(
    `select id from patrons p where p.contact_index @> ?::text[] limit 2`, [arrayParam([blindQuery(cipher, 'email', email).whole])]);
  return rows.length === 1 ? rows[0]!.id : null;
}
