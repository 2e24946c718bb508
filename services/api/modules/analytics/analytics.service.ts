// The dashboard summary and time series: reads of the aggregate tables only (never raw events), so a
// year answers in a few milliseconds whatever the number of events (bench/analytics.md).
import type { EntityManager } from '@mikro-orm/sql';
import { addDays, dayRange, firstOfNextMonth, splitByMonths, type DayRange } from './date-range.ts';
import type { TimeseriesMetric } from './analytics.schema.ts';

const n = (v: unknown) => Number(v ?? 0);

export interface TopRecord {
  recordId: string;
  title: string | null;
  views: number;
  downloads: number;
  streams: number;
  /** COUNTER Total_Item_Investigations of the title: page views and file requests. */
  investigations: number;
  /** COUNTER Total_Item_Requests of the title: downloads and stream starts. */
  requests: number;
  uniqueInvestigations: number;
  uniqueRequests: number;
}

/** The slices of a range: whole months from the monthly table, the ragged ends day by day. */
function pieces(r: DayRange): { months: string[]; days: string[] } {
  const split = splitByMonths(r);
  const months: string[] = [];
  if (split.months) for (let m = split.months.from; m < split.months.to; m = firstOfNextMonth(m)) months.push(m);
  const days: string[] = [];
  for (const d of split.days) for (let day = d.from; day < d.to; day = addDays(day, 1)) days.push(day);
  return { months, days };
}

const dateArray = (days: readonly string[]) => `{${days.join(',')}}`;
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * The k records with the most investigations (page views and file requests) in a range, exactly,
 * without adding up every record of every slice: the three-phase threshold algorithm (TPUT, Cao and
 * Wang 2004) over the slices. (1) The top k of each slice give lower bounds; the k-th best of them,
 * t1, means no record can make the top k unless it has at least T = t1 / P in some slice (P slices).
 * (2) Every row >= T is read (an index range per slice); a record's total is at most what was seen
 * plus ceil(T) - 1 per slice where it was not seen, and the k-th best seen total t2 prunes the rest.
 * (3) The survivors are added up exactly. With skewed use (the usual case) that reads a few thousand
 * rows instead of every record of the year; with flat use it degrades to reading everything, still
 * exactly.
 */
