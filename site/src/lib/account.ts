// The patron account pages (site/src/pages/account/**): the shapes they read from the API
// (../shared/API.md, docs/circulation.md) and the wording of refusals for the patron themself.

export interface Patron {
  id: string;
  membershipId: string;
  name: string;
  faculty: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  category: string;
  categoryLabel: string;
  restricted: boolean;
  balanceCents: number;
  finesBlockBorrowing: boolean;
  openLoanCount: number;
  overdueLoanCount: number;
  activeHoldCount: number;
}

interface CopyFields {
  itemId: string;
  callNumber: string | null;
  accessionNumber: string | null;
  recordId: string | null;
  title: string | null;
  authors: string[];
}

export interface Loan extends CopyFields {
  id: string;
  loanCategory: string;
  loanedAt: string;
  dueAt: string;
  returnedAt: string | null;
  overdue: boolean;
  renewalCount: number;
}

export interface Hold extends CopyFields {
  id: string;
  status: 'waiting' | 'ready' | 'fulfilled' | 'cancelled' | 'expired';
  placedAt: string;
  readyAt: string | null;
  readyUntil: string | null;
}

export interface LedgerEntry {
  id: number;
  kind: 'fine' | 'no-show' | 'payment' | 'waiver';
  amountCents: number;
  loanId: string | null;
  holdId: string | null;
  method: string | null;
  note: string | null;
  createdAt: string;
}

export interface Ledger { balanceCents: number; total: number; page: number; pageSize: number; items: LedgerEntry[] }

export interface Policy { renewalsAllowed: boolean; maxRenewals: number; holdPickupDays: number; partialPaymentsAllowed: boolean; holdsOnlyWhenUnavailable: boolean }

interface Problem { code?: string; title?: string; detail?: string }

// The API's details speak of "this patron" (they are written for the desk); the patron reads "you".
const FOR_PATRON: Record<string, string> = {
  'renewals-not-allowed': 'This library does not renew loans. Please return the book by its due date.',
  'item-has-hold': 'Another reader has placed a hold on this copy, so it cannot be renewed. Please return it by its due date.',
  'patron-restricted': 'Your membership is restricted: borrowing, renewing and reserving are paused. Please ask at the desk.',
  'loan-already-returned': 'This loan has already ended (returned or renewed). The list below is up to date.',
  'hold-exists': 'Someone already has a hold on this copy; only one hold may be placed on a copy. Try another copy if there is one.',
  'item-available': 'This copy is on the shelf now: borrow it at the desk instead of reserving it.',
  'item-out-of-circulation': 'This copy cannot be lent or reserved.',
  'hold-not-active': 'This hold is no longer active.',
  'nothing-to-pay': 'You owe nothing, so there is nothing to pay.',
  'payments-unavailable': 'Online payment is not available at this library. Please pay at the desk.',
  'payment-provider-error': 'The payment service could not be reached. Nothing was charged; please try again in a moment.',
};

/** A refusal from the API in words for the patron: our wording for known codes, else the API's detail. */
export function refusalText(p: Problem | null | undefined, fallback = 'That did not work. Please try again in a moment.'): string {
  if (!p) return fallback;
  const known = p.code ? FOR_PATRON[p.code] : undefined;
  if (known) return known;
  const text = p.detail ?? p.title ?? fallback;
  return text.replace(/\bThis patron (is|has)\b/g, (_m, verb: string) => (verb === 'is' ? 'You are' : 'You have')).replace(/\bthis patron\b/g, 'you');
}

const LEDGER_KIND: Record<LedgerEntry['kind'], string> = { fine: 'Overdue fine', 'no-show': 'Hold not collected', payment: 'Payment', waiver: 'Waived' };
export const ledgerKind = (k: LedgerEntry['kind']) => LEDGER_KIND[k] ?? k;

const PAYMENT_METHOD: Record<string, string> = { cash: 'cash', card: 'card', cheque: 'cheque', transfer: 'bank transfer', online: 'online', other: 'other' };
export const paymentMethod = (m: string | null) => (m ? PAYMENT_METHOD[m] ?? m : null);

/** Whole days from now until the date (negative once past), counted by UTC calendar day. */
export function daysUntil(iso: string, now: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(new Date(iso)) - day(now)) / 86_400_000);
}

export function dueText(iso: string, now: Date): string {
  const d = daysUntil(iso, now);
  if (d < 0) return d === -1 ? 'overdue by 1 day' : `overdue by ${-d} days`;
  if (d === 0) return 'due today';
  if (d === 1) return 'due tomorrow';
  return `due in ${d} days`;
}
