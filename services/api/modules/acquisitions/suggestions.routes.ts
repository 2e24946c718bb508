import { SIGNED_IN, STAFF } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { unauthorized } from '../../http/problem.ts';
import type { ApiContext, AuthUser } from '../../app-context.ts';
import { suggestionAccept, suggestionCreate, suggestionDecline, suggestionListQuery } from './suggestions.schema.ts';
import { presentSuggestion, suggestionAccepter, suggestionCreator, suggestionDecliner, suggestionLister, suggestionLoader } from './suggestions.service.ts';

const signedIn = (ctx: ApiContext): AuthUser => {
  if (!ctx.state.user) throw unauthorized();
  return ctx.state.user;
};

// Any signed-in reader suggests titles and sees their own; librarians and up see all and decide.
export function suggestionsRoutes() {
  return [
    route({
      method: 'post', path: '/api/v1/suggestions', tag: 'suggestions', allow: SIGNED_IN, body: suggestionCreate,
      summary: 'Suggest a title for the library to buy', responses: { 201: 'The suggestion (pending)', 422: 'invalid-isbn', 429: 'too-many-suggestions' },
      handler: async (ctx, { body }) => {
        const user = signedIn(ctx);
        const s = await suggestionCreator(ctx.deps, ctx.state.em, body, user);
        ctx.status = 201;
        ctx.set('Location', `/api/v1/suggestions/${s.id}`);
        ctx.body = presentSuggestion(s, user);
      },
    }),
    route({
      method: 'get', path: '/api/v1/suggestions', tag: 'suggestions', allow: SIGNED_IN, query: suggestionListQuery,
      summary: 'Suggestions (staff: everyone\'s; readers: their own), filter by status; pending ones oldest first',
      handler: async (ctx, { query }) => { ctx.body = await suggestionLister(ctx.state.em, query, signedIn(ctx)); },
    }),
    route({
      method: 'get', path: '/api/v1/suggestions/:id', tag: 'suggestions', allow: SIGNED_IN, summary: 'One suggestion',
      handler: async (ctx, { params }) => {
        const user = signedIn(ctx);
        ctx.body = presentSuggestion(await suggestionLoader(ctx.state.em, params.id!, user), user);
      },
    }),
    route({
      method: 'post', path: '/api/v1/suggestions/:id/accept', tag: 'suggestions', allow: STAFF, body: suggestionAccept,
      summary: 'Accept: the title becomes a record (or joins the record with the same ISBN) with one on-order copy',
      responses: { 200: '{ suggestion, record, item, existingRecord }', 409: 'suggestion-decided' },
      handler: async (ctx, { params, body }) => { ctx.body = await suggestionAccepter(ctx.deps, ctx.state.em, params.id!, body, signedIn(ctx)); },
    }),
    route({
      method: 'post', path: '/api/v1/suggestions/:id/decline', tag: 'suggestions', allow: STAFF, body: suggestionDecline,
      summary: 'Decline, with an optional reason the reader sees', responses: { 200: 'The suggestion', 409: 'suggestion-decided' },
      handler: async (ctx, { params, body }) => { ctx.body = await suggestionDecliner(ctx.deps, ctx.state.em, params.id!, body.reason, signedIn(ctx)); },
    }),
  ];
}
