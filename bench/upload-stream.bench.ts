// Upload and streaming throughput of Shelfmark against bare baselines, measured side by side in one
// run (A B A B ...) because this machine's disk and CPU swing a lot between runs: only the ratios
// from one run mean anything.
//
//   Upload:    Shelfmark multipart upload (A)      vs bench/bare-receiver.ts raw POST (B)
//   Streaming: Shelfmark GET /files/:id/content (A) vs Debian nginx with sendfile (B), same inode
//   Memory:    VmHWM of the service process, VmRSS sampled every 50 ms
//
// Run (from the repo root):
//   export PATH=$PWD/node_modules/.bin:$PATH
//   node bench/upload-stream.bench.ts            # 5 rounds of 1 GiB
//   BENCH_ROUNDS=3 BENCH_SIZE_MIB=256 node bench/upload-stream.bench.ts   # quicker
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/upload-stream.bench.ts
//     # the service on PostgreSQL instead of in-process PGlite (a scratch database is created and
//     # dropped); PGlite's WebAssembly Postgres alone takes 400-800 MB of the service's RSS
// bench/README.md explains each measure and keeps dated results. Writes bench/out/upload-stream.json.
// Needs curl and nginx (installed with apt-get when missing and running as root). The service runs
// with its inline worker, as in production; the bench waits for the derive job of each upload to
// finish (untimed) so it does not overlap the next run.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { chmod, link, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { originalKey } from '../storage/storage-keys.ts';

const execFileP = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..');
// Another checkout of the service (a branch or a scratch copy with a prototype) can be measured by
// the same bench: BENCH_SERVICE_DIR=/path/to/checkout (it needs its own or a linked node_modules).
const SERVICE_DIR = path.resolve(process.env.BENCH_SERVICE_DIR ?? REPO);
// BENCH_LABEL=x writes bench/out/upload-stream-x.json instead, so a comparison run keeps the main one.
const OUT_NAME = `upload-stream${process.env.BENCH_LABEL ? `-${process.env.BENCH_LABEL.replace(/[^\w.-]/g, '_')}` : ''}.json`;
// Temp files (the 1 GiB input, the service's DATA_DIR, nginx's root) go under BENCH_TMPDIR or os.tmpdir().
const TMP_BASE = path.resolve(process.env.BENCH_TMPDIR ?? os.tmpdir());
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const SIZE = Math.max(1, Number(process.env.BENCH_SIZE_MIB ?? 1024)) * 1024 * 1024;
const RANGE_COUNT = 64;
const RANGE_SIZE = 8 * 1024 * 1024;
const LARGE_RANGE = { start: Math.min(64 * 1024 * 1024, Math.floor(SIZE / 4)), length: Math.min(512 * 1024 * 1024, Math.floor(SIZE / 2)) };
const TARGETS = { upload: 0.7, stream: 0.8, peakMemoryMB: 200 } as const;
const MB = 1e6; // throughput in decimal MB/s, sizes in MiB
const PASSWORD = 'benchpassword';

