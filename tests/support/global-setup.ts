import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openOrm } from '../../services/api/db/orm.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/**
 * Migrations run once per test run: a migrated PGlite cluster is dumped to a tarball that every
 * test file loads into its own in-memory instance (initdb takes seconds; loading takes a fraction).
 * On PostgreSQL (DATABASE_URL set) each test file creates and drops its own database instead.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'shelfmark-test-'));
  const file = path.join(dir, 'migrated.tar');
  if (!process.env.DATABASE_URL) {
    const orm = await openOrm({ kind: 'pglite', dataDir: null });
    await migrate(orm);
    const pg = await (orm.em.getConnection() as unknown as { getNativeClient(): Promise<{ dumpDataDir(c: 'none'): Promise<Blob> }> }).getNativeClient();
    const blob = await pg.dumpDataDir('none');
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await orm.close();
  }
  project.provide('pgliteSnapshot', process.env.DATABASE_URL ? '' : file);
  return () => rmSync(dir, { recursive: true, force: true });
}
