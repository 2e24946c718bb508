import type { EntityManager } from '@mikro-orm/sql';
import type { AccessLevel } from '../files/file.entity.ts';
import type { ParsedText } from './search-text.ts';
import type { SearchDocument } from './search-document.ts';

// The contract both search engines implement (tests/integration/search-contract.ts checks it on
// each). Engines receive documents and queries already analysed by search-text.ts, so they agree
// on what a word is; they differ only in how they store and rank.

/** Who is searching: anonymous < signed-in < staff. Each sees what the ones before see, and more. */
export type Audience = 0 | 1 | 2;
export const AUDIENCE = { anonymous: 0, signedIn: 1, staff: 2 } as const;

export const SORT_ORDERS = ['relevance', 'title', 'year', '-year', 'added'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface SearchQuery {
  /** Keyword query over every indexed field (and the file text the viewer may read). */
  text: ParsedText | null;
  /** Fielded words: each word must occur as a whole word in that field. */
  title: string[];
  author: string[];
  publisher: string[];
  subject: string[];
  tag: string[];
  /** ISBN-13; INVALID_ISBN when the input was not a valid ISBN (then nothing matches). */
  isbn: string | null;
  year: { from: number; to: number } | null;
  /** Folded media type (exact value). */
  mediaType: string | null;
  available: boolean | null;
  access: AccessLevel | null;
  sort: SortOrder;
  page: number;
  pageSize: number;
}
export const INVALID_ISBN = 'invalid';

export interface SearchHit {
  id: string;
  title: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  isbn: string | null;
  mediaType: string;
  callNumber: string | null;
  accessionNumber: string | null;
  copies: number;
  availableCopies: number;
  availability: Availability;
}

export type Availability = 'available' | 'unavailable' | 'no-copies';
export interface FacetValue { value: string; count: number }
export interface Facets {
  subject: FacetValue[];
  mediaType: FacetValue[];
  year: FacetValue[];
  /** Decades as year ranges ("1990-1999"), a value the `year` filter accepts as is. */
  decade: FacetValue[];
  tag: FacetValue[];
  availability: FacetValue[];
  access: FacetValue[];
}

export interface SearchResult {
  total: number;
  /** 'gte' when more than TOTAL_CAP records match: the total is then a lower bound (as Elasticsearch reports it). */
  totalRelation: 'eq' | 'gte';
  /** False when the facet counts were taken over the first FACET_CAP matches only (Postgres engine, very broad queries). */
  facetsExact: boolean;
  hits: SearchHit[];
  facets: Facets;
}

export interface Suggestion { id: string; title: string }

/** Exact totals up to here; beyond it a query reports a lower bound (Elasticsearch's default too). */
export const TOTAL_CAP = 10_000;
export const FACET_LIMITS = { subject: 30, tag: 30, year: 50 } as const;

/**
 * Writes that belong together: the Postgres engine writes in the caller's transaction (so marking
 * the outbox done commits with the index change); the Elasticsearch engine ignores it.
 */
export interface IndexWriteContext { tx?: EntityManager }

export interface RebuildSession {
  write(docs: SearchDocument[], ctx: IndexWriteContext): Promise<void>;
  /** Makes the rebuilt index the live one (an alias swap on Elasticsearch). */
  commit(ctx: IndexWriteContext): Promise<void>;
  abort(): Promise<void>;
}

export interface SearchIndex {
  readonly engine: 'postgres' | 'elasticsearch';
  /** Creates what the engine needs; returns true when the index was created empty (everything must be indexed). */
  ensure(): Promise<{ created: boolean }>;
  index(docs: SearchDocument[], ctx?: IndexWriteContext): Promise<void>;
  remove(ids: string[], ctx?: IndexWriteContext): Promise<void>;
  search(query: SearchQuery, viewer: Audience): Promise<SearchResult>;
  facets(query: SearchQuery, viewer: Audience): Promise<Facets>;
  suggest(prefix: string, viewer: Audience, limit?: number): Promise<Suggestion[]>;
  rebuild(): Promise<RebuildSession>;
  /** Makes writes visible to searches (Elasticsearch refresh; a no-op on Postgres, where commit does it). */
  refresh(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The indexer committed an index change (it also bumps search_generation_seq for other processes). */
  noteCommittedChange?(): void;
  /**
   * The indexer has caught up after writing: fold writes an engine buffered for speed into its
   * search structures, so searches stop paying for them (Postgres: GIN pending lists).
   */
  mergePendingWrites?(): Promise<void>;
}

export const emptyFacets = (): Facets => ({ subject: [], mediaType: [], year: [], decade: [], tag: [], availability: [], access: [] });
