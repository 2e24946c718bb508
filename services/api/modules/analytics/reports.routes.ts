import { z } from 'zod';
import { STAFF } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { notFound } from '../../http/problem.ts';
import { csvReply } from './analytics.routes.ts';
import { toCsv } from './csv.ts';
import { parseSort, REPORT_NAMES, REPORTS, shapeRows, visibleColumns, type ReportName, type ReportRow } from './reports.service.ts';

/** JSON pages default to 50 rows (at most 500); a CSV without page/pageSize holds every row (up to 100,000). */
const MAX_CSV_ROWS = 100_000;

const reportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  sort: z.string().max(40).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
  bom: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  membershipId: z.string().trim().min(1).max(64).optional(),
  subject: z.string().trim().min(1).max(255).optional(),
});

export function reportsRoutes() {
  return [
    route({
      method: 'get', path: '/api/v1/reports', tag: 'reports', allow: STAFF, summary: 'The reports available, with their columns and sort keys',
      handler: (ctx) => {
        const roles = ctx.state.user?.roles ?? [];
        ctx.body = { items: REPORT_NAMES.map((name) => ({ name, title: REPORTS[name].title, columns: visibleColumns(REPORTS[name], roles), sorts: Object.keys(REPORTS[name].sorts), defaultSort: REPORTS[name].defaultSort })) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/reports/:name', tag: 'reports', allow: STAFF, query: reportQuery,
      summary: `A report (${REPORT_NAMES.join(', ')}) as JSON or CSV (RFC 4180), sorted (sort=key or -key) and paged; supervisor-only columns hidden from others`,
      responses: { 200: '{ name, title, total, page, pageSize, sort, columns, items } or text/csv', 404: 'Unknown report', 422: 'validation-failed (sort, membershipId)' },
      handler: async (ctx, { params, query }) => {
        const name = params.name as ReportName;
        if (!(REPORT_NAMES as readonly string[]).includes(name)) throw notFound('Report', params.name);
        const def = REPORTS[name];
        const roles = ctx.state.user?.roles ?? [];
        const sort = parseSort(def, query.sort);
        const everything = query.format === 'csv' && query.page === undefined && query.pageSize === undefined;
        const pageSize = everything ? MAX_CSV_ROWS : query.pageSize ?? 50;
        const page = everything ? 1 : query.page ?? 1;
        const result = await def.load(ctx.deps, ctx.state.em, {
          sort, limit: pageSize, offset: (page - 1) * pageSize, params: { membershipId: query.membershipId, subject: query.subject }, viewerRoles: roles,
        });
        const columns = visibleColumns(def, roles);
        const items = shapeRows(result.rows, columns);
        if (query.format === 'csv') {
          return csvReply(ctx, `${name}.csv`, toCsv(columns.map((c) => ({ header: c.header, value: (r: ReportRow) => r[c.key] as never })), items, { bom: Boolean(query.bom) }));
        }
        ctx.body = {
          name, title: def.title, total: result.total, page, pageSize, sort: `${sort.desc ? '-' : ''}${sort.key}`,
          ...result.context, columns: columns.map(({ key, header }) => ({ key, header })), items,
        };
      },
    }),
  ];
}
