// Seed 002: "Customers may choose to put books on hold. This means that as soon as the book is next
// available the customer is notified and given 3 days to pick it up." "Only one hold may be placed
// on a single book copy. Holds are placed on a first come first serve basis. A customer may make the
// same number of holds as he can borrow books, regardless of how many books are on loan to him at
// the time."
// Seed 003: "If a book is currently not available (because it is on loan to a member), a member can
// request for the book to be reserved." "A member can only reserve a book if he/she does not have an
// outstanding fine." "A member can reserve ... a maximum of 2 books at any time."
import { endOfLocalDay, localDayNumber } from './calendar.ts';
import { fineBlockReason } from './borrowing-block.ts';
import { refuse, resolveBlocks } from './decision.ts';
import type { CirculationCode, DecisionOptions, Refusal } from './decision.ts';
import type { ItemStatus } from './item-status.ts';
import { holdLimitFor } from './patron-limits.ts';
import type { PatronStanding } from './patron-limits.ts';
import type { CirculationPolicy } from './policy.ts';

export interface PlaceHoldState {
  patron: PatronStanding & { openHoldCount: number };
  item: {
    status: ItemStatus;
    /** Any hold on the copy, waiting or ready. */
    hasHold: boolean;
  };
}

export type PlaceHoldDecision =
  | {
      ok: true;
      /** The copy is on the shelf now (policy allows holds on available copies): the hold is ready at once. */
      readyNow: boolean;
      /** Pickup deadline when readyNow, else null (set when the copy comes back). */
      readyUntil: Date | null;
      overridden: CirculationCode[];
    }
  | Refusal;

/**
 * The pickup deadline of a hold that became ready at `readyAt`: the end of the local day
 * `holdPickupDays` days later ("has 3 days to pick it up", counted in days like a due date).
 */
export function holdReadyUntil(policy: CirculationPolicy, readyAt: Date): Date {
  return endOfLocalDay(localDayNumber(readyAt, policy.timeZone) + policy.holdPickupDays, policy.timeZone);
}

/** Seed 002: "After 3 days the book is put back on the shelf." True once the deadline has passed. */
export function isHoldExpired(readyUntil: Date, now: Date): boolean {
  return now.getTime() > readyUntil.getTime();
}

export function placeHoldDecision(
  policy: CirculationPolicy,
  state: PlaceHoldState,
  now: Date,
  options?: DecisionOptions,
): PlaceHoldDecision {
  const { patron, item } = state;
  if (item.status === 'out-of-circulation') return refuse('item-out-of-circulation', 'This copy is out of circulation.');
  if (item.status === 'on-order') return refuse('item-out-of-circulation', 'This copy is on order and has not arrived yet.');
  if (item.hasHold || item.status === 'on-hold') {
    return refuse('hold-exists', 'This copy already has a hold; only one hold may be placed on a copy.');
  }
  if (item.status === 'available' && policy.holdsOnlyWhenUnavailable) {
    return refuse('item-available', 'This copy is available now; it can be borrowed instead of reserved.');
  }

  const blocks: Refusal[] = [];
  if (patron.restricted) blocks.push(refuse('patron-restricted', 'This patron is restricted from borrowing and reserving.'));
  if (policy.finesBlockHolds) {
    const fines = fineBlockReason(policy, patron.balanceCents, patron.fineLimitCents);
    if (fines) blocks.push(refuse('fines-outstanding', fines));
  }
  const limit = holdLimitFor(policy, patron);
  if (patron.openHoldCount >= limit) {
    blocks.push(refuse('hold-limit-reached', `This patron already has ${patron.openHoldCount} of ${limit} holds allowed.`));
  }

  const resolved = resolveBlocks(policy, blocks, options);
  if (!resolved.ok) return resolved;
  const readyNow = item.status === 'available';
  return { ok: true, readyNow, readyUntil: readyNow ? holdReadyUntil(policy, now) : null, overridden: resolved.overridden };
}
