// Placing, cancelling and expiring holds, and cancelling a departing member's holds. Same locking
// order as loans (patron row, then copy row); the partial unique index on active holds per copy
// makes "Only one hold may be placed on a single book copy" hold even if two desks race.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { notFound, problem } from '../../http/problem.ts';
import { patronRowLocker } from '../patrons/patron.repository.ts';
import type { Actor } from './actor.ts';
import { HoldEntity, type Hold } from './circulation.entities.ts';
import { asCirculationProblem, refusalProblem } from './circulation-problems.ts';
import { activeHoldOfCopy, copyReleaser, holdReadier, readyHoldExpirer } from './copy-release.ts';
import { copyIdResolver, copyLocker, type CopyRef } from './copy-store.ts';
import { placeHoldDecision } from './hold-rules.ts';
import { decisionOptions, type OverrideInput } from './loans.service.ts';
import { overrideLogger } from './override-logger.ts';
import { patronStandingLoader } from './patron-standing.ts';
import { policyInForce } from './policy-store.ts';
import { circulationUsageRecorder } from '../analytics/usage-events.ts';

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export interface PlaceHoldInput extends CopyRef {
  patronId: string;
  override?: OverrideInput | undefined;
}

export async function holdPlacer(deps: Deps, em: EntityManager, input: PlaceHoldInput, actor: Actor): Promise<Hold> {
  const now = deps.clock();
  const itemId = await copyIdResolver(em, input);
  try {
    return await em.transactional(async (tx) => {
      const policy = await policyInForce(tx);
      const patron = await patronRowLocker(tx, input.patronId);
      const patronId = patron.id;
      const copy = await copyLocker(tx, itemId);
      if (!copy) throw notFound('Item', itemId);
      let current = await activeHoldOfCopy(tx, itemId);
      if (current && (await readyHoldExpirer(tx, policy, current, copy, now, null)) !== null) current = await activeHoldOfCopy(tx, itemId);
      const standing = await patronStandingLoader(tx, patronId, now);
      const decision = placeHoldDecision(policy, {
        patron: { category: patron.category, restricted: patron.restricted, balanceCents: standing.balanceCents, openHoldCount: standing.activeHoldCount, maxLoans: patron.maxLoans, maxHolds: patron.maxHolds, fineLimitCents: patron.fineLimitCents },
        item: { status: copy.status, hasHold: current !== null },
      }, now, decisionOptions(actor, input.override));
      if (!decision.ok) throw refusalProblem(decision, Boolean(input.override));

      const hold = tx.create(HoldEntity, {
        id: randomUUID(), itemId, patron: patronId, status: 'waiting', placedAt: now, readyAt: null, readyUntil: null, closedAt: null,
        loanId: null, placedBy: actor.userId, closedBy: null,
      });
      // Under `standard` a hold on a copy on the shelf is ready at once ("as soon as the book is next available").
      if (decision.readyNow) await holdReadier(tx, policy, hold, copy, now);
      if (input.override) overrideLogger(tx, { action: 'hold', codes: decision.overridden, reason: input.override.reason, actor, patronId, itemId, holdId: hold.id, now });
      await tx.flush();
      await circulationUsageRecorder(tx, { kind: 'hold', at: now, itemId, patronId });
      return hold;
    }, { clear: true });
  } catch (err) {
    throw asCirculationProblem(err);
  }
}

export async function holdLoader(em: EntityManager, id: string): Promise<Hold> {
  const hold = isUuid(id) ? await em.findOne(HoldEntity, { id }) : null;
  if (!hold) throw notFound('Hold', id);
  return hold;
}

async function activeHoldLocker(tx: EntityManager, id: string): Promise<Hold> {
  const hold = await tx.findOne(HoldEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!hold) throw notFound('Hold', id);
  if (hold.status !== 'waiting' && hold.status !== 'ready') {
    throw problem(409, 'hold-not-active', 'The hold is no longer active', `This hold is ${hold.status}.`, { status: hold.status });
  }
  return hold;
}

/**
 * Seed 002: "Before the 3 day time limit expires a customer may call and cancel the hold without
 * being charged any fines. If a customer cancels a hold ..., that book is returned to the shelf."
 * A cancellation after the window has ended is the expiry itself, with its no-show charge.
 */
