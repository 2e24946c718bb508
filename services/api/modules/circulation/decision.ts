// Shared shape of every circulation decision: `{ ok: true, ... }` or a refusal with a stable
// problem `code` (the HTTP layer maps it to 409/422) and a sentence a librarian can read aloud.
import { patronCategoryPolicy } from './policy.ts';
import type { CirculationPolicy } from './policy.ts';

export const CIRCULATION_CODES = [
  'item-on-loan',
  'item-on-hold',
  'item-out-of-circulation',
  'loan-limit-reached',
  'fines-outstanding',
  'patron-restricted',
  'hold-limit-reached',
  'hold-exists',
  'item-available',
  'payment-amount-invalid',
  'renewals-not-allowed',
  'renewal-limit-reached',
  'item-has-hold',
] as const;
export type CirculationCode = (typeof CIRCULATION_CODES)[number];

/**
 * Blocks that concern only the patron's own standing, which staff may waive with a logged reason.
 * Everything else is a fact about the copy, another patron's claim, the policy's structure or money,
 * and is never overridable: a copy cannot be on loan twice (`item-on-loan`); a withdrawn copy must be
 * put back into circulation first (`item-out-of-circulation`); a copy held for someone else, or held
 * against renewal, belongs to that patron first (`item-on-hold`, `item-has-hold`, `hold-exists`);
 * `item-available` means "just borrow it"; `renewals-not-allowed` is the library's rule, not a
 * limit; and a payment must match the ledger (`payment-amount-invalid`).
 */
export const OVERRIDABLE_CODES: ReadonlySet<CirculationCode> = new Set<CirculationCode>([
  'loan-limit-reached',
  'fines-outstanding',
  'patron-restricted',
  'hold-limit-reached',
  'renewal-limit-reached',
]);

export function isOverridable(code: CirculationCode): boolean {
  return OVERRIDABLE_CODES.has(code);
}

export interface Refusal {
  ok: false;
  code: CirculationCode;
  reason: string;
}

/** Staff asking to waive patron-side blocks; `staffCategory` is the staff member's patron category. */
export interface OverrideRequest {
  staffCategory: string;
}

export interface DecisionOptions {
  override?: OverrideRequest | null;
}

export function refuse(code: CirculationCode, reason: string): Refusal {
  return { ok: false, code, reason };
}

/** Whether the requesting staff member's category may override at all under this policy. */
export function canOverride(policy: CirculationPolicy, override: OverrideRequest | null | undefined): boolean {
  if (!override) return false;
  // An unknown staff category gets no override rights, rather than regular's via the fallback.
  if (!Object.hasOwn(policy.patronCategories, override.staffCategory)) return false;
  return patronCategoryPolicy(policy, override.staffCategory).canOverride;
}

/**
 * Resolves the patron-side blocks of a decision. Non-overridable refusals must be returned by the
 * caller before this is reached. With a valid override every block here is waived and listed in
 * `overridden`, so the service can log each one; otherwise the first block is the answer.
 */
export function resolveBlocks(
  policy: CirculationPolicy,
  blocks: readonly Refusal[],
  options: DecisionOptions | undefined,
): { ok: true; overridden: CirculationCode[] } | Refusal {
  const first = blocks[0];
  if (!first) return { ok: true, overridden: [] };
  const waivable = blocks.every((b) => isOverridable(b.code));
  if (waivable && canOverride(policy, options?.override)) return { ok: true, overridden: blocks.map((b) => b.code) };
  return first;
}
