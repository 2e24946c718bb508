// Phone, email and postal address: the personal data of a patron. Only this file reads, writes or
// searches those columns, so the identity issue can encrypt them at rest (and search through blind
// indexes) by changing this file alone. Never log what passes through here.
import type { Patron } from './patron.entity.ts';

export interface PatronContact {
  phone: string | null;
  email: string | null;
  address: string | null;
}

export function contactOf(patron: Patron): PatronContact {
  return { phone: patron.phone ?? null, email: patron.email ?? null, address: patron.address ?? null };
}

/** Applies the fields present in `input` (undefined leaves a field as it is, null clears it). */
export function contactAssigner(patron: Patron, input: Partial<PatronContact>): void {
  if (input.phone !== undefined) patron.phone = input.phone;
  if (input.email !== undefined) patron.email = input.email;
  if (input.address !== undefined) patron.address = input.address;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** SQL conditions on the contact columns of `p` (the patrons alias) for a patron search. */
export function contactSearchConditions(q: { phone?: string | undefined; address?: string | undefined; email?: string | undefined }): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.phone !== undefined) {
    // Staff type numbers as they come ("(416) 555-0199", "4165550199"): compare digits only.
    const digits = digitsOf(q.phone);
    where.push(digits ? `regexp_replace(coalesce(p.phone, ''), '[^0-9]', '', 'g') like ?` : 'false');
    if (digits) params.push(`%${digits}%`);
  }
  if (q.address !== undefined) { where.push(`p.address ilike ?`); params.push(`%${escapeLike(q.address)}%`); }
  if (q.email !== undefined) { where.push(`lower(p.email) = lower(?)`); params.push(q.email.trim()); }
  return { where, params };
}

/** The contact part of a free-text patron search: one SQL condition (an OR) and its parameters. */
export function contactFreeTextCondition(word: string): { sql: string; params: unknown[] } {
  const like = `%${escapeLike(word)}%`;
  const digits = digitsOf(word);
  const parts = [`p.address ilike ?`, `p.email ilike ?`];
  const params: unknown[] = [like, like];
  if (digits.length >= 3) { parts.push(`regexp_replace(coalesce(p.phone, ''), '[^0-9]', '', 'g') like ?`); params.push(`%${digits}%`); }
  return { sql: `(${parts.join(' or ')})`, params };
}
