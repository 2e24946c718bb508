import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedDatabase, tokenFor, type TestResponse } from '../support/test-service.ts';
import { migrate, openOrm } from '../../services/api/db/orm.ts';
import { FsBlobStore } from '../../storage/fs-blob-store.ts';

// Kill -9 at the worst moments of an upload, restart, and check that every file row has its blob
// and every blob its row. The service runs as a real child process on a real data directory.

const repo = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let db: Awaited<ReturnType<typeof isolatedDatabase>>;
let child: ChildProcess | null = null;
let base = '';

async function start(faults?: string): Promise<void> {
  const env: Record<string, string> = {
    ...process.env as Record<string, string>, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn',
    SHELFMARK_ADMIN_PASSWORD: 'crash-test-password', NODE_ENV: 'test', WORKER: 'off',
  };
  if (db.database.kind === 'postgres') env.DATABASE_URL = db.database.url; else delete env.DATABASE_URL;
  if (faults) env.FAULT_INJECTION = faults;
  child = spawn(process.execPath, ['services/api/main.ts'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d) => {
      out += d;
      const m = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child!.once('exit', (code) => reject(new Error(`service exited early (${code}): ${stderr}`)));
  });
}

async function stopGracefully(): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const c = child;
  await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGTERM'); });
}

const exited = (c: ChildProcess) => new Promise<string | null>((resolve) => {
  if (c.exitCode !== null || c.signalCode !== null) resolve(c.signalCode);
  else c.once('exit', (_code, signal) => resolve(signal));
});

const api = (method: string, p: string, o: { token?: string; json?: unknown; headers?: Record<string, string> } = {}) => fetch(base + p, {
  method, headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.json ? { 'content-type': 'application/json' } : {}), ...o.headers },
  ...(o.json ? { body: JSON.stringify(o.json) } : {}),
}) as Promise<TestResponse>;

/** Streams a multipart upload of `totalBytes` (a PDF header then filler), slowly enough to be killed mid-way. */
function slowUpload(url: string, token: string, totalBytes: number, chunk = 1024 * 1024): { done: Promise<number | string> } {
  const boundary = 'crashboundary' + Date.now();
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const done = new Promise<number | string>((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + totalBytes + tail.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e) => resolve(e.message));
    req.write(head);
    let sent = 0;
    const pump = () => {
      if (sent >= totalBytes) { req.end(tail); return; }
      const n = Math.min(chunk, totalBytes - sent);
      sent += n;
      if (req.write(Buffer.alloc(n, sent % 251))) setTimeout(pump, 5); else req.once('drain', () => setTimeout(pump, 5));
    };
    pump();
  });
  return { done };
}

async function inspect() {
  await stopGracefully();
  const orm = await openOrm(db.database.kind === 'postgres' ? db.database : { kind: 'pglite', dataDir: path.join(dataDir, 'db') });
  await migrate(orm);
  const conn = orm.em.fork().getConnection();
  const rows = (await conn.execute<Array<{ storage_key: string }>>(`select storage_key from files`)).map((r: { storage_key: string }) => r.storage_key);
  const intents = Number((await conn.execute<Array<{ n: string }>>(`select count(*) as n from blob_intents`))[0]!.n);
  await orm.close();
  const blobs: string[] = [];
  for await (const k of new FsBlobStore(path.join(dataDir, 'files')).list('originals/')) blobs.push(k);
  const tmp = path.join(dataDir, 'tmp');
  return { rows: [...new Set(rows)].sort(), blobs: blobs.sort(), intents, tmpFiles: existsSync(tmp) ? readdirSync(tmp) : [] };
}

let token = '';
let recordId = '';
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'shelfmark-crash-'));
  db = await isolatedDatabase();
  await start();
  token = await tokenFor(api as never, 'admin', 'crash-test-password');
  recordId = (await (await api('POST', '/api/v1/records', { token, json: { title: 'Crash', authors: ['Test, A'] } })).json()).id;
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 during uploads, then restart', () => {
  it('killed while the bytes are arriving: no row, no blob, no temp file after restart', async () => {
    const upload = slowUpload(`${base}/api/v1/records/${recordId}/files`, token, 400 * 1024 * 1024);
    const tmp = path.join(dataDir, 'tmp');
    // Wait until a good part of the upload sits in the temp file, then kill the service outright.
    for (let i = 0; i < 600; i++) {
      const files = existsSync(tmp) ? readdirSync(tmp) : [];
      if (files.some((f) => statSync(path.join(tmp, f)).size > 32 * 1024 * 1024)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child!.kill('SIGKILL');
    expect(await exited(child!)).toBe('SIGKILL');
    await upload.done;
    await start();
    expect(await inspect()).toEqual({ rows: [], blobs: [], intents: 0, tmpFiles: [] });
  }, 120_000);

  it('killed after the blob is stored but before its row commits: the restart sweeps the blob', async () => {
    await start('crash-after-blob-stored');
    const res = slowUpload(`${base}/api/v1/records/${recordId}/files`, token, 20 * 1024 * 1024, 4 * 1024 * 1024);
    expect(await exited(child!)).toBe('SIGKILL');
    await res.done;
    // Before the restart the blob is there without its row, journalled by an intent.
    const orphan = await inspect();
    expect(orphan.rows).toEqual([]);
    expect(orphan.blobs).toHaveLength(1);
    expect(orphan.intents).toBe(1);
    await start();
    expect(await inspect()).toEqual({ rows: [], blobs: [], intents: 0, tmpFiles: [] });
  }, 120_000);

  it('killed right after the row commits: row and blob both survive and stream', async () => {
    await start('crash-after-file-committed');
    const res = slowUpload(`${base}/api/v1/records/${recordId}/files`, token, 8 * 1024 * 1024, 4 * 1024 * 1024);
    expect(await exited(child!)).toBe('SIGKILL');
    await res.done;
    await start();
    const state = await inspect();
    expect(state.rows).toHaveLength(1);
    expect(state.blobs).toEqual(state.rows);
    expect(state.intents).toBe(0);
    expect(state.tmpFiles).toEqual([]);
    await start();
    const record = await (await api('GET', `/api/v1/records/${recordId}`, { token })).json();
    expect(record.files).toHaveLength(1);
    const ranged = await api('GET', `/api/v1/files/${record.files[0].id}/content`, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('%PDF');
    await stopGracefully();
  }, 120_000);
});
