import { describe, expect, it } from 'vitest';
import { bookDropInstant, centsToDollars, dollarsToCents, list, staffAccess } from './staff-form.ts';
import { copyBody, emptyCopyValues, emptyRecordValues, recordBody } from './catalogue-form.ts';
import { emptyPatronValues, patronBody } from './patron-form.ts';
import { formPath, policyDocument, policyValuesOf } from './policy-form.ts';

describe('staff form helpers', () => {
  it('reads dollars as typed at a desk into whole cents, without floating point', () => {
    expect(dollarsToCents('12')).toBe(1200);
    expect(dollarsToCents('12.5')).toBe(1250);
    expect(dollarsToCents('$1,200.05')).toBe(120005);
    expect(dollarsToCents('.25')).toBe(25);
    expect(dollarsToCents('0.29')).toBe(29);
    for (const bad of ['', 'abc', '1.234', '-3', '1e3']) expect(dollarsToCents(bad), bad).toBeNull();
    expect(centsToDollars(1250)).toBe('12.50');
    expect(centsToDollars(5)).toBe('0.05');
  });

  it('keeps "Last, First" authors whole and splits on lines or semicolons', () => {
    expect(list('Fenwick, Mary\nReed, Warbler; Fenwick, Mary')).toEqual(['Fenwick, Mary', 'Reed, Warbler']);
  });

  it('turns a book-drop date into the end of that day, never after now', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(bookDropInstant('2026-02-27', now)).toBe('2026-02-27T23:59:59.000Z');
    expect(bookDropInstant('2026-03-02', now)).toBe('2026-03-02T10:00:00.000Z');
    expect(bookDropInstant('', now)).toBeNull();
    expect(bookDropInstant('27/02/2026', now)).toBe('invalid');
  });

  it('opens the workspace to staff only, and the policy editor to supervisors', () => {
    expect(staffAccess(null)).toBe('anonymous');
    expect(staffAccess({ roles: ['patron'] })).toBe('forbidden');
    expect(staffAccess({ roles: ['librarian'] })).toBe('ok');
    expect(staffAccess({ roles: ['librarian'] }, 'supervisor')).toBe('forbidden');
    expect(staffAccess({ roles: ['admin'] }, 'supervisor')).toBe('ok');
  });
});

describe('catalogue and patron forms', () => {
  it('insists on the book fields seed 002 requires, and sends the ISBN only while it may be set', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const empty = recordBody({ ...emptyRecordValues() }, { withIsbn: true, now });
    expect([...empty.errors.keys()].sort()).toEqual(['authors', 'isbn', 'publisher', 'subjects', 'title']);
    const film = recordBody({ ...emptyRecordValues(), title: 'A film', authors: 'Maker, A', mediaType: 'Film' }, { withIsbn: true, now });
    expect(film.errors.size).toBe(0);
    const edit = recordBody({ ...emptyRecordValues(), title: 'T', authors: 'A, B', publisher: 'P', subjects: 'S', isbn: 'ignored' }, { withIsbn: false, now });
    expect(edit.body).not.toHaveProperty('isbn');
    const older = recordBody({ ...emptyRecordValues(), title: 'T', authors: 'A, B', publisher: 'P', subjects: 'S' }, { withIsbn: true, now, creating: false });
    expect(older.errors.size).toBe(0);
    expect(older.body.isbn).toBeNull();
    expect(recordBody({ ...emptyRecordValues(), year: '19x8' }, { withIsbn: false, now }).errors.get('year')).toMatch(/year/);
  });

  it('builds a copy with a typed-in new choice and the cost in cents', () => {
    const c = copyBody({ ...emptyCopyValues('0000000042'), locationNew: 'East Wing', floor: '2', replacementCost: '24.95' }, 'Book');
    expect(c.errors.size).toBe(0);
    expect(c.body).toMatchObject({ callNumber: '0000000042', location: 'East Wing', loanCategory: 'two-week', replacementCostCents: 2495, floor: '2' });
    expect(copyBody({ ...emptyCopyValues('42'), floor: '1', replacementCost: '1' }, 'Book').errors.get('callNumber')).toMatch(/10 digits/);
  });

  it('sends limits only when a supervisor creates a patron', () => {
    const v = { ...emptyPatronValues(), name: 'Lim, Joan', maxLoans: '3', fineLimit: '5' };
    expect(patronBody(v, { mode: 'create', supervisor: true }).body).toMatchObject({ maxLoans: 3, fineLimitCents: 500 });
    expect(patronBody(v, { mode: 'create', supervisor: false }).body).not.toHaveProperty('maxLoans');
    expect(patronBody(v, { mode: 'edit', supervisor: false }).body).not.toHaveProperty('category');
    expect(patronBody({ ...v, name: '', email: 'nope' }, { mode: 'edit', supervisor: false }).errors.size).toBe(2);
  });
});

describe('the policy form', () => {
  const policy = {
    name: 'als', timeZone: 'UTC', defaultLoanCategory: 'standard-loan',
    loanCategories: { 'standard-loan': { label: 'Standard loan', loanPeriod: { days: 14 }, finePerDayCents: 100, fineCappedAtReplacementCost: false } },
    patronCategories: {
      regular: { label: 'Member', maxLoans: 2, maxHolds: 2, canOverride: false },
      librarian: { label: 'Librarian', maxLoans: 2, canOverride: true },
    },
    outstandingFineLimitCents: 0, blockOnAnyUnpaidFine: true, finesBlockHolds: true, partialPaymentsAllowed: false, renewalsAllowed: false,
    maxRenewals: 0, holdsOnlyWhenUnavailable: true, holdPickupDays: 3, holdNoShowChargeDays: 0, version: 4, preset: 'als', createdAt: null, createdBy: null,
  };

  it('round-trips the document through the form, with dollars in the fields and cents in the body', () => {
    const values = policyValuesOf(policy);
    expect(values['loanCategories.standard-loan.finePerDayCents']).toBe('1.00');
    const { doc, errors } = policyDocument(values);
    expect(errors.size).toBe(0);
    const { preset: _p, createdAt: _c, createdBy: _b, ...rest } = policy;
    expect(doc).toEqual(rest);
  });

  it('adds and removes categories and reports bad values on their own field', () => {
    const values = {
      ...policyValuesOf(policy), 'newLoanCategory.key': 'overnight', 'newLoanCategory.label': 'Overnight', 'newLoanCategory.period': '12',
      'newLoanCategory.unit': 'hours', 'newLoanCategory.finePerDayCents': '2', 'patronCategories.librarian.remove': 'true', holdPickupDays: '0',
    };
    const { doc, errors } = policyDocument(values);
    expect((doc.loanCategories as Record<string, unknown>).overnight).toEqual({ label: 'Overnight', loanPeriod: { hours: 12 }, finePerDayCents: 200, fineCappedAtReplacementCost: false });
    expect(Object.keys(doc.patronCategories as object)).toEqual(['regular']);
    expect([...errors.keys()]).toEqual(['holdPickupDays']);
    expect(formPath('loanCategories.overnight.loanPeriod.days')).toBe('loanCategories.overnight.period');
  });
});
