import { DeletionLogEntity, ItemEntity, RecordEntity, SubjectEntity, TagEntity, VocabularyTermEntity } from '../modules/catalog/catalog.entities.ts';
import { BlobIntentEntity, FileEntity } from '../modules/files/file.entity.ts';
import { ApiTokenEntity, OidcLoginEntity, SessionEntity, UserEntity } from '../modules/auth/auth.entities.ts';
import { AccountInvitationEntity } from '../modules/auth/account-invitation.entity.ts';
import { JobEntity } from '../../worker/job.entity.ts';
import { PatronEntity } from '../modules/patrons/patron.entity.ts';
import { CirculationOverrideEntity, HoldEntity, LedgerEntryEntity, LoanEntity, NoticeEntity, PolicyVersionEntity } from '../modules/circulation/circulation.entities.ts';

import { AuditEntryEntity } from '../modules/audit/audit.entity.ts';
import { SearchDocumentEntity, SearchEventEntity, SearchOutboxEntity, SearchTermEntity } from '../modules/search/search.entities.ts';

// Heterogeneous schemas: typed loosely so modules can append their own.
export const entities: any[] = [
  AuditEntryEntity,
  SubjectEntity, TagEntity, RecordEntity, ItemEntity, VocabularyTermEntity, DeletionLogEntity,
  FileEntity, BlobIntentEntity,
  UserEntity, SessionEntity, ApiTokenEntity, OidcLoginEntity, AccountInvitationEntity,
  JobEntity,
  PatronEntity, PolicyVersionEntity, LoanEntity, HoldEntity, LedgerEntryEntity, NoticeEntity, CirculationOverrideEntity,
  SearchOutboxEntity, SearchDocumentEntity, SearchTermEntity, SearchEventEntity,
];
// Issue 6: usage analytics, online payments, purchase suggestions (notice delivery columns live on NoticeEntity).
import { UsageAggregationStateEntity, UsageDailyEntity, UsageDailyRecordEntity, UsageEventEntity, UsageMonthlyRecordEntity, UsageSaltEntity } from '../modules/analytics/analytics.entities.ts';
import { PaymentCheckoutEntity, PaymentWebhookEventEntity } from '../modules/payments/payments.entities.ts';
import { PurchaseSuggestionEntity } from '../modules/acquisitions/suggestion.entity.ts';
entities.push(
  UsageEventEntity, UsageDailyEntity, UsageDailyRecordEntity, UsageMonthlyRecordEntity, UsageSaltEntity, UsageAggregationStateEntity,
  PaymentCheckoutEntity, PaymentWebhookEventEntity, PurchaseSuggestionEntity,
);