const children: ChildProcess[] = [];
let tmpRoot: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let stopSampling: (() => void) | undefined;

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const signed = (x: number) => (x >= 0 ? `+${x}` : String(x));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function which(cmd: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin']) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

function ensureTool(cmd: string, pkg: string): string {
  let found = which(cmd);
  if (!found && process.getuid?.() === 0) {
    log(`${cmd} not found: installing Debian's ${pkg} (apt-get install -y ${pkg}) ...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env });
    } catch {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env });
    }
    found = which(cmd);
  }
  if (!found) throw new Error(`${cmd} is required and missing: install it with \`apt-get install -y ${pkg}\` (as root) and run again.`);
  return found;
}

/** Flushes dirty pages (untimed) so one run's writeback does not land in the next run's time. */
async function settleDisk(): Promise<void> {
  await execFileP('sync');
  await sleep(300);
}

/** A scratch database on the server of BENCH_DATABASE_URL; its URL, and a way to drop it. */
async function scratchDatabase(adminUrl: string): Promise<string> {
  const { default: pg } = await import('pg');
  const name = `shelfmark_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`drop database if exists ${name} with (force)`);
    } finally {
      await c.end();
    }
  };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface Spawned { child: ChildProcess; output: () => string }

function spawnChild(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Spawned {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-8000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(what: string, spawned: Spawned, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawned.child.exitCode !== null) throw new Error(`${what} exited early (code ${spawned.child.exitCode}):\n${spawned.output()}`);
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s:\n${spawned.output()}`);
}

// ---------------------------------------------------------------------------------------------
// Memory of the service process, from /proc (Linux only)

interface MemorySampler { stop(): void; peakRssMB(): number; hwmMB(): number; mark(phase: string): void; phases: Record<string, number> }

function procStatusKB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

function sampleMemory(pid: number): MemorySampler {
  let peak = 0;
  let lastHwm = 0;
  let phase = 'startup';
  const phases: Record<string, number> = {};
  const tick = () => {
    try {
      const rss = procStatusKB(pid, 'VmRSS') / 1024;
      lastHwm = procStatusKB(pid, 'VmHWM') / 1024;
      peak = Math.max(peak, rss);
      phases[phase] = Math.max(phases[phase] ?? 0, rss);
    } catch { /* process gone */ }
  };
  tick();
  const timer = setInterval(tick, 50);
  stopSampling = () => clearInterval(timer);
  return {
    stop: () => { tick(); clearInterval(timer); },
    peakRssMB: () => peak,
    hwmMB: () => { tick(); return lastHwm; },
    mark: (p) => { tick(); phase = p; },
    phases,
  };
}

// ---------------------------------------------------------------------------------------------
// curl, the one client for both sides

interface CurlResult { status: number; seconds: number; bytes: number; body: string }

async function curl(args: string[], bodyFile?: string): Promise<CurlResult> {
  const { stdout } = await execFileP('curl', ['-sS', '-o', bodyFile ?? '/dev/null', '-w', '%{http_code} %{time_total} %{size_upload} %{size_download}\\n', ...args], { maxBuffer: 1 << 20 });
  const [status, seconds, up, down] = stdout.trim().split(' ').map(Number) as [number, number, number, number];
  return { status, seconds, bytes: Math.max(up, down), body: bodyFile ? readFileSync(bodyFile, 'utf8') : '' };
}

/** Several ranged GETs on one keep-alive connection (curl --next): per-transfer times, summed. */
async function curlRanges(url: string, ranges: Array<{ start: number; end: number }>): Promise<{ seconds: number; bytes: number; statuses: Set<number> }> {
  const args: string[] = [];
  ranges.forEach((r, i) => {
    if (i) args.push('--next');
    args.push('-sS', '-o', '/dev/null', '-r', `${r.start}-${r.end}`, '-w', '%{http_code} %{time_total} %{size_download} %{num_connects}\\n', url);
  });
  const { stdout } = await execFileP('curl', args, { maxBuffer: 1 << 20 });
  let seconds = 0;
  let bytes = 0;
  const statuses = new Set<number>();
  for (const line of stdout.trim().split('\n')) {
    const [status, t, size] = line.split(' ').map(Number) as [number, number, number];
    statuses.add(status);
    seconds += t;
    bytes += size;
  }
  return { seconds, bytes, statuses };
}

// ---------------------------------------------------------------------------------------------
// Shelfmark API

async function api(base: string, pathname: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return fetch(base + pathname, { ...init, headers, body });
}

async function signIn(base: string): Promise<string> {
  const session = await api(base, '/api/v1/session', { method: 'POST', json: { username: 'admin', password: PASSWORD } });
  if (!session.ok) throw new Error(`sign-in failed: ${session.status} ${await session.text()}`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const tokenRes = await api(base, '/api/v1/tokens', { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, json: { name: 'bench' } });
  if (!tokenRes.ok) throw new Error(`token creation failed: ${tokenRes.status} ${await tokenRes.text()}`);
  return ((await tokenRes.json()) as { token: string }).token;
}

async function waitDerived(base: string, token: string, fileId: string): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await api(base, `/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${token}` } });
    const { status } = (await res.json()) as { status: string };
    if (status !== 'processing') return status;
    await sleep(250);
  }
  return 'processing (gave up waiting)';
}

