// Analytics benchmark (issue 6) on the embedded default, PGlite on disk:
//   1. a year of usage events (10,000,000 by default) generated with bulk SQL over 20,000 records,
//      skewed popularity, 3% robots, sessions from a pool; then the aggregation job folds them in;
//   2. the dashboard summary for a year (a calendar year: twelve monthly slices; and a rolling 365
//      days: eleven months plus ragged ends read from the daily table), repeated, median and p95;
//   3. ingestion: page events through the service's buffer (usage-event-buffer.ts) on top of the full
//      table for a fixed number of seconds, counted once they are in the table; for comparison also
//      one INSERT per event and 1,000-row INSERTs.
// Target (issue 6): summary under 200 ms, ingestion at least 2,000 events per second.
//
//   node bench/analytics.bench.ts [--events 10000000] [--records 20000] [--ingest-seconds 10] [--runs 20] [--data-dir DIR]
//   --data-dir reuses (or keeps) a generated database; without it a temporary one is made and deleted.
//   Writes bench/out/analytics.json.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Deps } from '../services/api/app-context.ts';
import { loadConfig } from '../services/api/config.ts';
import { migrate, openOrm } from '../services/api/db/orm.ts';
import { createLogger } from '../services/api/logger.ts';
import { summaryLoader, timeseriesLoader } from '../services/api/modules/analytics/analytics.service.ts';
import { usageAggregator } from '../services/api/modules/analytics/usage-aggregator.ts';
import { usageEventRecorder, usageEventsRecorder, type UsageEventInput } from '../services/api/modules/analytics/usage-events.ts';
import { titleReport } from '../services/api/modules/analytics/sushi.ts';
import { usageEventBuffer } from '../services/api/modules/analytics/usage-event-buffer.ts';

const { values: args } = parseArgs({ options: {
  events: { type: 'string', default: '10000000' }, records: { type: 'string', default: '20000' },
  'ingest-seconds': { type: 'string', default: '10' }, runs: { type: 'string', default: '20' }, 'data-dir': { type: 'string' },
} });
const EVENTS = Number(args.events);
const RECORDS = Number(args.records);
const INGEST_SECONDS = Number(args['ingest-seconds']);
const RUNS = Number(args.runs);
const keep = Boolean(args['data-dir']);
const dataDir = args['data-dir'] ? path.resolve(args['data-dir']) : mkdtempSync(path.join(tmpdir(), 'shelfmark-analytics-bench-'));
const reuse = keep && existsSync(path.join(dataDir, 'db', 'PG_VERSION'));
mkdirSync(dataDir, { recursive: true });

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), max: s.at(-1)!, min: s[0]! };
};

