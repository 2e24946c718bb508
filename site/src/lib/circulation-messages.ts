// What the staff pages say when the API refuses something. The API's problem+json carries a stable
// `code`, a short `title` and a `detail` with the rule's own reason ("This would make 3 loans; this
// patron may have 2 at a time."); this module turns the code into a plain sentence for the desk and
// the next step, and keeps the API's detail as the specific reason. Pure: no I/O.

export interface ProblemLike {
  code?: string | undefined;
  title?: string | undefined;
  detail?: string | undefined;
  status?: number | undefined;
  overridable?: boolean | undefined;
}

export interface DeskMessage {
  /** The code as the API sent it ('error' when it sent none). */
  code: string;
  /** One plain sentence: what stopped the action. */
  headline: string;
  /** The API's own reason, when it adds something to the headline. */
  reason: string | null;
  /** What the member of staff can do next, or null when there is nothing to suggest. */
  next: string | null;
  /** A librarian or supervisor may retry with an override and a reason. */
  overridable: boolean;
}

interface Wording { headline: string; next: string | null }

const WORDING: Record<string, Wording> = {
  // Refusals about the copy: facts, never waived.
  'item-on-loan': { headline: 'This copy is already on loan to someone.', next: 'Return it first, or choose another copy.' },
  'item-on-hold': { headline: 'This copy is being kept for another patron who reserved it.', next: 'Lend it only to the patron who placed the hold, or choose another copy.' },
  'item-out-of-circulation': { headline: 'This copy is out of circulation and cannot be lent.', next: 'Put the copy back into circulation in the catalogue first, or choose another copy.' },
  'item-has-hold': { headline: 'Another patron has reserved this copy, so the loan cannot be renewed.', next: 'Ask the patron to return it when it is due.' },
  'hold-exists': { headline: 'This copy already has a hold; only one hold may be placed on a copy.', next: null },
  'item-available': { headline: 'This copy is on the shelf, so it can be borrowed instead of reserved.', next: 'Check it out instead.' },
  // Refusals about the patron: a librarian or supervisor may override them with a reason.
  'loan-limit-reached': { headline: 'The patron has reached the number of books they may borrow at one time.', next: 'Return a book first, or override the limit with a reason.' },
  'fines-outstanding': { headline: 'The patron owes fines above the amount allowed before borrowing stops.', next: 'Take a payment first, or override with a reason.' },
  'patron-restricted': { headline: 'The patron is restricted from borrowing.', next: 'Lift the restriction on the patron\'s record, or override with a reason.' },
  'hold-limit-reached': { headline: 'The patron has reached the number of holds they may place.', next: 'Cancel one of their holds first, or override with a reason.' },
  'renewal-limit-reached': { headline: 'This loan has been renewed as many times as the policy allows.', next: 'Ask the patron to return the book, or override with a reason.' },
  'renewals-not-allowed': { headline: 'This library does not renew loans.', next: 'The book must be returned by its due date.' },
  // Other circulation refusals.
  'copy-not-on-loan': { headline: 'This copy is not on loan, so there is nothing to return.', next: 'Check the number on the copy; it may already be back on the shelf.' },
  'loan-already-returned': { headline: 'This loan has already been returned.', next: 'Look at the patron\'s current loans below.' },
  'hold-not-active': { headline: 'This hold is no longer active.', next: null },
  'payment-amount-invalid': { headline: 'The payment amount is not accepted.', next: null },
  'loan-category-not-in-policy': { headline: 'The circulation policy has no rules for this copy\'s loan category.', next: 'A supervisor can add the category to the policy or set a default loan category.' },
  // Patrons.
  'patron-has-loans': { headline: 'The patron still has books on loan, so the membership cannot be deleted.', next: 'Return every book first.' },
  'patron-field-fixed': { headline: 'The membership id and the borrowing limits are fixed when a membership is created.', next: null },
  'unknown-patron-category': { headline: 'That patron category is not in the circulation policy.', next: null },
  // Catalogue.
  'invalid-isbn': { headline: 'The ISBN is not valid.', next: 'Check the digits against the book; the last one is a check digit.' },
  'isbn-immutable': { headline: 'The ISBN of a record cannot change.', next: 'Create a new record for a different ISBN.' },
  'invalid-call-number': { headline: 'A call number is exactly 10 digits.', next: null },
  'call-number-taken': { headline: 'That call number already belongs to another copy.', next: 'Use the suggested call number, or another free one.' },
  'accession-number-taken': { headline: 'That accession number already belongs to another copy.', next: 'Leave it empty to have one assigned.' },
  'unknown-vocabulary-value': { headline: 'That choice is not in the list.', next: 'Add it as a new choice first.' },
  'vocabulary-value-exists': { headline: 'That choice is already in the list.', next: 'Pick it from the list.' },
  // Policy.
  'policy-version-conflict': { headline: 'Someone changed the policy while you were editing it.', next: 'Reload the page and apply your change again.' },
  // General.
  'validation-failed': { headline: 'Some of the values are not valid.', next: 'Correct the fields marked below.' },
  'not-found': { headline: 'Nothing was found with that number.', next: 'Check the number and try again.' },
  forbidden: { headline: 'Your role does not allow this.', next: 'Ask a supervisor.' },
  unauthorized: { headline: 'Your session has ended.', next: 'Sign in again.' },
};

