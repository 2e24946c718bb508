import { describe, expect, it } from 'vitest';
import { cheapestIndexing, columnStatistics, parseTextArray, prefixShare, suggestPlan, wordShare } from './search-statistics.ts';

const MILLION = 1_000_000;

describe('reading pg_stats', () => {
  it('parses Postgres array text, quoted values and escapes included', () => {
    expect(parseTextArray('{a,in,"sk:world history","say \\"hi\\"",mt=book}')).toEqual(['a', 'in', 'sk:world history', 'say "hi"', 'mt=book']);
    expect(parseTextArray('{}')).toEqual([]);
  });

  it('turns element frequencies into shares of all documents; an unlisted element is rarer than the least listed', () => {
    // tsvector statistics: a frequency per element, then the lowest and the highest of them
    const meta = columnStatistics({ elems: '{the,history,rome}', freqs: '{0.6,0.1,0.01,0.01,0.6}', nullFrac: 0 });
    expect(wordShare(meta, 'the')).toBeCloseTo(0.6);
    expect(wordShare(meta, 'zebra')).toBeCloseTo(0.01);
    // only documents with file text have a text vector: shares count every document
    const text = columnStatistics({ elems: '{the}', freqs: '{1,1,1}', nullFrac: 0.88 });
    expect(wordShare(text, 'the')).toBeCloseTo(0.12);
    expect(columnStatistics(undefined).shares.size).toBe(0);
  });

  it('adds up the listed words a prefix starts, at most all documents', () => {
    const meta = columnStatistics({ elems: '{history,historical,his,the,theory}', freqs: '{0.1,0.05,0.02,0.6,0.5,0.001,0.6}', nullFrac: 0 });
    expect(prefixShare(meta, 'hist')).toBeCloseTo(0.15);
    expect(prefixShare(meta, 'his')).toBeCloseTo(0.17);
    expect(prefixShare(meta, 'the')).toBe(1);
    expect(prefixShare(meta, 'zz')).toBeCloseTo(0.001);
  });
});

describe('which typed words the index answers', () => {
  it('leaves a common word to the rows a rare word found', () => {
    // "the" (61 % of a million documents) beside a word held by 1.6 %: a bitmap of 611,000 rows costs 103-131 ms
    expect(cheapestIndexing([0.61, 0.016], MILLION, 200).indexed).toEqual([false, true]);
    expect(cheapestIndexing([0.011, 0.15], MILLION, 200).indexed).toEqual([true, false]);
  });

  it('asks the index for both when each is selective and together they are much more so', () => {
    expect(cheapestIndexing([0.01, 0.01], MILLION, 200).indexed).toEqual([true, true]);
  });

  it('indexes every word when nothing is known (a new catalogue, never analysed)', () => {
    expect(cheapestIndexing([0.61, 0.016], 0, 200).indexed).toEqual([true, true]);
  });
});

describe('how suggestions find matches', () => {
  it('reads titles in order when every typed word is common: enough of them match', () => {
    // "in his": "in" 21 %, words starting "his" 7 %: the index would union 66,000 postings (30 ms)
    expect(suggestPlan([0.21, 0.07], MILLION, 10, 200)).toMatchObject({ scan: true });
  });

  it('asks the index for the rare word and checks the common prefix on its rows', () => {
    // a rare word then "the": the prefix alone made the index build a bitmap of 400,000 rows (67 ms)
    const plan = suggestPlan([0.00002, 0.66], MILLION, 10, 200);
    expect(plan).toMatchObject({ scan: false, indexed: [true, false] });
  });

  it('does not read titles in order when too few would match', () => {
    expect(suggestPlan([0.05, 0.05, 0.01], MILLION, 10, 200).scan).toBe(false);
  });

  it('uses the index alone, for every word, without statistics', () => {
    expect(suggestPlan([0.5, 0.5], 0, 10, 200)).toMatchObject({ scan: false, indexed: [true, true] });
  });
});
