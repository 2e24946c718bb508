import { DeletionLogEntity, ItemEntity, RecordEntity, SubjectEntity, TagEntity, VocabularyTermEntity } from '../modules/catalog/catalog.entities.ts';
import { BlobIntentEntity, FileEntity } from '../modules/files/file.entity.ts';
import { ApiTokenEntity, OidcLoginEntity, SessionEntity, UserEntity } from '../modules/auth/auth.entities.ts';
import { JobEntity } from '../../worker/job.entity.ts';
import { PatronEntity } from '../modules/patrons/patron.entity.ts';
import { CirculationOverrideEntity, HoldEntity, LedgerEntryEntity, LoanEntity, NoticeEntity, PolicyVersionEntity } from '../modules/circulation/circulation.entities.ts';

import { AuditEntryEntity } from '../modules/audit/audit.entity.ts';
import { SearchDocumentEntity, SearchEventEntity, SearchOutboxEntity, SearchTermEntity } from '../modules/search/search.entities.ts';

export const entities = [
  AuditEntryEntity,
  SubjectEntity, TagEntity, RecordEntity, ItemEntity, VocabularyTermEntity, DeletionLogEntity,
  FileEntity, BlobIntentEntity,
  UserEntity, SessionEntity, ApiTokenEntity, OidcLoginEntity,
  JobEntity,
  PatronEntity, PolicyVersionEntity, LoanEntity, HoldEntity, LedgerEntryEntity, NoticeEntity, CirculationOverrideEntity,
  SearchOutboxEntity, SearchDocumentEntity, SearchTermEntity, SearchEventEntity,
];
