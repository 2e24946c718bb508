// Circulation refusals as RFC 9457 problems: every decision code becomes a 409 with that code, and
// unique violations raised by the database (the last line of defence under concurrency) become the
// same problems instead of a 500.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { problem, type Problem } from '../../http/problem.ts';
import { isOverridable, type CirculationCode, type Refusal } from './decision.ts';

const TITLES: Record<CirculationCode, string> = {
  'item-on-loan': 'The copy is on loan',
  'item-on-hold': 'The copy is held for another patron',
  'item-out-of-circulation': 'The copy is out of circulation',
  'loan-limit-reached': 'Loan limit reached',
  'fines-outstanding': 'Fines outstanding',
  'patron-restricted': 'The patron is restricted',
  'hold-limit-reached': 'Hold limit reached',
  'hold-exists': 'The copy already has a hold',
  'item-available': 'The copy is available',
  'payment-amount-invalid': 'Payment amount not accepted',
  'renewals-not-allowed': 'Renewals are not allowed',
  'renewal-limit-reached': 'Renewal limit reached',
  'item-has-hold': 'Another patron has a hold on the copy',
};

export function refusalProblem(refusal: Refusal, overrideRequested = false): Problem {
  const overridable = isOverridable(refusal.code);
  const detail = overrideRequested && overridable ? `${refusal.reason} Your role may not override this block.` : refusal.reason;
  return problem(409, refusal.code, TITLES[refusal.code], detail, { overridable });
}

/** The name of the unique constraint or index a database error violated, or null for any other error. */
export function violatedUniqueConstraint(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return null;
  if (!(err instanceof UniqueConstraintViolationException) && e.code !== '23505') return null;
  if (e.constraint) return e.constraint;
  return /"([a-z0-9_]+)"/.exec(e.message ?? '')?.[1] ?? 'unknown';
}

const BY_CONSTRAINT: Record<string, Refusal> = {
  loans_open_item_unique: { ok: false, code: 'item-on-loan', reason: 'This copy is already on loan.' },
  holds_active_item_unique: { ok: false, code: 'hold-exists', reason: 'This copy already has a hold; only one hold may be placed on a copy.' },
};

/**
 * Rethrows a database unique violation as the circulation problem it stands for, and a policy that
 * does not cover a copy's loan category (policy.ts throws RangeError when there is no
 * defaultLoanCategory either) as a 409 naming what to fix; other errors unchanged.
 */
export function asCirculationProblem(err: unknown): unknown {
  if (err instanceof RangeError && /not defined in circulation policy/.test(err.message)) {
    return problem(409, 'loan-category-not-in-policy', 'The policy does not cover this copy', `${err.message}. Add the category to the policy or set its defaultLoanCategory.`);
  }
  const constraint = violatedUniqueConstraint(err);
  const refusal = constraint ? BY_CONSTRAINT[constraint] : undefined;
  return refusal ? refusalProblem(refusal) : err;
}
