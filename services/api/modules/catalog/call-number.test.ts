import { describe, expect, it } from 'vitest';
import { callNumberFromInt, isValidCallNumber, lowestFreeCallNumber } from './call-number.ts';

// Seed 002: "Call Number - Local ID# ... unique to each book (and each copy of each book). This will
// be a 10 digit numeric field (we use the VSDS or Very Simple Decimal System)."
describe('isValidCallNumber: "This will be a 10 digit numeric field"', () => {
  it.each([
    ['0000000001', true],
    ['1234567890', true],
    ['9999999999', true],
    ['0000000000', false], // reserved, see call-number.ts
    ['123456789', false],
    ['12345678901', false],
    ['12345-6789', false],
    ['12345678 9', false],
    ['123456789a', false],
    ['', false],
    ['１２３４５６７８９０', false], // full-width digits are not ASCII digits
  ])('%j -> %s', (s, valid) => expect(isValidCallNumber(s)).toBe(valid));
});

// Seed 002: "a call number suggestion should be made (probably the lowest available call number)".
describe('lowestFreeCallNumber: "probably the lowest available call number"', () => {
  it.each<[string, string[], string]>([
    ['empty catalogue', [], '0000000001'],
    ['first one taken', ['0000000001'], '0000000002'],
    ['gap at the start', ['0000000002', '0000000003'], '0000000001'],
    ['gap in the middle', ['0000000001', '0000000002', '0000000004'], '0000000003'],
    ['unsorted input', ['0000000003', '0000000001', '0000000005', '0000000002'], '0000000004'],
    ['duplicates are harmless', ['0000000001', '0000000001', '0000000002'], '0000000003'],
    ['invalid values ignored', ['0000000000', 'abc', '1', '00000000001'], '0000000001'],
    ['high numbers do not hide low gaps', ['9999999999', '5000000000'], '0000000001'],
  ])('%s', (_name, used, expected) => {
    expect(lowestFreeCallNumber(used)).toBe(expected);
  });

  it('all full up to N -> N + 1', () => {
    const n = 10_000;
    const used = Array.from({ length: n }, (_, i) => callNumberFromInt(i + 1)).reverse();
    expect(lowestFreeCallNumber(used)).toBe(callNumberFromInt(n + 1));
  });

  it('carries across a digit boundary', () => {
    const used = Array.from({ length: 999 }, (_, i) => callNumberFromInt(i + 1));
    expect(lowestFreeCallNumber(used)).toBe('0000001000');
  });

  it('accepts any iterable, e.g. a Set or a generator', () => {
    expect(lowestFreeCallNumber(new Set(['0000000001']))).toBe('0000000002');
    function* gen() {
      yield '0000000002';
      yield '0000000001';
    }
    expect(lowestFreeCallNumber(gen())).toBe('0000000003');
  });
});

describe('callNumberFromInt', () => {
  it('zero-pads', () => {
    expect(callNumberFromInt(1)).toBe('0000000001');
    expect(callNumberFromInt(9_999_999_999)).toBe('9999999999');
  });
  it.each([0, -1, 1.5, 10_000_000_000, Number.NaN])('refuses %s', (n) => {
    expect(() => callNumberFromInt(n)).toThrow(RangeError);
  });
});
