import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Config } from './config.ts';
import type { Deps } from './app-context.ts';
import { createApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import { migrate, openOrm } from './db/orm.ts';
import { createLogger, type Logger } from './logger.ts';
import { createBlobStore } from '../../storage/create-blob-store.ts';
import { JobQueue } from '../worker/job-queue.ts';
import { loadFieldCipher } from './security/key-ring.ts';
import { patronContactRewriter } from './modules/patrons/patron-contact-rewriter.ts';
import { JobRunner } from '../worker/job-runner.ts';
import { firstAdminEnsurer } from './modules/auth/auth.service.ts';
import { vocabularySeeder } from './modules/catalog/vocabulary.service.ts';
import { blobSweeper, tempUploadsCleaner } from './modules/files/files.service.ts';
import { deriveFileJob } from './modules/files/derive-file.job.ts';
import { HOLD_EXPIRY_JOB, holdExpiryJob, holdExpiryScheduler } from './modules/circulation/hold-expiry.job.ts';
import { demoCatalogueLoader } from './demo/demo-catalogue.ts';
import { USAGE_AGGREGATION_JOB, usageAggregationJob, usageAggregationScheduler } from './modules/analytics/usage-aggregation.job.ts';
import { usageEventsFlusher } from './modules/analytics/usage-event-buffer.ts';
import { NOTICE_DISPATCH_JOB, NOTICE_SEND_JOB, noticeDispatchJob, noticeDispatchScheduler, noticeSendJob } from './modules/notices/notices.job.ts';
import { createSearch, type CreateSearchOptions } from './modules/search/create-search.ts';

export interface ServiceOptions {
  clock?: Clock;
  log?: Logger;
  /** Tests hand in a pre-migrated PGlite snapshot to skip initdb. */
  pgliteLoadDataDir?: Blob;
  print?: (line: string) => void;
  /** Tests hand the Elasticsearch engine a mocked connection. */
  search?: CreateSearchOptions;
}

/** Opens the database and storage, migrates, and makes the first admin: everything but HTTP. */
export async function buildDeps(config: Readonly<Config>, opts: ServiceOptions = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  mkdirSync(config.dataDir, { recursive: true });
  const orm = await openOrm(config.database, opts.pgliteLoadDataDir ? { pgliteLoadDataDir: opts.pgliteLoadDataDir } : {});
  const applied = await migrate(orm);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const blobs = await createBlobStore(config.storage);
  await blobs.ensureReady?.();
  const cipher = loadFieldCipher(config, (file) => log.warn({ file }, 'generated a key ring for personal data: back it up with the database'));
  const search = await createSearch(config, orm, clock, log, opts.search);
  const deps: Deps = { config, orm, blobs, log, clock, jobs: new JobQueue(clock), cipher, search };
  const rewritten = await patronContactRewriter(deps);
  if (rewritten) log.info({ patrons: rewritten }, 'personal data re-encrypted with the current key');
  await vocabularySeeder(orm.em.fork());
  await firstAdminEnsurer(deps, opts.print);
  return deps;
}

export function workerFor(deps: Deps): JobRunner {
  return new JobRunner(deps.orm, deps.jobs, deps.log.child({ module: 'worker' }), { concurrency: deps.config.worker.concurrency })
    .register('derive-file', deriveFileJob(deps))
    .register(USAGE_AGGREGATION_JOB, usageAggregationJob(deps))
    .register(NOTICE_DISPATCH_JOB, noticeDispatchJob(deps))
    .register(NOTICE_SEND_JOB, noticeSendJob(deps))
    .register(HOLD_EXPIRY_JOB, holdExpiryJob(deps));
}

export interface RunningService {
  deps: Deps;
  server: Server;
  url: string;
  worker: JobRunner | null;
  stop(): Promise<void>;
}

/** The whole service in one process: API, background worker (unless WORKER=off) and later the site. */
export async function startService(config: Readonly<Config>, opts: ServiceOptions = {}): Promise<RunningService> {
  const deps = await buildDeps(config, opts);
  await tempUploadsCleaner(config.tmpDir);
  const swept = await blobSweeper(deps);
  if (swept.deleted) deps.log.warn(swept, 'removed blobs left by interrupted uploads or deletions');
  if (config.demoData) await demoCatalogueLoader(deps);
  await holdExpiryScheduler(deps);
  await usageAggregationScheduler(deps);
  await noticeDispatchScheduler(deps);
  const worker = config.worker.mode === 'inline' ? workerFor(deps) : null;
  await worker?.start();
  // The search indexer runs wherever the job runner runs (here, or in `npm run worker`).
  if (worker) deps.search.indexer.start();
  const { app } = createApp(deps);
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  // Uploads of large files take longer than Node's default request timeout of five minutes.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections(); setTimeout(() => server.closeAllConnections(), 10_000).unref(); });
    await worker?.stop();
    await deps.search.indexer.stop();
    await deps.search.events.flush(); // search events still in the buffer (modules/search/search-events.ts)
    await usageEventsFlusher(deps); // page-view events still in the buffer (modules/analytics/usage-event-buffer.ts)
    await deps.search.index.close();
    await deps.blobs.close?.();
    await deps.orm.close(true);
  })());
  return { deps, server, url, worker, stop };
}
