import { describe, expect, it } from 'vitest';
import { holdReadyUntil, isHoldExpired, placeHoldDecision } from './hold-rules.ts';
import type { PlaceHoldState } from './hold-rules.ts';
import { PRESETS } from './policy.ts';

const { standard, als } = PRESETS;
const NOW = new Date('2024-05-01T10:00:00Z');

function state(change: { patron?: Partial<PlaceHoldState['patron']>; item?: Partial<PlaceHoldState['item']> } = {}): PlaceHoldState {
  return {
    patron: { category: 'regular', restricted: false, openHoldCount: 0, balanceCents: 0, ...change.patron },
    item: { status: 'on-loan', hasHold: false, ...change.item },
  };
}

describe('placeHoldDecision refusals', () => {
  it.each<[string, typeof standard, PlaceHoldState, string]>([
    ['002 "Only one hold may be placed on a single book copy."', standard, state({ item: { hasHold: true } }), 'hold-exists'],
    ['002 one hold per copy, also when the copy is waiting on the hold shelf', standard, state({ item: { status: 'on-hold' } }), 'hold-exists'],
    ['003 "If a book is currently not available ... a member can request for the book to be reserved."', als, state({ item: { status: 'available' } }), 'item-available'],
    ['003 "A member can only reserve a book if he/she does not have an outstanding fine."', als, state({ patron: { balanceCents: 500 } }), 'fines-outstanding'],
    ['003 "A member can reserve (i.e., number of books reservable) a maximum of 2 books at any time."', als, state({ patron: { openHoldCount: 2 } }), 'hold-limit-reached'],
    ['002 "A customer may make the same number of holds as he can borrow books" (5 for regular)', standard, state({ patron: { openHoldCount: 5 } }), 'hold-limit-reached'],
    ['002 a librarian may hold as many as they may borrow (10)', standard, state({ patron: { category: 'librarian', openHoldCount: 10 } }), 'hold-limit-reached'],
    ['a withdrawn copy cannot be held', standard, state({ item: { status: 'out-of-circulation' } }), 'item-out-of-circulation'],
    ['a copy on order cannot be held until it arrives (issue 6)', standard, state({ item: { status: 'on-order' } }), 'item-out-of-circulation'],
    ['a restricted patron cannot reserve either', standard, state({ patron: { restricted: true } }), 'patron-restricted'],
  ])('%s', (_seed, policy, s, code) => {
    expect(placeHoldDecision(policy, s, NOW)).toMatchObject({ ok: false, code });
  });
});

describe('placeHoldDecision allows', () => {
  it('003: a copy on loan can be reserved; it becomes ready when returned', () => {
    expect(placeHoldDecision(als, state(), NOW)).toEqual({ ok: true, readyNow: false, readyUntil: null, overridden: [] });
  });

  it('002 "regardless of how many books are on loan to him at the time"', () => {
    expect(placeHoldDecision(standard, state({ patron: { openHoldCount: 4 } }), NOW)).toMatchObject({ ok: true });
  });

  it('002 sets no fine condition on holds (policy finesBlockHolds = false); the block applies at pickup', () => {
    expect(placeHoldDecision(standard, state({ patron: { balanceCents: 5000 } }), NOW)).toMatchObject({ ok: true });
  });

  it('002 allows a hold on a copy on the shelf: it is ready at once, "given 3 days to pick it up"', () => {
    expect(placeHoldDecision(standard, state({ item: { status: 'available' } }), NOW)).toEqual({
      ok: true,
      readyNow: true,
      readyUntil: new Date('2024-05-04T23:59:59.999Z'),
      overridden: [],
    });
  });

  it('staff may waive the hold limit, never "one hold per copy"', () => {
    const override = { override: { staffCategory: 'supervisor' } };
    expect(placeHoldDecision(als, state({ patron: { openHoldCount: 2, balanceCents: 100 } }), NOW, override)).toMatchObject({
      ok: true,
      overridden: ['fines-outstanding', 'hold-limit-reached'],
    });
    expect(placeHoldDecision(als, state({ item: { hasHold: true } }), NOW, override)).toMatchObject({ ok: false, code: 'hold-exists' });
    expect(placeHoldDecision(als, state({ item: { status: 'available' } }), NOW, override)).toMatchObject({ ok: false, code: 'item-available' });
  });
});

// Seed 002: "the customer that is waiting for it will be notified and has 3 days to pick it up, during
// which no one else can sign it out. After 3 days the book is put back on the shelf."
describe('pickup window: "has 3 days to pick it up ... After 3 days the book is put back on the shelf"', () => {
  const readyAt = new Date('2024-05-01T15:00:00Z');
  const until = holdReadyUntil(standard, readyAt);

  it('ends at the end of the third day after the copy came back', () => {
    expect(until.toISOString()).toBe('2024-05-04T23:59:59.999Z');
  });

  it.each([
    ['2024-05-02T09:00:00Z', false],
    ['2024-05-04T23:59:59.999Z', false],
    ['2024-05-05T00:00:00Z', true],
  ])('at %s expired = %s', (now, expired) => {
    expect(isHoldExpired(until, new Date(now))).toBe(expired);
  });

  it('uses the policy\'s pickup days and zone', () => {
    const p = { ...standard, holdPickupDays: 7, timeZone: 'Asia/Singapore' };
    expect(holdReadyUntil(p, readyAt).toISOString()).toBe('2024-05-08T15:59:59.999Z'); // 1 May 23:00 SGT + 7 days
  });
});
