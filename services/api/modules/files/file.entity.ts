import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { RecordEntity } from '../catalog/catalog.entities.ts';

export const FILE_STATUSES = ['processing', 'ready', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export const ACCESS_LEVELS = ['public', 'signed-in', 'restricted', 'embargoed'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const FileEntity = defineEntity({
  name: 'StoredFile',
  tableName: 'files',
  properties: {
    id: p.uuid().primary(),
    record: () => p.manyToOne(RecordEntity).deleteRule('cascade'),
    originalName: p.string().length(255),
    mediaType: p.string().length(100),
    size: p.bigint('number'),
    sha256: p.string().length(64).index(),
    storageKey: p.string().length(255),
    status: p.string().length(20),
    reason: p.text().nullable(),
    access: p.string().length(20),
    accessGroup: p.string().length(100).nullable(),
    embargoUntil: p.datetime().nullable(),
    lendableCopies: p.integer().nullable(),
    thumbnailKey: p.string().length(255).nullable(),
    extractedText: p.text().nullable().lazy(),
    pageCount: p.integer().nullable(),
    durationSeconds: p.double().nullable(),
    technical: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime(),
    processedAt: p.datetime().nullable(),
  },
});
export type StoredFile = InferEntity<typeof FileEntity>;

// An upload intent is written before a blob is stored and removed in the same transaction that
// inserts the file row, so a crash between the two leaves a record of the blob to sweep.
export const BlobIntentEntity = defineEntity({
  name: 'BlobIntent',
  tableName: 'blob_intents',
  properties: {
    id: p.integer().primary().autoincrement(),
    storageKey: p.string().length(255),
    createdAt: p.datetime(),
  },
});
