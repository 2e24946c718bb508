import { z } from 'zod';
import { PAYMENT_METHODS } from './ledger.service.ts';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const override = z.strictObject({ reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500) });
const copyRef = {
  itemId: z.string().trim().optional(),
  callNumber: z.string().trim().optional(),
  accessionNumber: z.string().trim().optional(),
};
const oneCopyRef = (v: { itemId?: string | undefined; callNumber?: string | undefined; accessionNumber?: string | undefined }) =>
  [v.itemId, v.callNumber, v.accessionNumber].filter((x) => x !== undefined).length === 1;
const oneCopyRefMessage = { message: 'give exactly one of itemId, callNumber or accessionNumber', path: ['itemId'] };

/** The patron by id or membership id. */
const patronRef = z.string().trim().min(1).max(64);

export const checkoutBody = z.strictObject({
  ...copyRef,
  patronId: patronRef,
  loanedAt: instant.optional(),
  dueAt: instant.optional(),
  override: override.optional(),
}).refine(oneCopyRef, oneCopyRefMessage);

export const returnBody = z.strictObject({ returnedAt: instant.optional() });
export const renewBody = z.strictObject({ override: override.optional() });

export const holdBody = z.strictObject({
  ...copyRef,
  patronId: patronRef,
  override: override.optional(),
}).refine(oneCopyRef, oneCopyRefMessage);

export const paymentBody = z.strictObject({
  // Any whole number reaches paymentDecision, so 0 or a negative amount is refused with payment-amount-invalid.
  amountCents: z.int(),
  method: z.enum(PAYMENT_METHODS),
  note: z.string().trim().max(500).optional(),
});

/** GET /api/v1/loans: the loans of one copy (a desk return starts from the book in hand, seed 003 "accession number and return date"). */
export const copyLoansQuery = z.object({
  ...copyRef,
  status: z.enum(['open', 'returned', 'all']).default('open'),
}).refine(oneCopyRef, oneCopyRefMessage);

export const patronLoansQuery = z.object({ status: z.enum(['open', 'returned', 'all']).default('open') });
export const patronHoldsQuery = z.object({ status: z.enum(['active', 'all']).default('active') });
export const ledgerQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
