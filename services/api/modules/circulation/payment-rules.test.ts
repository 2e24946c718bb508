import { describe, expect, it } from 'vitest';
import { paymentDecision } from './payment-rules.ts';
import { PRESETS } from './policy.ts';

const { standard, als } = PRESETS;

// Seed 003: "Fines must be completely paid. No partial payment is allowed. For example, if the fine amount
// is $4, only $4 payment is allowed; any payment less than or more than $4 will be rejected."
describe('als: "Fines must be completely paid. No partial payment is allowed."', () => {
  it.each<[number, number, number | null]>([
    // balance, amount, new balance (null = refused)
    [400, 400, 0], // "if the fine amount is $4, only $4 payment is allowed"
    [400, 399, null], // "any payment less than ... $4 will be rejected"
    [400, 401, null], // "... or more than $4 will be rejected"
    [500, 400, null],
    [500, 500, 0],
    [0, 100, null],
    [500, 0, null],
    [500, -500, null],
  ])('balance %i, pay %i -> %s', (balance, amount, newBalance) => {
    const decision = paymentDecision(als, balance, amount);
    if (newBalance === null) expect(decision).toMatchObject({ ok: false, code: 'payment-amount-invalid' });
    else expect(decision).toEqual({ ok: true, newBalanceCents: newBalance });
  });

  it('says what would be accepted', () => {
    expect(paymentDecision(als, 500, 400)).toEqual({
      ok: false,
      code: 'payment-amount-invalid',
      reason: 'Fines must be paid in full: exactly $5.00, not $4.00.',
    });
  });
});

// Seed 002: "he must reduce his fine to below $10.00 before he is allowed to borrow any more books" —
// paying part of a fine is how a customer reduces it.
describe('standard: partial payments reduce the fine', () => {
  it.each<[number, number, number | null]>([
    [1500, 501, 999],
    [1500, 1500, 0],
    [1500, 1, 1499],
    [1500, 1501, null], // never more than owed: no credit is kept
    [1500, 0, null],
    [1500, 10.5, null], // money is integer cents
    [0, 1, null],
  ])('balance %i, pay %i -> %s', (balance, amount, newBalance) => {
    const decision = paymentDecision(standard, balance, amount);
    if (newBalance === null) expect(decision).toMatchObject({ ok: false, code: 'payment-amount-invalid' });
    else expect(decision).toEqual({ ok: true, newBalanceCents: newBalance });
  });
});
