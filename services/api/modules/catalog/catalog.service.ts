import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { conflict, notFound, problem, validationFailed } from '../../http/problem.ts';
import { callNumberFromInt, isValidCallNumber } from './call-number.ts';
import { DeletionLogEntity, ItemEntity, RecordEntity, SubjectEntity, TagEntity, type CatalogRecord, type Item } from './catalog.entities.ts';
import type { ItemCreate, ItemPatch, RecordCreate, RecordPatch } from './catalog.schema.ts';
import { parseIsbn } from './isbn.ts';
import { vocabularyValueChecker } from './vocabulary.service.ts';
import { recordFilesReleaser } from '../files/files.service.ts';

export interface Actor { id: string | null }

function isbnOrThrow(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const r = parseIsbn(raw);
  if (!r.ok) throw problem(422, 'invalid-isbn', 'Invalid ISBN', r.reason, { field: 'isbn' });
  return r.isbn13;
}

async function namedRows<T extends { id: number; name: string }>(em: EntityManager, table: 'subjects' | 'tags', entity: typeof SubjectEntity | typeof TagEntity, names: string[]): Promise<T[]> {
  const unique = [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
  if (!unique.length) return [];
  // ON CONFLICT keeps two desks adding the same new subject at once from failing each other.
  await em.getConnection().execute(`insert into ${table} (name) values ${unique.map(() => '(?)').join(', ')} on conflict (name) do nothing`, unique, 'run', em.getTransactionContext());
  return (await em.find(entity as typeof SubjectEntity, { name: { $in: unique } })) as unknown as T[];
}

export async function recordCreator(deps: Deps, em: EntityManager, input: RecordCreate): Promise<CatalogRecord> {
  const isbn = isbnOrThrow(input.isbn);
  await vocabularyValueChecker(em, 'media-types', input.mediaType, 'mediaType');
  return em.transactional(async (tx) => {
    const now = deps.clock();
    const record = tx.create(RecordEntity, {
      id: randomUUID(), title: input.title, authors: input.authors, publisher: input.publisher ?? null, year: input.year ?? null,
      isbn, edition: input.edition ?? null, version: input.version ?? null, mediaType: input.mediaType, language: input.language ?? null,
      description: input.description ?? null, createdAt: now, updatedAt: now,
    });
    record.subjects.set(await namedRows(tx, 'subjects', SubjectEntity, input.subjects));
    record.tags.set(await namedRows(tx, 'tags', TagEntity, input.tags));
    await tx.flush();
    return record;
  });
}

export async function recordLoader(em: EntityManager, id: string): Promise<CatalogRecord> {
  if (!isUuid(id)) throw notFound('Record', id);
  const record = await em.findOne(RecordEntity, { id }, { populate: ['subjects', 'tags'] });
  if (!record) throw notFound('Record', id);
  return record;
}

export async function recordUpdater(deps: Deps, em: EntityManager, id: string, patch: RecordPatch): Promise<CatalogRecord> {
  return em.transactional(async (tx) => {
    const record = await recordLoader(tx, id);
    if (patch.isbn !== undefined) {
      const isbn = isbnOrThrow(patch.isbn);
      // Seed 002: "ISBN# is the exception, this is unchangeable". A record without one may get one once.
      if (record.isbn !== null && isbn !== record.isbn) throw conflict('isbn-immutable', 'The ISBN cannot change', 'Create a new record for a different ISBN.');
      record.isbn = isbn;
    }
    if (patch.mediaType !== undefined) await vocabularyValueChecker(tx, 'media-types', patch.mediaType, 'mediaType');
    const scalar = ['title', 'authors', 'publisher', 'year', 'edition', 'version', 'mediaType', 'language', 'description'] as const;
    for (const k of scalar) if (patch[k] !== undefined) (record as Record<string, unknown>)[k] = patch[k];
    if (patch.subjects) record.subjects.set(await namedRows(tx, 'subjects', SubjectEntity, patch.subjects));
    if (patch.tags) record.tags.set(await namedRows(tx, 'tags', TagEntity, patch.tags));
    record.updatedAt = deps.clock();
    await tx.flush();
    return record;
  });
}

/** Seed 002: "Check circulation status before deletion (can't delete a book out on loan)"; every deletion is logged. */
export async function recordDeleter(deps: Deps, em: EntityManager, id: string, actor: Actor, reason?: string): Promise<void> {
  const released = await em.transactional(async (tx) => {
    const record = await recordLoader(tx, id);
    const items = await tx.find(ItemEntity, { record: id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const onLoan = items.find((i) => i.status === 'on-loan');
    if (onLoan) throw conflict('item-on-loan', 'A copy is on loan', `Copy ${onLoan.callNumber} must be returned before the record can be deleted.`);
    const onHold = items.find((i) => i.status === 'on-hold');
    if (onHold) throw conflict('item-on-hold', 'A copy is on hold', `Copy ${onHold.callNumber} is held for a patron; cancel the hold first.`);
    const now = deps.clock();
    for (const item of items) {
      tx.create(DeletionLogEntity, { entityType: 'item', entityId: item.id, snapshot: presentItem(item), reason: reason ?? null, deletedBy: actor.id, deletedAt: now });
      tx.remove(item);
    }
    tx.create(DeletionLogEntity, { entityType: 'record', entityId: record.id, snapshot: presentRecord(record), reason: reason ?? null, deletedBy: actor.id, deletedAt: now });
    const releasedKeys = await recordFilesReleaser(deps, tx, id);
    tx.remove(record);
    await tx.flush();
    return releasedKeys;
  });
  await released.afterCommit();
}

export async function nextCallNumberFinder(em: EntityManager): Promise<string> {
  // The lowest unused number: 1 if free, else the smallest n+1 that is not taken (a gap query, so
  // it stays one index scan at 100,000 copies). Same rule as lowestFreeCallNumber, tested against it.
  const rows = await em.getConnection().execute<Array<{ n: string | number | null }>>(
    `select case when not exists (select 1 from items where call_number = '0000000001') then 1
       else (select min(i.call_number::bigint) + 1 from items i
             where i.call_number ~ '^[0-9]{10}$'
               and not exists (select 1 from items j where j.call_number = lpad((i.call_number::bigint + 1)::text, 10, '0'))) end as n`,
    [], 'all', em.getTransactionContext(),
  );
  return callNumberFromInt(Number(rows[0]?.n ?? 1));
}

async function accessionNumberFor(em: EntityManager): Promise<string> {
  const rows = await em.getConnection().execute<Array<{ n: string | number | null }>>(
    `select coalesce(max(substring(accession_number from 2)::bigint), 0) + 1 as n from items where accession_number ~ '^A[0-9]+$'`, [], 'all', em.getTransactionContext());
  return `A${String(rows[0]?.n ?? 1).padStart(6, '0')}`;
}

async function itemFieldsChecker(em: EntityManager, input: Partial<ItemCreate>): Promise<void> {
  if (input.loanCategory !== undefined) await vocabularyValueChecker(em, 'loan-categories', input.loanCategory, 'loanCategory');
  if (input.location !== undefined) await vocabularyValueChecker(em, 'locations', input.location, 'location');
  if (input.mediaType !== undefined) await vocabularyValueChecker(em, 'media-types', input.mediaType, 'mediaType');
  if (input.callNumber !== undefined && !isValidCallNumber(input.callNumber)) {
    throw problem(422, 'invalid-call-number', 'Invalid call number', 'A call number is exactly 10 digits (0000000001 to 9999999999).', { field: 'callNumber' });
  }
}

function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; message?: string };
  const msg = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (e.code === '23505' || /unique|duplicate key/i.test(msg)) {
    if (msg.includes('call_number')) return 'call-number-taken';
    if (msg.includes('accession_number')) return 'accession-number-taken';
    return 'duplicate';
  }
  return null;
}

export async function itemCreator(deps: Deps, em: EntityManager, recordId: string, input: ItemCreate): Promise<Item> {
  await itemFieldsChecker(em, input);
  try {
    return await em.transactional(async (tx) => {
      const record = await recordLoader(tx, recordId);
      const now = deps.clock();
      const item = tx.create(ItemEntity, {
        id: randomUUID(), record, callNumber: input.callNumber ?? (await nextCallNumberFinder(tx)),
        accessionNumber: input.accessionNumber ?? (await accessionNumberFor(tx)),
        loanCategory: input.loanCategory, location: input.location, floor: input.floor ?? null, mediaType: input.mediaType,
        replacementCostCents: input.replacementCostCents, status: input.status, createdAt: now, updatedAt: now,
      });
      await tx.flush();
      return item;
    });
  } catch (err) {
    const code = uniqueViolation(err);
    if (code === 'call-number-taken') throw conflict(code, 'Call number in use', `Call number ${input.callNumber} belongs to another copy.`);
    if (code === 'accession-number-taken') throw conflict(code, 'Accession number in use', `Accession number ${input.accessionNumber} belongs to another copy.`);
    throw err;
  }
}

export async function itemLoader(em: EntityManager, id: string): Promise<Item> {
  if (!isUuid(id)) throw notFound('Item', id);
  const item = await em.findOne(ItemEntity, { id });
  if (!item) throw notFound('Item', id);
  return item;
}

export async function itemUpdater(deps: Deps, em: EntityManager, id: string, patch: ItemPatch): Promise<Item> {
  await itemFieldsChecker(em, patch);
  try {
    return await em.transactional(async (tx) => {
      const item = await tx.findOne(ItemEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!item) throw notFound('Item', id);
      if (patch.status !== undefined && patch.status !== item.status && (item.status === 'on-loan' || item.status === 'on-hold')) {
        throw conflict(item.status === 'on-loan' ? 'item-on-loan' : 'item-on-hold', 'Status is set by circulation', 'Return the copy or cancel its hold first.');
      }
      const fields = ['callNumber', 'accessionNumber', 'loanCategory', 'location', 'floor', 'mediaType', 'replacementCostCents', 'status'] as const;
      for (const k of fields) if (patch[k] !== undefined) (item as Record<string, unknown>)[k] = patch[k];
      item.updatedAt = deps.clock();
      await tx.flush();
      return item;
    });
  } catch (err) {
    const code = uniqueViolation(err);
    if (code === 'call-number-taken' || code === 'accession-number-taken') throw conflict(code, code === 'call-number-taken' ? 'Call number in use' : 'Accession number in use');
    throw err;
  }
}

/** Seed 003: "Only books that are currently not borrowed can be withdrawn"; holds must be removed first. */
export async function itemDeleter(deps: Deps, em: EntityManager, id: string, actor: Actor, reason?: string): Promise<void> {
  await em.transactional(async (tx) => {
    const item = await tx.findOne(ItemEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!item) throw notFound('Item', id);
    if (item.status === 'on-loan') throw conflict('item-on-loan', 'The copy is on loan', 'A copy on loan cannot be withdrawn; return it first.');
    if (item.status === 'on-hold') throw conflict('item-on-hold', 'The copy is on hold', 'Remove the copy from all reservations first.');
    tx.create(DeletionLogEntity, { entityType: 'item', entityId: item.id, snapshot: presentItem(item), reason: reason ?? null, deletedBy: actor.id, deletedAt: deps.clock() });
    tx.remove(item);
    await tx.flush();
  });
}

export async function recordItemsLoader(em: EntityManager, recordId: string): Promise<Item[]> {
  return em.find(ItemEntity, { record: recordId }, { orderBy: { callNumber: 'asc' } });
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function presentRecord(r: CatalogRecord) {
  return {
    id: r.id, title: r.title, authors: r.authors, publisher: r.publisher, year: r.year, isbn: r.isbn,
    edition: r.edition, version: r.version,
    subjects: r.subjects.isInitialized() ? r.subjects.getItems().map((s) => s.name).sort() : [],
    tags: r.tags.isInitialized() ? r.tags.getItems().map((t) => t.name).sort() : [],
    mediaType: r.mediaType, language: r.language, description: r.description,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

export function presentItem(i: Item) {
  return {
    id: i.id, recordId: typeof i.record === 'object' ? i.record.id : i.record, callNumber: i.callNumber, accessionNumber: i.accessionNumber,
    loanCategory: i.loanCategory, location: i.location, floor: i.floor, mediaType: i.mediaType,
    replacementCostCents: i.replacementCostCents, status: i.status,
    createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString(),
  };
}

export { validationFailed };
