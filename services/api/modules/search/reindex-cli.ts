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
  await search.index.close();
} catch (err) {
  process.stderr.write(`\nshelfmark reindex failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
