import { z } from 'zod';
import { EVERYONE, SIGNED_IN, STAFF } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { notFound, problem } from '../../http/problem.ts';
import { actorOf } from '../circulation/actor.ts';
import { patronStandingLoader } from '../circulation/patron-standing.ts';
import { patronInScope } from '../patrons/patron-scope.ts';
import { STRIPE_WEBHOOK_PATH } from './raw-body.ts';
import { stripeGatewayFor, stripeWebhookHandler } from './stripe-gateway.ts';

const returnUrl = z.string().url().max(2000).refine((u) => /^https?:/i.test(u), 'an http(s) URL');
const checkoutBody = z.strictObject({ successUrl: returnUrl.optional(), cancelUrl: returnUrl.optional() });

// A librarian starts a checkout for a patron at the desk or by phone; a patron signed in to an account
// linked to their record starts one for themself from the site's account page (anyone else's: 404).
export function paymentsRoutes() {
  return [
    route({
      method: 'post', path: '/api/v1/patrons/:id/payments/checkout', tag: 'payments', allow: SIGNED_IN, body: checkoutBody,
      summary: 'Start paying the patron\'s whole outstanding balance on Stripe Checkout: { url } to send the payer to',
      responses: { 201: '{ url, checkoutId, amountCents, currency }', 409: 'nothing-to-pay', 502: 'payment-provider-error', 503: 'payments-unavailable' },
      handler: async (ctx, { params, body }) => {
        const gateway = stripeGatewayFor(ctx.deps);
        const patron = await patronInScope(ctx.state.em, ctx.state.user, params.id!);
        const { balanceCents } = await patronStandingLoader(ctx.state.em, patron.id, ctx.deps.clock());
        if (balanceCents <= 0) throw problem(409, 'nothing-to-pay', 'Nothing to pay', 'The patron owes nothing.');
        // Koa 3's ctx.origin is the request's Origin header (absent from scripts and the site's in-process
        // calls); the address the client used is protocol and host (X-Forwarded-* under TRUST_PROXY).
        const base = (ctx.deps.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
        const outcome = await gateway.collect(ctx.deps, ctx.state.em, {
          patronId: patron.id, amountCents: balanceCents, actor: actorOf(ctx.state.user),
          successUrl: body.successUrl ?? `${base}/account/payments?checkout=done`, cancelUrl: body.cancelUrl ?? `${base}/account/payments?checkout=cancelled`,
        });
        if (outcome.status !== 'pending') throw new Error('Stripe Checkout always ends on the provider\'s page');
        ctx.status = 201;
        ctx.body = { url: outcome.url, checkoutId: outcome.checkoutId, amountCents: outcome.amountCents, currency: outcome.currency };
      },
    }),
    route({
      method: 'get', path: '/api/v1/payments/checkouts/:id', tag: 'payments', allow: STAFF, summary: 'An online checkout and what became of it',
      handler: async (ctx, { params }) => {
        const rows = /^[0-9a-f-]{36}$/i.test(params.id!)
          ? await ctx.state.em.execute<Array<Record<string, unknown>>>(
            `select id, patron_id as "patronId", provider, amount_cents as "amountCents", currency, status, note, ledger_entry_id as "ledgerEntryId",
                    to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
                    to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "completedAt"
               from payment_checkouts where id = ?`, [params.id])
          : [];
        if (!rows[0]) throw notFound('Checkout', params.id);
        ctx.body = { ...rows[0], ledgerEntryId: rows[0].ledgerEntryId === null ? null : Number(rows[0].ledgerEntryId) };
      },
    }),
    route({
      method: 'post', path: STRIPE_WEBHOOK_PATH, tag: 'payments', allow: EVERYONE,
      summary: 'Stripe webhook (signed; verified with the SDK over the raw body; replays change nothing)',
      responses: { 200: '{ received: true, outcome }', 400: 'invalid-signature' },
      handler: async (ctx) => {
        const r = await stripeWebhookHandler(ctx.deps, (ctx.request as { rawBody?: Buffer }).rawBody, ctx.get('stripe-signature') || undefined);
        ctx.body = { received: true, outcome: r.outcome };
      },
    }),
  ];
}
