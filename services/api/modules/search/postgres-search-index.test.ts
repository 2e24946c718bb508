import { describe, expect, it } from 'vitest';
import { yearTokens } from './postgres-search-index.ts';

describe('year filters as tokens', () => {
  it('takes whole decades as one token and the years around them one each', () => {
    expect(yearTokens(1990, 1999)).toEqual(['dc=1990']);
    expect(yearTokens(1987, 2001)).toEqual(['yr=1987', 'yr=1988', 'yr=1989', 'dc=1990', 'yr=2000', 'yr=2001']);
    expect(yearTokens(1995, 1995)).toEqual(['yr=1995']);
    expect(yearTokens(-20, -1)).toEqual(['dc=-20', 'dc=-10']);
  });

  it('gives up on a range that would need too many tokens (the year column filters it)', () => {
    expect(yearTokens(1000, 2025)).toBeNull();
    expect(yearTokens(1800, 2025)).not.toBeNull();
  });
});
