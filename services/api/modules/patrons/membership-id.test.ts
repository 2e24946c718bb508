import { describe, expect, it } from 'vitest';
import { isValidMembershipId, membershipIdFor } from './membership-id.ts';

describe('membershipIdFor (seed 003: "a unique alphanumeric id that distinguishes every member")', () => {
  it('is alphanumeric, unique per sequence number and carries a valid check letter', () => {
    const ids = new Set<string>();
    for (let n = 1; n <= 5000; n++) {
      const id = membershipIdFor(n);
      expect(id).toMatch(/^M\d{6}[A-Z]$/);
      expect(isValidMembershipId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(5000);
  });

  it('grows past six digits instead of wrapping', () => {
    expect(membershipIdFor(1_234_567)).toMatch(/^M1234567[A-Z]$/);
    expect(isValidMembershipId(membershipIdFor(1_234_567))).toBe(true);
  });

  it('catches a mistyped digit or a swapped pair', () => {
    const id = membershipIdFor(101);
    const digits = id.slice(1, 7);
    const typo = `M${digits.slice(0, 5)}${(Number(digits[5]) + 1) % 10}${id.slice(7)}`;
    expect(isValidMembershipId(typo)).toBe(false);
    const swapped = membershipIdFor(123456);
    expect(isValidMembershipId(`M214356${swapped.slice(7)}`)).toBe(false);
  });

  it('refuses a non-positive sequence number', () => {
    expect(() => membershipIdFor(0)).toThrow(RangeError);
  });
});
