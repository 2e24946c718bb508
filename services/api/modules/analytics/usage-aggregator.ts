// Folds raw usage events into the daily and monthly tables the dashboards read, applying the COUNTER
// R5 rules in SQL: robots left out, double-click filtering (same session, item and metric within 30 s
// counts once; double-click.ts is the reference), unique items and titles per session. A day is
// always recomputed whole from its raw events, so running twice changes nothing and a crash halfway
// is repaired by the next run. Which days: those with events newer than the watermark (the highest
// event id already folded in), plus today, plus yesterday during the first hour after midnight (a
// transaction that took an id early may commit after the watermark passed it; its event is from
// about now, so today, or just before midnight, catches it).
// After aggregation, raw events older than ANALYTICS_RETENTION_DAYS and used session salts go.
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { DOUBLE_CLICK_WINDOW_MS } from './double-click.ts';
import { addDays, firstOfMonth, firstOfNextMonth } from './date-range.ts';
import { utcDay } from './session-hash.ts';
import { usageEventsFlusher } from './usage-event-buffer.ts';

const DAY_MS = 86_400_000;
const LOCK = 74260006;
/** A transaction that took its event id before a run and committed after it is this late at most. */
const LATE_COMMIT_GRACE_MS = 60 * 60_000;

/** A PostgreSQL array literal of uuids (they need no quoting). */
const uuidArray = (ids: Iterable<string>) => `{${[...ids].join(',')}}`;

export const CIRCULATION_METRICS = { loan: 'loans', return: 'returns', renewal: 'renewals', hold: 'holds', payment: 'payments' } as const;

async function searchEventsTableExists(em: EntityManager): Promise<boolean> {
  const rows = await em.execute<Array<{ t: string | null }>>(`select to_regclass('search_events')::text as t`);
  return Boolean(rows[0]?.t);
}

async function watermark(em: EntityManager, source: string): Promise<number> {
  const rows = await em.execute<Array<{ last_id: string | number }>>(`select last_id from usage_aggregation_state where source = ?`, [source]);
  return Number(rows[0]?.last_id ?? 0);
}

async function watermarkSetter(em: EntityManager, source: string, lastId: number, now: Date): Promise<void> {
  await em.execute(
    `insert into usage_aggregation_state (source, last_id, updated_at) values (?, ?, ?)
     on conflict (source) do update set last_id = greatest(usage_aggregation_state.last_id, excluded.last_id), updated_at = excluded.updated_at`,
    [source, lastId, now], 'run');
}

async function dirtyDays(em: EntityManager, table: 'usage_events' | 'search_events', after: number, upTo: number): Promise<string[]> {
  if (upTo <= after) return [];
  const rows = await em.execute<Array<{ day: string }>>(
    `select distinct to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from ${table} where id > ? and id <= ?`, [after, upTo]);
  return rows.map((r) => r.day);
}

const COUNT_COLUMNS = ['views', 'downloads', 'streams', 'requests', 'unique_views', 'unique_requests', 'title_investigations', 'title_requests', 'unique_title_investigations', 'unique_title_requests'] as const;
const RETURNED = `record_id, file_id, ${COUNT_COLUMNS.join(', ')}`;
type DailyRow = { record_id: string; file_id: string | null } & Record<(typeof COUNT_COLUMNS)[number], number | string>;
const rowValues = (r: DailyRow) => COUNT_COLUMNS.map((c) => Number(r[c])).join(',');

const EVENTS_OF_DAY = `
  select id, occurred_at, kind, record_id, file_id, coalesce(session_hash, 'event-' || id) as s
    from usage_events
   where occurred_at >= ? and occurred_at < ? and kind in ('view', 'download', 'stream') and not robot and record_id is not null`;
// `first`: no earlier event with the same session, item and metric within the window (the metric of
// a view is an investigation, of a download or stream a request; downloads and streams also fold
// within their own kind for the downloads/streams counts).
const WINDOW = `interval '${DOUBLE_CLICK_WINDOW_MS / 1000} seconds'`;

