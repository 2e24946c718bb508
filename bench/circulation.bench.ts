// Circulation benchmark (issue 3): checkout + return round trips with 50 concurrent clients on
// PostgreSQL with 100,000 copies and 20,000 patrons. The service runs as a child process on its
// own database; copies and patrons are generated with bulk SQL; clients pick random patrons and
// copies over HTTP with keep-alive. Afterwards the database is checked for double loans.
//
//   node bench/circulation.bench.ts [--seconds 30] [--clients 50] [--copies 100000] [--patrons 20000] [--rate 0]
//   --rate N paces each client to N round trips per second (an open desk load); 0 is a closed loop
//   that measures the most the service can do, where latency is queueing: 50 / throughput.
//   DATABASE_URL selects the server (default postgres://postgres@127.0.0.1:5432/test, used only to
//   create and drop the benchmark database).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: args } = parseArgs({ options: {
  seconds: { type: 'string', default: '30' }, clients: { type: 'string', default: '50' },
  copies: { type: 'string', default: '100000' }, patrons: { type: 'string', default: '20000' },
  // Round trips per second per client; 0 = closed loop (each client starts the next at once).
  rate: { type: 'string', default: '0' },
} });
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const COPIES = Number(args.copies);
const PATRONS = Number(args.patrons);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `shelfmark_bench_circ_${process.pid}`;
const benchUrl = (() => { const u = new URL(adminUrl); u.pathname = `/${dbName}`; return u.toString(); })();
const repo = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'shelfmark-circ-bench-'));
const PASSWORD = 'bench-admin-password';

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

function startService(): Promise<{ url: string; stop: () => Promise<void>; pid: number }> {
  const profile = process.env.BENCH_CPU_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, 'services/api/main.ts'], {
    cwd: repo, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: benchUrl, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', WORKER: 'off', SHELFMARK_ADMIN_PASSWORD: PASSWORD },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, pid: child.pid!, stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code})`)));
  });
}

async function token(url: string): Promise<string> {
  const s = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const cookie = s.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = await s.json() as { csrfToken: string };
  const t = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'bench' }) });
  return ((await t.json()) as { token: string }).token;
}

