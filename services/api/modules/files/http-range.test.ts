import { describe, expect, it } from 'vitest';
import { contentDisposition, etagMatches, rangeDecision } from './http-range.ts';

describe('rangeDecision (RFC 9110 single byte ranges)', () => {
  it.each([
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-1', 100, { kind: 'partial', start: 0, end: 1 }],
    ['bytes=10-', 100, { kind: 'partial', start: 10, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=90-1000', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=99-99', 100, { kind: 'partial', start: 99, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=100-200', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 100, { kind: 'full' }],
    ['bytes=0-1,5-6', 100, { kind: 'full' }],
    ['items=0-1', 100, { kind: 'full' }],
    ['bytes=abc', 100, { kind: 'full' }],
  ] as const)('%s of %i bytes', (header, size, expected) => {
    expect(rangeDecision(header, size)).toEqual(expected);
  });
});

describe('contentDisposition', () => {
  it('keeps a UTF-8 name in filename* and an ASCII fallback', () => {
    expect(contentDisposition('inline', 'Čapek "R.U.R.".pdf')).toBe(`inline; filename="_apek _R.U.R._.pdf"; filename*=UTF-8''%C4%8Capek%20%22R.U.R.%22.pdf`);
  });
});

describe('etagMatches', () => {
  it.each([
    ['"abc"', '"abc"', true],
    ['W/"abc"', '"abc"', true],
    ['"x", "abc"', '"abc"', true],
    ['*', '"abc"', true],
    ['"x"', '"abc"', false],
    [undefined, '"abc"', false],
  ] as const)('%s vs %s', (header, etag, expected) => expect(etagMatches(header, etag)).toBe(expected));
});