/** Recomputes one UTC day; returns the records whose rows changed (for the monthly roll-up). */
async function dayAggregator(tx: EntityManager, day: string, searchEvents: boolean): Promise<Set<string>> {
  await tx.execute(`select pg_advisory_xact_lock(${LOCK}, ?)`, [Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS)]);
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + DAY_MS);
  const lookback = new Date(start.getTime() - DOUBLE_CLICK_WINDOW_MS);
  const old = await tx.execute<DailyRow[]>(`delete from usage_daily_records where day = ?::date returning ${RETURNED}`, [day]);

  const files = await tx.execute<DailyRow[]>(
    `insert into usage_daily_records (day, record_id, file_id, downloads, streams, requests, unique_requests)
     with ev as (${EVENTS_OF_DAY} and kind <> 'view'),
     f as (
       select ev.*, occurred_at >= ? as in_day,
              coalesce(occurred_at - lag(occurred_at) over (partition by s, file_id, kind order by occurred_at, id) > ${WINDOW}, true) as kind_first,
              coalesce(occurred_at - lag(occurred_at) over (partition by s, file_id order by occurred_at, id) > ${WINDOW}, true) as request_first
         from ev)
     select ?::date, record_id, file_id,
            count(*) filter (where kind = 'download' and kind_first),
            count(*) filter (where kind = 'stream' and kind_first),
            count(*) filter (where request_first),
            count(distinct s)
       from f where in_day group by record_id, file_id
     returning ${RETURNED}`,
    [lookback, end, start, day]);
  const records = await tx.execute<DailyRow[]>(
    `insert into usage_daily_records (day, record_id, file_id, views, downloads, streams, unique_views, title_investigations, title_requests, unique_title_investigations, unique_title_requests)
     with ev as (${EVENTS_OF_DAY}),
     f as (
       select ev.*, occurred_at >= ? as in_day,
              coalesce(occurred_at - lag(occurred_at) over (partition by s, record_id, file_id, kind = 'view' order by occurred_at, id) > ${WINDOW}, true) as first,
              coalesce(occurred_at - lag(occurred_at) over (partition by s, record_id, file_id, kind order by occurred_at, id) > ${WINDOW}, true) as kind_first
         from ev)
     select ?::date, record_id, null,
            count(*) filter (where kind = 'view' and first),
            count(*) filter (where kind = 'download' and kind_first),
            count(*) filter (where kind = 'stream' and kind_first),
            count(distinct s) filter (where kind = 'view'),
            count(*) filter (where first),
            count(*) filter (where kind <> 'view' and first),
            count(distinct s),
            count(distinct s) filter (where kind <> 'view')
       from f where in_day group by record_id
     returning ${RETURNED}`,
    [lookback, end, start, day]);
  // Only records whose rows changed need their month rebuilt (today's run every ten minutes touches
  // the records used in those ten minutes, not every record of the day).
  const before = new Map(old.map((r) => [`${r.record_id}|${r.file_id ?? ''}`, rowValues(r)]));
  const touched = new Set<string>();
  for (const r of [...files, ...records]) {
    const key = `${r.record_id}|${r.file_id ?? ''}`;
    if (before.get(key) !== rowValues(r)) touched.add(r.record_id);
    before.delete(key);
  }
  for (const key of before.keys()) touched.add(key.split('|')[0]!);

  await tx.execute(`delete from usage_daily where day = ?::date`, [day], 'run');
  await tx.execute(
    `insert into usage_daily (day, metric, patron_category, count, unique_count, amount_cents)
     select ?::date, m.metric, '', m.n, m.u, 0 from (
       select 'views' as metric, sum(views) as n, sum(unique_views) as u from usage_daily_records where day = ?::date and file_id is null
       union all select 'downloads', sum(downloads), 0 from usage_daily_records where day = ?::date and file_id is not null
       union all select 'streams', sum(streams), 0 from usage_daily_records where day = ?::date and file_id is not null
       union all select 'requests', sum(requests), sum(unique_requests) from usage_daily_records where day = ?::date and file_id is not null
       union all select 'titleInvestigations', sum(title_investigations), sum(unique_title_investigations) from usage_daily_records where day = ?::date and file_id is null
       union all select 'titleRequests', sum(title_requests), sum(unique_title_requests) from usage_daily_records where day = ?::date and file_id is null
     ) m where coalesce(m.n, 0) > 0 or coalesce(m.u, 0) > 0`,
    [day, day, day, day, day, day, day], 'run');
  await tx.execute(
    `insert into usage_daily (day, metric, patron_category, count, unique_count, amount_cents)
     select ?::date, case kind ${Object.entries(CIRCULATION_METRICS).map(([k, v]) => `when '${k}' then '${v}'`).join(' ')} end,
            coalesce(patron_category, ''), count(*), 0, coalesce(sum(amount_cents), 0)
       from usage_events where occurred_at >= ? and occurred_at < ? and kind in (${Object.keys(CIRCULATION_METRICS).map((k) => `'${k}'`).join(', ')})
      group by 2, 3`,
    [day, start, end], 'run');
  await tx.execute(
    `insert into usage_daily (day, metric, patron_category, count, unique_count, amount_cents)
     select ?::date, 'robotEvents', '', count(*), 0, 0 from usage_events where occurred_at >= ? and occurred_at < ? and robot having count(*) > 0`,
    [day, start, end], 'run');
  if (searchEvents) {
    // The search module logs every search (query, result count, no-result flag) in search_events.
    await tx.execute(
      `insert into usage_daily (day, metric, patron_category, count, unique_count, amount_cents)
       select ?::date, m.metric, '', m.n, 0, 0 from (
         select 'searches' as metric, count(*) as n from search_events where occurred_at >= ? and occurred_at < ?
         union all select 'searchesWithNoResults', count(*) from search_events where occurred_at >= ? and occurred_at < ? and no_results
       ) m where m.n > 0`,
      [day, start, end, start, end], 'run');
  }
  return touched;
}

