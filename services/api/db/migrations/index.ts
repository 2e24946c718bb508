import { Migration0001Foundation } from './Migration0001Foundation.ts';
import { Migration0002Circulation } from './Migration0002Circulation.ts';
import { Migration0004Oidc } from './Migration0004Oidc.ts';

// Ordered: a migration is never edited once it has landed; add a new one instead.
export const migrationsList = [
  { name: 'Migration0001Foundation', class: Migration0001Foundation },
  { name: 'Migration0002Circulation', class: Migration0002Circulation },
  { name: 'Migration0004Oidc', class: Migration0004Oidc },
];

/**
 * Indexes that only migrations declare (partial, expression or plain secondary indexes the entity
 * definitions do not describe). The schema-drift test ignores the ORM's wish to drop exactly these.
 */
export const MIGRATION_ONLY_INDEXES = [
  'blob_intents_storage_key_index', 'deletion_log_entity_index', 'jobs_claim_index', 'items_record_id_index',
  'files_record_id_index', 'sessions_user_id_index',
];
