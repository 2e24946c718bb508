import { z } from 'zod';
import { STAFF } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { actorOf } from '../circulation/actor.ts';
import { patronLoader } from './patron.repository.ts';
import { patronCreate, patronListQuery, patronPatch } from './patrons.schema.ts';
import { patronCreator, patronDeleter, patronLister, patronPresenter, patronUpdater } from './patrons.service.ts';

const deletion = z.object({ reason: z.string().trim().max(500).optional() }).strict();

// Staff only for now; the identity issue adds patron self-service (a user linked to a patron record).
// `:id` takes the patron's id or membership id.
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
      method: 'get', path: '/api/v1/patrons/:id', tag: 'patrons', summary: 'A patron (limits shown to supervisors only)', allow: STAFF,
      handler: async (ctx, { params }) => {
        ctx.body = await patronPresenter(ctx.deps, ctx.state.em, await patronLoader(ctx.state.em, params.id!), ctx.state.user?.roles ?? []);
      },
    }),
    route({
      method: 'patch', path: '/api/v1/patrons/:id', tag: 'patrons', summary: 'Update a patron (membership id and limits are fixed)', allow: STAFF, body: patronPatch,
      responses: { 200: 'Updated', 409: 'patron-field-fixed' },
      handler: async (ctx, { body, params }) => {
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
  ];
}
