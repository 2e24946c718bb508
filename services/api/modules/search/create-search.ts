import type { Client } from '@elastic/elasticsearch';
import type { Config } from '../../config.ts';
import type { Orm } from '../../db/orm.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { ElasticsearchSearchIndex } from './elasticsearch-search-index.ts';
import { PostgresSearchIndex } from './postgres-search-index.ts';
import type { SearchIndex } from './search-index.ts';
import { SearchIndexer } from './search-indexer.ts';
import { SearchEventRecorder } from './search-events.ts';
import type { Search } from './search.service.ts';

/** Test hook: the Elasticsearch client's connection class (@elastic/elasticsearch-mock supplies one). */
export interface CreateSearchOptions { esConnection?: NonNullable<ConstructorParameters<typeof Client>[0]>['Connection'] }

/** The engine the configuration names, and its indexer. Creates the Elasticsearch index when missing. */
export async function createSearch(config: Readonly<Config>, orm: Orm, clock: Clock, log: Logger, opts: CreateSearchOptions = {}): Promise<Search> {
  let index: SearchIndex;
  if (config.search.kind === 'elasticsearch') {
    // Loaded only where it is used: the client is ~7 MB of heap that every garbage collection would mark.
    const { Client } = await import('@elastic/elasticsearch');
    const client = new Client({
      node: config.search.url,
      ...(config.search.apiKey ? { auth: { apiKey: config.search.apiKey } } : {}),
      ...(opts.esConnection ? { Connection: opts.esConnection } : {}),
      requestTimeout: 30_000,
    });
    index = new ElasticsearchSearchIndex(client, clock, log.child({ module: 'search' }), { alias: config.search.alias });
  } else {
    // On PGlite no other process can open the database: this process's indexer is the index's only writer.
    index = new PostgresSearchIndex(orm, clock, { candidateCap: config.search.candidateCap, localGeneration: config.database.kind === 'pglite' });
  }
  // PGlite runs Postgres in single-user mode, without autovacuum: the indexer vacuums its own tables.
  const indexer = new SearchIndexer(orm, index, clock, log.child({ module: 'search-indexer' }), { faults: config.faults, vacuum: config.database.kind === 'pglite' });
  const { created } = await index.ensure();
  if (created) {
    const queued = await indexer.enqueueAll('new-index');
    log.info({ engine: index.engine, queued }, 'created an empty search index; every record is queued for indexing');
  }
  return { index, indexer, events: new SearchEventRecorder(orm, log.child({ module: 'search-events' })) };
}
