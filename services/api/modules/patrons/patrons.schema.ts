import { z } from 'zod';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v === undefined ? undefined : v ? v : null));
const categoryKey = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a category key from the policy, e.g. "regular"');

export const patronContactFields = {
  // Seed 002: "Phone number of customer including area code"; seed 003 numbers like 91234567.
  phone: z.string().trim().max(50).regex(/^[0-9+()\-.\s]*$/, 'digits, spaces and + ( ) - . only').nullable().optional().transform((v) => (v === undefined ? undefined : v ? v : null)),
  email: z.union([z.email().max(255), z.literal(''), z.null()]).optional().transform((v) => (v === undefined ? undefined : v ? v.toLowerCase() : null)),
  // Seed 002: "Customer's mailing address (street, city, province, postal code)".
  address: optionalText(1000),
};

export const patronCreate = z.strictObject({
  // Seed 002: "Name of customer (Last, First)"; seed 003 "Tan Jia Yu": stored as written.
  name: z.string().trim().min(1).max(255),
  faculty: optionalText(255),
  ...patronContactFields,
  category: categoryKey.default('regular'),
  restricted: z.boolean().default(false),
  // Seed 002 "Max Books" / "Max Fine" per customer, supervisor mode only, and fixed once set (seed 003).
  maxLoans: z.int().min(0).max(1000).nullable().optional(),
  maxHolds: z.int().min(0).max(1000).nullable().optional(),
  fineLimitCents: z.int().min(0).max(10_000_000).nullable().optional(),
});
export type PatronCreate = z.infer<typeof patronCreate>;

/** The fields a patron record refuses to change (seed 003: "Membership id, the number of books borrowable, and the number of books reservable cannot be changed"). */
export const FIXED_PATRON_FIELDS = ['membershipId', 'maxLoans', 'maxHolds', 'fineLimitCents', 'id'] as const;

export const patronPatch = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  faculty: optionalText(255),
  ...patronContactFields,
  restricted: z.boolean().optional(),
  /** Supervisors only: a member who joins the staff, or a policy-defined category. */
  category: categoryKey.optional(),
  // Accepted by the parser only to be refused with a clear problem (patron-field-fixed).
  membershipId: z.unknown().optional(),
  maxLoans: z.unknown().optional(),
  maxHolds: z.unknown().optional(),
  fineLimitCents: z.unknown().optional(),
  id: z.unknown().optional(),
});
export type PatronPatch = z.infer<typeof patronPatch>;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true').optional();

export const patronListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  name: z.string().trim().max(255).optional(),
  phone: z.string().trim().max(50).optional(),
  address: z.string().trim().max(1000).optional(),
  email: z.string().trim().max(255).optional(),
  membershipId: z.string().trim().max(20).optional(),
  category: categoryKey.optional(),
  hasLoans: flag,
  hasOverdue: flag,
  hasFines: flag,
  sort: z.enum(['name', 'membershipId', 'created']).default('name'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PatronListQuery = z.infer<typeof patronListQuery>;
