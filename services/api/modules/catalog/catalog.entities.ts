import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// Subjects and tags are their own tables (not string arrays) so that facets, vocabularies and
// renames work on one row; authors stay an ordered array because their order is bibliographic.

export const SubjectEntity = defineEntity({
  name: 'Subject',
  tableName: 'subjects',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(255).unique(),
  },
});
export type Subject = InferEntity<typeof SubjectEntity>;

export const TagEntity = defineEntity({
  name: 'Tag',
  tableName: 'tags',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100).unique(),
  },
});
export type Tag = InferEntity<typeof TagEntity>;

export const RecordEntity = defineEntity({
  name: 'Record',
  tableName: 'records',
  properties: {
    id: p.uuid().primary(),
    title: p.string().length(255),
    authors: p.array().columnType('text[]'),
    publisher: p.string().length(255).nullable(),
    year: p.integer().nullable(),
    isbn: p.string().length(13).nullable().index(),
    edition: p.string().length(100).nullable(),
    version: p.string().length(100).nullable(),
    mediaType: p.string().length(50),
    language: p.string().length(35).nullable(),
    description: p.text().nullable(),
    subjects: () => p.manyToMany(SubjectEntity).pivotTable('record_subjects').joinColumn('record_id').inverseJoinColumn('subject_id'),
    tags: () => p.manyToMany(TagEntity).pivotTable('record_tags').joinColumn('record_id').inverseJoinColumn('tag_id'),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type CatalogRecord = InferEntity<typeof RecordEntity>;

export const ITEM_STATUSES = ['available', 'on-loan', 'on-hold', 'out-of-circulation', 'on-order'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ItemEntity = defineEntity({
  name: 'Item',
  tableName: 'items',
  properties: {
    id: p.uuid().primary(),
    record: () => p.manyToOne(RecordEntity).deleteRule('restrict'),
    callNumber: p.string().length(10).unique(),
    accessionNumber: p.string().length(50).unique(),
    loanCategory: p.string().length(50),
    location: p.string().length(100),
    floor: p.string().length(20).nullable(),
    mediaType: p.string().length(50),
    replacementCostCents: p.integer(),
    status: p.string().length(30),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Item = InferEntity<typeof ItemEntity>;

export const VocabularyTermEntity = defineEntity({
  name: 'VocabularyTerm',
  tableName: 'vocabulary_terms',
  uniques: [{ properties: ['vocabulary', 'value'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    vocabulary: p.string().length(50),
    value: p.string().length(100),
    label: p.string().length(255),
    position: p.integer().default(0),
  },
});
export type VocabularyTerm = InferEntity<typeof VocabularyTermEntity>;

export const DeletionLogEntity = defineEntity({
  name: 'DeletionLog',
  tableName: 'deletion_log',
  properties: {
    id: p.integer().primary().autoincrement(),
    entityType: p.string().length(30),
    entityId: p.string().length(64),
    snapshot: p.json<Record<string, unknown>>(),
    reason: p.text().nullable(),
    deletedBy: p.string().length(64).nullable(),
    deletedAt: p.datetime(),
  },
});
