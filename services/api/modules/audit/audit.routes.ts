import { z } from 'zod';
import { SUPERVISORS } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { auditLister } from './audit.service.ts';

const auditQuery = z.object({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(60).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export function auditRoutes() {
  return [
    route({
      method: 'get', path: '/api/v1/audit', tag: 'audit', summary: 'Audit log of staff actions (who, what, when, before/after)', allow: SUPERVISORS, query: auditQuery,
      handler: async (ctx, { query }) => {
        ctx.body = await auditLister(ctx.state.em, { ...query, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined });
      },
    }),
  ];
}
