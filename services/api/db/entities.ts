import { DeletionLogEntity, ItemEntity, RecordEntity, SubjectEntity, TagEntity, VocabularyTermEntity } from '../modules/catalog/catalog.entities.ts';
import { BlobIntentEntity, FileEntity } from '../modules/files/file.entity.ts';
import { ApiTokenEntity, SessionEntity, UserEntity } from '../modules/auth/auth.entities.ts';
import { JobEntity } from '../../worker/job.entity.ts';

export const entities = [
  SubjectEntity, TagEntity, RecordEntity, ItemEntity, VocabularyTermEntity, DeletionLogEntity,
  FileEntity, BlobIntentEntity,
  UserEntity, SessionEntity, ApiTokenEntity,
  JobEntity,
];