export async function topRecordsLoader(em: EntityManager, r: DayRange, top: number): Promise<TopRecord[]> {
  const { months, days } = pieces(r);
  const slices = months.length + days.length;
  const phase1 = await em.execute<Array<{ record_id: string; s: string | number }>>(
    `select record_id, sum(v) as s from (
       select t.record_id, t.v from unnest(?::date[]) as m(month) cross join lateral (
         select record_id, title_investigations as v from usage_monthly_records where file_id is null and month = m.month order by title_investigations desc limit ?) t
       union all
       select t.record_id, t.v from unnest(?::date[]) as d(day) cross join lateral (
         select record_id, title_investigations as v from usage_daily_records where file_id is null and day = d.day order by title_investigations desc limit ?) t
     ) x group by record_id order by s desc limit ?`,
    [dateArray(months), top, dateArray(days), top, top]);
  if (!phase1.length) return [];
  const t1 = phase1.length < top ? 0 : n(phase1.at(-1)!.s);
  // Counts are integers: "at least t1 / P" is "at least its ceiling", and an integer parameter keeps
  // the comparison on the index (a fractional one casts the column to numeric and scans the slices).
  const threshold = Math.max(1, Math.ceil(t1 / slices));
  const seen = await em.execute<Array<{ record_id: string; s: string | number; slices: string | number }>>(
    `select record_id, sum(v) as s, count(*) as slices from (
       select record_id, title_investigations as v from usage_monthly_records where file_id is null and month = any(?::date[]) and title_investigations >= ?::int
       union all
       select record_id, title_investigations as v from usage_daily_records where file_id is null and day = any(?::date[]) and title_investigations >= ?::int
     ) x group by record_id`,
    [dateArray(months), threshold, dateArray(days), threshold]);
  const sorted = seen.map((x) => ({ id: x.record_id, s: n(x.s), slices: n(x.slices) })).sort((a, b) => b.s - a.s);
  // The k-th best exact total is at least both lower bounds.
  const t2 = Math.max(t1, sorted.length >= top ? sorted[top - 1]!.s : 0);
  const unseenMax = threshold - 1;
  const candidates = sorted.filter((c) => c.s + (slices - c.slices) * unseenMax >= t2).map((c) => c.id);
  if (!candidates.length) return [];
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select t.record_id, rec.title, t.views, t.downloads, t.streams, t.inv, t.req, t.uinv, t.ureq
       from (select record_id, sum(views) as views, sum(downloads) as downloads, sum(streams) as streams, sum(title_investigations) as inv,
                    sum(title_requests) as req, sum(unique_title_investigations) as uinv, sum(unique_title_requests) as ureq
               -- One index probe per candidate (record_id, month|day); OFFSET 0 keeps the planner from
               -- flattening the lateral into a hash join over every row of the slices.
               from (select u.* from unnest(?::uuid[]) as c(id) cross join lateral (
                       select record_id, views, downloads, streams, title_investigations, title_requests, unique_title_investigations, unique_title_requests
                         from usage_monthly_records where record_id = c.id and month = any(?::date[]) and file_id is null offset 0) u
                     union all
                     select u.* from unnest(?::uuid[]) as c(id) cross join lateral (
                       select record_id, views, downloads, streams, title_investigations, title_requests, unique_title_investigations, unique_title_requests
                         from usage_daily_records where record_id = c.id and day = any(?::date[]) and file_id is null offset 0) u) x
              group by record_id order by inv desc, record_id limit ?) t
       left join records rec on rec.id = t.record_id
      order by t.inv desc, t.record_id`,
    [uuidArray(candidates), dateArray(months), uuidArray(candidates), dateArray(days), top]);
  return rows.map((row) => ({
    recordId: String(row.record_id), title: (row.title as string | null) ?? null, views: n(row.views), downloads: n(row.downloads), streams: n(row.streams),
    investigations: n(row.inv), requests: n(row.req), uniqueInvestigations: n(row.uinv), uniqueRequests: n(row.ureq),
  }));
}

export interface Summary {
  from: string;
  to: string;
  views: number;
  downloads: number;
  streams: number;
  searches: number;
  searchesWithNoResults: number;
  loans: number;
  returns: number;
  renewals: number;
  holds: number;
  payments: number;
  paymentsCents: number;
  counter: {
    totalItemInvestigations: number;
    totalItemRequests: number;
    uniqueItemInvestigations: number;
    uniqueItemRequests: number;
    uniqueTitleInvestigations: number;
    uniqueTitleRequests: number;
  };
  robotEventsExcluded: number;
  circulationByPatronCategory: Record<string, { loans: number; returns: number; renewals: number; holds: number; payments: number }>;
  topRecords: TopRecord[];
}

export async function summaryLoader(em: EntityManager, q: { from?: string | undefined; to?: string | undefined; top: number }, today: string): Promise<Summary> {
  const r = dayRange(q.from, q.to, today);
  const rows = await em.execute<Array<{ metric: string; patron_category: string; count: string | number; unique_count: string | number; amount_cents: string | number }>>(
    `select metric, patron_category, sum(count) as count, sum(unique_count) as unique_count, sum(amount_cents) as amount_cents
       from usage_daily where day >= ?::date and day <= ?::date group by metric, patron_category`, [r.from, r.to]);
  const total = (metric: string, col: 'count' | 'unique_count' | 'amount_cents' = 'count') => rows.filter((x) => x.metric === metric).reduce((s, x) => s + n(x[col]), 0);
  const byCategory: Summary['circulationByPatronCategory'] = {};
  for (const x of rows) {
    if (!['loans', 'returns', 'renewals', 'holds', 'payments'].includes(x.metric)) continue;
    const key = x.patron_category || 'unknown';
    const entry = (byCategory[key] ??= { loans: 0, returns: 0, renewals: 0, holds: 0, payments: 0 });
    entry[x.metric as keyof typeof entry] += n(x.count);
  }
  return {
    from: r.from, to: r.to,
    views: total('views'), downloads: total('downloads'), streams: total('streams'),
    searches: total('searches'), searchesWithNoResults: total('searchesWithNoResults'),
    loans: total('loans'), returns: total('returns'), renewals: total('renewals'), holds: total('holds'),
    payments: total('payments'), paymentsCents: total('payments', 'amount_cents'),
    counter: {
      totalItemInvestigations: total('titleInvestigations'),
      totalItemRequests: total('requests'),
      // The record page is an item of its own; a file's investigations are its requests.
      uniqueItemInvestigations: total('views', 'unique_count') + total('requests', 'unique_count'),
      uniqueItemRequests: total('requests', 'unique_count'),
      uniqueTitleInvestigations: total('titleInvestigations', 'unique_count'),
      uniqueTitleRequests: total('titleRequests', 'unique_count'),
    },
    robotEventsExcluded: total('robotEvents'),
    circulationByPatronCategory: byCategory,
    topRecords: await topRecordsLoader(em, r, q.top),
  };
}

const SERIES: Record<TimeseriesMetric, { metric: string; column: 'count' | 'unique_count' | 'amount_cents' }> = {
  views: { metric: 'views', column: 'count' },
  downloads: { metric: 'downloads', column: 'count' },
  streams: { metric: 'streams', column: 'count' },
  requests: { metric: 'requests', column: 'count' },
  uniqueViews: { metric: 'views', column: 'unique_count' },
  uniqueRequests: { metric: 'requests', column: 'unique_count' },
  titleInvestigations: { metric: 'titleInvestigations', column: 'count' },
  uniqueTitleInvestigations: { metric: 'titleInvestigations', column: 'unique_count' },
  titleRequests: { metric: 'titleRequests', column: 'count' },
  uniqueTitleRequests: { metric: 'titleRequests', column: 'unique_count' },
  searches: { metric: 'searches', column: 'count' },
  searchesWithNoResults: { metric: 'searchesWithNoResults', column: 'count' },
  loans: { metric: 'loans', column: 'count' },
  returns: { metric: 'returns', column: 'count' },
  renewals: { metric: 'renewals', column: 'count' },
  holds: { metric: 'holds', column: 'count' },
  payments: { metric: 'payments', column: 'count' },
  paymentsCents: { metric: 'payments', column: 'amount_cents' },
  robotEvents: { metric: 'robotEvents', column: 'count' },
};

export interface Timeseries {
  metric: TimeseriesMetric;
  interval: 'day' | 'week' | 'month';
  from: string;
  to: string;
  /** One point per period, zeros included; a week starts on Monday, a month on the 1st (UTC). */
  points: Array<{ period: string; value: number }>;
}

export async function timeseriesLoader(em: EntityManager, q: { metric: TimeseriesMetric; from?: string | undefined; to?: string | undefined; interval: 'day' | 'week' | 'month' }, today: string): Promise<Timeseries> {
  const r = dayRange(q.from, q.to, today);
  const s = SERIES[q.metric];
  const rows = await em.execute<Array<{ period: string; value: string | number }>>(
    `select to_char(p.period, 'YYYY-MM-DD') as period, coalesce(v.value, 0) as value
       from generate_series(date_trunc('${q.interval}', ?::date), ?::date, interval '1 ${q.interval}') as p(period)
       left join (select date_trunc('${q.interval}', day) as period, sum(${s.column}) as value
                    from usage_daily where metric = ? and day >= ?::date and day <= ?::date group by 1) v on v.period = p.period
      order by p.period`,
    [r.from, r.to, s.metric, r.from, r.to]);
  return { metric: q.metric, interval: q.interval, from: r.from, to: r.to, points: rows.map((x) => ({ period: x.period, value: n(x.value) })) };
}

export interface CirculationRow { loans: number; returns: number; renewals: number }
export interface CirculationBreakdown {
  from: string;
  to: string;
  /** Per branch: the copy's location (seed 002 "Central Branch"); "unknown" for a copy since deleted. */
  byLocation: Array<CirculationRow & { location: string }>;
  /** Per loan category of the loan (overnight, two-week, ...), as it was when lent. */
  byLoanCategory: Array<CirculationRow & { loanCategory: string }>;
}

/**
 * Loans, returns and renewals of a range of UTC days by branch (the copy's location) and by loan
 * category. The usage aggregates know only the borrower's category, so this one reads the loans
 * table itself, the record of circulation: a loan row started in the range is a loan (or a renewal
 * when it continues an earlier loan); a row that ended in the range is a return unless a renewal
 * ended it. Times are the loans' own (a back-dated desk return counts on the day it names). Cost: one
 * pass over the loans of the range plus those returned in it (no index on the times: a library's
 * loans table is small next to usage events; a year of 10^5 loans answers in well under a second).
 */
export async function circulationBreakdownLoader(em: EntityManager, q: { from?: string | undefined; to?: string | undefined }, today: string): Promise<CirculationBreakdown> {
  const r = dayRange(q.from, q.to, today);
  const start = `${r.from}T00:00:00Z`;
  const end = `${addDays(r.to, 1)}T00:00:00Z`;
  const rows = await em.execute<Array<{ location: string | null; loan_category: string; loans: unknown; returns: unknown; renewals: unknown }>>(`
    select i.location, l.loan_category,
           count(*) filter (where l.loaned_at >= ?::timestamptz and l.loaned_at < ?::timestamptz and l.renewed_from_id is null) as loans,
           count(*) filter (where l.loaned_at >= ?::timestamptz and l.loaned_at < ?::timestamptz and l.renewed_from_id is not null) as renewals,
           count(*) filter (where l.returned_at >= ?::timestamptz and l.returned_at < ?::timestamptz
                              and not exists (select 1 from loans n where n.renewed_from_id = l.id)) as returns
      from loans l left join items i on i.id = l.item_id
     where (l.loaned_at >= ?::timestamptz and l.loaned_at < ?::timestamptz) or (l.returned_at >= ?::timestamptz and l.returned_at < ?::timestamptz)
     group by i.location, l.loan_category`, [start, end, start, end, start, end, start, end, start, end]);
  const fold = <K extends string>(key: (x: (typeof rows)[number]) => string, name: K) => {
    const m = new Map<string, CirculationRow>();
    for (const x of rows) {
      const k = key(x);
      const e = m.get(k) ?? { loans: 0, returns: 0, renewals: 0 };
      e.loans += n(x.loans);
      e.returns += n(x.returns);
      e.renewals += n(x.renewals);
      m.set(k, e);
    }
    return [...m].map(([k, v]) => ({ [name]: k, ...v }) as CirculationRow & Record<K, string>)
      .sort((a, b) => b.loans - a.loans || b.returns - a.returns || a[name].localeCompare(b[name]));
  };
  return { from: r.from, to: r.to, byLocation: fold((x) => x.location ?? 'unknown', 'location'), byLoanCategory: fold((x) => x.loan_category, 'loanCategory') };
}

export interface FailedSearches { from: string; to: string; items: Array<{ query: string; searches: number; lastSearchedAt: string }> }

/**
 * The keyword searches that found nothing in a range of UTC days, most frequent first: what readers
 * look for and the catalogue lacks (or spells differently). Read from the search module's
 * `search_events` (no user, no address: only the words typed), folded case-insensitively; searches
 * with filters only (no words) are left out. Indexed by time.
 */
export async function failedSearchesLoader(em: EntityManager, q: { from?: string | undefined; to?: string | undefined; top: number }, today: string): Promise<FailedSearches> {
  const r = dayRange(q.from, q.to, today);
  const rows = await em.execute<Array<{ query: string; searches: unknown; last: Date | string }>>(`
    select lower(btrim(query)) as query, count(*) as searches, max(occurred_at) as last
      from search_events
     where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz and no_results and query is not null and btrim(query) <> ''
     group by lower(btrim(query))
     order by count(*) desc, max(occurred_at) desc, lower(btrim(query))
     limit ?`, [`${r.from}T00:00:00Z`, `${addDays(r.to, 1)}T00:00:00Z`, q.top]).catch((err: unknown) => {
    // Analytics reads the search module's table "when it exists" (docs/analytics.md).
    if (/relation "search_events" does not exist/.test(String((err as Error).message))) return [];
    throw err;
  });
  return { from: r.from, to: r.to, items: rows.map((x) => ({ query: x.query, searches: n(x.searches), lastSearchedAt: new Date(x.last).toISOString() })) };
}
