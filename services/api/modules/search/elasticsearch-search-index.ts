import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { esDocument, searchBody, suggestBody } from './es-query.ts';
import { facetsFrom, type FacetField } from './facet-values.ts';
import type { SearchDocument } from './search-document.ts';
import type { Audience, Facets, RebuildSession, SearchHit, SearchIndex, SearchQuery, SearchResult, Suggestion } from './search-index.ts';

// The engine for deployments that outgrow one database: Elasticsearch 8/9 behind an alias.
// The index is created from search-mappings/records.v1.json as `<alias>-v1-<timestamp>`; a rebuild
// fills a fresh index and swaps the alias in one `_aliases` call, then drops the old index, so
// searches never see a half-built index. Writes go through the alias (bulk, no forced refresh:
// Elasticsearch shows them within its refresh interval, one second by default).

export const MAPPING_FILE = path.resolve(import.meta.dirname, '../../../../search-mappings/records.v1.json');
export const MAPPING_VERSION = 1;

export interface MappingDocument {
  version: number;
  settings: Record<string, any>;
  mappings: Record<string, any> & { properties: Record<string, any> };
}

export function loadMapping(file = MAPPING_FILE): MappingDocument {
  const m = JSON.parse(readFileSync(file, 'utf8')) as MappingDocument;
  return { version: m.version, settings: m.settings, mappings: { ...m.mappings, _meta: { shelfmark_mapping_version: m.version } } };
}

const FACET_AGGS: Record<string, FacetField> = { subject: 'subject', tag: 'tag', mediaType: 'mediaType', year: 'year', decade: 'decade', availability: 'availability', access: 'access' };

export interface ElasticsearchOptions { alias: string; replicas?: number }

export class ElasticsearchSearchIndex implements SearchIndex {
  readonly engine = 'elasticsearch' as const;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly alias: string;
  private readonly mapping = loadMapping();

  constructor(client: Client, clock: Clock, log: Logger, opts: ElasticsearchOptions) {
    this.client = client;
    this.clock = clock;
    this.log = log;
    this.alias = opts.alias;
  }

  private newIndexName(): string {
    return `${this.alias}-v${MAPPING_VERSION}-${this.clock().getTime()}`;
  }

  private async createIndex(name: string, building: boolean): Promise<void> {
    const settings = building ? { ...this.mapping.settings, refresh_interval: '-1', number_of_replicas: 0 } : this.mapping.settings;
    await this.client.indices.create({ index: name, settings, mappings: this.mapping.mappings });
  }

  private async aliasTargets(): Promise<string[]> {
    // A missing alias is a 404 whose body is { error, status }: ignore it rather than throw.
    const res = await this.client.indices.getAlias({ name: this.alias }, { ignore: [404] }) as Record<string, unknown>;
    return Object.keys(res).filter((k) => k !== 'error' && k !== 'status');
  }

  async ensure(): Promise<{ created: boolean }> {
    const targets = await this.aliasTargets();
    if (targets.length) {
      const mapping = await this.client.indices.getMapping({ index: targets[0]! });
      const version = (Object.values(mapping)[0] as { mappings?: { _meta?: { shelfmark_mapping_version?: number } } } | undefined)?.mappings?._meta?.shelfmark_mapping_version;
      if (version !== MAPPING_VERSION) this.log.warn({ index: targets[0], version, expected: MAPPING_VERSION }, 'search index mapping is out of date: run `npm run reindex`');
      return { created: false };
    }
    const name = this.newIndexName();
    await this.createIndex(name, false);
    await this.client.indices.updateAliases({ actions: [{ add: { index: name, alias: this.alias, is_write_index: true } }] });
    return { created: true };
  }

  private async bulk(index: string, operations: unknown[]): Promise<void> {
    if (!operations.length) return;
    const res = await this.client.bulk({ index, operations, refresh: false });
    if (res.errors) {
      const failed = res.items.map((i) => Object.values(i)[0]!).filter((r) => r.error && !(r.status === 404 && r.result === 'not_found'));
      if (failed.length) throw new Error(`Elasticsearch bulk failed for ${failed.length} documents: ${JSON.stringify(failed[0]!.error)}`);
    }
  }

