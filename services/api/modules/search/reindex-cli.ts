import { ConfigError, loadConfig } from '../../config.ts';
import { migrate, openOrm } from '../../db/orm.ts';
import { createLogger } from '../../logger.ts';
import { systemClock } from '../../clock.ts';
import { createSearch } from './create-search.ts';
import { progressBar } from './progress-bar.ts';

// `npm run reindex`: rebuilds the search index from the database (the configured engine), with a
// progress bar on stderr. On PostgreSQL it can run next to the service; the embedded default keeps
// its PGlite database inside the service process, so stop the service first there.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`shelfmark reindex: configuration error: ${err.problems.join('; ')}\n`);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const orm = await openOrm(config.database);
try {
  await migrate(orm);
  const search = await createSearch(config, orm, systemClock, log);
  const bar = progressBar(process.stderr, `reindex (${search.index.engine})`);
  const { records, seconds } = await search.indexer.rebuild((p) => bar.update(p.done, p.total));
  bar.update(records, records);
  bar.done(`reindexed ${records.toLocaleString('en-US')} records in ${seconds.toFixed(1)} s (${Math.round(records / Math.max(seconds, 0.001)).toLocaleString('en-US')} records/s)`);
  if (config.database.kind === 'pglite') {
    // A rebuild rewrites every row in place, which leaves the table twice its size: on PGlite,
    // 545 MB against 312 MB at 100,000 records (299 MB compacted). The service is
    // stopped here (it owns the embedded database), so compacting locks nobody out. On PostgreSQL
    // it would lock searches out for minutes at 1M records: docs/search.md says when to run it.
    const t0 = performance.now();
    await orm.em.fork().getConnection().execute('vacuum full analyze search_documents');
    process.stderr.write(`compacted the search table in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  await search.index.close();
} catch (err) {
  process.stderr.write(`\nshelfmark reindex failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
