// Seed 003: "Fines must be completely paid. No partial payment is allowed. For example, if the fine
// amount is $4, only $4 payment is allowed; any payment less than or more than $4 will be rejected."
// Seed 002 allows paying part: "he must reduce his fine to below $10.00".
// Never more than the balance under any policy: there is no credit to keep on a patron's account.
import { refuse } from './decision.ts';
import type { Refusal } from './decision.ts';
import { formatCents } from './money.ts';
import type { CirculationPolicy } from './policy.ts';

export type PaymentDecision = { ok: true; newBalanceCents: number } | Refusal;

export function paymentDecision(policy: CirculationPolicy, balanceCents: number, amountCents: number): PaymentDecision {
  if (!Number.isSafeInteger(amountCents)) return refuse('payment-amount-invalid', 'A payment is a whole number of cents.');
  if (amountCents <= 0) return refuse('payment-amount-invalid', 'A payment must be more than $0.00.');
  if (balanceCents <= 0) return refuse('payment-amount-invalid', 'There are no outstanding fines to pay.');
  if (amountCents > balanceCents) {
    return refuse('payment-amount-invalid', `The payment of ${formatCents(amountCents)} is more than the ${formatCents(balanceCents)} owed.`);
  }
  if (!policy.partialPaymentsAllowed && amountCents !== balanceCents) {
    return refuse('payment-amount-invalid', `Fines must be paid in full: exactly ${formatCents(balanceCents)}, not ${formatCents(amountCents)}.`);
  }
  return { ok: true, newBalanceCents: balanceCents - amountCents };
}
