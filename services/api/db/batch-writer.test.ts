import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { BatchWriter } from './batch-writer.ts';

const log = createLogger('silent');

describe('BatchWriter (events written together, off the request path)', () => {
  it('writes one batch when `at` rows are gathered, and the rest on flush', async () => {
    const batches: number[][] = [];
    const w = new BatchWriter<number>({ what: 'test rows', log, everyMs: 60_000, at: 3, write: async (b) => { batches.push(b); } });
    for (const n of [1, 2, 3, 4]) w.add(n);
    await w.flush();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('drops rows beyond maxPending instead of growing, and loses a failed batch without throwing', async () => {
    const w = new BatchWriter<number>({ what: 'test rows', log, everyMs: 60_000, at: 100, maxPending: 2, write: async () => { throw new Error('database down'); } });
    expect([w.add(1), w.add(2), w.add(3)]).toEqual([true, true, false]);
    await expect(w.flush()).resolves.toBeUndefined();
    expect(w.size).toBe(0);
  });
});
