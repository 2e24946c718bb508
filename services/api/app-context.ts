import type { Context } from 'koa';
import type { EntityManager } from '@mikro-orm/sql';
import type { Config } from './config.ts';
import type { Orm } from './db/orm.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { Logger } from './logger.ts';
import type { Clock } from './clock.ts';
import type { JobQueue } from '../worker/job-queue.ts';
import type { FieldCipher } from './security/field-encryption.ts';
import type { Search } from './modules/search/search.service.ts';

/** Everything the composition root builds once and hands to services. */
export interface Deps {
  config: Readonly<Config>;
  orm: Orm;
  blobs: BlobStore;
  log: Logger;
  clock: Clock;
  jobs: JobQueue;
  /** Encrypts personal data at rest and computes its blind indexes. */
  cipher: FieldCipher;
  /** The search engine (Postgres or Elasticsearch) and the outbox indexer that feeds it. */
  search: Search;
}

export interface AuthUser {
  id: string;
  username: string;
  roles: string[];
  via: 'session' | 'token' | 'oidc';
  csrfToken?: string;
  /** The patron record this account belongs to (patron self-service), if any. */
  patronId?: string | null;
  /** That patron's category, when the resolver already had it (usage analytics need nothing more). */
  patronCategory?: string | null;
}

/** What a handler tells the audit trail about the thing it changed (optional: defaults come from the route). */
export interface AuditNote {
  entityType?: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  /** Set false for writes that are not staff actions worth keeping (sign-in, token creation). */
  record?: boolean;
}

export interface RequestState {
  em: EntityManager;
  user: AuthUser | null;
  requestId: string;
  log: Logger;
  audit?: AuditNote;
}

export type ApiContext = Context & { state: RequestState; deps: Deps };