async function generate(): Promise<{ itemIds: string[]; patronIds: string[]; ms: number }> {
  const started = performance.now();
  const c = new pg.Client({ connectionString: benchUrl });
  await c.connect();
  const records = Math.ceil(COPIES / 2);
  await c.query(`insert into records (id, title, authors, publisher, year, isbn, media_type, created_at, updated_at)
    select gen_random_uuid(), 'Bench title ' || n, array['Author ' || (n % 5000)], 'Bench Press', 1950 + n % 75, null, 'Book', now(), now()
    from generate_series(1, $1) n`, [records]);
  await c.query(`insert into items (id, record_id, call_number, accession_number, loan_category, location, floor, media_type, replacement_cost_cents, status, created_at, updated_at)
    select gen_random_uuid(), r.id, lpad((row_number() over ())::text, 10, '0'), 'B' || (row_number() over ()), 'two-week', 'Central Branch', '1', 'Book', 2500, 'available', now(), now()
    from records r cross join generate_series(1, 2) k limit $1`, [COPIES]);
  await c.query(`insert into patrons (id, membership_id, name, faculty, category, restricted, contact_index, created_at, updated_at)
    select gen_random_uuid(), 'B' || lpad(n::text, 8, '0'), 'Bench Patron ' || n, 'Computing', 'regular', false, '{}', now(), now()
    from generate_series(1, $1) n`, [PATRONS]);
  await c.query('analyze');
  const itemIds = (await c.query<{ id: string }>('select id from items')).rows.map((r) => r.id);
  const patronIds = (await c.query<{ id: string }>('select id from patrons')).rows.map((r) => r.id);
  await c.end();
  return { itemIds, patronIds, ms: performance.now() - started };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  await admin(`create database ${dbName}`);
  let service: Awaited<ReturnType<typeof startService>> | null = null;
  try {
    service = await startService();
    const gen = await generate();
    const bearer = await token(service.url);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
    const roundTrips: number[] = [];
    const checkouts: number[] = [];
    const returns: number[] = [];
    const refusals: Record<string, number> = {};
    let errors = 0;
    let peakRssKb = 0;
    const sampler = setInterval(() => {
      try {
        const status = require_fs().readFileSync(`/proc/${service!.pid}/status`, 'utf8');
        peakRssKb = Math.max(peakRssKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch { /* process gone */ }
    }, 500);
    const deadline = performance.now() + SECONDS * 1000;
    const client = async () => {
      // Paced clients start at random offsets so that they do not arrive in lock-step.
      if (RATE > 0) await new Promise((r) => setTimeout(r, Math.random() * 1000 / RATE));
      while (performance.now() < deadline) {
        const tick = performance.now();
        const itemId = gen.itemIds[Math.floor(Math.random() * gen.itemIds.length)]!;
        const patronId = gen.patronIds[Math.floor(Math.random() * gen.patronIds.length)]!;
        const t0 = performance.now();
        const res = await fetch(`${service!.url}/api/v1/loans`, { method: 'POST', headers, body: JSON.stringify({ itemId, patronId }) });
        const body = await res.json() as { id?: string; code?: string };
        const t1 = performance.now();
        if (res.status !== 201) {
          if (res.status === 409) refusals[body.code ?? '?'] = (refusals[body.code ?? '?'] ?? 0) + 1; else errors++;
          continue;
        }
        checkouts.push(t1 - t0);
        const r = await fetch(`${service!.url}/api/v1/loans/${body.id}/return`, { method: 'POST', headers, body: '{}' });
        await r.arrayBuffer();
        const t2 = performance.now();
        if (r.status !== 200) { errors++; continue; }
        returns.push(t2 - t1);
        roundTrips.push(t2 - t0);
        if (RATE > 0) {
          const wait = 1000 / RATE - (performance.now() - tick);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);

    const c = new pg.Client({ connectionString: benchUrl });
    await c.connect();
    const doubles = Number((await c.query(`select count(*) as n from (select item_id from loans where returned_at is null group by item_id having count(*) > 1) d`)).rows[0].n);
    const overlaps = Number((await c.query(`select count(*) as n from loans a join loans b on a.item_id = b.item_id and a.id < b.id
      and a.loaned_at < coalesce(b.returned_at, 'infinity') and b.loaned_at < coalesce(a.returned_at, 'infinity')`)).rows[0].n);
    await c.end();

    const sort = (a: number[]) => [...a].sort((x, y) => x - y);
    const rt = sort(roundTrips);
    const result = {
      benchmark: 'circulation', date: new Date().toISOString(), database: 'postgresql', copies: COPIES, patrons: PATRONS, clients: CLIENTS, seconds: SECONDS, ratePerClient: RATE || 'closed loop',
      generateMs: Math.round(gen.ms),
      roundTrips: rt.length, roundTripsPerSecond: Math.round(rt.length / elapsed),
      roundTripMs: { p50: +pct(rt, 50).toFixed(1), p95: +pct(rt, 95).toFixed(1), p99: +pct(rt, 99).toFixed(1) },
      checkoutMs: { p50: +pct(sort(checkouts), 50).toFixed(1), p95: +pct(sort(checkouts), 95).toFixed(1) },
      returnMs: { p50: +pct(sort(returns), 50).toFixed(1), p95: +pct(sort(returns), 95).toFixed(1) },
      refusals, errors, doubleLoans: doubles, overlappingLoans: overlaps, servicePeakRssMB: Math.round(peakRssKb / 1024),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(path.join(repo, 'bench/out'), { recursive: true });
    writeFileSync(path.join(repo, `bench/out/circulation${RATE ? `-rate${RATE}` : ''}.json`), JSON.stringify(result, null, 2));
  } finally {
    await service?.stop();
    await admin(`drop database if exists ${dbName} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

import * as fsModule from 'node:fs';
const require_fs = () => fsModule;
await main();
