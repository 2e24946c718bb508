// The circulation policy editor's form, pure. Form field names are the policy document's own paths
// ("loanCategories.two-week.finePerDayCents"), so the API's validation errors land on the right
// field; money is typed in dollars and sent in cents; a loan period is a number and a unit.
import { centsToDollars, dollarsToCents, wholeNumber } from './staff-form.ts';
import type { Policy } from './staff-types.ts';

export type PolicyValues = Record<string, string>;

export const FLAGS = ['blockOnAnyUnpaidFine', 'finesBlockHolds', 'partialPaymentsAllowed', 'renewalsAllowed', 'holdsOnlyWhenUnavailable'] as const;
const KEY = /^[a-z][a-z0-9-]{0,39}$/;

export function policyValuesOf(p: Policy): PolicyValues {
  const v: PolicyValues = {
    name: p.name, timeZone: p.timeZone, defaultLoanCategory: p.defaultLoanCategory ?? '', version: String(p.version),
    outstandingFineLimitCents: centsToDollars(p.outstandingFineLimitCents), maxRenewals: String(p.maxRenewals),
    holdPickupDays: String(p.holdPickupDays), holdNoShowChargeDays: String(p.holdNoShowChargeDays),
    loanCategoryKeys: Object.keys(p.loanCategories).join(' '), patronCategoryKeys: Object.keys(p.patronCategories).join(' '),
  };
  for (const f of FLAGS) v[f] = p[f] ? 'true' : '';
  for (const [k, c] of Object.entries(p.loanCategories)) {
    const base = `loanCategories.${k}`;
    v[`${base}.label`] = c.label;
    v[`${base}.unit`] = c.loanPeriod.hours !== undefined ? 'hours' : 'days';
    v[`${base}.period`] = String(c.loanPeriod.hours ?? c.loanPeriod.days ?? '');
    v[`${base}.finePerDayCents`] = centsToDollars(c.finePerDayCents);
    v[`${base}.fineCappedAtReplacementCost`] = c.fineCappedAtReplacementCost ? 'true' : '';
  }
  for (const [k, c] of Object.entries(p.patronCategories)) {
    const base = `patronCategories.${k}`;
    v[`${base}.label`] = c.label;
    v[`${base}.maxLoans`] = String(c.maxLoans);
    v[`${base}.maxHolds`] = c.maxHolds === undefined ? '' : String(c.maxHolds);
    v[`${base}.canOverride`] = c.canOverride ? 'true' : '';
  }
  v['newLoanCategory.unit'] = 'days';
  return v;
}

/** Every posted field, as strings (a checkbox is 'true' when ticked). */
export function policyValuesFrom(form: FormData): PolicyValues {
  const v: PolicyValues = {};
  for (const [k, raw] of form.entries()) {
    if (typeof raw !== 'string' || k.length > 120 || !/^[A-Za-z0-9.-]+$/.test(k)) continue;
    v[k] = raw.trim().slice(0, 200);
  }
  return v;
}

export const keysOf = (v: PolicyValues, which: 'loanCategoryKeys' | 'patronCategoryKeys') => (v[which] ?? '').split(' ').filter((k) => KEY.test(k));

