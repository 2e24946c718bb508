import { describe, expect, it } from 'vitest';
import { AnswerCache } from './answer-cache.ts';

describe('AnswerCache', () => {
  it('answers only for the same generation and within the time to live', () => {
    let t = 0;
    const c = new AnswerCache<string>(10, 1000, () => t);
    c.set('q', '1', 'answer');
    expect(c.get('q', '1')).toBe('answer');
    expect(c.get('q', '2')).toBeUndefined(); // the index changed
    c.set('q', '2', 'newer');
    t = 1001;
    expect(c.get('q', '2')).toBeUndefined(); // too old
    expect([c.hits, c.misses]).toEqual([1, 2]);
  });

  it('forgets the least recently used entry when full', () => {
    const c = new AnswerCache<number>(2);
    c.set('a', '1', 1);
    c.set('b', '1', 2);
    c.get('a', '1');
    c.set('c', '1', 3);
    expect(c.get('b', '1')).toBeUndefined();
    expect(c.get('a', '1')).toBe(1);
    expect(c.size).toBe(2);
  });
});
