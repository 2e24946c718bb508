import { describe, expect, it } from 'vitest';
import { fineBlockReason, isBlockedByFines } from './borrowing-block.ts';
import { PRESETS } from './policy.ts';

const { standard, als } = PRESETS;

// Seed 002: "Each customer is allowed to owe up to $10.00 at one time. If a customer owes more money to
// the library, he must reduce his fine to below $10.00 before he is allowed to borrow any more books."
describe('standard: "Each customer is allowed to owe up to $10.00 at one time"', () => {
  it.each([
    [0, false],
    [999, false], // issue 3: "$9.99 does not" block
    [1000, false], // exactly $10.00 is "up to $10.00": allowed (see borrowing-block.ts)
    [1001, true], // issue 3: "an $10.01 balance blocks"
    [50_000, true],
  ])('balance %i cents blocks: %s', (balance, blocked) => {
    expect(isBlockedByFines(standard, balance)).toBe(blocked);
  });

  it('a per-patron "Max Fine" replaces the policy limit', () => {
    expect(isBlockedByFines(standard, 600, 500)).toBe(true);
    expect(isBlockedByFines(standard, 1500, 2000)).toBe(false);
  });

  it('tells the librarian what must be paid', () => {
    expect(fineBlockReason(standard, 1001)).toBe('Outstanding fines of $10.01 are over the $10.00 limit; a payment of at least $0.01 is needed first.');
    expect(fineBlockReason(standard, 999)).toBeNull();
  });
});

// Seed 003: "A member can borrow a book if he/she does not have an outstanding fine (i.e., the fine has not been paid)."
describe('als: "A member can borrow a book if he/she does not have an outstanding fine"', () => {
  it.each([
    [0, false],
    [1, true],
    [100, true],
    [500, true],
  ])('balance %i cents blocks: %s', (balance, blocked) => {
    expect(isBlockedByFines(als, balance)).toBe(blocked);
    expect(isBlockedByFines(als, balance, 10_000)).toBe(blocked); // no per-patron limit loosens it
  });

  it('reason', () => {
    expect(fineBlockReason(als, 500)).toBe('Outstanding fines of $5.00 must be paid first.');
  });
});
