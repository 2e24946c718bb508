import { describe, expect, it } from 'vitest';
import {
  cheapestIndexing, columnStatistics, DEFAULT_STATISTICS_TARGET, MAX_STATISTICS_TARGET, expectedMatches, matchesFromSlice, matchesToCollect, parseTextArray, prefixShare, SAMPLE_SLICE_SHARE, sampleAnswers, statisticsTargetFor, statisticsTargetKeeps, suggestPlan, wordShare,
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

  it('asks for statistics as deep as the catalogue is large: 50 per 100,000 documents, never below the default, at most 1,000', () => {
    expect(statisticsTargetFor(0)).toBe(DEFAULT_STATISTICS_TARGET);
    expect(statisticsTargetFor(100_000)).toBe(100);
    expect(statisticsTargetFor(249_999)).toBe(100);
    expect(statisticsTargetFor(250_000)).toBe(150);
    expect(statisticsTargetFor(MILLION)).toBe(500);
    expect(statisticsTargetFor(2 * MILLION)).toBe(1_000);
    expect(statisticsTargetFor(20 * MILLION)).toBe(MAX_STATISTICS_TARGET);
    expect(statisticsTargetFor(-1)).toBe(DEFAULT_STATISTICS_TARGET); // a table never analysed
  });

  it('keeps a statistics target within 5 % of a step, so a catalogue hovering at one is not analysed back and forth', () => {
    expect(statisticsTargetKeeps(100, 251_000)).toBe(true);
    expect(statisticsTargetKeeps(150, 249_000)).toBe(true);
    expect(statisticsTargetKeeps(100, 270_000)).toBe(false);
    expect(statisticsTargetKeeps(100, MILLION)).toBe(false);
    expect(statisticsTargetKeeps(1_000, MILLION)).toBe(false); // a catalogue that shrank
    expect(statisticsTargetKeeps(500, MILLION)).toBe(true);
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

  it('takes an unlisted word as common as the least listed to decide on a sample (the sample then says how common it is)', () => {
    expect(matchesToCollect(stats, ['zelpe'], [], CAP)).toBe(BROAD_SAMPLE); // up to 900 in metadata and 10,000 in text
  });

  it('collects up to the cap without statistics, and when browsing with no condition (the table is read in order)', () => {
    expect(matchesToCollect({ ...stats, rows: 0 }, ['the'], [], CAP)).toBe(CAP);
    expect(matchesToCollect(stats, [], [], CAP)).toBe(CAP);
    expect(matchesToCollect(stats, ['the'], [], 100)).toBe(25); // a sample is a quarter of the cap
  });
});

describe('what the sample slice says about all the matches', () => {
  const CAP = 1000;
  it('is a random eighth of the records', () => {
    expect(SAMPLE_SLICE_SHARE).toBe(1 / 8);
  });

  it('stands for eight times its count; a full sample for at least eight times the sample', () => {
    expect(matchesFromSlice(120, 250)).toBe(960);
    expect(matchesFromSlice(251, 250)).toBe(2008);
    expect(matchesFromSlice(0, 250)).toBe(0);
  });

  it('answers a query from the sample only when the slice stands for well over the cap', () => {
    expect(sampleAnswers(251, 250, CAP)).toBe(true); // 2,000 or more
    expect(sampleAnswers(157, 250, CAP)).toBe(true); // ~1,256
    expect(sampleAnswers(156, 250, CAP)).toBe(false); // ~1,248: collected again up to the cap
  });

  it('keeps an exact answer for a query under the cap: 900 matches put 112 in the slice on average, and 157 is 4.5 standard deviations above', () => {
    const mean = 900 * SAMPLE_SLICE_SHARE;
    const sd = Math.sqrt(900 * SAMPLE_SLICE_SHARE * (1 - SAMPLE_SLICE_SHARE));
    expect(sampleAnswers(Math.floor(mean + 4 * sd), 250, CAP)).toBe(false);
    expect(sampleAnswers(Math.floor(1_000 * SAMPLE_SLICE_SHARE), 250, CAP)).toBe(false);
  });
});
