// Issue 6: usage events (views, downloads, stream starts, circulation), their aggregation under the
// COUNTER R5 rules (robots, double-click filtering, unique items and titles), the dashboard summary,
// time series, CSV, SUSHI IR/TR, retention and roles; through the HTTP API with the injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { usageAggregator } from '../../services/api/modules/analytics/usage-aggregator.ts';
import { topRecordsLoader } from '../../services/api/modules/analytics/analytics.service.ts';
import { splitByMonths } from '../../services/api/modules/analytics/date-range.ts';
import { countAfterDoubleClickFilter } from '../../services/api/modules/analytics/double-click.ts';
import { usageEventsFlusher } from '../../services/api/modules/analytics/usage-event-buffer.ts';
import { minimalPdf, wavBytes } from '../../services/api/modules/files/test-inputs.ts';
import { buildCopy, buildPatron, call, checkout, staffTokens, type Staff } from './circulation-helpers.ts';

const BROWSER_X = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const BROWSER_Y = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

let svc: TestService;
let staff: Staff;
let recordA: string;
let recordB: string;
let pdfId: string;
let wavId: string;

const db = () => svc.deps.orm.em.fork();
const events = async (where = 'true', params: unknown[] = []) => {
  await usageEventsFlusher(svc.deps); // page events are buffered for up to 100 ms
  return db().execute<Array<Record<string, any>>>(`select * from usage_events where ${where} order by id`, params);
};

async function upload(recordId: string, bytes: Buffer, name: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await svc.api('POST', `/api/v1/records/${recordId}/files`, { token: svc.adminToken, body: form });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}

const view = (recordId: string, ua: string) => svc.api('GET', `/api/v1/records/${recordId}`, { headers: { 'user-agent': ua } });
const content = (fileId: string, ua: string, headers: Record<string, string> = {}) => svc.api('GET', `/api/v1/files/${fileId}/content`, { headers: { 'user-agent': ua, ...headers } });
async function at<T>(iso: string, f: () => Promise<T>): Promise<T> {
  svc.clock.set(iso);
  return f();
}

beforeAll(async () => {
  svc = await startTestService();
  staff = await staffTokens(svc);
  const a = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: 'Counting Usage', authors: ['Pesch, Oliver'], isbn: '9780306406157', publisher: 'COUNTER Press', year: 2019, mediaType: 'Book' });
  const b = await call(svc, svc.adminToken, 'POST', '/api/v1/records', { title: 'Another Title', authors: ['Other, Author'], mediaType: 'Book' });
  recordA = a.body.id;
  recordB = b.body.id;
  pdfId = await upload(recordA, minimalPdf(['Chapter one', 'Chapter two']), 'counting.pdf');
  wavId = await upload(recordA, wavBytes({ seconds: 1 }), 'lecture.wav');
});
afterAll(async () => { await svc?.close(); });

