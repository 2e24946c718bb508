// Seed 002: "Customers cannot borrow books that are signed out. Customers are not allowed to borrow
// books that are on hold by others or books out of circulation." and "Each customer has a maximum
// limit of books that can be borrowed and this limit cannot be exceeded."
// Seed 003: "A book can be borrowed if it is not on reservation or already on loan to another member."
import { fineBlockReason } from './borrowing-block.ts';
import { refuse, resolveBlocks } from './decision.ts';
import type { CirculationCode, DecisionOptions, Refusal } from './decision.ts';
import { dueDateFor } from './due-date.ts';
import type { ItemStatus } from './item-status.ts';
import { loanLimitFor } from './patron-limits.ts';
import type { PatronStanding } from './patron-limits.ts';
import type { CirculationPolicy } from './policy.ts';

export interface CheckoutState {
  patronId: string;
  patron: PatronStanding & { openLoanCount: number };
  item: {
    status: ItemStatus;
    loanCategory: string;
    /** When status is `on-hold`: the patron the copy is kept for. */
    readyHoldPatronId?: string | null;
  };
}

export type CheckoutDecision =
  | {
      ok: true;
      dueAt: Date;
      /** The copy was waiting for this patron: the service deletes that hold (seed 003: "the reservation is deleted"). */
      fulfilsHold: boolean;
      overridden: CirculationCode[];
    }
  | Refusal;

/** Patron-side blocks shared by checkout and renewal, in the order a librarian would explain them. */
export function patronBorrowingBlocks(
  policy: CirculationPolicy,
  patron: PatronStanding,
  balanceCents: number,
  loansAfter: number,
): Refusal[] {
  const blocks: Refusal[] = [];
  if (patron.restricted) blocks.push(refuse('patron-restricted', 'This patron is restricted from borrowing.'));
  const fines = fineBlockReason(policy, balanceCents, patron.fineLimitCents);
  if (fines) blocks.push(refuse('fines-outstanding', fines));
  const limit = loanLimitFor(policy, patron);
  if (loansAfter > limit) {
    blocks.push(refuse('loan-limit-reached', `This would make ${loansAfter} loans; this patron may have ${limit} at a time.`));
  }
  return blocks;
}

/** `now` is the loan time (staff may pass a back-dated one); the due date follows the copy's category. */
export function checkoutDecision(
  policy: CirculationPolicy,
  state: CheckoutState,
  now: Date,
  options?: DecisionOptions,
): CheckoutDecision {
  const { item, patron, patronId } = state;
  if (item.status === 'on-loan') return refuse('item-on-loan', 'This copy is already on loan.');
  if (item.status === 'out-of-circulation') return refuse('item-out-of-circulation', 'This copy is out of circulation.');
  if (item.status === 'on-order') return refuse('item-out-of-circulation', 'This copy is on order and has not arrived yet.');
  const fulfilsHold = item.status === 'on-hold' && item.readyHoldPatronId === patronId;
  if (item.status === 'on-hold' && !fulfilsHold) {
    return refuse('item-on-hold', 'This copy is being kept for another patron who placed a hold on it.');
  }

  const resolved = resolveBlocks(policy, patronBorrowingBlocks(policy, patron, patron.balanceCents, patron.openLoanCount + 1), options);
  if (!resolved.ok) return resolved;
  return { ok: true, dueAt: dueDateFor(policy, item.loanCategory, now), fulfilsHold, overridden: resolved.overridden };
}
