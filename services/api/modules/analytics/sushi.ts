// COUNTER Release 5 Item Report (IR) and Title Report (TR) in the COUNTER_SUSHI 5.0 JSON shape
// (Report_Header + Report_Items with monthly Performance/Instance lists), read from the monthly
// aggregates. Our mapping (docs/analytics.md): a record is a title; its digital holdings (files) are
// items, and so is the record's own page (an investigation of the whole work, like an abstract page).
// A file request is also an investigation of that file and of the title; zero counts are left out,
// as COUNTER asks.
import type { EntityManager } from '@mikro-orm/sql';
import { problem } from '../../http/problem.ts';
import { SUSHI_METRIC_TYPES, type SushiMetricType, type SushiQuery } from './analytics.schema.ts';
import { firstOfMonth, firstOfNextMonth, lastOfMonth } from './date-range.ts';
import { utcDay } from './session-hash.ts';

export const PLATFORM = 'Shelfmark';
const RELEASE = '5';

interface SushiException { Code: number; Severity: 'Warning' | 'Error' | 'Info'; Message: string; Data?: string }

/** A SUSHI error: problem+json with the COUNTER exception fields alongside. */
function sushiProblem(e: SushiException) {
  return problem(400, 'sushi-exception', e.Message, e.Data, { Code: e.Code, Severity: e.Severity, Message: e.Message, ...(e.Data ? { Data: e.Data } : {}) });
}

export interface SushiPeriod { begin: string; end: string }

/** begin_date and end_date as whole months (COUNTER: the first of the begin month to the last of the end month). */
export function sushiPeriod(q: Pick<SushiQuery, 'begin_date' | 'end_date'>): SushiPeriod {
  if (!q.begin_date || !q.end_date) throw sushiProblem({ Code: 1030, Severity: 'Error', Message: 'Insufficient Information to Process Request', Data: 'begin_date and end_date are required (yyyy-mm or yyyy-mm-dd)' });
  const day = (s: string) => (s.length === 7 ? `${s}-01` : s);
  const begin = firstOfMonth(day(q.begin_date));
  const end = lastOfMonth(day(q.end_date));
  if (Number.isNaN(Date.parse(begin)) || Number.isNaN(Date.parse(end)) || begin > end) {
    throw sushiProblem({ Code: 3020, Severity: 'Error', Message: 'Invalid Date Arguments', Data: `begin_date ${q.begin_date} and end_date ${q.end_date}` });
  }
  return { begin, end };
}

export function sushiMetricTypes(raw: string | undefined, allowed: readonly SushiMetricType[]): SushiMetricType[] {
  if (!raw) return [...allowed];
  const wanted = raw.split('|').map((s) => s.trim()).filter(Boolean);
  const bad = wanted.filter((m) => !allowed.includes(m as SushiMetricType));
  if (bad.length) throw sushiProblem({ Code: 3060, Severity: 'Error', Message: 'Invalid Report Filter Value', Data: `metric_type: ${bad.join('|')}` });
  return allowed.filter((m) => wanted.includes(m));
}