describe('usage events', () => {
  it('a record view is an event with the record id, a session hash, a robot flag and time, and no identity', async () => {
    svc.clock.set('2026-03-10T09:00:00Z');
    expect((await view(recordA, BROWSER_X)).status).toBe(200);
    const [e] = await events(`kind = 'view'`);
    expect(e).toMatchObject({ kind: 'view', record_id: recordA, file_id: null, robot: false, patron_category: null });
    expect(e!.session_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(new Date(e!.occurred_at).toISOString()).toBe('2026-03-10T09:00:00.000Z');
    // Nothing that identifies a person is a column of the table.
    const columns = (await db().execute<Array<{ column_name: string }>>(`select column_name from information_schema.columns where table_name = 'usage_events'`)).map((c) => c.column_name);
    expect(columns.sort()).toEqual(['amount_cents', 'file_id', 'id', 'item_id', 'kind', 'occurred_at', 'patron_category', 'record_id', 'robot', 'session_hash']);
  });

  it('GET content: a full 200 is a download, a range from byte 0 a stream start, later ranges count only as a first request', async () => {
    await db().execute(`delete from usage_events`);
    svc.clock.set('2026-03-10T10:00:00Z');
    expect((await content(pdfId, BROWSER_X)).status).toBe(200);
    expect((await content(wavId, BROWSER_X, { range: 'bytes=0-' })).status).toBe(206);
    // The same session seeking within the WAV: a continuation of its stream, not a new start.
    expect((await content(wavId, BROWSER_X, { range: 'bytes=100-199' })).status).toBe(206);
    // Another session whose first request starts mid-file (a resumed player): a stream start.
    expect((await content(wavId, BROWSER_Y, { range: 'bytes=100-' })).status).toBe(206);
    // HEAD, 304 and 416 deliver nothing.
    expect((await svc.api('HEAD', `/api/v1/files/${pdfId}/content`, { headers: { 'user-agent': BROWSER_X } })).ok).toBe(true);
    const etag = (await content(pdfId, BROWSER_Y)).headers.get('etag')!;
    expect((await content(pdfId, BROWSER_Y, { 'if-none-match': etag })).status).toBe(304);
    expect((await content(pdfId, BROWSER_Y, { range: 'bytes=999999-' })).status).toBe(416);
    const got = (await events()).map((e) => ({ kind: e.kind, file: e.file_id }));
    expect(got).toEqual([
      { kind: 'download', file: pdfId },
      { kind: 'stream', file: wavId },
      { kind: 'stream', file: wavId },
      { kind: 'download', file: pdfId },
    ]);
    expect((await events()).every((e) => e.record_id === recordA)).toBe(true);
  });

  it('the session hash changes with the day (salted daily) and yesterday\'s salt is deleted by the job', async () => {
    await db().execute(`delete from usage_events`);
    await at('2026-03-10T23:59:00Z', () => view(recordB, BROWSER_X));
    await at('2026-03-11T00:01:00Z', () => view(recordB, BROWSER_X));
    const [a, b] = await events();
    expect(a!.session_hash).not.toBe(b!.session_hash);
    svc.clock.set('2026-03-13T08:00:00Z');
    await usageAggregator(svc.deps);
    const salts = await db().execute<Array<{ day: string }>>(`select to_char(day, 'YYYY-MM-DD') as day from usage_salts order by day`);
    expect(salts.map((s) => s.day).every((d) => d >= '2026-03-12')).toBe(true);
  });
});

describe('COUNTER R5 counting', () => {
  beforeAll(async () => {
    await db().execute(`delete from usage_events`);
    const day = '2026-03-16';
    // Session X: 10:00:00 and 10:00:29 are a double-click (one view); 10:01:05 is 36 s later (a second).
    await at(`${day}T10:00:00Z`, () => view(recordA, BROWSER_X));
    await at(`${day}T10:00:29Z`, () => view(recordA, BROWSER_X));
    await at(`${day}T10:01:05Z`, () => view(recordA, BROWSER_X));
    // Session Y: one view.
    await at(`${day}T10:01:10Z`, () => view(recordA, BROWSER_Y));
    // A crawler: never counted.
    for (let i = 0; i < 5; i++) await at(`${day}T10:0${i}:30Z`, () => view(recordA, GOOGLEBOT));
    // Session X downloads the PDF twice within 10 s (one request) and starts the WAV; Y streams the PDF.
    await at(`${day}T10:02:00Z`, () => content(pdfId, BROWSER_X));
    await at(`${day}T10:02:10Z`, () => content(pdfId, BROWSER_X));
    await at(`${day}T10:02:05Z`, () => content(pdfId, BROWSER_Y, { range: 'bytes=0-' }));
    await at(`${day}T10:03:00Z`, () => content(wavId, BROWSER_X, { range: 'bytes=0-' }));
    // Record B: one view by X, on the next day.
    await at('2026-03-17T12:00:00Z', () => view(recordB, BROWSER_X));
    svc.clock.set('2026-03-18T06:00:00Z');
    await usageAggregator(svc.deps);
  });

  it('the SQL and the pure reference agree on double-click filtering', async () => {
    const views = await events(`kind = 'view' and not robot and record_id = ? and occurred_at < '2026-03-17'`, [recordA]);
    expect(countAfterDoubleClickFilter(views.map((e) => ({ key: `${e.session_hash}|${e.record_id}`, at: new Date(e.occurred_at).getTime() })))).toBe(3);
    const [row] = await db().execute(`select * from usage_daily_records where day = '2026-03-16' and record_id = ? and file_id is null`, [recordA]);
    expect(row).toMatchObject({ views: 3, unique_views: 2, downloads: 1, streams: 2, title_investigations: 6, title_requests: 3, unique_title_investigations: 2, unique_title_requests: 2 });
  });

  it('the summary counts per COUNTER: robots out, double-clicks folded, unique items and titles per session', async () => {
    const res = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-03-16&to=2026-03-17');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-03-16', to: '2026-03-17', views: 4, downloads: 1, streams: 2, loans: 0, returns: 0, robotEventsExcluded: 5,
      counter: {
        totalItemInvestigations: 7, totalItemRequests: 3,
        // Record pages: A by X and Y, B by X; files: PDF by X and Y, WAV by X.
        uniqueItemInvestigations: 6, uniqueItemRequests: 3,
        uniqueTitleInvestigations: 3, uniqueTitleRequests: 2,
      },
    });
    expect(res.body.topRecords.map((t: any) => [t.title, t.investigations, t.views, t.downloads, t.streams])).toEqual([
      ['Counting Usage', 6, 3, 1, 2],
      ['Another Title', 1, 1, 0, 0],
    ]);
  });

  it('aggregating again changes nothing', async () => {
    const before = await db().execute(`select * from usage_daily order by day, metric, patron_category`);
    const monthly = await db().execute(`select record_id, file_id, views, requests, unique_requests from usage_monthly_records order by record_id, file_id nulls first`);
    await usageAggregator(svc.deps);
    expect(await db().execute(`select * from usage_daily order by day, metric, patron_category`)).toEqual(before);
    expect(await db().execute(`select record_id, file_id, views, requests, unique_requests from usage_monthly_records order by record_id, file_id nulls first`)).toEqual(monthly);
  });

  it('the time series fills empty days with zeros and groups by week and month; CSV too', async () => {
    const days = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/timeseries?metric=views&from=2026-03-15&to=2026-03-18');
    expect(days.body.points).toEqual([
      { period: '2026-03-15', value: 0 }, { period: '2026-03-16', value: 3 }, { period: '2026-03-17', value: 1 }, { period: '2026-03-18', value: 0 },
    ]);
    const weeks = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/timeseries?metric=requests&from=2026-03-09&to=2026-03-22&interval=week');
    expect(weeks.body.points).toEqual([{ period: '2026-03-09', value: 0 }, { period: '2026-03-16', value: 3 }]);
    const months = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/timeseries?metric=views&from=2026-02-01&to=2026-03-31&interval=month');
    // March also holds the two views of record B on the 10th and 11th (the salt test).
    expect(months.body.points).toEqual([{ period: '2026-02-01', value: 0 }, { period: '2026-03-01', value: 6 }]);
    const csv = await svc.api('GET', '/api/v1/analytics/timeseries?metric=views&from=2026-03-16&to=2026-03-17&format=csv', { token: staff.supervisor });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(await csv.text()).toBe('period,views\r\n2026-03-16,3\r\n2026-03-17,1\r\n');
    const summaryCsv = await (await svc.api('GET', '/api/v1/analytics/summary?from=2026-03-16&to=2026-03-17&format=csv', { token: staff.supervisor })).text();
    expect(summaryCsv.split('\r\n')).toEqual(expect.arrayContaining(['metric,value,recordId,title', 'views,4,,', `topRecord.investigations,6,${recordA},Counting Usage`]));
  });

  it('SUSHI: the Item Report and Title Report in the COUNTER_SUSHI JSON shape', async () => {
    const ir = await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/ir?begin_date=2026-03&end_date=2026-03&customer_id=library');
    expect(ir.status).toBe(200);
    expect(ir.body.Report_Header).toMatchObject({
      Report_ID: 'IR', Release: '5', Report_Name: 'Item Report', Created_By: 'Shelfmark', Customer_ID: 'library',
      Report_Filters: expect.arrayContaining([{ Name: 'Begin_Date', Value: '2026-03-01' }, { Name: 'End_Date', Value: '2026-03-31' }]),
    });
    const pdfItem = ir.body.Report_Items.find((i: any) => i.Item_ID.some((x: any) => x.Value === `shelfmark:file:${pdfId}`));
    expect(pdfItem).toMatchObject({
      Item: 'Counting Usage: counting.pdf', Platform: 'Shelfmark', Publisher: 'COUNTER Press', Data_Type: 'Book', YOP: '2019', Access_Method: 'Regular',
      Performance: [{ Period: { Begin_Date: '2026-03-01', End_Date: '2026-03-31' }, Instance: [
        { Metric_Type: 'Total_Item_Investigations', Count: 2 }, { Metric_Type: 'Total_Item_Requests', Count: 2 },
        { Metric_Type: 'Unique_Item_Investigations', Count: 2 }, { Metric_Type: 'Unique_Item_Requests', Count: 2 },
      ] }],
    });
    expect(pdfItem.Item_ID).toContainEqual({ Type: 'ISBN', Value: '9780306406157' });
    const wavItem = ir.body.Report_Items.find((i: any) => i.Item_ID.some((x: any) => x.Value === `shelfmark:file:${wavId}`));
    expect(wavItem.Data_Type).toBe('Multimedia');
    const page = ir.body.Report_Items.find((i: any) => i.Item_ID.some((x: any) => x.Value === `shelfmark:record:${recordA}`));
    expect(page.Performance[0].Instance).toEqual([{ Metric_Type: 'Total_Item_Investigations', Count: 3 }, { Metric_Type: 'Unique_Item_Investigations', Count: 2 }]);

    const tr = await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/tr?begin_date=2026-03-01&end_date=2026-03-31');
    const title = tr.body.Report_Items.find((i: any) => i.Title === 'Counting Usage');
    expect(title.Performance[0].Instance).toEqual([
      { Metric_Type: 'Total_Item_Investigations', Count: 6 }, { Metric_Type: 'Total_Item_Requests', Count: 3 },
      { Metric_Type: 'Unique_Item_Investigations', Count: 5 }, { Metric_Type: 'Unique_Item_Requests', Count: 3 },
      { Metric_Type: 'Unique_Title_Investigations', Count: 2 }, { Metric_Type: 'Unique_Title_Requests', Count: 2 },
    ]);
    const filtered = await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/tr?begin_date=2026-03&end_date=2026-03&metric_type=Unique_Title_Requests');
    expect(filtered.body.Report_Items.map((i: any) => i.Performance[0].Instance)).toEqual([[{ Metric_Type: 'Unique_Title_Requests', Count: 2 }]]);
  });

  it('SUSHI exceptions: missing or reversed dates, unknown metric types, no usage', async () => {
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/ir')).body).toMatchObject({ status: 400, Code: 1030 });
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/ir?begin_date=2026-04&end_date=2026-03')).body).toMatchObject({ status: 400, Code: 3020 });
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/tr?begin_date=2026-03&end_date=2026-03&metric_type=Searches_Platform')).body).toMatchObject({ status: 400, Code: 3060 });
    const empty = await call(svc, staff.supervisor, 'GET', '/api/v1/sushi/reports/tr?begin_date=2025-01&end_date=2025-02');
    expect(empty.body.Report_Items).toEqual([]);
    expect(empty.body.Report_Header.Exceptions).toContainEqual(expect.objectContaining({ Code: 3030 }));
  });
});

