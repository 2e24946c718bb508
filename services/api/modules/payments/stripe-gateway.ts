// Stripe Checkout through the official SDK. A checkout asks for exactly the amount given (the route
// passes the patron's whole outstanding balance) on Stripe's hosted page: no card data, name or email
// is sent to or through Shelfmark, only an opaque checkout id. The payment is recorded only from a
// webhook whose signature the SDK has verified (stripe.webhooks.constructEvent over the raw body), and
// only once: the event id is stored (a replayed event changes nothing) and the checkout row moves from
// open to paid under a row lock (a second event for the same session changes nothing either).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type Stripe from 'stripe';
import type { Deps } from '../../app-context.ts';
import type { StripeConfig } from '../../config.ts';
import { isProblem, problem } from '../../http/problem.ts';
import { paymentRecorder } from '../circulation/ledger.service.ts';
import type { PaymentGateway, PaymentOutcome, PaymentRequest } from './payment-gateway.ts';

const clients = new WeakMap<StripeConfig, Stripe>();

// The SDK is loaded on first use (~3 MB of heap that every garbage collection would otherwise mark).
async function stripeClient(config: StripeConfig): Promise<Stripe> {
  let client = clients.get(config);
  if (!client) {
    const { default: StripeSdk } = await import('stripe');
    client = new StripeSdk(config.secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(config.api ? { host: config.api.host, port: config.api.port, protocol: config.api.protocol } : {}),
    });
    clients.set(config, client);
  }
  return client;
}

