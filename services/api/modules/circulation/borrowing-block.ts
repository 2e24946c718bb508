// Seed 002: "Each customer is allowed to owe up to $10.00 at one time. If a customer owes more money
// to the library, he must reduce his fine to below $10.00 before he is allowed to borrow any more
// books." Seed 003: "A member can borrow a book if he/she does not have an outstanding fine".
//
// Boundary: a balance strictly above the limit blocks; exactly the limit does not ("allowed to owe up
// to $10.00", and "Max Fine - Maximum amount of fines for customer before restriction"). The
// "below $10.00" of the same sentence would need a memory of having been over the limit; the block
// is a pure function of the current balance instead, so a payment unblocks at once (issue 3).
import { fineLimitFor } from './patron-limits.ts';
import type { CirculationPolicy } from './policy.ts';
import { formatCents } from './money.ts';

export function isBlockedByFines(policy: CirculationPolicy, balanceCents: number, patronFineLimitCents?: number | null): boolean {
  return balanceCents > fineLimitFor(policy, { fineLimitCents: patronFineLimitCents ?? null });
}

/** Why the patron is blocked, with what they must pay to be unblocked; null when not blocked. */
export function fineBlockReason(policy: CirculationPolicy, balanceCents: number, patronFineLimitCents?: number | null): string | null {
  const limit = fineLimitFor(policy, { fineLimitCents: patronFineLimitCents ?? null });
  if (balanceCents <= limit) return null;
  if (limit === 0) return `Outstanding fines of ${formatCents(balanceCents)} must be paid first.`;
  return `Outstanding fines of ${formatCents(balanceCents)} are over the ${formatCents(limit)} limit; a payment of at least ${formatCents(balanceCents - limit)} is needed first.`;
}