describe('circulation and search events', () => {
  it('loans, returns, renewals, holds and payments carry the patron category, never the patron', async () => {
    svc.clock.set('2026-04-01T09:00:00Z');
    const [copy, other] = [await buildCopy(svc), await buildCopy(svc)];
    const member = await buildPatron(svc);
    const loan = await checkout(svc, copy.id, member.id);
    expect(loan.status).toBe(201);
    const renewed = await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/renew`, {});
    expect(renewed.status).toBe(200);
    const otherMember = await buildPatron(svc);
    expect((await checkout(svc, other.id, otherMember.id)).status).toBe(201);
    expect((await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: other.id, patronId: member.id })).status).toBe(201);
    svc.clock.set('2026-05-20T09:00:00Z');
    const returned = await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${renewed.body.id}/return`, {});
    expect(returned.body.fineCents).toBeGreaterThan(0);
    expect((await call(svc, svc.adminToken, 'POST', `/api/v1/patrons/${member.id}/payments`, { amountCents: 100, method: 'cash' })).status).toBe(201);
    const got = await events(`kind in ('loan', 'return', 'renewal', 'hold', 'payment')`);
    expect(got.map((e) => e.kind)).toEqual(['loan', 'renewal', 'loan', 'hold', 'return', 'payment']);
    expect(got.every((e) => e.patron_category === 'regular' && e.session_hash === null)).toBe(true);
    expect(got[0]).toMatchObject({ item_id: copy.id, record_id: (copy as unknown as { recordId: string }).recordId });
    expect(got[5]).toMatchObject({ amount_cents: 100, item_id: null });
    expect(JSON.stringify(got)).not.toContain(member.id);

    svc.clock.set('2026-05-21T09:00:00Z');
    await usageAggregator(svc.deps);
    const s = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-04-01&to=2026-05-31');
    expect(s.body).toMatchObject({ loans: 2, renewals: 1, holds: 1, returns: 1, payments: 1, paymentsCents: 100 });
    expect(s.body.circulationByPatronCategory.regular).toEqual({ loans: 2, returns: 1, renewals: 1, holds: 1, payments: 1 });
  });

  it('searches and searches without results come from the search module\'s search_events', async () => {
    const insert = (at: string, query: string, results: number) => db().execute(
      `insert into search_events (occurred_at, query, filters, sort, result_count, total_relation, no_results, took_ms, engine) values (?, ?, '{}', 'relevance', ?, 'eq', ?, 3, 'postgres')`,
      [at, query, results, results === 0]);
    await insert('2026-06-02T10:00:00Z', 'batman', 3);
    await insert('2026-06-02T10:05:00Z', 'quantum gravity', 0);
    await insert('2026-06-03T11:00:00Z', 'man', 12);
    svc.clock.set('2026-06-04T00:30:00Z');
    await usageAggregator(svc.deps);
    const s = await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-06-01&to=2026-06-30');
    expect(s.body).toMatchObject({ searches: 3, searchesWithNoResults: 1 });
  });
});

