import { mkdirSync } from 'node:fs';
import type { MikroORM, Options } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.ts';
import { migrationsList } from './migrations/index.ts';

export type Database =
  | { kind: 'pglite'; dataDir: string | null }   // null: in memory (tests)
  | { kind: 'postgres'; url: string };

export type Orm = MikroORM & { em: EntityManager };

const common = (): Partial<Options> => ({
  entities,
  migrations: { migrationsList, tableName: 'schema_migrations', transactional: true, allOrNothing: true, silent: true, snapshot: false },
  extensions: [Migrator],
  // Search keeps its outbox with hand-written triggers and trigger functions (Migration0003Search);
  // the entities do not describe them, and schema diffs must leave them alone.
  schemaGenerator: { ignoreTriggers: true, ignoreRoutines: true },
  // Entities are declared with defineEntity; nothing to discover from the file system.
  discovery: { warnWhenNoEntities: true },
  debug: false,
  allowGlobalContext: false,
});

/**
 * Opens the database the configuration names. PGlite is real PostgreSQL compiled to WASM, so the
 * same entities and migrations serve both. It is one backend with one connection: Kysely's PGlite
 * driver holds a mutex for the connection while a transaction is open, which serialises
 * concurrent transactions (tests/integration/pglite-serialisation.test.ts proves it).
 */
export async function openOrm(db: Database, opts: { pgliteLoadDataDir?: Blob } = {}): Promise<Orm> {
  if (db.kind === 'postgres') {
    const { MikroORM } = await import('@mikro-orm/postgresql');
    // Connections are kept, not closed after 10 s idle (node-postgres's default): a new PostgreSQL
    // backend page-faults each 4 kB of shared buffers the first time it touches them (~16 µs each on
    // these machines without huge pages), which made a fresh connection's first few hundred searches
    // at 1M records 1.5-2x slower (bench/search.md).
    return (await MikroORM.init({ ...common(), clientUrl: db.url, pool: { min: 1, max: 10, idleTimeoutMillis: 0 } } as Options)) as unknown as Orm;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const onDisk = db.dataDir && !db.dataDir.startsWith('memory://');
  if (onDisk) mkdirSync(db.dataDir!, { recursive: true });
  const pglite = await PGlite.create({
    ...(onDisk ? { dataDir: db.dataDir! } : {}),
    extensions: { pg_trgm },
    ...(opts.pgliteLoadDataDir ? { loadDataDir: opts.pgliteLoadDataDir } : {}),
  });
  const { MikroORM } = await import('@mikro-orm/pglite');
  const orm = await MikroORM.init({ ...common(), dbName: 'shelfmark', driverOptions: { pglite } } as Options);
  // The ORM does not own an instance it was handed; close it with the ORM.
  const close = orm.close.bind(orm);
  orm.close = async (force?: boolean) => { await close(force); if (!pglite.closed) await pglite.close(); };
  return orm as unknown as Orm;
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
