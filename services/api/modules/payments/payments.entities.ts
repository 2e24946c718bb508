import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PatronEntity } from '../patrons/patron.entity.ts';

// Online payments (issue 6). A checkout is our record of one hosted payment page (Stripe Checkout):
// the amount asked for, the provider's session id and what became of it. Card data never reaches
// Shelfmark; the provider's signed webhook says a checkout was paid, and the payment enters the
// ledger through the same use case as a desk payment. Webhook events are stored by their id, so a
// replayed event is recognised and changes nothing.

export const CHECKOUT_STATUSES = ['open', 'paid', 'expired', 'unapplied'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

export const PaymentCheckoutEntity = defineEntity({
  name: 'PaymentCheckout',
  tableName: 'payment_checkouts',
  properties: {
    id: p.uuid().primary(),
    patron: () => p.manyToOne(PatronEntity).nullable().deleteRule('set null').index(),
    provider: p.string().length(20),
    /** The provider's id of the hosted page (Stripe: cs_...); one payment per session, whatever is replayed. */
    providerSessionId: p.string().length(255).nullable().unique(),
    amountCents: p.integer(),
    currency: p.string().length(3),
    status: p.string().length(20),
    /** Why a paid checkout could not enter the ledger (the balance changed meanwhile): staff refund it. */
    note: p.text().nullable(),
    ledgerEntryId: p.bigint('number').nullable(),
    createdAt: p.datetime(),
    createdBy: p.string().length(64).nullable(),
    completedAt: p.datetime().nullable(),
  },
});
export type PaymentCheckout = InferEntity<typeof PaymentCheckoutEntity>;

export const PaymentWebhookEventEntity = defineEntity({
  name: 'PaymentWebhookEvent',
  tableName: 'payment_webhook_events',
  properties: {
    eventId: p.string().length(255).primary(),
    provider: p.string().length(20),
    type: p.string().length(100),
    outcome: p.string().length(40),
    receivedAt: p.datetime(),
  },
});
