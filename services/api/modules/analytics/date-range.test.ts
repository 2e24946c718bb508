import { describe, expect, it } from 'vitest';
import { dayRange, splitByMonths } from './date-range.ts';

describe('date ranges of the dashboards', () => {
  it('defaults to the 30 days up to today and refuses reversed ranges', () => {
    expect(dayRange(undefined, undefined, '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(() => dayRange('2026-03-05', '2026-03-01', '2026-03-31')).toThrow();
  });

  it('a calendar year is twelve whole months and no days', () => {
    expect(splitByMonths({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ months: { from: '2025-01-01', to: '2026-01-01' }, days: [] });
  });

  it('ragged ends are read from the days', () => {
    expect(splitByMonths({ from: '2025-03-15', to: '2026-03-14' })).toEqual({
      months: { from: '2025-04-01', to: '2026-03-01' },
      days: [{ from: '2025-03-15', to: '2025-04-01' }, { from: '2026-03-01', to: '2026-03-15' }],
    });
  });

  it('a range inside one month is all days', () => {
    expect(splitByMonths({ from: '2026-02-10', to: '2026-02-20' })).toEqual({ months: null, days: [{ from: '2026-02-10', to: '2026-02-21' }] });
    expect(splitByMonths({ from: '2026-02-01', to: '2026-02-28' })).toEqual({ months: { from: '2026-02-01', to: '2026-03-01' }, days: [] });
  });
});
