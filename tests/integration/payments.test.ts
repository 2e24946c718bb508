// Issue 6 "Must show: a Stripe webhook replayed twice records one payment". The official `stripe`
// SDK talks to a local HTTP server standing in for api.stripe.com (STRIPE_API_BASE), and webhooks are
// signed with the SDK's own generateTestHeaderString and verified by its constructEvent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, tokenFor, type TestService } from '../support/test-service.ts';
import { balanceOf, buildCopy, buildPatron, call, checkout, staffTokens, type Staff } from './circulation-helpers.ts';

const SECRET_KEY = 'sk_test_shelfmark';
const WEBHOOK_SECRET = 'whsec_shelfmarktestsecret';

interface StripeCall { method: string; path: string; headers: IncomingMessage['headers']; params: URLSearchParams }
const stripeCalls: StripeCall[] = [];
let fakeStripe: Server;
let svc: TestService;
let staff: Staff;
let sessions = 0;

const signer = new Stripe('sk_test_signer_only');
function signed(event: Record<string, unknown>, opts: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  const header = signer.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WEBHOOK_SECRET, timestamp: opts.timestamp ?? Math.floor(svc.clock().getTime() / 1000) });
  return { payload, header };
}
const deliver = (s: { payload: string; header: string }) =>
  svc.api('POST', '/api/v1/payments/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': s.header }, body: s.payload });

function sessionEvent(id: string, type: string, session: Record<string, unknown>) {
  return { id, object: 'event', api_version: '2025-01-01', created: Math.floor(svc.clock().getTime() / 1000), type, data: { object: { object: 'checkout.session', ...session } } };
}

const ledger = async (patronId: string) => (await call(svc, svc.adminToken, 'GET', `/api/v1/patrons/${patronId}/ledger`)).body.items as Array<{ kind: string; amountCents: number; method: string | null; note: string | null }>;

/** A patron owing `days` x 25 cents (standard preset, two-week category). */
async function patronOwing(days: number) {
  const copy = await buildCopy(svc);
  const patron = await buildPatron(svc);
  svc.clock.set('2026-03-02T10:00:00Z');
  const loan = await checkout(svc, copy.id, patron.id);
  svc.clock.set(new Date(Date.parse('2026-03-16T12:00:00Z') + days * 86_400_000).toISOString());
  expect((await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})).body.fineCents).toBe(days * 25);
  return patron;
}

beforeAll(async () => {
  fakeStripe = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      stripeCalls.push({ method: req.method!, path: req.url!, headers: req.headers, params });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
        const id = `cs_test_${++sessions}`;
        res.end(JSON.stringify({
          id, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid',
          amount_total: Number(params.get('line_items[0][price_data][unit_amount]')), currency: params.get('line_items[0][price_data][currency]'),
          client_reference_id: params.get('client_reference_id'), metadata: { shelfmark_checkout_id: params.get('metadata[shelfmark_checkout_id]') },
          url: `https://checkout.stripe.test/c/pay/${id}`,
        }));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: `No route ${req.url}` } }));
    });
  });
  await new Promise<void>((resolve) => fakeStripe.listen(0, '127.0.0.1', () => resolve()));
  const port = (fakeStripe.address() as AddressInfo).port;
  svc = await startTestService({}, { env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: `http://127.0.0.1:${port}`, PUBLIC_URL: 'https://library.example.org' } });
  staff = await staffTokens(svc);
});
afterAll(async () => {
  await svc?.close();
  await new Promise<void>((resolve) => fakeStripe.close(() => resolve()));
});

