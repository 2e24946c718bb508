import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import { loadConfig, type Config } from '../../services/api/config.ts';
import { startService, type RunningService, type ServiceOptions } from '../../services/api/service.ts';
import { fixedClock } from '../../services/api/clock.ts';
import { createLogger } from '../../services/api/logger.ts';

export const ADMIN_PASSWORD = 'test-admin-password';
export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

/** A database of its own for one test file: a fresh PostgreSQL database, or PGlite from the migrated snapshot. */
export async function isolatedDatabase(): Promise<{ database: Config['database']; loadDataDir?: Blob; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `shelfmark_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return {
      database: { kind: 'postgres', url: u.toString() },
      drop: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const snapshot = inject('pgliteSnapshot');
  return {
    database: { kind: 'pglite', dataDir: 'memory://' },
    ...(snapshot ? { loadDataDir: new Blob([readFileSync(snapshot)]) } : {}),
    drop: async () => undefined,
  };
}

/** fetch's Response, with json() typed loosely: tests assert on shapes rather than declare them. */
 
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestService extends RunningService {
  clock: ReturnType<typeof fixedClock>;
  dataDir: string;
  adminToken: string;
  /** fetch against the service; `token` adds a bearer header, `json` a JSON body. */
  api(method: string, p: string, opts?: { token?: string | null; json?: unknown; headers?: Record<string, string>; body?: RequestInit['body'] }): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestService(overrides: Partial<Config> = {}, opts: ServiceOptions & { env?: Record<string, string> } = {}): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shelfmark-svc-'));
  const db = await isolatedDatabase();
  const base = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false', SHELFMARK_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent', WORKER: 'off', ...opts.env });
  const config = Object.freeze({ ...base, database: db.database, ...overrides });
  const clock = fixedClock('2026-03-02T10:00:00Z');
  const svc = await startService(config, { clock, log: createLogger('silent'), print: () => undefined, ...(db.loadDataDir ? { pgliteLoadDataDir: db.loadDataDir } : {}), ...opts });
  const api: TestService['api'] = (method, p, o = {}) => fetch(svc.url + p, {
    redirect: 'manual',
    method,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
    ...(o.json !== undefined ? { body: JSON.stringify(o.json) } : o.body !== undefined ? { body: o.body } : {}),
  });
  const session = await (await api('POST', '/api/v1/session', { json: { username: 'admin', password: ADMIN_PASSWORD } })).json() as { csrfToken: string };
  void session;
  const adminToken = await tokenFor(api, 'admin', ADMIN_PASSWORD);
  return {
    ...svc, clock, dataDir, adminToken, api,
    close: async () => {
      await svc.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in with a password and returns a personal API token for bearer requests. */
export async function tokenFor(api: TestService['api'], username: string, password: string): Promise<string> {
  const res = await api('POST', '/api/v1/session', { json: { username, password } });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = await res.json() as { csrfToken: string };
  const t = await api('POST', '/api/v1/tokens', { json: { name: 'tests' }, headers: { cookie, 'x-csrf-token': csrfToken } });
  return ((await t.json()) as { token: string }).token;
}

export const fixturesDir = path.resolve(import.meta.dirname, '../../../shared/fixtures');