export async function holdCanceller(deps: Deps, em: EntityManager, holdId: string, actor: Actor): Promise<{ hold: Hold; chargeCents: number }> {
  const now = deps.clock();
  const known = await holdLoader(em, holdId);
  return em.transactional(async (tx) => {
    const policy = await policyInForce(tx);
    if (known.patron) await patronRowLocker(tx, known.patron.id);
    const copy = await copyLocker(tx, known.itemId);
    const hold = await activeHoldLocker(tx, holdId);
    if (copy) {
      const charge = await readyHoldExpirer(tx, policy, hold, copy, now, actor.userId);
      if (charge !== null) return { hold, chargeCents: charge };
    }
    const wasReady = hold.status === 'ready';
    hold.status = 'cancelled';
    hold.closedAt = now;
    hold.closedBy = actor.userId;
    await tx.flush();
    if (wasReady && copy && copy.status === 'on-hold') await copyReleaser(tx, policy, copy, now);
    await tx.flush();
    return { hold, chargeCents: 0 };
  }, { clear: true }).catch((err: unknown) => { throw asCirculationProblem(err); });
}

/**
 * Seed 002: "After 3 days the book is put back on the shelf." Expires every ready hold whose pickup
 * window has passed, each in its own transaction (one failure does not hold back the rest).
 * Idempotent: a hold already handled elsewhere is skipped. Run by the hold-expiry job.
 */
export async function holdExpirer(deps: Deps): Promise<{ expired: number; chargedCents: number; failed: number }> {
  const now = deps.clock();
  const due = await deps.orm.em.fork().find(HoldEntity, { status: 'ready', readyUntil: { $lt: now } }, { orderBy: { readyUntil: 'asc' }, limit: 1000 });
  let expired = 0;
  let chargedCents = 0;
  let failed = 0;
  for (const candidate of due) {
    const charge = await deps.orm.em.fork().transactional(async (tx) => {
      const policy = await policyInForce(tx);
      if (candidate.patron) await patronRowLocker(tx, candidate.patron.id);
      const copy = await copyLocker(tx, candidate.itemId);
      const hold = await tx.findOne(HoldEntity, { id: candidate.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!hold) return null;
      if (!copy) {
        // The copy was withdrawn (it cannot be while held, but history may predate that rule): just close the hold.
        if (hold.status !== 'ready') return null;
        hold.status = 'expired';
        hold.closedAt = now;
        await tx.flush();
        return 0;
      }
      return readyHoldExpirer(tx, policy, hold, copy, now, null);
    }, { clear: true }).catch((err: unknown) => {
      failed++;
      deps.log.warn({ holdId: candidate.id, err: err instanceof Error ? err.message : String(err) }, 'hold expiry failed; retried on the next run');
      return null;
    });
    if (charge !== null) { expired++; chargedCents += charge; }
  }
  return { expired, chargedCents, failed };
}

/** Seed 003: "All reservations requested by members will be cancelled" when a membership ends. Inside the caller's transaction, patron locked. */
export async function patronHoldsCanceller(tx: EntityManager, patronId: string, now: Date, actor: Actor): Promise<number> {
  const policy = await policyInForce(tx);
  const holds = await tx.find(HoldEntity, { patron: patronId, status: { $in: ['waiting', 'ready'] } }, { orderBy: { itemId: 'asc' }, refresh: true });
  for (const h of holds) {
    const copy = await copyLocker(tx, h.itemId);
    const hold = await tx.findOne(HoldEntity, { id: h.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!hold || (hold.status !== 'waiting' && hold.status !== 'ready')) continue;
    const wasReady = hold.status === 'ready';
    hold.status = 'cancelled';
    hold.closedAt = now;
    hold.closedBy = actor.userId;
    await tx.flush();
    if (wasReady && copy && copy.status === 'on-hold') await copyReleaser(tx, policy, copy, now);
  }
  await tx.flush();
  return holds.length;
}

export async function patronHoldsLister(em: EntityManager, patronId: string, status: 'active' | 'all'): Promise<Hold[]> {
  const where = status === 'active' ? { patron: patronId, status: { $in: ['waiting', 'ready'] } } : { patron: patronId };
  return em.find(HoldEntity, where, { orderBy: { placedAt: 'desc', id: 'asc' }, limit: 1000 });
}

