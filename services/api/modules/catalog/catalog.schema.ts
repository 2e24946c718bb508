import { z } from 'zod';

const text255 = z.string().trim().min(1).max(255);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v ? v : null));

// Seed 002 asks for every book field but version and edition; a digital repository also holds
// items with no publisher or ISBN (a recording, a scan of a letter), so the API requires only a
// title and one author and the staff "add a book" form insists on the rest.
export const recordCreate = z.object({
  title: text255,
  authors: z.array(text255).min(1, 'at least one author').max(100),
  publisher: optionalText(255),
  year: z.number().int().min(0).max(9999).nullable().optional(),
  isbn: z.string().trim().max(20).nullable().optional(),
  edition: optionalText(100),
  version: optionalText(100),
  subjects: z.array(z.string().trim().min(1).max(255)).max(500).default([]),
  tags: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
  mediaType: z.string().trim().min(1).max(50).default('Book'),
  language: optionalText(35),
  description: z.string().max(20_000).nullable().optional(),
}).strict();
export type RecordCreate = z.infer<typeof recordCreate>;

// A PATCH changes only the fields it sends. Zod 4 applies a default even inside .optional(), so the
// defaults of the create schemas are taken off first; otherwise a PATCH of the tags alone would
// empty the subjects and reset the media type (and an item PATCH would reset its status).
export const recordPatch = recordCreate.extend({
  subjects: recordCreate.shape.subjects.unwrap(),
  tags: recordCreate.shape.tags.unwrap(),
  mediaType: recordCreate.shape.mediaType.unwrap(),
}).partial().strict();
export type RecordPatch = z.infer<typeof recordPatch>;

export const itemCreate = z.object({
  callNumber: z.string().trim().optional(),
  accessionNumber: z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9._/-]+$/, 'letters, digits and . _ / - only').optional(),
  loanCategory: z.string().trim().min(1).max(50),
  location: z.string().trim().min(1).max(100),
  floor: z.union([z.string().trim().max(20), z.number().int()]).nullable().optional().transform((v) => (v === null || v === undefined || v === '' ? null : String(v))),
  mediaType: z.string().trim().min(1).max(50).default('Book'),
  replacementCostCents: z.number().int().min(0).max(100_000_000),
  // on-order: bought, not yet arrived (an accepted purchase suggestion); never lendable. PATCH to available on arrival.
  status: z.enum(['available', 'out-of-circulation', 'on-order']).default('available'),
}).strict();
export type ItemCreate = z.infer<typeof itemCreate>;

// Status moves only between the shelf states here; on-loan and on-hold belong to circulation.
export const itemPatch = itemCreate.omit({ callNumber: true }).extend({
  mediaType: itemCreate.shape.mediaType.unwrap(),
  status: itemCreate.shape.status.unwrap(),
}).partial().extend({ callNumber: z.string().trim().optional() }).strict();
export type ItemPatch = z.infer<typeof itemPatch>;

export const vocabularyAdd = z.object({ value: z.string().trim().min(1).max(100), label: z.string().trim().min(1).max(255).optional() }).strict();

export const recordListQuery = z.object({
  q: z.string().max(500).optional(),
  title: z.string().max(255).optional(),
  author: z.string().max(255).optional(),
  subject: z.string().max(255).optional(),
  isbn: z.string().max(20).optional(),
  publisher: z.string().max(255).optional(),
  year: z.string().regex(/^\d{1,4}(-\d{1,4})?$/, 'a year or a range like 1990-1999').optional(),
  mediaType: z.string().max(50).optional(),
  tag: z.string().max(100).optional(),
  available: z.enum(['true', 'false']).optional(),
  sort: z.enum(['relevance', 'title', 'year', '-year', 'added']).default('relevance'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type RecordListQuery = z.infer<typeof recordListQuery>;
