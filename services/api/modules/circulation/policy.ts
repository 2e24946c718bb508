// The circulation policy as data. Seeds 002 and 003 describe two libraries with conflicting rules;
// both are one schema with two presets (`standard`, `als`). Every value the seeds leave open is
// chosen and justified in POLICY.md next to this file. No I/O; the service stores and versions it.
import { z } from 'zod';
import { isValidTimeZone } from './calendar.ts';

const categoryKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'Category keys are lowercase letters, digits and hyphens, starting with a letter');
const label = z.string().trim().min(1).max(100);
const cents = z.int().min(0).max(10_000_000);

/** Day-based loans are due at the end of a local calendar day; hour-based loans at an exact instant. */
export const loanPeriodSchema = z.union([
  z.strictObject({ days: z.int().min(1).max(3650) }),
  z.strictObject({ hours: z.int().min(1).max(24 * 365) }),
]);

export const loanCategoryPolicySchema = z.strictObject({
  label,
  loanPeriod: loanPeriodSchema,
  finePerDayCents: cents,
  /** Seed 002: "no customer can be charged more in late fines for a single book than what that book is actually worth." */
  fineCappedAtReplacementCost: z.boolean(),
});

export const patronCategoryPolicySchema = z.strictObject({
  label,
  maxLoans: z.int().min(0).max(1000),
  /** Absent means the same as maxLoans (seed 002: "A customer may make the same number of holds as he can borrow books"). */
  maxHolds: z.int().min(0).max(1000).optional(),
  /** Whether staff of this category may override patron-side blocks (see decision.ts). */
  canOverride: z.boolean(),
});

export const REQUIRED_PATRON_CATEGORIES = ['regular', 'librarian', 'supervisor'] as const;

export const circulationPolicySchema = z
  .strictObject({
    name: label,
    /** IANA zone in which due dates and pickup windows end at local midnight. */
    timeZone: z.string().refine(isValidTimeZone, 'Not a known IANA time zone (e.g. "UTC", "America/Toronto")'),
    loanCategories: z.record(categoryKey, loanCategoryPolicySchema),
    /** Copies whose loan category is not in `loanCategories` are lent under this one (keeps items lendable across a preset switch). */
    defaultLoanCategory: categoryKey.optional(),
    patronCategories: z.record(categoryKey, patronCategoryPolicySchema),
    /** A balance strictly above this blocks borrowing and renewing; exactly this amount does not. */
    outstandingFineLimitCents: cents,
    /** Seed 003: any unpaid fine blocks, whatever the limit says. */
    blockOnAnyUnpaidFine: z.boolean(),
    /** Whether the fine block also applies to placing holds (seed 003 yes, seed 002 says nothing). */
    finesBlockHolds: z.boolean(),
    partialPaymentsAllowed: z.boolean(),
    renewalsAllowed: z.boolean(),
    maxRenewals: z.int().min(0).max(100),
    /** Seed 003: a book may be reserved only when it is not available. */
    holdsOnlyWhenUnavailable: z.boolean(),
    holdPickupDays: z.int().min(1).max(60),
    /** Overdue days charged when a ready hold is not collected (seed 002: 3). 0 charges nothing. */
    holdNoShowChargeDays: z.int().min(0).max(60),
  })
  .check((ctx) => {
    const p = ctx.value;
    if (Object.keys(p.loanCategories).length === 0) {
      ctx.issues.push({ code: 'custom', message: 'At least one loan category is required', input: p.loanCategories, path: ['loanCategories'] });
    }
    if (p.defaultLoanCategory !== undefined && !(p.defaultLoanCategory in p.loanCategories)) {
      ctx.issues.push({
        code: 'custom',
        message: `defaultLoanCategory "${p.defaultLoanCategory}" is not one of the loan categories`,
        input: p.defaultLoanCategory,
        path: ['defaultLoanCategory'],
      });
    }
    for (const required of REQUIRED_PATRON_CATEGORIES) {
      if (!(required in p.patronCategories)) {
        ctx.issues.push({ code: 'custom', message: `Patron category "${required}" is required`, input: p.patronCategories, path: ['patronCategories'] });
      }
    }
  });