const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;
let clockNow = new Date('2026-01-01T06:00:00Z');
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ANALYTICS_RETENTION_DAYS: '730' });
const orm = await openOrm({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
await migrate(orm);
const deps = { config, orm, log: createLogger('silent'), clock: () => new Date(clockNow) } as unknown as Deps;
const em = () => orm.em.fork();
const results: Record<string, unknown> = { engine: 'PGlite (embedded default, on disk)', events: EVENTS, records: RECORDS, node: process.version, when: new Date().toISOString(), loadAverageAtStart: loadavg()[0], reused: reuse };

async function generate() {
  const t0 = performance.now();
  await em().execute(`insert into records (id, title, authors, publisher, year, isbn, media_type, created_at, updated_at)
    select gen_random_uuid(), 'Bench title ' || n, array['Author ' || (n % 5000)], 'Bench Press', 1950 + n % 75, null, 'Book', now(), now()
      from generate_series(1, ?) n`, [RECORDS]);
  const chunk = 500_000;
  for (let from = 0; from < EVENTS; from += chunk) {
    const to = Math.min(EVENTS, from + chunk);
    const t = performance.now();
    // Time-ordered like a real log (occurred_at follows n), popularity skewed (random()^3 over the
    // records), 200,000 sessions a day, kinds in realistic proportions, 3% robots. random() is drawn
    // per row in the innermost select, so every row gets its own.
    await em().execute(`
      with ids as (select array_agg(id order by id) as a from records)
      insert into usage_events (occurred_at, kind, record_id, file_id, item_id, patron_category, session_hash, robot, amount_cents)
      select to_timestamp(?::float8 / 1000 + (g.n::float8 / ?) * ?::float8 / 1000), g.kind, ids.a[g.idx],
             case when g.kind in ('download', 'stream') then md5('file' || g.idx || (g.n % 2))::uuid end,
             case when g.kind in ('loan', 'return', 'renewal', 'hold') then md5('item' || g.idx)::uuid end,
             case when g.kind in ('loan', 'return', 'renewal', 'hold', 'payment') then 'regular' end,
             case when g.kind in ('view', 'download', 'stream') then md5('s' || (abs(hashint4(g.n::int)) % 200000) || '-' || (g.n * 365 / ?)) end,
             g.q < 0.03,
             case when g.kind = 'payment' then 100 + (g.n % 900)::int end
        from (select g0.*, case when r < 0.60 then 'view' when r < 0.75 then 'download' when r < 0.85 then 'stream' when r < 0.90 then 'loan'
                                when r < 0.95 then 'return' when r < 0.97 then 'renewal' when r < 0.99 then 'hold' else 'payment' end as kind
                from (select n, random() as r, random() as q, 1 + floor(? * power(random(), 3))::int as idx from generate_series(?::bigint, ?::bigint) as n) g0) g,
             ids`,
      [YEAR_START, EVENTS, YEAR_MS, EVENTS, RECORDS, from, to - 1], 'run');
    log(`  generated ${to.toLocaleString('en')} events (${Math.round((to - from) / ((performance.now() - t) / 1000)).toLocaleString('en')}/s)`);
  }
  results.generateMs = ms(t0);
}

if (reuse) {
  log(`reusing ${dataDir}`);
} else {
  log(`generating ${EVENTS.toLocaleString('en')} events over ${RECORDS.toLocaleString('en')} records in ${dataDir}`);
  await generate();
  const t = performance.now();
  const r = await usageAggregator(deps);
  results.initialAggregation = { ms: ms(t), days: r.days.length };
  log(`aggregated ${r.days.length} days in ${Math.round(ms(t) / 1000)} s`);
}
const counts = await em().execute<Array<{ n: string | number }>>(`select count(*) as n from usage_events`);
results.eventsInTable = Number(counts[0]!.n);
const sizes = await em().execute<Array<Record<string, string>>>(`select pg_size_pretty(pg_total_relation_size('usage_events')) as events, pg_size_pretty(pg_total_relation_size('usage_daily_records')) as daily,
  pg_size_pretty(pg_total_relation_size('usage_monthly_records')) as monthly, (select count(*) from usage_daily_records)::text as daily_rows, (select count(*) from usage_monthly_records)::text as monthly_rows`);
results.sizes = sizes[0];
log(`table: ${Number(counts[0]!.n).toLocaleString('en')} events; sizes ${JSON.stringify(sizes[0])}`);

async function timed<T>(label: string, f: () => Promise<T>) {
  await f(); // warm
  const xs: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = await f();
    xs.push(ms(t));
  }
  const s = stats(xs);
  log(`${label}: median ${s.median} ms, p95 ${s.p95} ms, max ${s.max} ms (${RUNS} runs)`);
  return { ...s, last };
}

const calendarYear = await timed('summary, calendar year 2025', () => summaryLoader(em(), { from: '2025-01-01', to: '2025-12-31', top: 10 }, '2026-01-01'));
const rolling = await timed('summary, rolling 365 days (2025-02-15..2026-02-14)', () => summaryLoader(em(), { from: '2025-02-15', to: '2026-02-14', top: 10 }, '2026-02-14'));
const series = await timed('time series, views per day for 2025', () => timeseriesLoader(em(), { metric: 'views', from: '2025-01-01', to: '2025-12-31', interval: 'day' }, '2026-01-01'));
const tr = await timed('SUSHI Title Report, 12 months', () => titleReport(em(), { begin_date: '2025-01', end_date: '2025-12' }, clockNow));
results.summaryCalendarYear = { median: calendarYear.median, p95: calendarYear.p95, max: calendarYear.max };
results.summaryRolling365 = { median: rolling.median, p95: rolling.p95, max: rolling.max };
results.timeseriesDayYear = { median: series.median, p95: series.p95, max: series.max };
results.sushiTitleReportYear = { median: tr.median, p95: tr.p95, max: tr.max, items: tr.last?.Report_Items.length };
const s = calendarYear.last!;
results.summarySample = { views: s.views, downloads: s.downloads, streams: s.streams, loans: s.loans, returns: s.returns, robotEventsExcluded: s.robotEventsExcluded, top: s.topRecords[0] };
log(`  2025: ${s.views.toLocaleString('en')} views, ${s.downloads.toLocaleString('en')} downloads, ${s.streams.toLocaleString('en')} streams, ${s.loans.toLocaleString('en')} loans; ${s.robotEventsExcluded.toLocaleString('en')} robot events left out`);

// Ingestion as the service does it: page events go to the in-process buffer (one multi-row INSERT
// every 100 ms); the clock stops when the last one is in the table. Then, for comparison, one INSERT
// per event (a commit each), and 1,000-row INSERTs.
const recordIds = (await em().execute<Array<{ id: string }>>(`select id from records limit 1000`)).map((r) => r.id);
clockNow = new Date('2026-01-02T09:00:00Z');
const event = (i: number): UsageEventInput => ({ kind: 'view', at: new Date(clockNow.getTime() + i), recordId: recordIds[i % recordIds.length]!, sessionHash: (i % 5000).toString(16).padStart(32, '0'), robot: false });
const buffer = usageEventBuffer(deps);
const before = Number((await em().execute<Array<{ n: string }>>(`select count(*) as n from usage_events`))[0]!.n);
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < INGEST_SECONDS * 1000) {
  buffer.add(event(n++));
  // Let the flush timer run, as it does between requests; hold back if the database falls behind.
  if (n % 200 === 0) await (buffer.size > 5_000 ? buffer.flush() : new Promise<void>((r) => setImmediate(r)));
}
await buffer.flush();
const seconds = (performance.now() - t0) / 1000;
const stored = Number((await em().execute<Array<{ n: string }>>(`select count(*) as n from usage_events`))[0]!.n) - before;
results.ingestBuffered = { produced: n, stored, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(stored / seconds) };
log(`ingestion through the buffer: ${Math.round(stored / seconds).toLocaleString('en')} events/s stored (${stored.toLocaleString('en')} of ${n.toLocaleString('en')} in ${seconds.toFixed(1)} s)`);