// ---------------------------------------------------------------------------------------------
// Input: an allowed type (WAV header) followed by random bytes, so the upload is accepted and
// nothing compresses or dedupes it.

async function generateWav(file: string, size: number): Promise<string> {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(Math.min(size - 8, 0xffffffff), 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // stereo
  header.writeUInt32LE(44_100, 24);
  header.writeUInt32LE(44_100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(size - 44, 40);
  const hash = createHash('sha256');
  const fh = await open(file, 'w');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    let written = 0;
    while (written < size) {
      const n = Math.min(chunk.length, size - written);
      randomFillSync(chunk, 0, n);
      if (written === 0) header.copy(chunk, 0);
      const part = chunk.subarray(0, n);
      hash.update(part);
      await fh.write(part);
      written += n;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/** Full body hashes to the source's sha256 and one ranged body equals the source's bytes. */
async function verifyServed(url: string, src: string, sha256: string, range: { start: number; end: number }): Promise<void> {
  const full = await fetch(url);
  if (full.status !== 200 || !full.body) throw new Error(`warm-up GET ${url}: HTTP ${full.status}`);
  const hash = createHash('sha256');
  for await (const chunk of full.body) hash.update(chunk);
  const got = hash.digest('hex');
  if (got !== sha256) throw new Error(`GET ${url} served bytes with sha256 ${got}, expected ${sha256}`);
  const part = await fetch(url, { headers: { range: `bytes=${range.start}-${range.end}` } });
  const body = Buffer.from(await part.arrayBuffer());
  const expected = Buffer.alloc(range.end - range.start + 1);
  const fh = await open(src, 'r');
  try {
    await fh.read(expected, 0, expected.length, range.start);
  } finally {
    await fh.close();
  }
  if (part.status !== 206 || !body.equals(expected)) throw new Error(`ranged GET ${url} (${range.start}-${range.end}): HTTP ${part.status}, ${body.length} bytes, content ${body.equals(expected) ? 'matches' : 'differs'}`);
}

// ---------------------------------------------------------------------------------------------

interface RunRow { round: number; side: 'A' | 'B' | 'B+fsync'; seconds: number; MBps: number }

function mbps(bytes: number, seconds: number): number {
  return bytes / MB / seconds;
}

/** Deterministic ranges (same for both sides): a small LCG, not Math.random. */
function randomRanges(size: number, count: number, length: number, seed = 20261123): Array<{ start: number; end: number }> {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  return Array.from({ length: count }, () => {
    const start = Math.floor(next() * (size - length));
    return { start, end: start + length - 1 };
  });
}

function summarise(rows: RunRow[]) {
  const a = rows.filter((r) => r.side === 'A');
  const b = rows.filter((r) => r.side === 'B');
  const ratios = a.map((r) => {
    const pair = b.find((x) => x.round === r.round);
    return pair ? r.MBps / pair.MBps : NaN;
  }).filter((x) => Number.isFinite(x));
  return {
    aMedianMBps: round(median(a.map((r) => r.MBps))),
    bMedianMBps: round(median(b.map((r) => r.MBps))),
    perRoundRatios: ratios.map((x) => round(x, 3)),
    medianRatio: round(median(ratios), 3),
  };
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error('this benchmark reads /proc and needs Linux');
  ensureTool('curl', 'curl');
  const nginxBin = ensureTool('nginx', 'nginx');
  const startedAt = new Date();
  log(`upload-stream bench: ${ROUNDS} rounds, ${SIZE / 1024 / 1024} MiB, node ${process.version}, ${os.cpus().length} cores, service in ${SERVICE_DIR}`);

  tmpRoot = await mkdtemp(path.join(TMP_BASE, 'shelfmark-upload-stream-'));
  // nginx's worker drops privileges when started as root; it must be able to read the file.
  await chmod(tmpRoot, 0o755);
  const dataDir = path.join(tmpRoot, 'data');
  const bareDir = path.join(tmpRoot, 'bare');
  const srcDir = path.join(tmpRoot, 'src');
  const nginxDir = path.join(tmpRoot, 'nginx');
  for (const d of [dataDir, bareDir, srcDir, path.join(nginxDir, 'html'), path.join(nginxDir, 'logs')]) await mkdir(d, { recursive: true, mode: 0o755 });

  // --- the service, as a child so its memory is its own
  const databaseUrl = process.env.BENCH_DATABASE_URL ? await scratchDatabase(process.env.BENCH_DATABASE_URL) : undefined;
  const loadAtStart = os.loadavg().map((x) => round(x, 2));
  const servicePort = await freePort();
  const base = `http://127.0.0.1:${servicePort}`;
  const service = spawnChild(process.execPath, ['services/api/main.ts'], {
    cwd: SERVICE_DIR,
    env: {
      ...process.env, DATA_DIR: dataDir, PORT: String(servicePort), HOST: '127.0.0.1', DEMO_DATA: 'false',
      LOG_LEVEL: 'warn', SHELFMARK_ADMIN_PASSWORD: PASSWORD, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  });
  await waitFor('Shelfmark', service, async () => (await fetch(`${base}/health`)).status === 200);
  const memory = sampleMemory(service.child.pid!);
  const readyRssMB = procStatusKB(service.child.pid!, 'VmRSS') / 1024;
  const startupHwmMB = procStatusKB(service.child.pid!, 'VmHWM') / 1024;
  const token = await signIn(base);
  const recordRes = await api(base, '/api/v1/records', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { title: 'Bench', authors: ['Bench, A'] } });
  if (!recordRes.ok) throw new Error(`record creation failed: ${recordRes.status} ${await recordRes.text()}`);
  const recordId = ((await recordRes.json()) as { id: string }).id;

  // --- the bare receiver
  const barePort = await freePort();
  const bare = spawnChild(process.execPath, ['bench/bare-receiver.ts'], { env: { ...process.env, DIR: bareDir, PORT: String(barePort) } });
  await waitFor('bare receiver', bare, async () => bare.output().includes('listening'));

  // --- input
  const src = path.join(srcDir, 'bench.wav');
  log(`generating ${SIZE / 1024 / 1024} MiB of random bytes ...`);
  const sha256 = await generateWav(src, SIZE);
  await settleDisk();
  // The baseline: RSS once startup has settled (PGlite hands memory back for a few seconds after ready).
  const idleRssMB = procStatusKB(service.child.pid!, 'VmRSS') / 1024;

  // --- uploads: A B B+fsync per round; every run starts on a flushed disk
  log('uploads (A = Shelfmark multipart, B = bare receiver, B+fsync = bare receiver that fsyncs like the blob store):');
  memory.mark('upload');
  const uploads: RunRow[] = [];
  let storedFileId = '';
  const responseFile = path.join(tmpRoot, 'response.json');
  for (let r = 1; r <= ROUNDS; r++) {
    // A
    const a = await curl(['-H', 'Expect:', '-H', `Authorization: Bearer ${token}`, '-F', `file=@${src};type=audio/wav`, '-F', 'access=public', `${base}/api/v1/records/${recordId}/files`], responseFile);
    if (a.status !== 201) throw new Error(`Shelfmark upload failed: HTTP ${a.status} ${a.body}`);
    const stored = JSON.parse(a.body) as { id: string; sha256: string; size: number };
    if (stored.sha256 !== sha256 || stored.size !== SIZE) throw new Error(`Shelfmark stored ${stored.size} bytes with sha256 ${stored.sha256}, expected ${SIZE} / ${sha256}`);
    uploads.push({ round: r, side: 'A', seconds: a.seconds, MBps: mbps(SIZE, a.seconds) });
    const derived = await waitDerived(base, token, stored.id);
    if (r < ROUNDS) {
      const del = await api(base, `/api/v1/files/${stored.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      if (del.status !== 204) throw new Error(`delete failed: ${del.status}`);
    } else storedFileId = stored.id;
    await settleDisk();
    // B, B+fsync
    for (const side of ['B', 'B+fsync'] as const) {
      const b = await curl(['-H', 'Expect:', '-H', 'Content-Type: application/octet-stream', '-X', 'POST', '-T', src, `http://127.0.0.1:${barePort}/${side === 'B' ? '' : '?fsync=1'}`], responseFile);
      if (b.status !== 200 || b.body !== sha256) throw new Error(`bare receiver failed: HTTP ${b.status} ${b.body}`);
      uploads.push({ round: r, side, seconds: b.seconds, MBps: mbps(SIZE, b.seconds) });
      unlinkSync(path.join(bareDir, 'received'));
      await settleDisk();
    }
    const row = uploads.slice(-3);
    log(`  round ${r}: A ${round(row[0]!.MBps)} MB/s (derive job: ${derived}) | B ${round(row[1]!.MBps)} MB/s | B+fsync ${round(row[2]!.MBps)} MB/s | A/B ${round(row[0]!.MBps / row[1]!.MBps, 3)}`);
  }
  const uploadSummary = summarise(uploads);
  const uploadVsFsync = summarise(uploads.filter((x) => x.side !== 'B').map((x) => ({ ...x, side: x.side === 'B+fsync' ? 'B' as const : x.side })));

  // --- nginx on the same inode (a hard link to the stored blob), sendfile on
  const blobPath = path.join(dataDir, 'files', ...originalKey(sha256).split('/'));
  await link(blobPath, path.join(nginxDir, 'html', 'bench.wav'));
  const nginxPort = await freePort();
  const conf = path.join(nginxDir, 'nginx.conf');
  await writeFile(conf, [
    'worker_processes 1;',
    `pid ${path.join(nginxDir, 'nginx.pid')};`,
    `error_log ${path.join(nginxDir, 'logs', 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  types { audio/wav wav; }',
    `  client_body_temp_path ${path.join(nginxDir, 'client_body')};`,
    `  proxy_temp_path ${path.join(nginxDir, 'proxy')};`,
    `  fastcgi_temp_path ${path.join(nginxDir, 'fastcgi')};`,
    `  uwsgi_temp_path ${path.join(nginxDir, 'uwsgi')};`,
    `  scgi_temp_path ${path.join(nginxDir, 'scgi')};`,
    `  server { listen 127.0.0.1:${nginxPort}; root ${path.join(nginxDir, 'html')}; }`,
    '}',
    '',
  ].join('\n'));
  const nginx = spawnChild(nginxBin, ['-p', nginxDir, '-c', conf, '-e', path.join(nginxDir, 'logs', 'error.log'), '-g', 'daemon off;'], {});
  const nginxUrl = `http://127.0.0.1:${nginxPort}/bench.wav`;
  await waitFor('nginx', nginx, async () => (await fetch(nginxUrl, { method: 'HEAD' })).status === 200, 30_000);
  const serviceUrl = `${base}/api/v1/files/${storedFileId}/content`;

  // --- streaming: warm both once (untimed) so both read from the page cache, then alternate
  memory.mark('stream');
  log('streaming (A = Shelfmark, B = nginx sendfile):');
  const ranges = randomRanges(SIZE, RANGE_COUNT, Math.min(RANGE_SIZE, Math.floor(SIZE / 4)));
  // The warm-up also checks the bytes (untimed): a fast wrong answer must not count.
  for (const url of [serviceUrl, nginxUrl]) await verifyServed(url, src, sha256, ranges[0]!);
  const large = { start: LARGE_RANGE.start, end: LARGE_RANGE.start + LARGE_RANGE.length - 1 };
  const stream: Record<'full' | 'ranges' | 'large', RunRow[]> = { full: [], ranges: [], large: [] };
  for (let r = 1; r <= ROUNDS; r++) {
    const line: string[] = [];
    for (const kind of ['full', 'ranges', 'large'] as const) {
      for (const [side, url] of [['A', serviceUrl], ['B', nginxUrl]] as const) {
        let seconds: number;
        let bytes: number;
        if (kind === 'full') {
          const res = await curl([url]);
          if (res.status !== 200 || res.bytes !== SIZE) throw new Error(`GET ${url}: HTTP ${res.status}, ${res.bytes} bytes`);
          ({ seconds, bytes } = res);
        } else {
          const res = await curlRanges(url, kind === 'ranges' ? ranges : [large]);
          const expected = kind === 'ranges' ? ranges.reduce((n, x) => n + x.end - x.start + 1, 0) : large.end - large.start + 1;
          if (res.statuses.size !== 1 || !res.statuses.has(206) || res.bytes !== expected) throw new Error(`ranged GET ${url}: statuses ${[...res.statuses]}, ${res.bytes} bytes`);
          ({ seconds, bytes } = res);
        }
        stream[kind].push({ round: r, side, seconds, MBps: mbps(bytes, seconds) });
      }
      const [a, b] = stream[kind].slice(-2);
      line.push(`${kind} A ${round(a!.MBps)} / B ${round(b!.MBps)} MB/s`);
    }
    log(`  round ${r}: ${line.join(' | ')}`);
  }
  memory.stop();
  const hwm = memory.hwmMB();

  const streamSummary = { full: summarise(stream.full), ranges: summarise(stream.ranges), large: summarise(stream.large) };
  const result = {
    benchmark: 'upload-stream',
    date: startedAt.toISOString(),
    machine: { loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)), cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 1024 ** 3), node: process.version, nginx: spawnSync(nginxBin, ['-v'], { encoding: 'utf8' }).stderr.trim() },
    settings: { serviceDir: SERVICE_DIR, rounds: ROUNDS, fileMiB: SIZE / 1024 / 1024, ranges: { count: ranges.length, sizeMiB: RANGE_SIZE / 1024 / 1024 }, largeRange: { start: large.start, lengthMiB: (large.end - large.start + 1) / 1024 / 1024 }, units: 'MB/s = 10^6 bytes per second' },
    targets: TARGETS,
    upload: { ...uploadSummary, bFsyncMedianMBps: round(median(uploads.filter((x) => x.side === 'B+fsync').map((x) => x.MBps))), medianRatioVsFsync: uploadVsFsync.medianRatio, runs: uploads.map((x) => ({ ...x, seconds: round(x.seconds, 3), MBps: round(x.MBps) })) },
    stream: Object.fromEntries(Object.entries(streamSummary).map(([k, v]) => [k, { ...v, runs: stream[k as keyof typeof stream].map((x) => ({ ...x, seconds: round(x.seconds, 3), MBps: round(x.MBps) })) }])),
    memory: {
      database: databaseUrl ? 'postgresql' : 'pglite (in-process)', rssAtReadyMB: round(readyRssMB), idleRssMB: round(idleRssMB), vmHwmAtReadyMB: round(startupHwmMB),
      uploadRssAboveIdleMB: round((memory.phases.upload ?? 0) - idleRssMB), streamRssAboveIdleMB: round((memory.phases.stream ?? 0) - idleRssMB),
      peakRssSampledMB: round(memory.peakRssMB()), vmHwmMB: round(hwm), peakRssByPhaseMB: Object.fromEntries(Object.entries(memory.phases).map(([k, v]) => [k, round(v)])) },
    verdict: {
      upload: uploadSummary.medianRatio >= TARGETS.upload,
      streamFull: streamSummary.full.medianRatio >= TARGETS.stream,
      streamRanges: streamSummary.ranges.medianRatio >= TARGETS.stream,
      streamLarge: streamSummary.large.medianRatio >= TARGETS.stream,
      memory: hwm < TARGETS.peakMemoryMB,
    },
  };

  const ok = (b: boolean) => (b ? 'met' : 'MISSED');
  const table = [
    ['measure', 'Shelfmark (A)', 'baseline (B)', 'A/B median', 'target', ''],
    ['upload 1 file, MB/s', uploadSummary.aMedianMBps, uploadSummary.bMedianMBps, uploadSummary.medianRatio, `>= ${TARGETS.upload}`, ok(result.verdict.upload)],
    ['  (B fsyncs too)', uploadSummary.aMedianMBps, result.upload.bFsyncMedianMBps, uploadVsFsync.medianRatio, 'info', ''],
    ['stream full GET, MB/s', streamSummary.full.aMedianMBps, streamSummary.full.bMedianMBps, streamSummary.full.medianRatio, `>= ${TARGETS.stream}`, ok(result.verdict.streamFull)],
    [`stream ${ranges.length} x ${RANGE_SIZE / 1024 / 1024} MiB ranges`, streamSummary.ranges.aMedianMBps, streamSummary.ranges.bMedianMBps, streamSummary.ranges.medianRatio, `>= ${TARGETS.stream}`, ok(result.verdict.streamRanges)],
    [`stream 1 x ${(large.end - large.start + 1) / 1024 / 1024} MiB range`, streamSummary.large.aMedianMBps, streamSummary.large.bMedianMBps, streamSummary.large.medianRatio, `>= ${TARGETS.stream}`, ok(result.verdict.streamLarge)],
    [`service VmHWM, MB (${result.memory.database})`, round(hwm), '', '', `< ${TARGETS.peakMemoryMB}`, ok(result.verdict.memory)],
    ['  VmHWM at ready / VmRSS before uploads', `${round(startupHwmMB)} / ${round(idleRssMB)}`, '', '', '', ''],
    ['  VmRSS peak upload / stream (vs before)', `${round(memory.phases.upload ?? 0)} (${signed(result.memory.uploadRssAboveIdleMB)}) / ${round(memory.phases.stream ?? 0)} (${signed(result.memory.streamRssAboveIdleMB)})`, '', '', '', ''],
  ].map((row) => row.map(String));
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  log('');
  for (const row of table) log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  log('(B = bare Node receiver for uploads, Debian nginx with sendfile for streaming; MB = 10^6 bytes)');
  log(`load average at start ${loadAtStart.join(' ')}, at end ${result.machine.loadAverageAtEnd.join(' ')} (other work on this machine skews single runs)`);

  const outDir = path.join(REPO, 'bench', 'out');
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, OUT_NAME), `${JSON.stringify(result, null, 2)}\n`);
  log(`\nwrote ${path.relative(REPO, path.join(outDir, OUT_NAME))}`);
}

async function cleanup(): Promise<void> {
  stopSampling?.();
  await Promise.all(children.map((c) => stopChild(c).catch(() => undefined)));
  if (tmpRoot) await rm(tmpRoot, { recursive: true, force: true }).catch(() => undefined);
  tmpRoot = undefined;
  await dropDatabase?.().catch((err: unknown) => log(`could not drop the scratch database: ${(err as Error).message}`));
  dropDatabase = undefined;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping children and removing temp files ...`);
    cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  process.exitCode = 1;
  process.stderr.write(`\nbenchmark failed: ${(err as Error).stack ?? err}\n`);
} finally {
  await cleanup();
  // Leftover uploads of an interrupted earlier run are only in os.tmpdir(); list them for the user.
  const stale = readdirSync(TMP_BASE).filter((n) => n.startsWith('shelfmark-upload-stream-'));
  if (stale.length) log(`note: earlier bench temp dirs remain in ${TMP_BASE}: ${stale.join(', ')}`);
  // Nothing may keep a failed run alive (a pending fetch or timer would otherwise hold the loop).
  process.exit(process.exitCode ?? 0);
}
