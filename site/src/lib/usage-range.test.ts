import { describe, expect, it } from 'vitest';
import { intervalFor, periodText, periodTick, presetRange, readUsageRange } from './usage-range.ts';
import { cellText, centsText, headerText, timeText } from './report-format.ts';
import { refusalText } from './upload-text.ts';

const read = (qs: string) => readUsageRange(new URLSearchParams(qs), '2026-12-04');

describe('usage range in the URL', () => {
  it('defaults to the last 30 days, per day', () => {
    expect(read('').range).toEqual({ from: '2026-11-05', to: '2026-12-04', days: 30, interval: 'day' });
  });

  it('takes from and to and picks a readable interval', () => {
    expect(read('from=2026-01-01&to=2026-12-04').range).toMatchObject({ days: 338, interval: 'month' });
    expect(read('from=2026-09-01&to=2026-12-04').range.interval).toBe('week');
    expect(intervalFor(62)).toBe('day');
    expect(intervalFor(63)).toBe('week');
    expect(intervalFor(211)).toBe('month');
  });

  it('names the field that is wrong and falls back to the default range', () => {
    const bad = read('from=2026-02-30&to=2026-12-04');
    expect(bad.errors.from).toMatch(/real date/);
    expect(bad.range.from).toBe('2026-11-05');
    expect(bad.input.from).toBe('2026-02-30');
    expect(read('from=2026-12-05&to=2026-12-01').errors.from).toMatch(/on or before/);
    expect(read('to=nonsense').errors.to).toBeDefined();
  });

  it('has presets that end today', () => {
    expect(presetRange(7, '2026-12-04')).toEqual({ from: '2026-11-28', to: '2026-12-04' });
    expect(presetRange(365, '2026-12-04').from).toBe('2025-12-05');
  });

  it('words periods for axes and tables', () => {
    expect(periodTick('2026-11-05', 'day')).toBe('5 Nov');
    expect(periodTick('2026-11-01', 'month')).toBe('Nov 2026');
    expect(periodText('2026-11-02', 'week')).toBe('Week of 2 November 2026');
  });
});

describe('report cells', () => {
  it('shows cents as dollars, times in UTC, lists, flags and statuses in words', () => {
    expect(centsText(1250)).toBe('$12.50');
    expect(centsText(123456)).toBe('$1,234.56');
    expect(cellText({ key: 'finesCents', header: 'Fines (cents)' }, 300)).toBe('$3.00');
    expect(headerText({ key: 'finesCents', header: 'Fines (cents)' })).toBe('Fines');
    expect(timeText('2026-12-04T09:05:00.000Z')).toBe('4 Dec 2026, 09:05 UTC');
    expect(cellText({ key: 'dueAt', header: 'Due' }, '2026-12-04T09:05:00.000Z')).toBe('4 Dec 2026, 09:05 UTC');
    expect(cellText({ key: 'authors', header: 'Authors' }, ['Hunt, Andrew', 'Thomas, David'])).toBe('Hunt, Andrew; Thomas, David');
    expect(cellText({ key: 'overdue', header: 'Overdue' }, true)).toBe('Yes');
    expect(cellText({ key: 'status', header: 'Status' }, 'on-loan')).toBe('On loan');
    expect(cellText({ key: 'isbn', header: 'ISBN' }, null)).toBe('–');
  });
});

describe('upload refusals in words', () => {
  it('says why a file was not stored', () => {
    expect(refusalText('unsupported-media-type', null, 'a.exe')).toMatch(/^“a.exe” is not a type the library keeps/);
    expect(refusalText('file-too-large', 'Files are limited to 2147483648 bytes.', 'big.mp4')).toBe('“big.mp4” is too large: files can be at most 2.0 GB.');
    expect(refusalText('something-new')).toBe('The file was not stored. Try again in a moment.');
  });
});
