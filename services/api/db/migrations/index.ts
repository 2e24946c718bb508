import { Migration0001Foundation } from './Migration0001Foundation.ts';
import { Migration0002Circulation } from './Migration0002Circulation.ts';
import { Migration0004Oidc } from './Migration0004Oidc.ts';
import { Migration0006PatronPii } from './Migration0006PatronPii.ts';
import { Migration0007Audit } from './Migration0007Audit.ts';
import { Migration0008AccountInvitations } from './Migration0008AccountInvitations.ts';
import { Migration0003Search } from './Migration0003Search.ts';
import { Migration0005Analytics } from './Migration0005Analytics.ts';
import { Migration0009SearchCombinedIndexes } from './Migration0009SearchCombinedIndexes.ts';
import { Migration0010SearchSampleSlice } from './Migration0010SearchSampleSlice.ts';

// Ordered: a migration is never edited once it has landed; add a new one instead.
export const migrationsList = [
  { name: 'Migration0001Foundation', class: Migration0001Foundation },
  { name: 'Migration0002Circulation', class: Migration0002Circulation },
  { name: 'Migration0004Oidc', class: Migration0004Oidc },
  { name: 'Migration0006PatronPii', class: Migration0006PatronPii },
  { name: 'Migration0007Audit', class: Migration0007Audit },
  { name: 'Migration0008AccountInvitations', class: Migration0008AccountInvitations },
  { name: 'Migration0003Search', class: Migration0003Search },
  { name: 'Migration0005Analytics', class: Migration0005Analytics },
  { name: 'Migration0009SearchCombinedIndexes', class: Migration0009SearchCombinedIndexes },
  { name: 'Migration0010SearchSampleSlice', class: Migration0010SearchSampleSlice },
];

/**
 * Indexes that only migrations declare (partial, expression or plain secondary indexes the entity
 * definitions do not describe). The schema-drift test ignores the ORM's wish to drop exactly these.
 */
export const MIGRATION_ONLY_INDEXES = [
  'blob_intents_storage_key_index', 'deletion_log_entity_index', 'jobs_claim_index', 'items_record_id_index',
  'files_record_id_index', 'sessions_user_id_index',
  'patrons_contact_index_gin', 'audit_log_entity_index',
  'search_outbox_pending_index', 'search_outbox_processed_index', 'search_documents_meta_terms_index', 'search_documents_tsv_terms_index',
  'search_documents_tsv_signed_in_terms_index', 'search_documents_tsv_staff_terms_index', 'search_documents_title_sort_index',
  'search_documents_year_index', 'search_documents_added_index', 'search_events_occurred_at_index',
  'search_documents_meta_slice_index', 'search_documents_tsv_slice_index', 'search_documents_tsv_signed_in_slice_index',
  'search_documents_tsv_staff_slice_index',
  'usage_events_occurred_at_brin',
];