export type LoanPeriod = z.infer<typeof loanPeriodSchema>;
export type LoanCategoryPolicy = z.infer<typeof loanCategoryPolicySchema>;
export type PatronCategoryPolicy = z.infer<typeof patronCategoryPolicySchema>;
export type CirculationPolicy = z.infer<typeof circulationPolicySchema>;

const standard: CirculationPolicy = {
  name: 'standard',
  timeZone: 'UTC',
  loanCategories: {
    overnight: { label: 'Overnight', loanPeriod: { days: 1 }, finePerDayCents: 100, fineCappedAtReplacementCost: true },
    'two-week': { label: 'Two Week Loan', loanPeriod: { days: 14 }, finePerDayCents: 25, fineCappedAtReplacementCost: true },
    reserved: { label: 'Reserved', loanPeriod: { hours: 2 }, finePerDayCents: 200, fineCappedAtReplacementCost: true },
  },
  defaultLoanCategory: 'two-week',
  patronCategories: {
    regular: { label: 'Regular', maxLoans: 5, canOverride: false },
    librarian: { label: 'Librarian', maxLoans: 10, canOverride: true },
    supervisor: { label: 'Supervisor', maxLoans: 10, canOverride: true },
  },
  outstandingFineLimitCents: 1000,
  blockOnAnyUnpaidFine: false,
  finesBlockHolds: false,
  partialPaymentsAllowed: true,
  renewalsAllowed: true,
  maxRenewals: 2,
  holdsOnlyWhenUnavailable: false,
  holdPickupDays: 3,
  holdNoShowChargeDays: 3,
};

const als: CirculationPolicy = {
  name: 'als',
  timeZone: 'UTC',
  loanCategories: {
    'standard-loan': { label: 'Standard loan', loanPeriod: { days: 14 }, finePerDayCents: 100, fineCappedAtReplacementCost: false },
  },
  defaultLoanCategory: 'standard-loan',
  patronCategories: {
    regular: { label: 'Member', maxLoans: 2, maxHolds: 2, canOverride: false },
    librarian: { label: 'Librarian', maxLoans: 2, maxHolds: 2, canOverride: true },
    supervisor: { label: 'Supervisor', maxLoans: 2, maxHolds: 2, canOverride: true },
  },
  outstandingFineLimitCents: 0,
  blockOnAnyUnpaidFine: true,
  finesBlockHolds: true,
  partialPaymentsAllowed: false,
  renewalsAllowed: false,
  maxRenewals: 0,
  holdsOnlyWhenUnavailable: true,
  holdPickupDays: 3,
  holdNoShowChargeDays: 0,
};

export const PRESET_NAMES = ['standard', 'als'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// Parsed at load so a bad edit to a preset fails every test run, not a librarian's request.
export const PRESETS: Readonly<Record<PresetName, CirculationPolicy>> = deepFreeze({
  standard: circulationPolicySchema.parse(standard),
  als: circulationPolicySchema.parse(als),
});

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** A fresh, mutable copy of a preset. */
export function presetPolicy(name: PresetName): CirculationPolicy {
  return structuredClone(PRESETS[name]);
}

/**
 * The rules for a copy's loan category. Unknown categories fall back to `defaultLoanCategory`;
 * without one, an unknown category is a configuration error and throws.
 */
export function loanCategoryPolicy(policy: CirculationPolicy, loanCategory: string): LoanCategoryPolicy {
  const own = Object.hasOwn(policy.loanCategories, loanCategory) ? policy.loanCategories[loanCategory] : undefined;
  if (own) return own;
  const fallback = policy.defaultLoanCategory !== undefined ? policy.loanCategories[policy.defaultLoanCategory] : undefined;
  if (fallback) return fallback;
  throw new RangeError(`Loan category "${loanCategory}" is not defined in circulation policy "${policy.name}"`);
}

/** The rules for a patron category. A category removed from the policy falls back to `regular`, which the schema requires. */
export function patronCategoryPolicy(policy: CirculationPolicy, patronCategory: string): PatronCategoryPolicy {
  const own = Object.hasOwn(policy.patronCategories, patronCategory) ? policy.patronCategories[patronCategory] : undefined;
  const rules = own ?? policy.patronCategories.regular;
  if (!rules) throw new RangeError(`Circulation policy "${policy.name}" has no "regular" patron category`);
  return rules;
}
