import { z } from 'zod';
import { SUGGESTION_STATUSES } from './suggestion.entity.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const suggestionCreate = z.strictObject({
  title: text(255),
  authors: z.array(text(255)).max(20).default([]),
  isbn: z.string().trim().max(20).optional(),
  publisher: text(255).optional(),
  year: z.int().min(0).max(9999).optional(),
  /** Why the library should buy it (a course, a reading group). */
  note: z.string().trim().max(2000).optional(),
});
export type SuggestionCreate = z.infer<typeof suggestionCreate>;

export const suggestionAccept = z.strictObject({
  loanCategory: text(50),
  location: text(100),
  floor: z.union([z.string().trim().max(20), z.int()]).optional().transform((v) => (v === undefined || v === '' ? undefined : String(v))),
  mediaType: text(50).default('Book'),
  replacementCostCents: z.int().min(0).max(100_000_000).default(0),
  subjects: z.array(text(255)).max(100).default([]),
  note: z.string().trim().max(2000).optional(),
});
export type SuggestionAccept = z.infer<typeof suggestionAccept>;

export const suggestionDecline = z.strictObject({ reason: z.string().trim().max(2000).optional() });

export const suggestionListQuery = z.object({
  status: z.enum(SUGGESTION_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type SuggestionListQuery = z.infer<typeof suggestionListQuery>;
