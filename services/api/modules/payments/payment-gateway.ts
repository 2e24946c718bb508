// How fines get paid. Every gateway ends in the same use case, circulation's paymentRecorder, so the
// policy's rules (never more than the balance; the whole balance under `als`) hold whichever way the
// money came in. `desk`: staff record cash or a card taken on the library's own terminal
// (POST /api/v1/patrons/:id/payments, the default). `stripe`: the patron pays on Stripe's hosted
// Checkout page; card data goes to Stripe only, and Shelfmark records the payment when Stripe's
// signed webhook says the session was paid (stripe-gateway.ts).
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import type { Actor } from '../circulation/actor.ts';
import { paymentRecorder, type PaymentMethod } from '../circulation/ledger.service.ts';

export interface PaymentRequest {
  patronId: string;
  amountCents: number;
  actor: Actor;
  /** desk: how the money was taken. */
  method?: PaymentMethod;
  note?: string | undefined;
  /** Hosted gateways: where the payer's browser goes afterwards. */
  successUrl?: string;
  cancelUrl?: string;
}

export type PaymentOutcome =
  /** The payment is in the ledger. */
  | { status: 'recorded'; ledgerEntryId: number; amountCents: number; balanceCents: number }
  /** The payer must finish on the provider's page; the ledger changes when the provider confirms. */
  | { status: 'pending'; checkoutId: string; url: string; amountCents: number; currency: string };

export interface PaymentGateway {
  readonly name: 'desk' | 'stripe';
  collect(deps: Deps, em: EntityManager, request: PaymentRequest): Promise<PaymentOutcome>;
}

export const deskGateway: PaymentGateway = {
  name: 'desk',
  async collect(deps, em, r) {
    const { entry, balanceCents } = await paymentRecorder(deps, em, r.patronId, { amountCents: r.amountCents, method: r.method ?? 'cash', note: r.note }, r.actor);
    return { status: 'recorded', ledgerEntryId: Number(entry.id), amountCents: r.amountCents, balanceCents };
  },
};