const single = em();
let m = 0;
const ts = performance.now();
while (performance.now() - ts < Math.min(5, INGEST_SECONDS) * 1000) await usageEventRecorder(single, event(n + m++));
const singleSeconds = (performance.now() - ts) / 1000;
results.ingestOneInsertEach = { events: m, seconds: Math.round(singleSeconds * 10) / 10, perSecond: Math.round(m / singleSeconds) };
log(`for comparison, one INSERT (one commit) per event: ${Math.round(m / singleSeconds).toLocaleString('en')} events/s`);

const batch: UsageEventInput[] = Array.from({ length: 50_000 }, (_, i) => event(n + m + i));
const tb = performance.now();
await usageEventsRecorder(em(), batch);
const batchSeconds = (performance.now() - tb) / 1000;
results.ingestBatched = { events: batch.length, seconds: Math.round(batchSeconds * 10) / 10, perSecond: Math.round(batch.length / batchSeconds) };
log(`and 1,000 rows per INSERT: ${Math.round(batch.length / batchSeconds).toLocaleString('en')} events/s`);

const ta = performance.now();
clockNow = new Date('2026-01-02T09:30:00Z');
await usageAggregator(deps);
results.incrementalAggregationMs = ms(ta);
log(`incremental aggregation after ingestion: ${Math.round(ms(ta))} ms`);

results.loadAverageAtEnd = loadavg()[0];
await orm.close();
const outDir = path.join(import.meta.dirname, 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'analytics.json'), JSON.stringify(results, null, 2));
if (!keep) rmSync(dataDir, { recursive: true, force: true });
const ok = Number((results.summaryCalendarYear as { p95: number }).p95) < 200 && Number((results.summaryRolling365 as { p95: number }).p95) < 200 && Number((results.ingestBuffered as { perSecond: number }).perSecond) >= 2000;
log(ok ? 'targets met' : 'TARGETS MISSED');
process.exit(ok ? 0 : 1);
