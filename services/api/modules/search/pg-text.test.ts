import { describe, expect, it } from 'vitest';
import { arrayLiteral, tsqueryLiteral, tsvectorLiteral } from './pg-text.ts';

describe('tsvectorLiteral', () => {
  it('weights each section and counts positions across them, with a gap between values', () => {
    const v = tsvectorLiteral([{ weight: 'A', texts: ['Batman Begins'] }, { weight: 'B', texts: ['Miller, Frank', 'Batman'] }]);
    expect(v).toBe("'batman':1A,21B 'begins':2A 'miller':11B 'frank':12B");
  });

  it('keeps positions within what Postgres accepts', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `w${i % 300}`).join(' ');
    const v = tsvectorLiteral([{ weight: 'D', texts: [long] }]);
    const positions = v.split(' ').map((e) => e.split(':')[1]!.split(','));
    expect(Math.max(...positions.flat().map((p) => Number(p.slice(0, -1))))).toBeLessThanOrEqual(16383);
    expect(Math.max(...positions.map((p) => p.length))).toBeLessThanOrEqual(256);
    expect(tsvectorLiteral([{ weight: 'A', texts: [null, ''] }])).toBe('');
  });
});

describe('tsqueryLiteral and arrayLiteral', () => {
  it('requires every term and keeps phrase words adjacent', () => {
    expect(tsqueryLiteral({ terms: ['history', 'rome'], phrases: [['siege', 'of', 'vicksburg']] })).toBe("'history' & 'rome' & ('siege' <-> 'of' <-> 'vicksburg')");
  });

  it('quotes array elements, escaping quotes and backslashes', () => {
    expect(arrayLiteral(['a', 'b "c"', 'd\\e', 'su=Rome -- History'])).toBe('{"a","b \\"c\\"","d\\\\e","su=Rome -- History"}');
  });
});
