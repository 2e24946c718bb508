import { z } from 'zod';
import { EVERYONE } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { ACCESS_LEVELS } from '../files/file.entity.ts';
import { recordListQuery } from '../catalog/catalog.schema.ts';
import { recordSearcher, recordSuggester } from './search.service.ts';

const searchQuery = recordListQuery.extend({ access: z.enum(ACCESS_LEVELS).optional() });
const suggestQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(10).default(10),
});

// Registered before the catalogue's `/api/v1/records/:id`, which would otherwise take "suggest" for an id.
export function searchRoutes() {
  return [
    route({
      method: 'get', path: '/api/v1/records', tag: 'records', allow: EVERYONE, query: searchQuery,
      summary: 'Search and list records with facets (keyword, fielded, whole words; restricted holdings only for those who may open them)',
      handler: async (ctx, { query }) => {
        ctx.body = await recordSearcher(ctx.deps, query, ctx.state.user);
      },
    }),
    route({
      method: 'get', path: '/api/v1/records/suggest', tag: 'records', allow: EVERYONE, query: suggestQuery,
      summary: 'Up to 10 { id, title } for search as you type (prefix of the last word, typo tolerant)',
      handler: async (ctx, { query }) => {
        ctx.body = await recordSuggester(ctx.deps, query.q, query.limit, ctx.state.user);
      },
    }),
  ];
}