/** COUNTER Data_Type for a record (and one of its files). */
export function dataTypeOf(recordMediaType: string | null | undefined, fileMediaType?: string | null): string {
  if (fileMediaType && /^(audio|video|image)\//.test(fileMediaType)) return 'Multimedia';
  switch ((recordMediaType ?? '').toLowerCase()) {
    case 'book': return 'Book';
    case 'journal': return 'Journal';
    case 'film': case 'cd': case 'cd-rom': case 'laserdisk': return 'Multimedia';
    default: return 'Other';
  }
}

type Counts = Partial<Record<SushiMetricType, number>>;

interface PerformanceEntry { Period: { Begin_Date: string; End_Date: string }; Instance: Array<{ Metric_Type: SushiMetricType; Count: number }> }

function performance(byMonth: Map<string, Counts>, metrics: readonly SushiMetricType[]): PerformanceEntry[] {
  const out: PerformanceEntry[] = [];
  for (const [month, counts] of [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const instance = metrics.filter((m) => (counts[m] ?? 0) > 0).map((m) => ({ Metric_Type: m, Count: counts[m]! }));
    if (instance.length) out.push({ Period: { Begin_Date: month, End_Date: lastOfMonth(month) }, Instance: instance });
  }
  return out;
}

function header(id: 'IR' | 'TR', q: SushiQuery, period: SushiPeriod, metrics: readonly SushiMetricType[], now: Date, exceptions: SushiException[]) {
  return {
    Created: `${now.toISOString().slice(0, 19)}Z`,
    Created_By: PLATFORM,
    ...(q.customer_id ? { Customer_ID: q.customer_id } : {}),
    Report_ID: id,
    Release: RELEASE,
    Report_Name: id === 'IR' ? 'Item Report' : 'Title Report',
    Institution_Name: PLATFORM,
    Institution_ID: [],
    Report_Filters: [
      { Name: 'Begin_Date', Value: period.begin },
      { Name: 'End_Date', Value: period.end },
      { Name: 'Access_Method', Value: 'Regular' },
      { Name: 'Metric_Type', Value: metrics.join('|') },
    ],
    Report_Attributes: [],
    ...(exceptions.length ? { Exceptions: exceptions } : {}),
  };
}

function periodExceptions(period: SushiPeriod, now: Date, empty: boolean): SushiException[] {
  const out: SushiException[] = [];
  const currentMonth = firstOfMonth(utcDay(now));
  if (period.end >= currentMonth) out.push({ Code: 3031, Severity: 'Warning', Message: 'Usage Not Ready for Requested Dates', Data: `Usage from ${currentMonth} on is incomplete` });
  if (empty) out.push({ Code: 3030, Severity: 'Error', Message: 'No Usage Available for Requested Dates', Data: `${period.begin} to ${period.end}` });
  return out;
}

const yop = (year: number | null) => (year && year > 0 && year < 10000 ? String(year).padStart(4, '0') : '0001');

interface MonthlyRow {
  month: string;
  record_id: string;
  file_id: string | null;
  views: number;
  requests: number;
  unique_views: number;
  unique_requests: number;
  title: string | null;
  publisher: string | null;
  year: number | null;
  isbn: string | null;
  media_type: string | null;
  original_name: string | null;
  file_media_type: string | null;
}

export const IR_METRICS = SUSHI_METRIC_TYPES.slice(0, 4);
export const TR_METRICS = SUSHI_METRIC_TYPES;

export async function itemReport(em: EntityManager, q: SushiQuery, now: Date) {
  const period = sushiPeriod(q);
  const metrics = sushiMetricTypes(q.metric_type, IR_METRICS);
  const rows = await em.execute<MonthlyRow[]>(
    `select to_char(m.month, 'YYYY-MM-DD') as month, m.record_id, m.file_id, m.views, m.requests, m.unique_views, m.unique_requests,
            r.title, r.publisher, r.year, r.isbn, r.media_type, f.original_name, f.media_type as file_media_type
       from usage_monthly_records m
       left join records r on r.id = m.record_id
       left join files f on f.id = m.file_id
      where m.month >= ?::date and m.month < ?::date and (m.file_id is not null or m.views > 0)
      order by r.title nulls last, m.record_id, m.file_id nulls first, m.month`,
    [period.begin, firstOfNextMonth(period.end)]);
  const items = new Map<string, { row: MonthlyRow; byMonth: Map<string, Counts> }>();
  for (const row of rows) {
    const key = row.file_id ?? `record:${row.record_id}`;
    const entry = items.get(key) ?? { row, byMonth: new Map<string, Counts>() };
    items.set(key, entry);
    const counts: Counts = row.file_id
      ? { Total_Item_Investigations: Number(row.requests), Total_Item_Requests: Number(row.requests), Unique_Item_Investigations: Number(row.unique_requests), Unique_Item_Requests: Number(row.unique_requests) }
      : { Total_Item_Investigations: Number(row.views), Unique_Item_Investigations: Number(row.unique_views) };
    entry.byMonth.set(row.month, counts);
  }
  const reportItems = [...items.values()].map(({ row, byMonth }) => ({
    Item: row.file_id ? `${row.title ?? 'Deleted record'}: ${row.original_name ?? 'deleted file'}` : (row.title ?? 'Deleted record'),
    Item_ID: [
      { Type: 'Proprietary', Value: row.file_id ? `shelfmark:file:${row.file_id}` : `shelfmark:record:${row.record_id}` },
      ...(row.isbn ? [{ Type: 'ISBN', Value: row.isbn }] : []),
    ],
    Platform: PLATFORM,
    Publisher: row.publisher ?? '',
    Publisher_ID: [],
    Data_Type: dataTypeOf(row.media_type, row.file_media_type),
    YOP: yop(row.year),
    Access_Type: 'Controlled',
    Access_Method: 'Regular',
    Performance: performance(byMonth, metrics),
  })).filter((i) => i.Performance.length);
  return { Report_Header: header('IR', q, period, metrics, now, periodExceptions(period, now, !reportItems.length)), Report_Items: reportItems };
}

export async function titleReport(em: EntityManager, q: SushiQuery, now: Date) {
  const period = sushiPeriod(q);
  const metrics = sushiMetricTypes(q.metric_type, TR_METRICS);
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select to_char(t.month, 'YYYY-MM-DD') as month, t.record_id, t.ti, t.tr, t.uii, t.uir, t.uti, t.utr, r.title, r.publisher, r.year, r.isbn, r.media_type
       from (select month, record_id,
                    sum(title_investigations) filter (where file_id is null) as ti,
                    sum(title_requests) filter (where file_id is null) as tr,
                    sum(case when file_id is null then unique_views else unique_requests end) as uii,
                    sum(unique_requests) filter (where file_id is not null) as uir,
                    sum(unique_title_investigations) filter (where file_id is null) as uti,
                    sum(unique_title_requests) filter (where file_id is null) as utr
               from usage_monthly_records where month >= ?::date and month < ?::date group by month, record_id) t
       left join records r on r.id = t.record_id
      order by r.title nulls last, t.record_id, t.month`,
    [period.begin, firstOfNextMonth(period.end)]);
  const titles = new Map<string, { row: Record<string, unknown>; byMonth: Map<string, Counts> }>();
  for (const row of rows) {
    const id = String(row.record_id);
    const entry = titles.get(id) ?? { row, byMonth: new Map<string, Counts>() };
    titles.set(id, entry);
    entry.byMonth.set(String(row.month), {
      Total_Item_Investigations: Number(row.ti ?? 0), Total_Item_Requests: Number(row.tr ?? 0),
      Unique_Item_Investigations: Number(row.uii ?? 0), Unique_Item_Requests: Number(row.uir ?? 0),
      Unique_Title_Investigations: Number(row.uti ?? 0), Unique_Title_Requests: Number(row.utr ?? 0),
    });
  }
  const reportItems = [...titles.entries()].map(([id, { row, byMonth }]) => ({
    Title: (row.title as string | null) ?? 'Deleted record',
    Item_ID: [{ Type: 'Proprietary', Value: `shelfmark:record:${id}` }, ...(row.isbn ? [{ Type: 'ISBN', Value: String(row.isbn) }] : [])],
    Platform: PLATFORM,
    Publisher: (row.publisher as string | null) ?? '',
    Publisher_ID: [],
    Data_Type: dataTypeOf(row.media_type as string | null),
    YOP: yop((row.year as number | null) ?? null),
    Access_Type: 'Controlled',
    Access_Method: 'Regular',
    Performance: performance(byMonth, metrics),
  })).filter((i) => i.Performance.length);
  return { Report_Header: header('TR', q, period, metrics, now, periodExceptions(period, now, !reportItems.length)), Report_Items: reportItems };
}

export function supportedReports() {
  return [
    { Report_Name: 'Item Report', Report_ID: 'IR', Release: RELEASE, Report_Description: 'Investigations and requests of each digital holding and record page, by month.', Path: '/api/v1/sushi/reports/ir' },
    { Report_Name: 'Title Report', Report_ID: 'TR', Release: RELEASE, Report_Description: 'Investigations and requests of each title (record), by month, with unique title metrics.', Path: '/api/v1/sushi/reports/tr' },
  ];
}
