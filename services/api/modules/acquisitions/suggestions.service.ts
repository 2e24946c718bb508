// Purchase suggestions: readers propose, librarians decide. Accepting creates the record through
// the catalogue's own use cases (recordCreator, itemCreator: ISBN check, vocabularies, call number)
// with one copy whose status is `on-order` (not lendable, not holdable; PATCH it to `available` when
// it arrives). A suggestion whose ISBN the catalogue already has gets the copy on that record instead
// of a duplicate. The suggestion row is locked first, so two librarians accepting at once make one.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { AuthUser, Deps } from '../../app-context.ts';
import { conflict, forbidden, notFound, problem } from '../../http/problem.ts';
import { isStaff } from '../../http/roles.ts';
import { itemCreator, presentItem, presentRecord, recordCreator, recordLoader } from '../catalog/catalog.service.ts';
import { parseIsbn } from '../catalog/isbn.ts';
import { PurchaseSuggestionEntity, type PurchaseSuggestion } from './suggestion.entity.ts';
import type { SuggestionAccept, SuggestionCreate, SuggestionListQuery } from './suggestions.schema.ts';

/** A reader may have this many suggestions waiting at once (keeps the queue readable). */
export const MAX_PENDING_PER_USER = 20;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function presentSuggestion(s: PurchaseSuggestion, viewer: AuthUser | null) {
  return {
    id: s.id, title: s.title, authors: s.authors, isbn: s.isbn ?? null, publisher: s.publisher ?? null, year: s.year ?? null, note: s.note ?? null,
    status: s.status, createdAt: s.createdAt.toISOString(), decidedAt: s.decidedAt ? s.decidedAt.toISOString() : null,
    decisionNote: s.decisionNote ?? null, recordId: s.recordId ?? null, itemId: s.itemId ?? null,
    mine: Boolean(viewer && s.suggestedBy === viewer.id),
    ...(viewer && isStaff(viewer.roles) ? { suggestedBy: s.suggestedBy ?? null, decidedBy: s.decidedBy ?? null } : {}),
  };
}

export async function suggestionCreator(deps: Deps, em: EntityManager, input: SuggestionCreate, user: AuthUser): Promise<PurchaseSuggestion> {
  let isbn: string | null = null;
  if (input.isbn) {
    const parsed = parseIsbn(input.isbn);
    if (!parsed.ok) throw problem(422, 'invalid-isbn', 'Invalid ISBN', parsed.reason, { field: 'isbn' });
    isbn = parsed.isbn13;
  }
  const pending = await em.count(PurchaseSuggestionEntity, { suggestedBy: user.id, status: 'pending' });
  if (pending >= MAX_PENDING_PER_USER) throw problem(429, 'too-many-suggestions', 'Too many suggestions waiting', `You have ${pending} suggestions waiting for a decision; wait for some of them first.`);
  const s = em.create(PurchaseSuggestionEntity, {
    id: randomUUID(), title: input.title, authors: input.authors, isbn, publisher: input.publisher ?? null, year: input.year ?? null, note: input.note ?? null,
    status: 'pending', suggestedBy: user.id, createdAt: deps.clock(), decidedAt: null, decidedBy: null, decisionNote: null, recordId: null, itemId: null,
  });
  await em.flush();
  return s;
}

export async function suggestionLister(em: EntityManager, q: SuggestionListQuery, viewer: AuthUser) {
  const where: Record<string, unknown> = {};
  if (q.status) where.status = q.status;
  // Readers see their own suggestions; staff see everyone's.
  if (!isStaff(viewer.roles)) where.suggestedBy = viewer.id;
  const [rows, total] = await em.findAndCount(PurchaseSuggestionEntity, where, { orderBy: { createdAt: q.status === 'pending' ? 'asc' : 'desc', id: 'asc' }, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { total, page: q.page, pageSize: q.pageSize, items: rows.map((s) => presentSuggestion(s, viewer)) };
}

export async function suggestionLoader(em: EntityManager, id: string, viewer: AuthUser): Promise<PurchaseSuggestion> {
  const s = isUuid(id) ? await em.findOne(PurchaseSuggestionEntity, { id }) : null;
  if (!s) throw notFound('Suggestion', id);
  if (!isStaff(viewer.roles) && s.suggestedBy !== viewer.id) throw notFound('Suggestion', id);
  return s;
}

async function pendingSuggestionLocker(tx: EntityManager, id: string): Promise<PurchaseSuggestion> {
  const locked = isUuid(id) ? await tx.execute<Array<{ id: string }>>(`select id from purchase_suggestions where id = ? for update`, [id]) : [];
  const s = locked.length ? await tx.findOne(PurchaseSuggestionEntity, { id }, { refresh: true }) : null;
  if (!s) throw notFound('Suggestion', id);
  if (s.status !== 'pending') throw conflict('suggestion-decided', 'The suggestion was already decided', `It was ${s.status}.`, { status: s.status });
  return s;
}

export async function suggestionAccepter(deps: Deps, em: EntityManager, id: string, input: SuggestionAccept, user: AuthUser) {
  if (!isStaff(user.roles)) throw forbidden();
  return em.transactional(async (tx) => {
    const s = await pendingSuggestionLocker(tx, id);
    const existing = s.isbn ? (await tx.execute<Array<{ id: string }>>(`select id from records where isbn = ? order by created_at limit 1`, [s.isbn]))[0] : undefined;
    const record = existing
      ? await recordLoader(tx, existing.id)
      : await recordCreator(deps, tx, {
        title: s.title, authors: s.authors.length ? s.authors : ['Unknown'], isbn: s.isbn ?? null, publisher: s.publisher ?? null, year: s.year ?? null,
        edition: null, version: null, subjects: input.subjects, tags: [], mediaType: input.mediaType, language: null, description: null,
      });
    const item = await itemCreator(deps, tx, record.id, {
      loanCategory: input.loanCategory, location: input.location, floor: input.floor ?? null, mediaType: input.mediaType,
      replacementCostCents: input.replacementCostCents, status: 'on-order',
    });
    s.status = 'accepted';
    s.decidedAt = deps.clock();
    s.decidedBy = user.id;
    s.decisionNote = input.note ?? null;
    s.recordId = record.id;
    s.itemId = item.id;
    await tx.flush();
    return { suggestion: presentSuggestion(s, user), record: presentRecord(record), item: presentItem(item), existingRecord: Boolean(existing) };
  });
}

export async function suggestionDecliner(deps: Deps, em: EntityManager, id: string, reason: string | undefined, user: AuthUser) {
  if (!isStaff(user.roles)) throw forbidden();
  return em.transactional(async (tx) => {
    const s = await pendingSuggestionLocker(tx, id);
    s.status = 'declined';
    s.decidedAt = deps.clock();
    s.decidedBy = user.id;
    s.decisionNote = reason ?? null;
    await tx.flush();
    return presentSuggestion(s, user);
  });
}