// A 404 names what was missing in its title ("Item not found", "Patron not found").
const NOT_FOUND: Record<string, Wording> = {
  item: { headline: 'No copy has that call number or accession number.', next: 'Check the number on the copy\'s label and try again.' },
  patron: { headline: 'No patron has that membership id.', next: 'Check the number on the library card, or find the patron by name.' },
  record: { headline: 'That record no longer exists.', next: null },
  loan: { headline: 'That loan no longer exists.', next: null },
};

/** Where the refusal happened, when the same code means something else there. */
export type MessageContext = 'desk' | 'patron-delete' | 'record-delete' | 'copy-withdraw';

const IN_CONTEXT: Partial<Record<MessageContext, Record<string, Wording>>> = {
  'patron-delete': {
    'fines-outstanding': { headline: 'The patron still owes fines, so the membership cannot be deleted.', next: 'Record the payment at the desk first.' },
  },
  'record-delete': {
    'item-on-loan': { headline: 'A copy of this record is on loan, so the record cannot be deleted.', next: 'Return the copy first.' },
    'item-on-hold': { headline: 'A copy of this record is held for a patron, so the record cannot be deleted.', next: 'Cancel the hold first.' },
  },
  'copy-withdraw': {
    'item-on-loan': { headline: 'This copy is on loan, so it cannot be withdrawn.', next: 'Return it first.' },
    'item-on-hold': { headline: 'This copy is held for a patron, so it cannot be withdrawn.', next: 'Cancel the hold first.' },
    'item-has-hold': { headline: 'This copy has a hold, so it cannot be withdrawn.', next: 'Cancel the hold first.' },
  },
};

const FALLBACK: Wording = { headline: 'The action could not be completed.', next: 'Please try again in a moment.' };

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** The desk's wording for a refusal; unknown codes fall back to the API's own title and detail. */
export function circulationMessage(problem: ProblemLike | null | undefined, context: MessageContext = 'desk'): DeskMessage {
  const code = problem?.code || 'error';
  const contextual = IN_CONTEXT[context]?.[code];
  const missing = code === 'not-found' ? /^(\w+) not found/i.exec(problem?.title ?? '')?.[1]?.toLowerCase() : undefined;
  const known = contextual ?? (missing && Object.hasOwn(NOT_FOUND, missing) ? NOT_FOUND[missing]! : Object.hasOwn(WORDING, code) ? WORDING[code]! : null);
  const headline = known?.headline ?? (problem?.title ? sentence(problem.title) : FALLBACK.headline);
  const detail = problem?.detail?.trim() || null;
  // The API's detail is the specific reason (numbers, call numbers); drop it only when it says nothing new.
  const reason = detail && normalise(detail) !== normalise(headline) ? detail : null;
  return {
    code,
    headline,
    reason,
    next: known ? known.next : (problem?.status ?? 500) >= 500 ? FALLBACK.next : null,
    overridable: problem?.overridable === true,
  };
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Field errors of a validation-failed problem, keyed by the field path without its "body."/"query." prefix. */
export function fieldErrors(problem: { errors?: unknown; field?: unknown; code?: string; detail?: string } | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!problem) return out;
  const errors = Array.isArray(problem.errors) ? problem.errors as Array<{ path?: unknown; message?: unknown }> : [];
  for (const e of errors) {
    const path = String(e.path ?? '').replace(/^(body|query|policy)\.?/, '');
    if (!out.has(path)) out.set(path, capitalise(String(e.message ?? 'Not valid')));
  }
  if (typeof problem.field === 'string' && !out.has(problem.field)) out.set(problem.field, problem.detail ?? 'Not valid');
  return out;
}

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
