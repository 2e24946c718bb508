// The per-patron money ledger: fines and no-show charges in, payments out; the balance is the sum.
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { patronRowLocker } from '../patrons/patron.repository.ts';
import type { Actor } from './actor.ts';
import { LedgerEntryEntity, type LedgerEntry } from './circulation.entities.ts';
import { refusalProblem } from './circulation-problems.ts';
import { patronStandingLoader } from './patron-standing.ts';
import { paymentDecision } from './payment-rules.ts';
import { policyInForce } from './policy-store.ts';
import { circulationUsageRecorder } from '../analytics/usage-events.ts';

export const PAYMENT_METHODS = ['cash', 'card', 'cheque', 'transfer', 'online', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Seed 003: "This function does not facilitate the actual collection of the payment. It merely
 * records the payment amount, date and indicate the fine has been fully paid". The amount is judged
 * by paymentDecision under the patron's lock, so two desks cannot both take the same fine.
 */
export async function paymentRecorder(
  deps: Deps, em: EntityManager, patronId: string, input: { amountCents: number; method: PaymentMethod; note?: string | undefined }, actor: Actor,
): Promise<{ entry: LedgerEntry; balanceCents: number }> {
  const now = deps.clock();
  return em.transactional(async (tx) => {
    const policy = await policyInForce(tx);
    await patronRowLocker(tx, patronId);
    const { balanceCents } = await patronStandingLoader(tx, patronId, now);
    const decision = paymentDecision(policy, balanceCents, input.amountCents);
    if (!decision.ok) throw refusalProblem(decision);
    const entry = tx.create(LedgerEntryEntity, {
      patron: patronId, kind: 'payment', amountCents: -input.amountCents, loanId: null, holdId: null, method: input.method,
      note: input.note ?? null, createdAt: now, createdBy: actor.userId,
    });
    await tx.flush();
    await circulationUsageRecorder(tx, { kind: 'payment', at: now, patronId, amountCents: input.amountCents });
    return { entry, balanceCents: decision.newBalanceCents };
  }, { clear: true });
}

export async function ledgerLister(em: EntityManager, patronId: string, page: number, pageSize: number) {
  const [entries, total] = await em.findAndCount(LedgerEntryEntity, { patron: patronId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize });
  return { entries, total };
}