describe('retention and roles', () => {
  it('raw events older than ANALYTICS_RETENTION_DAYS are deleted after aggregation; the aggregates stay', async () => {
    const summary = async () => (await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-03-16&to=2026-03-17')).body;
    const before = await summary();
    await view(recordA, BROWSER_X); // an event of 2026-06-04, inside the window
    svc.clock.set('2028-03-17T00:00:00Z'); // 731 days after 2026-03-16
    const r = await usageAggregator(svc.deps);
    expect(r.deletedEvents).toBeGreaterThan(0);
    expect(await events(`occurred_at < '2026-03-17'`)).toEqual([]);
    expect((await events()).length).toBeGreaterThan(0);
    expect(await summary()).toEqual(before);
  });

  it('after all these incremental runs the monthly table is exactly the sum of the daily one', async () => {
    const cols = 'views, downloads, streams, requests, unique_views, unique_requests, title_investigations, title_requests, unique_title_investigations, unique_title_requests';
    const sums = cols.split(', ').map((c) => `sum(${c})::int as ${c}`).join(', ');
    const fromDaily = await db().execute(`select to_char(date_trunc('month', day), 'YYYY-MM') as m, record_id, file_id, ${sums} from usage_daily_records where day < '2030-01-01' group by 1, 2, 3 order by 1, 2, 3 nulls first`);
    const monthly = await db().execute(`select to_char(month, 'YYYY-MM') as m, record_id, file_id, ${sums} from usage_monthly_records where month < '2030-01-01' group by 1, 2, 3 order by 1, 2, 3 nulls first`);
    expect(monthly.length).toBeGreaterThan(0);
    expect(monthly).toEqual(fromDaily);
  });

  it('analytics and SUSHI are for supervisors and admins', async () => {
    const paths = ['/api/v1/analytics/summary', '/api/v1/analytics/timeseries?metric=views', '/api/v1/sushi/reports/ir?begin_date=2026-03&end_date=2026-03', '/api/v1/sushi/reports'];
    for (const p of paths) {
      expect((await call(svc, null, 'GET', p)).status).toBe(401);
      expect((await call(svc, staff.patronUser, 'GET', p)).status).toBe(403);
      expect((await call(svc, staff.librarian, 'GET', p)).status).toBe(403);
      expect((await call(svc, staff.supervisor, 'GET', p)).status).toBe(200);
      expect((await call(svc, staff.admin, 'GET', p)).status).toBe(200);
    }
  });

  it('refuses bad ranges', async () => {
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-03-20&to=2026-03-10')).status).toBe(422);
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/summary?from=2026-02-30')).status).toBe(422);
    expect((await call(svc, staff.supervisor, 'GET', '/api/v1/analytics/timeseries?metric=nope')).status).toBe(422);
  });
});

describe('top records (threshold algorithm) against adding everything up', () => {
  async function bruteForce(from: string, to: string, k: number) {
    const split = splitByMonths({ from, to });
    const parts: string[] = [];
    const params: unknown[] = [];
    if (split.months) { parts.push(`select record_id, title_investigations as v from usage_monthly_records where file_id is null and month >= ?::date and month < ?::date`); params.push(split.months.from, split.months.to); }
    for (const d of split.days) { parts.push(`select record_id, title_investigations as v from usage_daily_records where file_id is null and day >= ?::date and day < ?::date`); params.push(d.from, d.to); }
    const rows = await db().execute<Array<{ record_id: string; s: string | number }>>(
      `select record_id, sum(v) as s from (${parts.join(' union all ')}) x group by record_id order by s desc, record_id limit ?`, [...params, k]);
    return rows.map((r) => [r.record_id, Number(r.s)]);
  }

  it.each([
    ['skewed', 'floor(1000 * power(random(), 4))::int + 1'],
    ['flat, with many ties', '5'],
    ['uniform', 'floor(50 * random())::int + 1'],
  ])('%s use: the same top k for a calendar year, a rolling year and a few days', async (_name, value) => {
    await db().execute(`delete from usage_monthly_records where month >= '2030-01-01'`);
    await db().execute(`delete from usage_daily_records where day >= '2030-01-01'`);
    // Each record is active in some months and on some days, as in real use.
    await db().execute(`insert into usage_monthly_records (month, record_id, file_id, title_investigations)
      select m, md5('r' || b)::uuid, null, ${value} from generate_series(1, 300) b, generate_series('2030-01-01'::date, '2031-02-01'::date, interval '1 month') m where random() < 0.7`);
    await db().execute(`insert into usage_daily_records (day, record_id, file_id, title_investigations)
      select d, md5('r' || b)::uuid, null, ${value} from generate_series(1, 300) b, generate_series('2030-01-01'::date, '2031-02-28'::date, interval '1 day') d where random() < 0.1`);
    for (const [from, to] of [['2030-01-01', '2030-12-31'], ['2030-02-15', '2031-02-14'], ['2030-06-03', '2030-06-09']] as const) {
      for (const k of [1, 10, 25]) {
        const got = await topRecordsLoader(db(), { from, to }, k);
        expect(got.map((t) => [t.recordId, t.investigations]), `${from}..${to} top ${k}`).toEqual(await bruteForce(from, to, k));
      }
    }
  });
});

