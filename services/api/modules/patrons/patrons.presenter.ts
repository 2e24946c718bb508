import { SUPERVISORS } from '../../http/roles.ts';
import type { Role } from '../../http/roles.ts';
import { isBlockedByFines } from '../circulation/borrowing-block.ts';
import type { PatronStandingFacts } from '../circulation/patron-standing.ts';
import { fineLimitFor, holdLimitFor, loanLimitFor } from '../circulation/patron-limits.ts';
import { patronCategoryPolicy, type CirculationPolicy } from '../circulation/policy.ts';
import { contactOf } from './patron-contact.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import type { Patron } from './patron.entity.ts';

/**
 * Seed 002's customer report: "Name Phone Adress Fines Max Books - supervisor mode only Max Fine -
 * supervisor mode only". The limits in force (the patron's own or the category's) are shown to
 * supervisors only, so the presenter takes the viewer's roles.
 */
export function presentPatron(cipher: FieldCipher, patron: Patron, standing: PatronStandingFacts, policy: CirculationPolicy, viewerRoles: readonly string[]) {
  const supervisor = viewerRoles.some((r) => SUPERVISORS.includes(r as Role));
  const limits = { category: patron.category, maxLoans: patron.maxLoans, maxHolds: patron.maxHolds, fineLimitCents: patron.fineLimitCents };
  return {
    id: patron.id,
    membershipId: patron.membershipId,
    name: patron.name,
    faculty: patron.faculty ?? null,
    ...contactOf(cipher, patron),
    category: patron.category,
    categoryLabel: patronCategoryPolicy(policy, patron.category).label,
    restricted: patron.restricted,
    balanceCents: standing.balanceCents,
    finesBlockBorrowing: isBlockedByFines(policy, standing.balanceCents, patron.fineLimitCents),
    openLoanCount: standing.openLoanCount,
    overdueLoanCount: standing.overdueLoanCount,
    activeHoldCount: standing.activeHoldCount,
    ...(supervisor ? { maxLoans: loanLimitFor(policy, limits), maxHolds: holdLimitFor(policy, limits), maxFineCents: fineLimitFor(policy, limits) } : {}),
    createdAt: patron.createdAt.toISOString(),
    updatedAt: patron.updatedAt.toISOString(),
  };
}
