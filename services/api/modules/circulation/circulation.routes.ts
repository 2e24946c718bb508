import { z } from 'zod';
import { EVERYONE, SIGNED_IN, STAFF, SUPERVISORS } from '../../http/roles.ts';
import { actingForSelf, ownedOrNotFound, patronInScope } from '../patrons/patron-scope.ts';
import { route } from '../../http/route.ts';
import { patronLoader } from '../patrons/patron.repository.ts';
import { actorOf } from './actor.ts';
import { presentHolds, presentLedgerEntry, presentLoan, presentLoans } from './circulation.presenters.ts';
import { checkoutBody, copyLoansQuery, holdBody, ledgerQuery, patronHoldsQuery, patronLoansQuery, paymentBody, renewBody, returnBody } from './circulation.schema.ts';
import { copySummariesLoader } from './copy-store.ts';
import { holdCanceller, holdLoader, holdPlacer, patronHoldsLister } from './holds.service.ts';
import { ledgerLister, paymentRecorder } from './ledger.service.ts';
import { copyLoansLister, loanCreator, loanLoader, loanRenewer, loanReturner, patronLoansLister } from './loans.service.ts';
import { patronStandingLoader } from './patron-standing.ts';
import { policyInForceLoader, policyPutBody, policyReplacer, policyVersionLoader, policyVersionsLister, presentPolicy } from './policy-store.ts';

const REFUSALS = '409: a circulation refusal with its code (see docs/circulation.md)';