/** Recomputes the monthly rows of `records` in `month` from the daily rows, in chunks. */
async function monthRoller(deps: Deps, month: string, records: Set<string>): Promise<void> {
  const ids = [...records];
  const end = firstOfNextMonth(month);
  const columns = COUNT_COLUMNS.join(', ');
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = uuidArray(ids.slice(i, i + 1000));
    await deps.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`delete from usage_monthly_records where month = ?::date and record_id = any(?::uuid[])`, [month, chunk], 'run');
      await tx.execute(
        `insert into usage_monthly_records (month, record_id, file_id, ${columns})
         select ?::date, record_id, file_id, ${COUNT_COLUMNS.map((c) => `sum(${c})`).join(', ')}
           from usage_daily_records where day >= ?::date and day < ?::date and record_id = any(?::uuid[])
          group by record_id, file_id`,
        [month, month, end, chunk], 'run');
    });
  }
}

export interface AggregationResult { days: string[]; deletedEvents: number; deletedSalts: number }

export async function usageAggregator(deps: Deps): Promise<AggregationResult> {
  await usageEventsFlusher(deps);
  const now = deps.clock();
  const em = deps.orm.em.fork();
  // A BRIN index only narrows a scan over the block ranges it has summarised; PostgreSQL's autovacuum
  // does this in the background, PGlite has none, so the job summarises what was appended since.
  await em.execute(`select brin_summarize_new_values('usage_events_occurred_at_brin')`);
  const today = utcDay(now);
  const retentionCutoff = new Date(now.getTime() - deps.config.analytics.retentionDays * DAY_MS);
  const oldestKept = utcDay(retentionCutoff);
  const searchEvents = await searchEventsTableExists(em);

  const usageFrom = await watermark(em, 'usage_events');
  const usageTo = Number((await em.execute<Array<{ n: string | number | null }>>(`select max(id) as n from usage_events`))[0]?.n ?? 0);
  const searchFrom = searchEvents ? await watermark(em, 'search_events') : 0;
  const searchTo = searchEvents ? Number((await em.execute<Array<{ n: string | number | null }>>(`select max(id) as n from search_events`))[0]?.n ?? 0) : 0;
  // PGlite has no autovacuum, hence no statistics and a planner that scans the whole table instead of
  // the BRIN range: the job analyses the tables itself whenever the events have grown by a quarter.
  const analysedAt = await watermark(em, 'analyze');
  const grown = usageTo >= 1000 && usageTo >= analysedAt * 1.25;
  if (grown) await em.execute(`analyze usage_events`);
  // Yesterday is done again only in the first hour after midnight (late commits); later, only if dirty.
  const earlyInDay = now.getTime() - Date.parse(`${today}T00:00:00Z`) < LATE_COMMIT_GRACE_MS;
  const days = new Set([today, ...(earlyInDay ? [addDays(today, -1)] : []), ...await dirtyDays(em, 'usage_events', usageFrom, usageTo)]);
  if (searchEvents) for (const d of await dirtyDays(em, 'search_events', searchFrom, searchTo)) days.add(d);
  // A day whose raw events retention has begun to delete is final: recomputing it would lose counts.
  const todo = [...days].filter((d) => d > oldestKept).sort();

  const started = performance.now();
  const byMonth = new Map<string, Set<string>>();
  for (const day of todo) {
    const touched = await deps.orm.em.fork().transactional((tx) => dayAggregator(tx, day, searchEvents));
    const month = firstOfMonth(day);
    const set = byMonth.get(month) ?? new Set<string>();
    for (const id of touched) set.add(id);
    byMonth.set(month, set);
  }
  const daysDone = performance.now();
  for (const [month, records] of byMonth) await monthRoller(deps, month, records);
  deps.log.debug({ days: todo.length, dayMs: Math.round(daysDone - started), monthMs: Math.round(performance.now() - daysDone) }, 'usage aggregation timings');
  if (grown || todo.length > 3) {
    await em.execute(`analyze usage_daily_records, usage_monthly_records, usage_daily`);
    await watermarkSetter(em, 'analyze', usageTo, now);
  }
  await watermarkSetter(em, 'usage_events', usageTo, now);
  if (searchEvents) await watermarkSetter(em, 'search_events', searchTo, now);

  let deletedEvents = 0;
  for (;;) {
    // In batches, so no single statement holds the (embedded, single-connection) database for long.
    const res = await em.execute<Array<{ n: string | number }>>(
      `with gone as (delete from usage_events where id in (select id from usage_events where occurred_at < ? limit 50000) returning 1) select count(*) as n from gone`, [retentionCutoff]);
    const n = Number(res[0]?.n ?? 0);
    deletedEvents += n;
    if (n < 50000) break;
  }
  // Yesterday's salt stays for requests that straddle midnight; older ones make old hashes unlinkable.
  const salts = await em.execute<Array<{ day: string }>>(`delete from usage_salts where day < ?::date returning day`, [addDays(today, -1)]);
  return { days: todo, deletedEvents, deletedSalts: salts.length };
}
