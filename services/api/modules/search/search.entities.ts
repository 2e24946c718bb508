import { defineEntity, p } from '@mikro-orm/core';

// Declared so the schema-drift test sees the search tables; the search module reads and writes them
// with SQL (tsvector and array operators the ORM does not model). Migration0003Search creates them,
// their GIN indexes and the triggers that fill the outbox.

/**
 * The change log the indexer drains. Database triggers on records, items, files, subjects, tags and
 * their links insert a row in the same transaction as the change, whoever makes it (catalogue,
 * circulation, an import, a hand-written UPDATE), so no committed change can miss the index.
 */
export const SearchOutboxEntity = defineEntity({
  name: 'SearchOutbox',
  tableName: 'search_outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    recordId: p.uuid(),
    source: p.string().length(30),
    createdAt: p.datetime().defaultRaw('now()'),
    /** Not before this time (an embargo that ends); null means at once. */
    availableAt: p.datetime().nullable(),
    processedAt: p.datetime().nullable(),
  },
});

/** The Postgres engine's index: one row per record, with the lexemes each audience may match. */
export const SearchDocumentEntity = defineEntity({
  name: 'SearchDocumentRow',
  tableName: 'search_documents',
  properties: {
    recordId: p.uuid().primary(),
    title: p.string().length(255),
    titleSort: p.text().collation('C'),
    authors: p.array().columnType('text[]'),
    publisher: p.string().length(255).nullable(),
    year: p.integer().nullable(),
    isbn: p.string().length(13).nullable(),
    mediaType: p.string().length(50),
    callNumber: p.string().length(10).nullable(),
    accessionNumber: p.string().length(50).nullable(),
    copies: p.integer(),
    availableCopies: p.integer(),
    availability: p.string().length(20),
    recordCreatedAt: p.datetime(),
    audience: p.smallint(),
    /** Metadata and public file text; null when the record has no public text (meta_tsv then says it all). */
    tsv: p.string().columnType('tsvector').nullable(),
    tsvSignedIn: p.string().columnType('tsvector').nullable(),
    tsvStaff: p.string().columnType('tsvector').nullable(),
    /** Title, authors, subjects, tags and publisher only: small and stored inline, for ranking and suggestions. */
    metaTsv: p.string().columnType('tsvector'),
    terms: p.array().columnType('text[]'),
    facets: p.array().columnType('text[]'),
    indexedAt: p.datetime(),
  },
});

/** Words of titles, authors and subjects, for typo-tolerant suggestions (pg_trgm). */
export const SearchTermEntity = defineEntity({
  name: 'SearchTerm',
  tableName: 'search_terms',
  properties: {
    term: p.string().length(60).collation('C').primary(),
  },
});

/** One row per search for analytics: what was asked and how many answers came back; never who asked. */
export const SearchEventEntity = defineEntity({
  name: 'SearchEvent',
  tableName: 'search_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    occurredAt: p.datetime(),
    query: p.string().length(500).nullable(),
    filters: p.json<Record<string, unknown>>(),
    sort: p.string().length(20),
    resultCount: p.integer(),
    totalRelation: p.string().length(3),
    noResults: p.boolean(),
    tookMs: p.integer(),
    engine: p.string().length(20),
  },
});