export function stripeGatewayFor(deps: Deps): PaymentGateway & { name: 'stripe' } {
  const config = deps.config.stripe;
  if (!config) throw problem(503, 'payments-unavailable', 'Online payment is not configured', 'Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments with Stripe Checkout.');
  return {
    name: 'stripe',
    async collect(_deps, em, r: PaymentRequest): Promise<PaymentOutcome> {
      if (!r.successUrl || !r.cancelUrl) throw new TypeError('Stripe Checkout needs successUrl and cancelUrl');
      const id = randomUUID();
      const now = deps.clock();
      await em.execute(
        `insert into payment_checkouts (id, patron_id, provider, provider_session_id, amount_cents, currency, status, note, ledger_entry_id, created_at, created_by, completed_at)
         values (?, ?, 'stripe', null, ?, ?, 'open', null, null, ?, ?, null)`,
        [id, r.patronId, r.amountCents, config.currency, now, r.actor.userId], 'run');
      let session: Stripe.Checkout.Session;
      try {
        session = await (await stripeClient(config)).checkout.sessions.create({
          mode: 'payment',
          client_reference_id: id,
          metadata: { shelfmark_checkout_id: id },
          payment_intent_data: { metadata: { shelfmark_checkout_id: id } },
          line_items: [{ quantity: 1, price_data: { currency: config.currency, unit_amount: r.amountCents, product_data: { name: 'Library fines and charges' } } }],
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
        }, { idempotencyKey: `shelfmark-checkout-${id}` });
      } catch (err) {
        await em.execute(`update payment_checkouts set status = 'expired', note = ? where id = ?`, [`Stripe refused the session: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000), id], 'run');
        deps.log.warn({ checkoutId: id, err: err instanceof Error ? err.message : String(err) }, 'stripe checkout session not created');
        throw problem(502, 'payment-provider-error', 'The payment provider did not answer', 'Stripe could not start a checkout; try again or pay at the desk.');
      }
      if (!session.url) throw problem(502, 'payment-provider-error', 'The payment provider did not answer', 'Stripe returned no checkout URL.');
      await em.execute(`update payment_checkouts set provider_session_id = ? where id = ?`, [session.id, id], 'run');
      return { status: 'pending', checkoutId: id, url: session.url, amountCents: r.amountCents, currency: config.currency };
    },
  };
}

export type WebhookOutcome = 'recorded' | 'duplicate-event' | 'already-completed' | 'unapplied' | 'expired' | 'ignored' | 'unknown-checkout';

interface CheckoutRow { id: string; patron_id: string | null; amount_cents: number; currency: string; status: string; provider_session_id: string | null }

/** Verifies and applies one webhook delivery; throws 400 on a bad signature. */
export async function stripeWebhookHandler(deps: Deps, rawBody: Buffer | undefined, signature: string | undefined): Promise<{ eventId: string; outcome: WebhookOutcome }> {
  const config = deps.config.stripe;
  if (!config) throw problem(503, 'payments-unavailable', 'Online payment is not configured');
  let event: Stripe.Event;
  try {
    // The SDK checks the HMAC over the exact bytes received and the timestamp (5 minutes' tolerance, by our clock).
    event = (await stripeClient(config)).webhooks.constructEvent(rawBody ?? Buffer.alloc(0), signature ?? '', config.webhookSecret, undefined, undefined, deps.clock().getTime());
  } catch {
    throw problem(400, 'invalid-signature', 'Webhook signature not valid', 'The Stripe-Signature header does not match the body.');
  }
  const now = deps.clock();
  return deps.orm.em.fork().transactional(async (tx) => {
    const fresh = await tx.execute<Array<{ event_id: string }>>(
      `insert into payment_webhook_events (event_id, provider, type, outcome, received_at) values (?, 'stripe', ?, 'processing', ?) on conflict (event_id) do nothing returning event_id`,
      [event.id, event.type, now]);
    if (!fresh.length) return { eventId: event.id, outcome: 'duplicate-event' as const };
    const outcome = await stripeEventApplier(deps, tx, event, now);
    await tx.execute(`update payment_webhook_events set outcome = ? where event_id = ?`, [outcome, event.id], 'run');
    return { eventId: event.id, outcome };
  });
}

async function stripeEventApplier(deps: Deps, tx: EntityManager, event: Stripe.Event, now: Date): Promise<WebhookOutcome> {
  const paid = event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded';
  const closed = event.type === 'checkout.session.expired' || event.type === 'checkout.session.async_payment_failed';
  if (!paid && !closed) return 'ignored';
  const session = event.data.object as Stripe.Checkout.Session;
  const checkoutId = session.client_reference_id ?? session.metadata?.shelfmark_checkout_id ?? null;
  const rows = checkoutId && /^[0-9a-f-]{36}$/i.test(checkoutId)
    ? await tx.execute<CheckoutRow[]>(`select id, patron_id, amount_cents, currency, status, provider_session_id from payment_checkouts where id = ? and provider = 'stripe' for update`, [checkoutId])
    : [];
  const checkout = rows[0];
  if (!checkout || (checkout.provider_session_id && checkout.provider_session_id !== session.id)) return 'unknown-checkout';
  if (checkout.status !== 'open') return 'already-completed';
  if (closed) {
    await tx.execute(`update payment_checkouts set status = 'expired', completed_at = ? where id = ?`, [now, checkout.id], 'run');
    return 'expired';
  }
  // completed with a delayed method (bank debit): wait for async_payment_succeeded.
  if (session.payment_status !== 'paid') return 'ignored';
  const unapplied = async (note: string) => {
    await tx.execute(`update payment_checkouts set status = 'unapplied', note = ?, completed_at = ? where id = ?`, [note, now, checkout.id], 'run');
    deps.log.warn({ checkoutId: checkout.id }, 'paid checkout not applied to the ledger; refund or apply it by hand');
    return 'unapplied' as const;
  };
  if (session.amount_total !== Number(checkout.amount_cents) || (session.currency ?? '').toLowerCase() !== checkout.currency) {
    return unapplied(`Stripe reported ${session.amount_total} ${session.currency}, the checkout asked for ${checkout.amount_cents} ${checkout.currency}.`);
  }
  if (!checkout.patron_id) return unapplied('The patron was deleted before the payment arrived.');
  try {
    const { entry } = await paymentRecorder(deps, tx, checkout.patron_id, { amountCents: Number(checkout.amount_cents), method: 'online', note: `Stripe Checkout ${session.id}` }, { userId: null, roles: [] });
    await tx.execute(`update payment_checkouts set status = 'paid', completed_at = ?, ledger_entry_id = ? where id = ?`, [now, entry.id, checkout.id], 'run');
    return 'recorded';
  } catch (err) {
    // The balance changed between checkout and payment (paid at the desk meanwhile, or under `als` a new fine).
    if (isProblem(err) && err.code === 'payment-amount-invalid') return unapplied(`Not recorded: ${err.detail ?? err.title}`);
    throw err;
  }
}