// Desk operations are staff only. Patrons signed in with an account linked to their record may read
// their own loans, holds and ledger, place and cancel their own holds and renew their own loans.
export function circulationRoutes() {
  return [
    route({
      method: 'post', path: '/api/v1/loans', tag: 'circulation', summary: 'Check out a copy to a patron', allow: STAFF, body: checkoutBody,
      responses: { 201: 'Lent: { id, dueAt, ... }', 404: 'No such copy or patron', 409: REFUSALS },
      handler: async (ctx, { body }) => {
        const { loan, overridden, copy } = await loanCreator(ctx.deps, ctx.state.em, body, actorOf(ctx.state.user));
        ctx.status = 201;
        ctx.set('Location', `/api/v1/loans/${loan.id}`);
        ctx.body = { ...presentLoan(loan, copy, ctx.deps.clock()), overridden };
      },
    }),
    route({
      method: 'get', path: '/api/v1/loans', tag: 'circulation', summary: 'The loans of one copy, by itemId, callNumber or accessionNumber (open by default): a desk return starts from the book in hand', allow: STAFF, query: copyLoansQuery,
      responses: { 200: '{ items: [loan] }', 404: 'No such copy' },
      handler: async (ctx, { query }) => {
        const loans = await copyLoansLister(ctx.state.em, query, query.status);
        ctx.body = { items: await presentLoans(ctx.state.em, loans, ctx.deps.clock()) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/loans/:id', tag: 'circulation', summary: 'A loan (patrons: their own)', allow: SIGNED_IN,
      handler: async (ctx, { params }) => {
        const loan = await loanLoader(ctx.state.em, params.id!);
        ownedOrNotFound(ctx.state.user, loan.patron?.id, 'Loan', params.id!);
        ctx.body = (await presentLoans(ctx.state.em, [loan], ctx.deps.clock()))[0];
      },
    }),
    route({
      method: 'post', path: '/api/v1/loans/:id/return', tag: 'circulation', summary: 'Return a copy (returnedAt back-dates a book-drop return)', allow: STAFF, body: returnBody,
      responses: { 200: '{ fineCents, ... }', 409: 'loan-already-returned' },
      handler: async (ctx, { body, params }) => {
        const r = await loanReturner(ctx.deps, ctx.state.em, params.id!, body, actorOf(ctx.state.user));
        ctx.body = {
          id: r.loan.id, fineCents: r.fineCents, returnedAt: r.loan.returnedAt!.toISOString(), itemStatus: r.itemStatus,
          readyHold: r.readyHold ? { id: r.readyHold.id, patronId: r.readyHold.patron?.id ?? null, readyUntil: r.readyHold.readyUntil!.toISOString() } : null,
        };
      },
    }),
    route({
      method: 'post', path: '/api/v1/loans/:id/renew', tag: 'circulation', summary: 'Renew a loan: return and borrow again in one transaction (patrons: their own)', allow: SIGNED_IN, body: renewBody,
      responses: { 200: 'The new loan: { id, dueAt, renewedFromId, fineCents, ... }', 409: REFUSALS },
      handler: async (ctx, { body, params }) => {
        ownedOrNotFound(ctx.state.user, (await loanLoader(ctx.state.em, params.id!)).patron?.id, 'Loan', params.id!);
        const r = await loanRenewer(ctx.deps, ctx.state.em, params.id!, body, actorOf(ctx.state.user));
        const copy = (await copySummariesLoader(ctx.state.em, [r.loan.itemId])).get(r.loan.itemId);
        ctx.body = { ...presentLoan(r.loan, copy, ctx.deps.clock()), fineCents: r.fineCents, overridden: r.overridden };
      },
    }),
    route({
      method: 'post', path: '/api/v1/holds', tag: 'circulation', summary: 'Place a hold on a copy for a patron (patrons: for themselves)', allow: SIGNED_IN, body: holdBody,
      responses: { 201: 'The hold (status waiting, or ready when the copy was on the shelf)', 409: REFUSALS },
      handler: async (ctx, { body }) => {
        await actingForSelf(ctx.state.em, ctx.state.user, body.patronId);
        const hold = await holdPlacer(ctx.deps, ctx.state.em, body, actorOf(ctx.state.user));
        ctx.status = 201;
        ctx.set('Location', `/api/v1/holds/${hold.id}`);
        ctx.body = (await presentHolds(ctx.state.em, [hold]))[0];
      },
    }),
    route({
      method: 'get', path: '/api/v1/holds/:id', tag: 'circulation', summary: 'A hold (patrons: their own)', allow: SIGNED_IN,
      handler: async (ctx, { params }) => {
        const hold = await holdLoader(ctx.state.em, params.id!);
        ownedOrNotFound(ctx.state.user, hold.patron?.id, 'Hold', params.id!);
        ctx.body = (await presentHolds(ctx.state.em, [hold]))[0];
      },
    }),
    route({
      method: 'delete', path: '/api/v1/holds/:id', tag: 'circulation', summary: 'Cancel a hold (free before the pickup window ends; patrons: their own)', allow: SIGNED_IN,
      responses: { 204: 'Cancelled', 409: 'hold-not-active' },
      handler: async (ctx, { params }) => {
        ownedOrNotFound(ctx.state.user, (await holdLoader(ctx.state.em, params.id!)).patron?.id, 'Hold', params.id!);
        await holdCanceller(ctx.deps, ctx.state.em, params.id!, actorOf(ctx.state.user));
        ctx.status = 204;
      },
    }),
    route({
      method: 'post', path: '/api/v1/patrons/:id/payments', tag: 'circulation', summary: 'Record a payment against the patron\'s fines', allow: STAFF, body: paymentBody,
      responses: { 201: '{ id, amountCents, method, balanceCents }', 409: 'payment-amount-invalid' },
      handler: async (ctx, { body, params }) => {
        const patron = await patronLoader(ctx.state.em, params.id!);
        const { entry, balanceCents } = await paymentRecorder(ctx.deps, ctx.state.em, patron.id, body, actorOf(ctx.state.user));
        ctx.status = 201;
        ctx.body = { ...presentLedgerEntry(entry), amountCents: body.amountCents, patronId: patron.id, balanceCents };
      },
    }),
    route({
      method: 'get', path: '/api/v1/patrons/:id/loans', tag: 'patrons', summary: 'The patron\'s loans (open by default; patrons: their own)', allow: SIGNED_IN, query: patronLoansQuery,
      handler: async (ctx, { params, query }) => {
        const patron = await patronInScope(ctx.state.em, ctx.state.user, params.id!);
        const loans = await patronLoansLister(ctx.state.em, patron.id, query.status);
        ctx.body = { items: await presentLoans(ctx.state.em, loans, ctx.deps.clock()) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/patrons/:id/holds', tag: 'patrons', summary: 'The patron\'s holds (active by default; patrons: their own)', allow: SIGNED_IN, query: patronHoldsQuery,
      handler: async (ctx, { params, query }) => {
        const patron = await patronInScope(ctx.state.em, ctx.state.user, params.id!);
        ctx.body = { items: await presentHolds(ctx.state.em, await patronHoldsLister(ctx.state.em, patron.id, query.status)) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/patrons/:id/ledger', tag: 'patrons', summary: 'The patron\'s fines, charges and payments, newest first, with the balance (patrons: their own)', allow: SIGNED_IN, query: ledgerQuery,
      handler: async (ctx, { params, query }) => {
        const patron = await patronInScope(ctx.state.em, ctx.state.user, params.id!);
        const { balanceCents } = await patronStandingLoader(ctx.state.em, patron.id, ctx.deps.clock());
        const { entries, total } = await ledgerLister(ctx.state.em, patron.id, query.page, query.pageSize);
        ctx.body = { patronId: patron.id, balanceCents, total, page: query.page, pageSize: query.pageSize, items: entries.map(presentLedgerEntry) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/policy', tag: 'policy', summary: 'The circulation policy in force, with its version', allow: EVERYONE,
      handler: async (ctx) => {
        const current = await policyInForceLoader(ctx.state.em);
        ctx.set('ETag', `"policy-${current.version}"`);
        ctx.body = presentPolicy(current);
      },
    }),
    route({
      method: 'put', path: '/api/v1/policy', tag: 'policy', summary: 'Replace the circulation policy: a whole document or { preset: "standard" | "als" }', allow: SUPERVISORS, body: policyPutBody,
      responses: { 200: 'The new version in force', 409: 'policy-version-conflict', 422: 'validation-failed' },
      handler: async (ctx, { body }) => {
        const stored = await policyReplacer(ctx.deps, ctx.state.em, body as Record<string, unknown>, actorOf(ctx.state.user));
        ctx.set('ETag', `"policy-${stored.version}"`);
        ctx.body = presentPolicy(stored);
      },
    }),
    route({
      method: 'get', path: '/api/v1/policy/versions', tag: 'policy', summary: 'Every version of the policy, newest first, with who and when', allow: STAFF,
      handler: async (ctx) => { ctx.body = await policyVersionsLister(ctx.state.em); },
    }),
    route({
      method: 'get', path: '/api/v1/policy/versions/:version', tag: 'policy', summary: 'One version of the policy', allow: STAFF,
      handler: async (ctx, { params }) => {
        const version = z.coerce.number().int().min(0).max(2_147_483_647).safeParse(params.version);
        ctx.body = presentPolicy(await policyVersionLoader(ctx.state.em, version.success ? version.data : -1));
      },
    }),
  ];
}
