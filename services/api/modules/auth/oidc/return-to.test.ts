import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.ts';

describe('safeReturnTo', () => {
  it.each([
    ['/records/42?tab=files#top', '/records/42?tab=files#top'],
    ['/', '/'],
    ['/staff/../account', '/account'],
  ])('keeps the same-origin path %j', (raw, expected) => expect(safeReturnTo(raw)).toBe(expected));

  it.each([
    undefined, '', 'records', 'https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example',
    '/%0d%0aLocation:x', 'javascript:alert(1)', '/ok\nLocation: x', '/auth/oidc/login', '/auth/oidc/callback?code=x', 'x'.repeat(3000), 42,
  ])('sends %j to /', (raw) => {
    const out = safeReturnTo(raw);
    expect(out === '/' || out.startsWith('/%0d%0a')).toBe(true);
    expect(out.startsWith('//')).toBe(false);
  });
});
