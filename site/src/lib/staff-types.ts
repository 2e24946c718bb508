// Shapes of the API answers the staff pages read (docs/circulation.md, ../shared/API.md). Only what they use.
import type { Patron as AccountPatron } from './account.ts';
import type { Item } from './types.ts';

export interface Loan {
  id: string;
  itemId: string;
  patronId: string | null;
  callNumber: string | null;
  accessionNumber: string | null;
  recordId: string | null;
  title: string | null;
  authors: string[];
  loanCategory: string;
  loanedAt: string;
  dueAt: string;
  returnedAt: string | null;
  overdue: boolean;
  fineCents: number | null;
  renewalCount: number;
  overridden?: string[];
}

export interface Hold {
  id: string;
  itemId: string;
  callNumber: string | null;
  title: string | null;
  status: string;
  placedAt: string;
  readyUntil: string | null;
}

/** The patron as staff see it: what the account pages read, plus the limits supervisors get. */
export interface Patron extends AccountPatron {
  /** Supervisors only (the API leaves them out for others). */
  maxLoans?: number;
  maxHolds?: number;
  maxFineCents?: number;
  createdAt: string;
}

export interface PatronList { total: number; page: number; pageSize: number; items: Patron[] }

/** A copy as the editor reads it: the catalogue's item plus its replacement cost. */
export interface StaffItem extends Item {
  replacementCostCents: number;
}

export interface LoanPeriod { days?: number; hours?: number }
export interface LoanCategoryRules { label: string; loanPeriod: LoanPeriod; finePerDayCents: number; fineCappedAtReplacementCost: boolean }
export interface PatronCategoryRules { label: string; maxLoans: number; maxHolds?: number; canOverride: boolean }

export interface Policy {
  name: string;
  timeZone: string;
  loanCategories: Record<string, LoanCategoryRules>;
  defaultLoanCategory?: string;
  patronCategories: Record<string, PatronCategoryRules>;
  outstandingFineLimitCents: number;
  blockOnAnyUnpaidFine: boolean;
  finesBlockHolds: boolean;
  partialPaymentsAllowed: boolean;
  renewalsAllowed: boolean;
  maxRenewals: number;
  holdsOnlyWhenUnavailable: boolean;
  holdPickupDays: number;
  holdNoShowChargeDays: number;
  version: number;
  preset: string | null;
  createdAt: string | null;
  createdBy: string | null;
}

export interface PolicyVersion { version: number; name: string; preset: string | null; createdAt: string | null; createdBy: string | null }
