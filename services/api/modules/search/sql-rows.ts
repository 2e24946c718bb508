import type { EntityManager } from '@mikro-orm/sql';

/** Rows of a raw statement, typed; runs in the EntityManager's transaction when it has one (PGlite has one connection). */
export async function sqlRows<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[];
}

/** A raw statement whose rows do not matter; in the EntityManager's transaction when it has one. */
export async function sqlRun(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<void> {
  await em.getConnection().execute(sql, params, 'run', em.getTransactionContext());
}