/** The whole document for PUT /api/v1/policy, and the problems found before sending it. */
export function policyDocument(v: PolicyValues): { doc: Record<string, unknown>; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const whole = (path: string, min: number, max: number) => {
    const n = wholeNumber(v[path] ?? '', min, max);
    if (n === null) errors.set(path, `Enter a whole number from ${min} to ${max}.`);
    return n ?? 0;
  };
  const cents = (path: string) => {
    const c = dollarsToCents(v[path] ?? '');
    if (c === null || c > 10_000_000) errors.set(path, 'Enter an amount in dollars, e.g. 0.25.');
    return c ?? 0;
  };
  const flag = (path: string) => v[path] === 'true';

  const loanCategories: Record<string, unknown> = {};
  const loanRow = (base: string, key: string) => {
    const unit = v[`${base}.unit`] === 'hours' ? 'hours' : 'days';
    const period = whole(`${base}.period`, 1, unit === 'hours' ? 24 * 365 : 3650);
    if (!v[`${base}.label`]) errors.set(`${base}.label`, 'Give the category a name.');
    loanCategories[key] = {
      label: v[`${base}.label`] ?? key, loanPeriod: unit === 'hours' ? { hours: period } : { days: period },
      finePerDayCents: cents(`${base}.finePerDayCents`), fineCappedAtReplacementCost: flag(`${base}.fineCappedAtReplacementCost`),
    };
  };
  for (const k of keysOf(v, 'loanCategoryKeys')) if (!flag(`loanCategories.${k}.remove`)) loanRow(`loanCategories.${k}`, k);
  const newLoanKey = v['newLoanCategory.key'] ?? '';
  if (newLoanKey) {
    if (!KEY.test(newLoanKey)) errors.set('newLoanCategory.key', 'Use lowercase letters, digits and hyphens, starting with a letter, e.g. "short-loan".');
    else if (newLoanKey in loanCategories) errors.set('newLoanCategory.key', `There is already a loan category "${newLoanKey}".`);
    else loanRow('newLoanCategory', newLoanKey);
  }

  const patronCategories: Record<string, unknown> = {};
  const patronRow = (base: string, key: string) => {
    if (!v[`${base}.label`]) errors.set(`${base}.label`, 'Give the category a name.');
    const maxHolds = v[`${base}.maxHolds`] ? whole(`${base}.maxHolds`, 0, 1000) : undefined;
    patronCategories[key] = {
      label: v[`${base}.label`] ?? key, maxLoans: whole(`${base}.maxLoans`, 0, 1000),
      ...(maxHolds === undefined ? {} : { maxHolds }), canOverride: flag(`${base}.canOverride`),
    };
  };
  for (const k of keysOf(v, 'patronCategoryKeys')) if (!flag(`patronCategories.${k}.remove`)) patronRow(`patronCategories.${k}`, k);
  const newPatronKey = v['newPatronCategory.key'] ?? '';
  if (newPatronKey) {
    if (!KEY.test(newPatronKey)) errors.set('newPatronCategory.key', 'Use lowercase letters, digits and hyphens, starting with a letter, e.g. "staff".');
    else if (newPatronKey in patronCategories) errors.set('newPatronCategory.key', `There is already a patron category "${newPatronKey}".`);
    else patronRow('newPatronCategory', newPatronKey);
  }

  if (!v.name) errors.set('name', 'Give the policy a name.');
  const doc: Record<string, unknown> = {
    name: v.name ?? '', timeZone: v.timeZone ?? 'UTC', loanCategories, patronCategories,
    ...(v.defaultLoanCategory ? { defaultLoanCategory: v.defaultLoanCategory } : {}),
    outstandingFineLimitCents: cents('outstandingFineLimitCents'),
    maxRenewals: whole('maxRenewals', 0, 100),
    holdPickupDays: whole('holdPickupDays', 1, 60),
    holdNoShowChargeDays: whole('holdNoShowChargeDays', 0, 60),
  };
  for (const f of FLAGS) doc[f] = flag(f);
  const version = wholeNumber(v.version ?? '', 0, 2_147_483_647);
  if (version !== null) doc.version = version;
  return { doc, errors };
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name of this policy', timeZone: 'Time zone', defaultLoanCategory: 'Default loan category', outstandingFineLimitCents: 'Fine limit',
  maxRenewals: 'Renewals per loan', holdPickupDays: 'Days to collect a hold', holdNoShowChargeDays: 'Days charged for an uncollected hold',
  patronCategories: 'Patron categories', loanCategories: 'Loan categories', label: 'name', period: 'loan period', finePerDayCents: 'fine per day',
  maxLoans: 'max books on loan', maxHolds: 'max holds', key: 'key', unit: 'period unit',
};

/** How the error summary names a field: "Two Week Loan: fine per day", "Days to collect a hold". */
export function fieldLabel(v: PolicyValues, path: string): string {
  const parts = path.split('.');
  if (parts.length === 1) return FIELD_LABELS[path] ?? path;
  const field = FIELD_LABELS[parts.at(-1)!] ?? parts.at(-1)!;
  const group = parts[0] === 'newLoanCategory' ? 'New loan category' : parts[0] === 'newPatronCategory' ? 'New patron category'
    : v[`${parts[0]}.${parts[1]}.label`] || parts[1] || parts[0]!;
  return `${group}: ${field}`;
}

/** An API error path as the form's field name: loanPeriod.days is the "period" field. */
export function formPath(apiPath: string): string {
  return apiPath.replace(/\.loanPeriod(\.(days|hours))?$/, '.period');
}
