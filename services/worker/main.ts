import '../api/runtime-flags.ts'; // first: V8 flags must be set before the worker allocates
import { ConfigError, loadConfig } from '../api/config.ts';
import { buildDeps, workerFor } from '../api/service.ts';

// `npm run worker`: a job-runner process for deployments that run the API with WORKER=off and scale
// workers separately. Workers share the job table; claims use FOR UPDATE SKIP LOCKED.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`shelfmark worker: configuration error: ${err.problems.join('; ')}\n`);
    process.exit(1);
  }
  throw err;
}
if (config.database.kind === 'pglite') {
  process.stderr.write('shelfmark worker: a separate worker needs DATABASE_URL (PGlite lives inside the API process; use WORKER=inline there).\n');
  process.exit(1);
}
const deps = await buildDeps(config);
const runner = workerFor(deps);
await runner.start();
deps.search.indexer.start();
deps.log.info({ concurrency: config.worker.concurrency }, 'worker started');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    deps.log.info({ signal }, 'worker stopping');
    runner.stop().then(() => deps.search.indexer.stop()).then(() => deps.search.index.close()).then(() => deps.orm.close()).then(() => process.exit(0), () => process.exit(1));
  });
}
