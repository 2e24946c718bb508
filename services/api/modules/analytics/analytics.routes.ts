import type { ApiContext } from '../../app-context.ts';
import { SUPERVISORS } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { circulationQuery, failedSearchesQuery, summaryQuery, sushiQuery, timeseriesQuery } from './analytics.schema.ts';
import { circulationBreakdownLoader, failedSearchesLoader, summaryLoader, timeseriesLoader, type FailedSearches, type Summary } from './analytics.service.ts';
import { toCsv } from './csv.ts';
import { utcDay } from './session-hash.ts';
import { itemReport, PLATFORM, supportedReports, titleReport } from './sushi.ts';

/** A CSV answer (RFC 4180, see csv.ts), offered as a download. */
export function csvReply(ctx: ApiContext, filename: string, body: string): void {
  ctx.type = 'text/csv; charset=utf-8; header=present';
  ctx.set('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  ctx.body = body;
}

function summaryCsv(s: Summary, bom: boolean): string {
  type Row = { metric: string; value: number; recordId?: string; title?: string | null };
  const rows: Row[] = [
    ...(['views', 'downloads', 'streams', 'searches', 'searchesWithNoResults', 'loans', 'returns', 'renewals', 'holds', 'payments', 'paymentsCents', 'robotEventsExcluded'] as const)
      .map((k) => ({ metric: k, value: s[k] })),
    ...Object.entries(s.counter).map(([k, v]) => ({ metric: `counter.${k}`, value: v })),
    ...s.topRecords.map((t) => ({ metric: 'topRecord.investigations', value: t.investigations, recordId: t.recordId, title: t.title })),
  ];
  return toCsv<Row>([
    { header: 'metric', value: (r) => r.metric },
    { header: 'value', value: (r) => r.value },
    { header: 'recordId', value: (r) => r.recordId },
    { header: 'title', value: (r) => r.title },
  ], rows, { bom });
}

// Usage figures are for supervisors and admins: they show what the library's readers do, in bulk.
export function analyticsRoutes() {
  return [
    route({
      method: 'get', path: '/api/v1/analytics/summary', tag: 'analytics', allow: SUPERVISORS, query: summaryQuery,
      summary: 'Usage and circulation totals for a range of UTC days (COUNTER R5 counting), with the most used records; format=csv',
      handler: async (ctx, { query }) => {
        const s = await summaryLoader(ctx.state.em, query, utcDay(ctx.deps.clock()));
        if (query.format === 'csv') return csvReply(ctx, `summary-${s.from}-${s.to}.csv`, summaryCsv(s, Boolean(query.bom)));
        ctx.body = s;
      },
    }),
    route({
      method: 'get', path: '/api/v1/analytics/timeseries', tag: 'analytics', allow: SUPERVISORS, query: timeseriesQuery,
      summary: 'One metric per day, week (from Monday) or month, zeros included; format=csv',
      handler: async (ctx, { query }) => {
        const t = await timeseriesLoader(ctx.state.em, query, utcDay(ctx.deps.clock()));
        if (query.format === 'csv') {
          return csvReply(ctx, `${t.metric}-${t.interval}-${t.from}-${t.to}.csv`, toCsv([
            { header: 'period', value: (p: { period: string; value: number }) => p.period },
            { header: t.metric, value: (p) => p.value },
          ], t.points, { bom: Boolean(query.bom) }));
        }
        ctx.body = t;
      },
    }),
    route({
      method: 'get', path: '/api/v1/analytics/circulation', tag: 'analytics', allow: SUPERVISORS, query: circulationQuery,
      summary: 'Loans, returns and renewals for a range of UTC days by branch (copy location) and by loan category; format=csv',
      handler: async (ctx, { query }) => {
        const c = await circulationBreakdownLoader(ctx.state.em, query, utcDay(ctx.deps.clock()));
        if (query.format === 'csv') {
          type Row = { dimension: string; value: string; loans: number; returns: number; renewals: number };
          const rows: Row[] = [
            ...c.byLocation.map((x) => ({ dimension: 'location', value: x.location, loans: x.loans, returns: x.returns, renewals: x.renewals })),
            ...c.byLoanCategory.map((x) => ({ dimension: 'loanCategory', value: x.loanCategory, loans: x.loans, returns: x.returns, renewals: x.renewals })),
          ];
          return csvReply(ctx, `circulation-${c.from}-${c.to}.csv`, toCsv<Row>([
            { header: 'dimension', value: (r) => r.dimension }, { header: 'value', value: (r) => r.value },
            { header: 'loans', value: (r) => r.loans }, { header: 'returns', value: (r) => r.returns }, { header: 'renewals', value: (r) => r.renewals },
          ], rows, { bom: Boolean(query.bom) }));
        }
        ctx.body = c;
      },
    }),
    route({
      method: 'get', path: '/api/v1/analytics/searches-without-results', tag: 'analytics', allow: SUPERVISORS, query: failedSearchesQuery,
      summary: 'The keyword searches that found nothing in a range of UTC days, most frequent first (case folded); format=csv',
      handler: async (ctx, { query }) => {
        const f = await failedSearchesLoader(ctx.state.em, query, utcDay(ctx.deps.clock()));
        if (query.format === 'csv') {
          type Row = FailedSearches['items'][number];
          return csvReply(ctx, `searches-without-results-${f.from}-${f.to}.csv`, toCsv<Row>([
            { header: 'query', value: (r) => r.query }, { header: 'searches', value: (r) => r.searches }, { header: 'lastSearchedAt', value: (r) => r.lastSearchedAt },
          ], f.items, { bom: Boolean(query.bom) }));
        }
        ctx.body = f;
      },
    }),
    route({
      method: 'get', path: '/api/v1/sushi/status', tag: 'sushi', allow: SUPERVISORS, summary: 'COUNTER_SUSHI service status',
      handler: (ctx) => { ctx.body = [{ Description: `${PLATFORM} COUNTER_SUSHI 5 service`, Service_Active: true, Registry_Record: '', Alerts: [] }]; },
    }),
    route({
      method: 'get', path: '/api/v1/sushi/reports', tag: 'sushi', allow: SUPERVISORS, summary: 'The COUNTER reports this service offers',
      handler: (ctx) => { ctx.body = supportedReports(); },
    }),
    route({
      method: 'get', path: '/api/v1/sushi/reports/ir', tag: 'sushi', allow: SUPERVISORS, query: sushiQuery,
      summary: 'COUNTER R5 Item Report (JSON, COUNTER_SUSHI 5): begin_date, end_date (yyyy-mm or yyyy-mm-dd), metric_type',
      responses: { 200: 'Report_Header and Report_Items', 400: 'A SUSHI exception (Code 1030, 3020, 3060)' },
      handler: async (ctx, { query }) => { ctx.body = await itemReport(ctx.state.em, query, ctx.deps.clock()); },
    }),
    route({
      method: 'get', path: '/api/v1/sushi/reports/tr', tag: 'sushi', allow: SUPERVISORS, query: sushiQuery,
      summary: 'COUNTER R5 Title Report (JSON, COUNTER_SUSHI 5): begin_date, end_date (yyyy-mm or yyyy-mm-dd), metric_type',
      responses: { 200: 'Report_Header and Report_Items', 400: 'A SUSHI exception (Code 1030, 3020, 3060)' },
      handler: async (ctx, { query }) => { ctx.body = await titleReport(ctx.state.em, query, ctx.deps.clock()); },
    }),
  ];
}
