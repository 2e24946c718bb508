import { describe, expect, it } from 'vitest';
import { FileRowCache, MAX_ROWS, TTL_MS } from './file-row-cache.ts';
import type { FileForContent } from './files.service.ts';

const row = (id: string): FileForContent => ({
  id, record: 'r', originalName: 'a.pdf', mediaType: 'application/pdf', size: 1, sha256: 'x', storageKey: 'k',
  access: 'public', accessGroup: null, embargoUntil: null, createdAt: new Date(0),
});

describe('the content route keeps file rows for a few seconds', () => {
  it('answers from the cache until the row is TTL_MS old', () => {
    const c = new FileRowCache();
    c.set(row('a'), 1000);
    expect(c.get('a', 1000 + TTL_MS - 1)?.id).toBe('a');
    expect(c.get('a', 1000 + TTL_MS)).toBeUndefined();
  });

  it('forgets a deleted file at once', () => {
    const c = new FileRowCache();
    c.set(row('a'), 0);
    c.forget(['a']);
    expect(c.get('a', 1)).toBeUndefined();
  });

  it('holds at most MAX_ROWS rows, dropping the oldest', () => {
    const c = new FileRowCache();
    for (let i = 0; i <= MAX_ROWS; i++) c.set(row(String(i)), 0);
    expect(c.get('0', 1)).toBeUndefined();
    expect(c.get(String(MAX_ROWS), 1)?.id).toBe(String(MAX_ROWS));
  });
});