  private indexOps(docs: SearchDocument[]): unknown[] {
    return docs.flatMap((d) => [{ index: { _id: d.id } }, esDocument(d)]);
  }

  async index(docs: SearchDocument[]): Promise<void> {
    await this.bulk(this.alias, this.indexOps(docs));
  }

  async remove(ids: string[]): Promise<void> {
    await this.bulk(this.alias, ids.map((id) => ({ delete: { _id: id } })));
  }

  async search(q: SearchQuery, viewer: Audience): Promise<SearchResult> {
    const res = await this.client.search<Record<string, any>>({ index: this.alias, ...searchBody(q, viewer) } as any);
    const total = typeof res.hits.total === 'number' ? { value: res.hits.total, relation: 'eq' } : res.hits.total ?? { value: 0, relation: 'eq' };
    return {
      total: total.value,
      totalRelation: total.relation === 'gte' ? 'gte' : 'eq',
      facetsExact: true,
      hits: res.hits.hits.map((h) => hitFrom(h._source ?? {})),
      facets: this.facetsOf(res.aggregations as Record<string, any> | undefined, viewer),
    };
  }

  private facetsOf(aggs: Record<string, any> | undefined, viewer: Audience): Facets {
    const triples = Object.entries(FACET_AGGS).flatMap(([name, field]) =>
      ((aggs?.[name]?.buckets ?? []) as Array<{ key: string | number; doc_count: number }>).map((b) => ({ field, value: String(b.key), count: b.doc_count })));
    return facetsFrom(triples, viewer);
  }

  async facets(q: SearchQuery, viewer: Audience): Promise<Facets> {
    const res = await this.client.search({ index: this.alias, ...searchBody(q, viewer, false) } as any);
    return this.facetsOf(res.aggregations as Record<string, any> | undefined, viewer);
  }

  async suggest(prefix: string, viewer: Audience, limit = 10): Promise<Suggestion[]> {
    const body = suggestBody(prefix, viewer, limit);
    if (!body) return [];
    const res = await this.client.search<{ id: string; title: string }>({ index: this.alias, ...body } as any);
    return res.hits.hits.map((h) => ({ id: h._source!.id, title: h._source!.title }));
  }

  async rebuild(): Promise<RebuildSession> {
    const name = this.newIndexName();
    await this.createIndex(name, true);
    return {
      write: async (docs) => { await this.bulk(name, this.indexOps(docs)); },
      commit: async () => {
        await this.client.indices.putSettings({ index: name, settings: { index: { refresh_interval: null as unknown as undefined /* null restores the default */, number_of_replicas: this.mapping.settings.number_of_replicas ?? 1 } } });
        await this.client.indices.refresh({ index: name });
        const old = await this.aliasTargets();
        await this.client.indices.updateAliases({
          actions: [...old.map((index) => ({ remove: { index, alias: this.alias } })), { add: { index: name, alias: this.alias, is_write_index: true } }],
        });
        for (const index of old) await this.client.indices.delete({ index }).catch((err) => this.log.warn({ err, index }, 'could not delete the previous search index'));
      },
      abort: async () => { await this.client.indices.delete({ index: name }).catch(() => undefined); },
    };
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.alias });
  }

  async ping(): Promise<void> {
    await this.client.search({ index: this.alias, size: 0, track_total_hits: false });
  }

  async close(): Promise<void> {
    // Shutdown goes on (the database still has to close) even if the client cannot close cleanly.
    await this.client.close().catch((err) => this.log.warn({ err }, 'closing the Elasticsearch client failed'));
  }
}

function hitFrom(s: Record<string, any>): SearchHit {
  return {
    id: s.id, title: s.title, authors: s.authors ?? [], publisher: s.publisher ?? null, year: s.year ?? null, isbn: s.isbn ?? null,
    mediaType: s.media_type, callNumber: s.call_number ?? null, accessionNumber: s.accession_number ?? null, copies: s.copies ?? 0,
    availableCopies: s.available_copies ?? 0, availability: s.availability,
  };
}
