import { describe, expect, it } from 'vitest';
import {
  cheapestIndexing, columnStatistics, expectedMatches, matchesFromSample, matchesToCollect, pagesScanned, parseTextArray, prefixShare, suggestPlan, wordShare,
} from './search-statistics.ts';

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
  it('leaves a common prefix to the rows a rare word found', () => {
    // a prefix is a union: "the..." (61 % of a million documents) put 611,000 postings in a bitmap (103-131 ms)
    expect(cheapestIndexing([0.016, 0.61], MILLION, 200, [false, true]).indexed).toEqual([true, false]);
  });

  it('asks the index for whole words together: it merges their postings cheaply, where each row read costs far more', () => {
    expect(cheapestIndexing([0.011, 0.15], MILLION, 200).indexed).toEqual([true, true]);
    expect(cheapestIndexing([0.01, 0.01], MILLION, 200).indexed).toEqual([true, true]);
  });

  it('does not union a prefix to spare rows it would not read anyway (the bound on rows checked)', () => {
    // "time of wen": the prefix "wen" cost 67-89 ms in the index; at most 300 rows are checked instead
    expect(cheapestIndexing([0.03, 0.45, 0.06], MILLION, 200, [false, false, true], 300).indexed[2]).toBe(false);
    expect(cheapestIndexing([0.03, 0.45, 0.06], MILLION, 200, [false, false, true]).indexed[2]).toBe(true); // unbounded
  });

  it('indexes every word when nothing is known (a new catalogue, never analysed)', () => {
    expect(cheapestIndexing([0.61, 0.016], 0, 200).indexed).toEqual([true, true]);
  });
});

describe('how suggestions find matches', () => {
  it('reads titles in order when every typed word is common: enough of them match', () => {
    // "in the": "in" 21 %, words starting "the" 66 %: the index would union 660,000 postings
    expect(suggestPlan([0.21, 0.66], MILLION, 10, 200, [false, true])).toMatchObject({ scan: true });
  });

  it('asks the index for the rare word and checks the common prefix on its rows', () => {
    // a rare word then "the": the prefix alone made the index build a bitmap of 400,000 rows (67 ms)
    const plan = suggestPlan([0.00002, 0.66], MILLION, 10, 200, [false, true]);
    expect(plan).toMatchObject({ scan: false, indexed: [true, false] });
  });

  it('does not read titles in order when too few would match', () => {
    expect(suggestPlan([0.05, 0.05, 0.01], MILLION, 10, 200).scan).toBe(false);
  });

  it('uses the index alone, for every word, without statistics', () => {
    expect(suggestPlan([0.5, 0.5], 0, 10, 200)).toMatchObject({ scan: false, indexed: [true, true] });
  });
});

describe('how many matches a keyword query collects', () => {
  const CAP = 1000;
  const BROAD_SAMPLE = 250;
  // a million documents; one in ten has file text, in which "history" is in 90 %, "rozelro" in 10 % and "figoran" in 20 %
  const stats = {
    rows: MILLION,
    meta: columnStatistics({ elems: '{the,history,companion,rozelro,figoran}', freqs: '{0.6,0.1,0.012,0.0009,0.0027,0.0009,0.6}', nullFrac: 0 }),
    text: columnStatistics({ elems: '{the,history,figoran,rozelro}', freqs: '{0.99,0.9,0.2,0.1,0.1,0.99}', nullFrac: 0.9 }),
  };

  it('first collects a sample when the statistics expect many times the cap: the answer is a lower bound either way', () => {
    expect(matchesToCollect(stats, ['the'], [], CAP)).toBe(BROAD_SAMPLE);
    expect(matchesToCollect(stats, ['history', 'the'], [], CAP)).toBe(BROAD_SAMPLE);
    // "companion" (12,000) in the 1990s (15 %): about 1,800 expected
    expect(matchesToCollect(stats, ['companion'], [0.15], CAP)).toBe(BROAD_SAMPLE);
  });

  it('collects up to the cap when the expected matches are near or under it, so such a query gets an exact answer', () => {
    expect(matchesToCollect(stats, ['companion'], [0.05], CAP)).toBe(CAP); // ~600 expected
  });

  it('takes words of file text as independent among the records that have text, not among all records', () => {
    // among all records 1 % x 2 % would be 200 matches; among the 100,000 with text 10 % x 20 % are 2,000
    expect(expectedMatches(stats, ['rozelro', 'figoran'], []).text).toBeCloseTo(2000);
    expect(matchesToCollect(stats, ['rozelro', 'figoran'], [], CAP)).toBe(BROAD_SAMPLE);
  });

  it('may take an unlisted word as common as the least listed to decide on a sample, but never to count matches', () => {
    expect(matchesToCollect(stats, ['zelpe'], [], CAP)).toBe(BROAD_SAMPLE); // up to 900 in metadata and 10,000 in text
    expect(expectedMatches(stats, ['zelpe'], [], true)).toEqual({ meta: 0, text: 0 });
  });

  it('collects up to the cap without statistics, and when browsing with no condition (the table is read in order)', () => {
    expect(matchesToCollect({ ...stats, rows: 0 }, ['the'], [], CAP)).toBe(CAP);
    expect(matchesToCollect(stats, [], [], CAP)).toBe(CAP);
    expect(matchesToCollect(stats, ['the'], [], 100)).toBe(25); // a sample is a quarter of the cap
  });
});

describe('what a sample says about all the matches', () => {
  const PAGES = 100_000;

  it('counts the pages a scan went through, from page 0 or wrapping round the end (synchronized scans)', () => {
    expect(pagesScanned([10, 500, 2_000], PAGES)).toBe(2_000 - 10);
    expect(pagesScanned([99_000, 99_500, 200, 1_000], PAGES)).toBe(2_000);
    expect(pagesScanned([], PAGES)).toBe(PAGES);
  });

  it('extrapolates a sample cut short from how far through the table it got', () => {
    // 251 metadata matches within the first 2 % of the table: about 12,500 in all
    const early = { metaBlocks: Array.from({ length: 251 }, (_, i) => i * 8), textBlocks: [], blocks: PAGES };
    expect(matchesFromSample(early, 250, 0)).toBeGreaterThan(12_000);
    // the same number spread over the whole table: about all there are
    const spread = { metaBlocks: Array.from({ length: 251 }, (_, i) => i * 398), textBlocks: [], blocks: PAGES };
    expect(matchesFromSample(spread, 250, 0)).toBeLessThan(260);
    // file text was not read: the statistics stand for it
    expect(matchesFromSample(spread, 250, 5_000)).toBeGreaterThan(5_000);
  });

  it('counts complete metadata matches as they are and extrapolates the file text matches that filled the sample', () => {
    const s = { metaBlocks: [5, 70_000], textBlocks: Array.from({ length: 249 }, (_, i) => i * 40), blocks: PAGES };
    expect(matchesFromSample(s, 250, 0)).toBeGreaterThan(2 + 2_000);
  });
});
