import { describe, expect, it } from 'vitest';
import { circulationMessage, fieldErrors } from './circulation-messages.ts';

describe('what the desk says when the API refuses', () => {
  it('puts each circulation code in plain words and keeps the rule\'s own reason', () => {
    const m = circulationMessage({ status: 409, code: 'loan-limit-reached', title: 'Loan limit reached', detail: 'This would make 3 loans; this patron may have 2 at a time.', overridable: true });
    expect(m.headline).toBe('The patron has reached the number of books they may borrow at one time.');
    expect(m.reason).toBe('This would make 3 loans; this patron may have 2 at a time.');
    expect(m.next).toMatch(/override/);
    expect(m.overridable).toBe(true);
  });

  it('has a sentence for every refusal code of the circulation rules', () => {
    const codes = ['item-on-loan', 'item-on-hold', 'item-out-of-circulation', 'loan-limit-reached', 'fines-outstanding', 'patron-restricted',
      'hold-limit-reached', 'hold-exists', 'item-available', 'payment-amount-invalid', 'renewals-not-allowed', 'renewal-limit-reached', 'item-has-hold',
      'loan-already-returned', 'patron-has-loans', 'loan-category-not-in-policy', 'invalid-isbn', 'policy-version-conflict'];
    for (const code of codes) {
      const m = circulationMessage({ status: 409, code, title: 'X' });
      expect(m.headline, code).not.toBe('X.');
      expect(m.headline, code).toMatch(/^[A-Z].*\.$/);
      expect(m.code).toBe(code);
    }
  });

  it('drops a detail that only repeats the headline and never offers an override the API did not', () => {
    const m = circulationMessage({ status: 409, code: 'item-on-loan', title: 'The copy is on loan', detail: 'This copy is already on loan to someone.' });
    expect(m.reason).toBeNull();
    expect(m.overridable).toBe(false);
    expect(circulationMessage({ status: 409, code: 'item-on-loan', detail: 'Copy 0000000007 must be returned before the record can be deleted.' }).reason)
      .toBe('Copy 0000000007 must be returned before the record can be deleted.');
  });

  it('falls back to the API\'s title for a code it does not know, and to a retry hint on server errors', () => {
    expect(circulationMessage({ status: 409, code: 'brand-new-rule', title: 'A new rule applies', detail: 'Because.' })).toMatchObject({ headline: 'A new rule applies.', reason: 'Because.', next: null });
    expect(circulationMessage({ status: 503 })).toMatchObject({ code: 'error', headline: 'The action could not be completed.', next: 'Please try again in a moment.' });
    expect(circulationMessage(null).headline).toBe('The action could not be completed.');
  });
});

describe('the same code in another place', () => {
  it('words a refusal for the action it stopped', () => {
    const fines = { status: 409, code: 'fines-outstanding', title: 'The patron owes fines', detail: 'Outstanding fines of $5.00 must be paid before the membership can be deleted.' };
    expect(circulationMessage(fines, 'patron-delete').headline).toBe('The patron still owes fines, so the membership cannot be deleted.');
    expect(circulationMessage(fines).headline).toMatch(/before borrowing stops/);
    expect(circulationMessage({ status: 409, code: 'item-on-loan' }, 'record-delete').headline).toBe('A copy of this record is on loan, so the record cannot be deleted.');
    expect(circulationMessage({ status: 409, code: 'item-on-loan' }, 'copy-withdraw').headline).toBe('This copy is on loan, so it cannot be withdrawn.');
    expect(circulationMessage({ status: 409, code: 'patron-has-loans' }, 'copy-withdraw').headline).toMatch(/still has books on loan/);
  });
});

describe('what was not found', () => {
  it('says whether the copy or the patron is unknown', () => {
    expect(circulationMessage({ status: 404, code: 'not-found', title: 'Item not found', detail: 'No item with id 123.' }).headline).toBe('No copy has that call number or accession number.');
    expect(circulationMessage({ status: 404, code: 'not-found', title: 'Patron not found', detail: 'No patron with id M1.' }).headline).toBe('No patron has that membership id.');
    expect(circulationMessage({ status: 404, code: 'not-found', title: 'Widget not found' }).headline).toBe('Nothing was found with that number.');
  });
});

describe('field errors of a validation problem', () => {
  it('keys messages by field, without the body prefix, first message wins', () => {
    const errs = fieldErrors({ code: 'validation-failed', errors: [{ path: 'body.title', message: 'too short' }, { path: 'body.title', message: 'second' }, { path: 'holdPickupDays', message: 'Too big' }] });
    expect(Object.fromEntries(errs)).toEqual({ title: 'Too short', holdPickupDays: 'Too big' });
  });

  it('uses the problem\'s field for single-field refusals such as invalid-isbn', () => {
    expect(fieldErrors({ code: 'invalid-isbn', field: 'isbn', detail: 'The check digit should be 8, not 7.' }).get('isbn')).toBe('The check digit should be 8, not 7.');
    expect(fieldErrors(null).size).toBe(0);
  });
});