describe('Stripe Checkout', () => {
  it('creates a Checkout Session for exactly the outstanding amount, with nothing personal in it', async () => {
    const patron = await patronOwing(5);
    stripeCalls.length = 0;
    const res = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ url: 'https://checkout.stripe.test/c/pay/cs_test_1', checkoutId: expect.any(String), amountCents: 125, currency: 'usd' });
    expect(stripeCalls).toHaveLength(1);
    const sent = stripeCalls[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent.headers['idempotency-key']).toBe(`shelfmark-checkout-${res.body.checkoutId}`);
    expect(Object.fromEntries(sent.params)).toEqual({
      mode: 'payment',
      client_reference_id: res.body.checkoutId,
      'metadata[shelfmark_checkout_id]': res.body.checkoutId,
      'payment_intent_data[metadata][shelfmark_checkout_id]': res.body.checkoutId,
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '125',
      'line_items[0][price_data][product_data][name]': 'Library fines and charges',
      success_url: 'https://library.example.org/account/payments?checkout=done',
      cancel_url: 'https://library.example.org/account/payments?checkout=cancelled',
    });
    // The ledger does not move until Stripe confirms.
    expect(await balanceOf(svc, patron.id)).toBe(125);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/payments/checkouts/${res.body.checkoutId}`)).body).toMatchObject({ status: 'open', amountCents: 125, patronId: patron.id });
  });

  it('a signed webhook records the payment once, however often it is replayed', async () => {
    const patron = await patronOwing(4);
    const started = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    const sessionId = started.body.url.split('/').at(-1);
    const completed = signed(sessionEvent('evt_paid_1', 'checkout.session.completed', {
      id: sessionId, client_reference_id: started.body.checkoutId, metadata: { shelfmark_checkout_id: started.body.checkoutId },
      amount_total: 100, currency: 'usd', payment_status: 'paid', status: 'complete',
    }));
    const first = await deliver(completed);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: 'recorded' });
    const replay = await deliver(completed);
    expect(await replay.json()).toEqual({ received: true, outcome: 'duplicate-event' });
    // Stripe may also send a second event for the same session: still one payment.
    const again = signed(sessionEvent('evt_paid_2', 'checkout.session.async_payment_succeeded', {
      id: sessionId, client_reference_id: started.body.checkoutId, amount_total: 100, currency: 'usd', payment_status: 'paid', status: 'complete',
    }));
    expect(await (await deliver(again)).json()).toEqual({ received: true, outcome: 'already-completed' });

    const payments = (await ledger(patron.id)).filter((e) => e.kind === 'payment');
    expect(payments).toEqual([expect.objectContaining({ amountCents: -100, method: 'online', note: `Stripe Checkout ${sessionId}` })]);
    expect(await balanceOf(svc, patron.id)).toBe(0);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/payments/checkouts/${started.body.checkoutId}`)).body).toMatchObject({ status: 'paid', ledgerEntryId: expect.any(Number) });
  });

  it('refuses a bad signature, a tampered body and a stale timestamp, recording nothing', async () => {
    const patron = await patronOwing(2);
    const started = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    const event = sessionEvent('evt_forged', 'checkout.session.completed', {
      id: started.body.url.split('/').at(-1), client_reference_id: started.body.checkoutId, amount_total: 50, currency: 'usd', payment_status: 'paid',
    });
    const forged = signed(event, { secret: 'whsec_not_ours' });
    expect((await deliver(forged)).status).toBe(400);
    const good = signed(event);
    const tampered = { payload: good.payload.replace('"amount_total":50', '"amount_total":5'), header: good.header };
    const res = await deliver(tampered);
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('invalid-signature');
    const stale = signed(event, { timestamp: Math.floor(svc.clock().getTime() / 1000) - 3600 });
    expect((await deliver(stale)).status).toBe(400);
    expect((await svc.api('POST', '/api/v1/payments/stripe/webhook', { headers: { 'content-type': 'application/json' }, body: good.payload })).status).toBe(400);
    expect(await balanceOf(svc, patron.id)).toBe(50);
    const rows = await svc.deps.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from payment_webhook_events where event_id = 'evt_forged'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('a payment that no longer fits the balance is kept aside as unapplied, not forced into the ledger', async () => {
    const patron = await patronOwing(6);
    const started = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments`, { amountCents: 100, method: 'cash' })).status).toBe(201);
    const res = await deliver(signed(sessionEvent('evt_late', 'checkout.session.completed', {
      id: started.body.url.split('/').at(-1), client_reference_id: started.body.checkoutId, amount_total: 150, currency: 'usd', payment_status: 'paid',
    })));
    expect(await res.json()).toEqual({ received: true, outcome: 'unapplied' });
    expect(await balanceOf(svc, patron.id)).toBe(50);
    expect((await call(svc, staff.librarian, 'GET', `/api/v1/payments/checkouts/${started.body.checkoutId}`)).body).toMatchObject({ status: 'unapplied', note: expect.stringMatching(/^Not recorded/) });
  });

  it('an expired session closes the checkout; other event types are acknowledged and ignored', async () => {
    const patron = await patronOwing(1);
    const started = await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    const expired = await deliver(signed(sessionEvent('evt_expired', 'checkout.session.expired', { id: started.body.url.split('/').at(-1), client_reference_id: started.body.checkoutId, payment_status: 'unpaid' })));
    expect(await expired.json()).toEqual({ received: true, outcome: 'expired' });
    const other = await deliver(signed({ id: 'evt_other', object: 'event', type: 'customer.created', data: { object: { object: 'customer', id: 'cus_1' } } }));
    expect(await other.json()).toEqual({ received: true, outcome: 'ignored' });
    expect(await balanceOf(svc, patron.id)).toBe(25);
  });

  it('checkout: nothing to pay is 409; staff or the patron themself only', async () => {
    const patron = await buildPatron(svc);
    expect((await call(svc, staff.librarian, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {})).body.code).toBe('nothing-to-pay');
    // A patron account not linked to this record: 404, as for a patron that does not exist.
    expect((await call(svc, staff.patronUser, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {})).status).toBe(404);
    expect((await call(svc, null, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {})).status).toBe(401);
  });

  it('a patron signed in to their own account starts a checkout for their own balance', async () => {
    const patron = await patronOwing(3);
    const invitation = await call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${patron.id}/account`);
    expect((await call(svc, null, 'POST', '/api/v1/account/activate', { token: invitation.body.token, password: 'a long enough secret' })).status).toBe(200);
    const own = await tokenFor(svc.api, patron.membershipId, 'a long enough secret');
    const res = await call(svc, own, 'POST', `/api/v1/patrons/${patron.id}/payments/checkout`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ amountCents: 75, currency: 'usd' });
    const someoneElse = await patronOwing(1);
    expect((await call(svc, own, 'POST', `/api/v1/patrons/${someoneElse.id}/payments/checkout`, {})).status).toBe(404);
  });
});

describe('without Stripe configured', () => {
  it('checkout answers 503 payments-unavailable', async () => {
    const plain = await startTestService();
    try {
      const res = await call(plain, plain.adminToken, 'POST', '/api/v1/patrons/M000001H/payments/checkout', {});
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('payments-unavailable');
    } finally {
      await plain.close();
    }
  });
});
