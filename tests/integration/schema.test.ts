import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openOrm, type Orm } from '../../services/api/db/orm.ts';
import { MIGRATION_ONLY_INDEXES } from '../../services/api/db/migrations/index.ts';
import { isolatedDatabase, usingPostgres } from '../support/test-service.ts';

let orm: Orm;
let drop: () => Promise<void>;
beforeAll(async () => {
  const db = await isolatedDatabase();
  drop = db.drop;
  orm = await openOrm(db.database); // no snapshot: the migrations themselves run here
  await migrate(orm);
});
afterAll(async () => { await orm?.close(); await drop?.(); });

describe('migrations and entities', () => {
  it('the migrated schema is exactly what the entities describe (no drift)', async () => {
    const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    const statements = sql.split(';').map((s) => s.trim()).filter(Boolean)
      .filter((s) => !MIGRATION_ONLY_INDEXES.some((name) => s === `drop index "${name}"`));
    expect(statements).toEqual([]);
  });

  it('running migrations again changes nothing', async () => {
    expect(await migrate(orm)).toEqual([]);
  });
});

describe('the connection pool', () => {
  // A new PostgreSQL backend page-faults shared buffers in as it first touches them: kept
  // connections stay fast (bench/search.md), so idle ones are not closed (orm.ts).
  it.runIf(usingPostgres())('keeps idle connections on PostgreSQL', () => {
    expect(orm.config.get('pool')).toMatchObject({ idleTimeoutMillis: 0 });
  });
});
