import { describe, expect, it } from 'vitest';
import { parseTags } from './site-upload.ts';

describe('upload form tags', () => {
  it('splits on commas, trims, folds duplicates case-insensitively and drops empties', () => {
    expect(parseTags(' Field recording, birds;BIRDS,, dawn  chorus ')).toEqual(['Field recording', 'birds', 'dawn chorus']);
    expect(parseTags(undefined)).toEqual([]);
    expect(parseTags('')).toEqual([]);
  });
});
