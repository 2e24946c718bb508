import { describe, expect, it } from 'vitest';
import { itemCreate, itemPatch, recordCreate, recordPatch } from './catalog.schema.ts';

describe('catalog schemas', () => {
  it('a record PATCH keeps only the fields sent (no defaults for the rest)', () => {
    expect(recordPatch.parse({ tags: ['a'] })).toEqual({ tags: ['a'] });
    expect(recordPatch.parse({})).toEqual({});
  });

  it('an item PATCH does not reset the status or media type', () => {
    expect(itemPatch.parse({ floor: '3' })).toEqual({ floor: '3' });
  });

  it('creating still fills in the defaults', () => {
    expect(recordCreate.parse({ title: 'T', authors: ['A'] })).toMatchObject({ subjects: [], tags: [], mediaType: 'Book' });
    expect(itemCreate.parse({ loanCategory: 'two-week', location: 'Central Branch', replacementCostCents: 1 })).toMatchObject({ mediaType: 'Book', status: 'available' });
  });
});
