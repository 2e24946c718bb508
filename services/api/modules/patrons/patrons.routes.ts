import { z } from 'zod';
import { EVERYONE, SIGNED_IN, STAFF, isStaff } from '../../http/roles.ts';
import { forbidden } from '../../http/problem.ts';
import { patronInScope } from './patron-scope.ts';
import { accountActivator, MIN_PASSWORD_LENGTH, passwordChanger, patronAccountInviter } from '../auth/patron-accounts.service.ts';
import { route } from '../../http/route.ts';
import { actorOf } from '../circulation/actor.ts';
import { patronCreate, patronListQuery, patronPatch } from './patrons.schema.ts';
import { patronCreator, patronDeleter, patronLister, patronPresenter, patronUpdater } from './patrons.service.ts';

const deletion = z.object({ reason: z.string().trim().max(500).optional() }).strict();

// Staff manage every patron; a patron whose account is linked to their record reads it and edits the
// fields seed 003 lets members change (name, faculty, phone, email; and address). `:id` takes the
// patron's id or membership id.
export function patronsRoutes() {
  return [
    route({
      method: 'post', path: '/api/v1/patrons', tag: 'patrons', summary: 'Create a patron; the membership id is assigned', allow: STAFF, body: patronCreate,
      responses: { 201: 'Created, with id and membershipId', 403: 'Own limits are for supervisors', 422: 'validation-failed or unknown-patron-category' },
      handler: async (ctx, { body }) => {
        const patron = await patronCreator(ctx.deps, ctx.state.em, body, actorOf(ctx.state.user));
        ctx.status = 201;
        ctx.set('Location', `/api/v1/patrons/${patron.id}`);
        ctx.body = await patronPresenter(ctx.deps, ctx.state.em, patron, ctx.state.user?.roles ?? []);
      },
    }),
    route({
      method: 'get', path: '/api/v1/patrons', tag: 'patrons', summary: 'Search patrons by name, phone, address, membership id; filter by loans, overdue loans, fines', allow: STAFF, query: patronListQuery,
      handler: async (ctx, { query }) => {
        ctx.body = await patronLister(ctx.deps, ctx.state.em, query, ctx.state.user?.roles ?? []);
      },
    }),
    route({
      method: 'get', path: '/api/v1/patrons/:id', tag: 'patrons', summary: 'A patron (limits shown to supervisors only; patrons: their own)', allow: SIGNED_IN,
      handler: async (ctx, { params }) => {
        ctx.body = await patronPresenter(ctx.deps, ctx.state.em, await patronInScope(ctx.state.em, ctx.state.user, params.id!), ctx.state.user?.roles ?? []);
      },
    }),
    route({
      method: 'patch', path: '/api/v1/patrons/:id', tag: 'patrons', summary: 'Update a patron (membership id and limits are fixed; patrons: their own contact details)', allow: SIGNED_IN, body: patronPatch,
      responses: { 200: 'Updated', 409: 'patron-field-fixed' },
      handler: async (ctx, { body, params }) => {
        await patronInScope(ctx.state.em, ctx.state.user, params.id!);
        if (!isStaff(ctx.state.user!.roles) && (body.restricted !== undefined || body.category !== undefined)) {
          throw forbidden('Members change their name, faculty and contact details; the library sets the rest.');
        }
        const patron = await patronUpdater(ctx.deps, ctx.state.em, params.id!, body, actorOf(ctx.state.user));
        ctx.body = await patronPresenter(ctx.deps, ctx.state.em, patron, ctx.state.user?.roles ?? []);
      },
    }),
    route({
      method: 'delete', path: '/api/v1/patrons/:id', tag: 'patrons', summary: 'Delete a membership (refused while loans or fines remain; cancels holds)', allow: STAFF,
      responses: { 204: 'Deleted', 409: 'patron-has-loans or fines-outstanding' },
      handler: async (ctx, { params }) => {
        const body = deletion.safeParse((ctx.request as { body?: unknown }).body ?? {});
        await patronDeleter(ctx.deps, ctx.state.em, params.id!, actorOf(ctx.state.user), body.success ? body.data.reason : undefined);
        ctx.status = 204;
      },
    }),
    route({
      method: 'post', path: '/api/v1/patrons/:id/account', tag: 'patrons', summary: 'Give a patron an account: returns a one-time link (valid 7 days) to set the password', allow: STAFF,
      responses: { 201: '{ username, membershipId, token, activationPath, expiresAt }' },
      handler: async (ctx, { params }) => {
        const invitation = await patronAccountInviter(ctx.deps, ctx.state.em, params.id!, ctx.state.user?.id ?? null);
        ctx.state.audit = { entityType: 'patron', after: { username: invitation.username, expiresAt: invitation.expiresAt } };
        ctx.status = 201;
        ctx.body = invitation;
      },
    }),
    route({
      method: 'post', path: '/api/v1/account/activate', tag: 'sessions', summary: 'Set the password of an account with a one-time link', allow: EVERYONE, audit: false,
      body: z.object({ token: z.string().min(10).max(200), password: z.string().min(MIN_PASSWORD_LENGTH).max(1000) }),
      responses: { 200: '{ username }', 410: 'invitation-invalid' },
      handler: async (ctx, { body }) => {
        ctx.body = await accountActivator(ctx.deps, ctx.state.em, body.token, body.password);
      },
    }),
    route({
      method: 'post', path: '/api/v1/me/password', tag: 'sessions', summary: 'Change one\'s own password', allow: SIGNED_IN, audit: false,
      body: z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1000) }),
      responses: { 204: 'Changed', 401: 'Wrong current password' },
      handler: async (ctx, { body }) => {
        await passwordChanger(ctx.state.em, ctx.state.user!.id, body.currentPassword, body.newPassword);
        ctx.status = 204;
      },
    }),
  ];
}
