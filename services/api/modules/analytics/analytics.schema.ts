import { z } from 'zod';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const format = z.enum(['json', 'csv']).default('json');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional();

/** `from` and `to` are UTC days, both included; by default the 30 days up to today. */
export const summaryQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  top: z.coerce.number().int().min(1).max(100).default(10),
  format,
  bom: flag,
});
export type SummaryQuery = z.infer<typeof summaryQuery>;

/** Circulation by branch and loan category: the same range rules as the summary. */
export const circulationQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  format,
  bom: flag,
});

/** The searches that found nothing: the most frequent `top` of the range. */
export const failedSearchesQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  top: z.coerce.number().int().min(1).max(500).default(20),
  format,
  bom: flag,
});

export const TIMESERIES_METRICS = [
  'views', 'downloads', 'streams', 'requests', 'uniqueViews', 'uniqueRequests', 'titleInvestigations', 'uniqueTitleInvestigations',
  'titleRequests', 'uniqueTitleRequests', 'searches', 'searchesWithNoResults', 'loans', 'returns', 'renewals', 'holds', 'payments',
  'paymentsCents', 'robotEvents',
] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];

export const timeseriesQuery = z.object({
  metric: z.enum(TIMESERIES_METRICS),
  from: isoDay.optional(),
  to: isoDay.optional(),
  interval: z.enum(['day', 'week', 'month']).default('day'),
  format,
  bom: flag,
});
export type TimeseriesQuery = z.infer<typeof timeseriesQuery>;

/** SUSHI dates: yyyy-mm or yyyy-mm-dd; COUNTER reports whole months. */
const sushiDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'yyyy-mm or yyyy-mm-dd');

export const SUSHI_METRIC_TYPES = [
  'Total_Item_Investigations', 'Total_Item_Requests', 'Unique_Item_Investigations', 'Unique_Item_Requests',
  'Unique_Title_Investigations', 'Unique_Title_Requests',
] as const;
export type SushiMetricType = (typeof SUSHI_METRIC_TYPES)[number];

export const sushiQuery = z.object({
  begin_date: sushiDate.optional(),
  end_date: sushiDate.optional(),
  customer_id: z.string().max(100).optional(),
  requestor_id: z.string().max(100).optional(),
  platform: z.string().max(100).optional(),
  /** Pipe-separated, e.g. Total_Item_Requests|Unique_Item_Requests. */
  metric_type: z.string().max(500).optional(),
});
export type SushiQuery = z.infer<typeof sushiQuery>;
