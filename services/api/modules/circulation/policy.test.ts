import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  circulationPolicySchema,
  isPresetName,
  loanCategoryPolicy,
  patronCategoryPolicy,
  PRESETS,
  presetPolicy,
} from './policy.ts';
import { fineLimitFor, holdLimitFor, loanLimitFor } from './patron-limits.ts';

const standard = PRESETS.standard;
const als = PRESETS.als;

describe('presets encode the seeds', () => {
  it.each([
    // [seed sentence, actual, expected]
    ['002 "The book categories are: Overnight loan. Two week loan. Reserved."', Object.keys(standard.loanCategories), ['overnight', 'two-week', 'reserved']],
    ['002 "Each customer is allowed to owe up to $10.00 at one time."', standard.outstandingFineLimitCents, 1000],
    ['002 "the customer that is waiting for it will be notified and has 3 days to pick it up"', standard.holdPickupDays, 3],
    ['002 "he is charged for 3 overdue days with that book"', standard.holdNoShowChargeDays, 3],
    ['002 "Customers may renew books."', standard.renewalsAllowed, true],
    ['003 "Each book loan is valid for 2 weeks."', als.loanCategories['standard-loan']?.loanPeriod, { days: 14 }],
    ['003 "A penalty of $1 per book per day is imposed as a fine to the member."', als.loanCategories['standard-loan']?.finePerDayCents, 100],
    ['003 "There is no renewal service."', als.renewalsAllowed, false],
    ['003 "A member can borrow a book if he/she does not have an outstanding fine"', als.blockOnAnyUnpaidFine, true],
    ['003 "A member can only reserve a book if he/she does not have an outstanding fine."', als.finesBlockHolds, true],
    ['003 "Fines must be completely paid. No partial payment is allowed."', als.partialPaymentsAllowed, false],
    ['003 "If a book is currently not available ... a member can request for the book to be reserved."', als.holdsOnlyWhenUnavailable, true],
  ])('%s', (_seed, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('003 "A member can borrow ... a maximum of 2 books at any time" and "reserve ... a maximum of 2 books"', () => {
    for (const category of ['regular', 'librarian', 'supervisor']) {
      expect(loanLimitFor(als, { category })).toBe(2);
      expect(holdLimitFor(als, { category })).toBe(2);
    }
  });

  it('002 "A customer may make the same number of holds as he can borrow books"', () => {
    for (const category of Object.keys(standard.patronCategories)) {
      expect(holdLimitFor(standard, { category })).toBe(loanLimitFor(standard, { category }));
    }
    expect(holdLimitFor(standard, { category: 'regular', maxLoans: 7 })).toBe(7);
  });

  it('002 "This maximum limit depends on the customer\'s status" (with per-patron "Max Books"/"Max Fine")', () => {
    expect(loanLimitFor(standard, { category: 'regular' })).toBe(5);
    expect(loanLimitFor(standard, { category: 'librarian' })).toBe(10);
    expect(loanLimitFor(standard, { category: 'regular', maxLoans: 1 })).toBe(1);
    expect(fineLimitFor(standard, {})).toBe(1000);
    expect(fineLimitFor(standard, { fineLimitCents: 500 })).toBe(500);
    expect(fineLimitFor(als, { fineLimitCents: 500 })).toBe(0); // any unpaid fine blocks under als
  });

  it('presets are valid, frozen, and presetPolicy hands out independent copies', () => {
    expect(circulationPolicySchema.safeParse(standard).success).toBe(true);
    expect(circulationPolicySchema.safeParse(als).success).toBe(true);
    expect(Object.isFrozen(standard.loanCategories.overnight)).toBe(true);
    const copy = presetPolicy('standard');
    copy.outstandingFineLimitCents = 5;
    expect(PRESETS.standard.outstandingFineLimitCents).toBe(1000);
    expect(isPresetName('als')).toBe(true);
    expect(isPresetName('toString')).toBe(false);
  });
});

describe('circulationPolicySchema refuses bad documents', () => {
  const withChange = (change: (p: Record<string, unknown>) => void) => {
    const p = structuredClone(standard) as unknown as Record<string, unknown>;
    change(p);
    return p;
  };
  it.each<[string, Record<string, unknown>, string]>([
    ['unknown time zone', withChange((p) => { p.timeZone = 'Nowhere/City'; }), 'timeZone'],
    ['negative fine', withChange((p) => { (p.loanCategories as Record<string, { finePerDayCents: number }>).overnight!.finePerDayCents = -1; }), 'loanCategories.overnight.finePerDayCents'],
    ['fractional cents', withChange((p) => { p.outstandingFineLimitCents = 10.5; }), 'outstandingFineLimitCents'],
    ['both days and hours', withChange((p) => { (p.loanCategories as Record<string, { loanPeriod: unknown }>).overnight!.loanPeriod = { days: 1, hours: 2 }; }), 'loanCategories.overnight.loanPeriod'],
    ['bad category key', withChange((p) => { (p.loanCategories as Record<string, unknown>)['Two Week'] = standard.loanCategories['two-week']; }), 'loanCategories.Two Week'],
    ['no loan categories', withChange((p) => { p.loanCategories = {}; delete p.defaultLoanCategory; }), 'loanCategories'],
    ['default category missing', withChange((p) => { p.defaultLoanCategory = 'weekly'; }), 'defaultLoanCategory'],
    ['missing librarian category', withChange((p) => { delete (p.patronCategories as Record<string, unknown>).librarian; }), 'patronCategories'],
    ['typo in a field name', withChange((p) => { p.maxRenewal = 3; }), ''],
  ])('%s', (_name, doc, path) => {
    const result = circulationPolicySchema.safeParse(doc);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts a policy-defined patron category and exports a JSON schema for OpenAPI', () => {
    const p = presetPolicy('standard');
    p.patronCategories['faculty'] = { label: 'Faculty', maxLoans: 20, maxHolds: 5, canOverride: false };
    expect(circulationPolicySchema.parse(p).patronCategories['faculty']?.maxHolds).toBe(5);
    expect(() => z.toJSONSchema(circulationPolicySchema)).not.toThrow();
  });
});

describe('category lookup', () => {
  it('unknown loan categories fall back to defaultLoanCategory, so copies stay lendable after a preset switch', () => {
    expect(loanCategoryPolicy(als, 'overnight')).toBe(als.loanCategories['standard-loan']);
    expect(loanCategoryPolicy(standard, 'standard-loan')).toBe(standard.loanCategories['two-week']);
    expect(loanCategoryPolicy(standard, 'toString')).toBe(standard.loanCategories['two-week']);
  });
  it('without a default, an unknown loan category is a configuration error', () => {
    const p = presetPolicy('standard');
    delete p.defaultLoanCategory;
    expect(() => loanCategoryPolicy(p, 'weekly')).toThrow(/not defined/);
  });
  it('a removed patron category falls back to regular', () => {
    expect(patronCategoryPolicy(standard, 'alumni')).toBe(standard.patronCategories.regular);
  });
});
