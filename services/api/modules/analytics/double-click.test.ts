import { describe, expect, it } from 'vitest';
import { countAfterDoubleClickFilter } from './double-click.ts';

const t = (hms: string) => Date.parse(`2026-03-02T${hms}Z`);

describe('countAfterDoubleClickFilter (COUNTER R5 §7.2)', () => {
  it('10:01:00 and 10:01:29 are one action; 10:01:00 and 10:01:35 are two', () => {
    expect(countAfterDoubleClickFilter([{ key: 'a', at: t('10:01:00') }, { key: 'a', at: t('10:01:29') }])).toBe(1);
    expect(countAfterDoubleClickFilter([{ key: 'a', at: t('10:01:00') }, { key: 'a', at: t('10:01:35') }])).toBe(2);
  });
  it('exactly 30 seconds apart is still a double-click', () => {
    expect(countAfterDoubleClickFilter([{ key: 'a', at: t('10:01:00') }, { key: 'a', at: t('10:01:30') }])).toBe(1);
  });
  it('a chain of clicks each within 30 s of the previous counts once', () => {
    expect(countAfterDoubleClickFilter(['10:00:00', '10:00:20', '10:00:40', '10:01:00', '10:01:20'].map((h) => ({ key: 'a', at: t(h) })))).toBe(1);
  });
  it('different keys (session, item or metric) never fold together', () => {
    expect(countAfterDoubleClickFilter([{ key: 'a', at: t('10:00:00') }, { key: 'b', at: t('10:00:01') }, { key: 'a', at: t('10:00:02') }])).toBe(2);
  });
  it('order of input does not matter', () => {
    expect(countAfterDoubleClickFilter([{ key: 'a', at: t('10:00:40') }, { key: 'a', at: t('10:00:00') }, { key: 'a', at: t('10:00:20') }])).toBe(1);
  });
});
