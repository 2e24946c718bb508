// What happens to a copy when it comes free (a return, a cancelled or expired ready hold): seed 002
// "If the book is on hold then the customer that is waiting for it will be notified and has 3 days
// to pick it up, during which no one else can sign it out. After 3 days the book is put back on
// the shelf." All of it runs inside the caller's transaction, with the copy's row already locked.
import type { EntityManager } from '@mikro-orm/sql';
import { HoldEntity, LedgerEntryEntity, NoticeEntity, type Hold } from './circulation.entities.ts';
import { copyStatusSetter, copySummariesLoader, type Copy } from './copy-store.ts';
import { noShowChargeCents } from './fines.ts';
import { holdReadyUntil, isHoldExpired } from './hold-rules.ts';
import type { CirculationPolicy } from './policy.ts';
import { holdExpiredNoticeRecorder } from '../notices/hold-expired-notice.ts';

export async function activeHoldOfCopy(tx: EntityManager, itemId: string): Promise<Hold | null> {
  // Most copies at the desk have no hold: ask with one plain indexed select, and hydrate the entity
  // (which the callers change) only when there is one.
  const rows = await tx.execute<Array<{ id: string }>>(
    `select id from holds where item_id = ? and status in ('waiting', 'ready') order by placed_at asc, id asc limit 1`, [itemId]);
  if (!rows[0]) return null;
  return tx.findOne(HoldEntity, { id: rows[0].id }, { refresh: true });
}

/** Records the "hold ready" notice for the mail issue to send (sent_at stays null until then). */
export async function holdReadyNoticeRecorder(tx: EntityManager, hold: Hold, copy: Copy, now: Date): Promise<void> {
  const patronId = hold.patron?.id;
  if (!patronId) return;
  const summary = (await copySummariesLoader(tx, [copy.id])).get(copy.id);
  tx.create(NoticeEntity, {
    patron: patronId, kind: 'hold-ready', createdAt: now, sentAt: null,
    payload: {
      holdId: hold.id, itemId: copy.id, callNumber: copy.callNumber, accessionNumber: copy.accessionNumber,
      title: summary?.title ?? null, readyUntil: hold.readyUntil?.toISOString() ?? null,
    },
  });
}

/** Makes a hold ready for pickup now: the copy is kept for that patron until the window ends. */
export async function holdReadier(tx: EntityManager, policy: CirculationPolicy, hold: Hold, copy: Copy, now: Date): Promise<void> {
  hold.status = 'ready';
  hold.readyAt = now;
  hold.readyUntil = holdReadyUntil(policy, now);
  await copyStatusSetter(tx, copy.id, 'on-hold', now);
  copy.status = 'on-hold';
  await holdReadyNoticeRecorder(tx, hold, copy, now);
}

/** The copy is free: the first waiting hold becomes ready, or the copy goes back on the shelf. */
export async function copyReleaser(tx: EntityManager, policy: CirculationPolicy, copy: Copy, now: Date): Promise<Hold | null> {
  const next = await tx.findOne(HoldEntity, { itemId: copy.id, status: 'waiting' }, { orderBy: { placedAt: 'asc', id: 'asc' }, refresh: true });
  if (next) {
    await holdReadier(tx, policy, next, copy, now);
    return next;
  }
  await copyStatusSetter(tx, copy.id, 'available', now);
  copy.status = 'available';
  return null;
}

/**
 * Seed 002: "If he fails to pick it up in this time, he is charged for 3 overdue days with that
 * book" (the policy's holdNoShowChargeDays; 0 under `als`). Expires a ready hold whose window has
 * passed and frees the copy. Returns the charge, or null when the hold is not (or no longer) due.
 */
export async function readyHoldExpirer(tx: EntityManager, policy: CirculationPolicy, hold: Hold, copy: Copy, now: Date, actorId: string | null): Promise<number | null> {
  if (hold.status !== 'ready' || !hold.readyUntil || !isHoldExpired(hold.readyUntil, now)) return null;
  const charge = noShowChargeCents(policy, copy.loanCategory, copy.replacementCostCents);
  hold.status = 'expired';
  hold.closedAt = now;
  hold.closedBy = actorId;
  if (charge > 0 && hold.patron) {
    tx.create(LedgerEntryEntity, {
      patron: hold.patron.id, kind: 'no-show', amountCents: charge, loanId: null, holdId: hold.id, method: null,
      note: `Hold not collected by ${hold.readyUntil.toISOString()}`, createdAt: now, createdBy: actorId,
    });
  }
  // Flushed before the copy is released so the one-active-hold index sees this hold closed.
  await tx.flush();
  await holdExpiredNoticeRecorder(tx, hold, copy.id, now, charge);
  if (copy.status === 'on-hold') await copyReleaser(tx, policy, copy, now);
  return charge;
}
