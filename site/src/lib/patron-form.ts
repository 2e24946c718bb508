// The patron forms <-> API body, pure. Seed 002's customer (name "Last, First", phone with area code,
// mailing address, category, Max Books and Max Fine in supervisor mode only) and seed 003's member
// (faculty, phone, email; membership id and limits fixed once created).
import { centsToDollars, dollarsToCents, text, wholeNumber } from './staff-form.ts';

export interface PatronValues {
  name: string; faculty: string; phone: string; email: string; address: string; category: string; restricted: boolean;
  maxLoans: string; maxHolds: string; fineLimit: string;
}

export const PATRON_LABELS: Record<string, string> = {
  name: 'Name', faculty: 'Faculty', phone: 'Phone', email: 'Email', address: 'Address', category: 'Category', restricted: 'Restricted',
  maxLoans: 'Max books', maxHolds: 'Max holds', fineLimitCents: 'Max fine',
};

export const emptyPatronValues = (): PatronValues => ({
  name: '', faculty: '', phone: '', email: '', address: '', category: 'regular', restricted: false, maxLoans: '', maxHolds: '', fineLimit: '',
});

export function patronValuesFrom(form: FormData): PatronValues {
  return {
    name: text(form, 'name'), faculty: text(form, 'faculty'), phone: text(form, 'phone', 50), email: text(form, 'email'),
    address: text(form, 'address', 1000), category: text(form, 'category', 40) || 'regular', restricted: form.get('restricted') === 'yes',
    maxLoans: text(form, 'maxLoans', 10), maxHolds: text(form, 'maxHolds', 10), fineLimit: text(form, 'fineLimit', 20),
  };
}

export function patronValuesOf(p: { name: string; faculty: string | null; phone: string | null; email: string | null; address: string | null; category: string; restricted: boolean }): PatronValues {
  return { ...emptyPatronValues(), name: p.name, faculty: p.faculty ?? '', phone: p.phone ?? '', email: p.email ?? '', address: p.address ?? '', category: p.category, restricted: p.restricted };
}

/**
 * The body for POST (create) or PATCH (edit) /api/v1/patrons. Limits are sent only when creating and
 * only by supervisors; the category on edit only by supervisors (the API refuses others anyway).
 */
export function patronBody(v: PatronValues, opts: { mode: 'create' | 'edit'; supervisor: boolean }): { body: Record<string, unknown>; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  if (!v.name) errors.set('name', 'Enter the patron\'s name, e.g. "Lim, Joan".');
  if (v.phone && !/^[0-9+()\-.\s]*$/.test(v.phone)) errors.set('phone', 'Use digits, spaces and + ( ) - . only, e.g. (416) 555-0199.');
  if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)) errors.set('email', 'Enter an email address such as joan@example.edu.');
  const body: Record<string, unknown> = {
    name: v.name, faculty: v.faculty || null, phone: v.phone || null, email: v.email || null, address: v.address || null, restricted: v.restricted,
  };
  if (opts.mode === 'create' || opts.supervisor) body.category = v.category || 'regular';
  if (opts.mode === 'create' && opts.supervisor) {
    if (v.maxLoans) {
      const n = wholeNumber(v.maxLoans, 0, 1000);
      if (n === null) errors.set('maxLoans', 'Enter a whole number from 0 to 1000, or leave empty for the policy\'s limit.');
      else body.maxLoans = n;
    }
    if (v.maxHolds) {
      const n = wholeNumber(v.maxHolds, 0, 1000);
      if (n === null) errors.set('maxHolds', 'Enter a whole number from 0 to 1000, or leave empty for the policy\'s limit.');
      else body.maxHolds = n;
    }
    if (v.fineLimit) {
      const cents = dollarsToCents(v.fineLimit);
      if (cents === null) errors.set('fineLimitCents', 'Enter an amount in dollars, e.g. 10.00, or leave empty for the policy\'s limit.');
      else body.fineLimitCents = cents;
    }
  }
  return { body, errors };
}

export { centsToDollars };
