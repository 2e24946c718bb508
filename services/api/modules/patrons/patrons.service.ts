import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import { forbidden, problem } from '../../http/problem.ts';
import { SUPERVISORS, type Role } from '../../http/roles.ts';
import type { Actor } from '../circulation/actor.ts';
import { patronHoldsCanceller } from '../circulation/holds.service.ts';
import { fineLimitFor, holdLimitFor, loanLimitFor } from '../circulation/patron-limits.ts';
import { patronStandingConditions, patronStandingLoader, patronStandingsLoader } from '../circulation/patron-standing.ts';
import { policyInForce } from '../circulation/policy-store.ts';
import type { CirculationPolicy } from '../circulation/policy.ts';
import { formatCents } from '../circulation/money.ts';
import { membershipIdFor } from './membership-id.ts';
import { contactAssigner, contactFreeTextCondition, contactSearchConditions } from './patron-contact.ts';
import { PatronEntity, type Patron } from './patron.entity.ts';
import { patronLoader, patronLocker } from './patron.repository.ts';
import { presentPatron } from './patrons.presenter.ts';
import type { PatronCreate, PatronListQuery, PatronPatch } from './patrons.schema.ts';

const FIXED = ['id', 'membershipId', 'maxLoans', 'maxHolds', 'fineLimitCents'] as const;
const isSupervisor = (actor: Actor) => actor.roles.some((r) => SUPERVISORS.includes(r as Role));

/** Regular, librarian and supervisor plus whatever categories the policy in force defines. */
function categoryChecker(policy: CirculationPolicy, category: string): void {
  if (!Object.hasOwn(policy.patronCategories, category)) {
    const known = Object.keys(policy.patronCategories).join(', ');
    throw problem(422, 'unknown-patron-category', 'Unknown patron category', `"${category}" is not a patron category of the policy in force (${known}).`, { field: 'category' });
  }
}

/** Seed 003: "The membership id is assigned when a membership is created." From a sequence, so never reused. */
export async function patronCreator(deps: Deps, em: EntityManager, input: PatronCreate, actor: Actor): Promise<Patron> {
  const ownLimits = input.maxLoans != null || input.maxHolds != null || input.fineLimitCents != null;
  if (ownLimits && !isSupervisor(actor)) throw forbidden('Only supervisors set a patron\'s own limits (seed 002: "supervisor mode only").');
  // The category sets Max Books, which seed 002 leaves to "supervisor mode": the same rule as changing it later.
  if (input.category !== 'regular' && !isSupervisor(actor)) throw forbidden('Only supervisors register a patron in a category other than regular.');
  return em.transactional(async (tx) => {
    categoryChecker(await policyInForce(tx), input.category);
    const [row] = await tx.execute<Array<{ n: string | number }>>(`select nextval('patron_membership_seq') as n`, []);
    const now = deps.clock();
    const patron = tx.create(PatronEntity, {
      id: randomUUID(), membershipId: membershipIdFor(Number(row!.n)), name: input.name, faculty: input.faculty ?? null,
      phone: null, email: null, address: null, contactIndex: [], category: input.category, restricted: input.restricted,
      maxLoans: input.maxLoans ?? null, maxHolds: input.maxHolds ?? null, fineLimitCents: input.fineLimitCents ?? null,
      createdAt: now, updatedAt: now,
    });
    contactAssigner(deps.cipher, patron, { phone: input.phone ?? null, email: input.email ?? null, address: input.address ?? null });
    await tx.flush();
    return patron;
  }, { clear: true });
}

/** Seed 003: "Information that can be updated include member's name, faculty, phone number, and email address." */
export async function patronUpdater(deps: Deps, em: EntityManager, ref: string, patch: PatronPatch, actor: Actor): Promise<Patron> {
  const { id } = await patronLoader(em, ref);
  return em.transactional(async (tx) => {
    const policy = await policyInForce(tx);
    const patron = await patronLocker(tx, id);
    const limits = { category: patron.category, maxLoans: patron.maxLoans, maxHolds: patron.maxHolds, fineLimitCents: patron.fineLimitCents };
    // A value equal to the stored or shown one is a round trip (GET, edit, PATCH), not an attempt to change it.
    const unchanged: Record<(typeof FIXED)[number], (v: unknown) => boolean> = {
      id: (v) => v === patron.id,
      membershipId: (v) => typeof v === 'string' && v.trim().toUpperCase() === patron.membershipId,
      maxLoans: (v) => v === patron.maxLoans || v === loanLimitFor(policy, limits),
      maxHolds: (v) => v === patron.maxHolds || v === holdLimitFor(policy, limits),
      fineLimitCents: (v) => v === patron.fineLimitCents || v === fineLimitFor(policy, limits),
    };
    for (const field of FIXED) {
      if (patch[field] !== undefined && !unchanged[field](patch[field])) {
        throw problem(409, 'patron-field-fixed', `${field} cannot change`, 'The membership id and the borrowing and reservation limits are fixed when a membership is created.', { field });
      }
    }
    if (patch.category !== undefined && patch.category !== patron.category) {
      if (!isSupervisor(actor)) throw forbidden('Only supervisors change a patron\'s category.');
      categoryChecker(policy, patch.category);
      patron.category = patch.category;
    }
    if (patch.name !== undefined) patron.name = patch.name;
    if (patch.faculty !== undefined) patron.faculty = patch.faculty;
    if (patch.restricted !== undefined) patron.restricted = patch.restricted;
    contactAssigner(deps.cipher, patron, { phone: patch.phone, email: patch.email, address: patch.address });
    patron.updatedAt = deps.clock();
    await tx.flush();
    return patron;
  }, { clear: true });
}
/**
 * Seed 003: "All books loaned to members must be returned prior to the deletion. All outstanding
 * fines must be paid prior to the deletion. All reservations requested by members will be
 * cancelled." The membership id is not freed (the sequence never goes back); the deletion log keeps
 * the id and when, not the person's details.
 */
export async function patronDeleter(deps: Deps, em: EntityManager, ref: string, actor: Actor, reason?: string): Promise<void> {
  const { id } = await patronLoader(em, ref);
  await em.transactional(async (tx) => {
    const patron = await patronLocker(tx, id);
    const now = deps.clock();
    const standing = await patronStandingLoader(tx, id, now);
    if (standing.openLoanCount > 0) {
      throw problem(409, 'patron-has-loans', 'The patron has books on loan', `${standing.openLoanCount} loan(s) must be returned before the membership can be deleted.`, { openLoanCount: standing.openLoanCount });
    }
    if (standing.balanceCents > 0) {
      throw problem(409, 'fines-outstanding', 'The patron owes fines', `Outstanding fines of ${formatCents(standing.balanceCents)} must be paid before the membership can be deleted.`, { balanceCents: standing.balanceCents });
    }
    await patronHoldsCanceller(tx, id, now, actor);
    await tx.execute(
      `insert into deletion_log (entity_type, entity_id, snapshot, reason, deleted_by, deleted_at) values ('patron', ?, ?, ?, ?, ?)`,
      [id, JSON.stringify({ membershipId: patron.membershipId, category: patron.category, createdAt: patron.createdAt.toISOString() }), reason ?? null, actor.userId, now], 'run');
    tx.remove(patron);
    await tx.flush();
  }, { clear: true });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** Seed 002: "Search customer based on: name, phone, address, or user ID", plus the report filters of API.md. */
export async function patronLister(deps: Deps, em: EntityManager, q: PatronListQuery, viewerRoles: readonly string[]) {
  const now = deps.clock();
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.q) {
    for (const word of q.q.split(/\s+/).filter(Boolean).slice(0, 10)) {
      const contact = contactFreeTextCondition(deps.cipher, word);
      where.push(`(p.name ilike ? or p.membership_id ilike ? or coalesce(p.faculty, '') ilike ? or ${contact.sql})`);
      params.push(`%${escapeLike(word)}%`, `%${escapeLike(word)}%`, `%${escapeLike(word)}%`, ...contact.params);
    }
  }
  if (q.name) { where.push(`p.name ilike ?`); params.push(`%${escapeLike(q.name)}%`); }
  if (q.membershipId) { where.push(`upper(p.membership_id) = upper(?)`); params.push(q.membershipId); }
  if (q.category) { where.push(`p.category = ?`); params.push(q.category); }
  const contact = contactSearchConditions(deps.cipher, q);
  where.push(...contact.where);
  params.push(...contact.params);
  const standing = patronStandingConditions(q, now);
  where.push(...standing.where);
  params.push(...standing.params);

  const filter = where.length ? `where ${where.join(' and ')}` : '';
  const order = { name: 'lower(p.name), p.membership_id', membershipId: 'p.membership_id', created: 'p.created_at desc, p.membership_id' }[q.sort];
  const [countRows, idRows] = [
    await em.execute<Array<{ n: string | number }>>(`select count(*) as n from patrons p ${filter}`, params),
    await em.execute<Array<{ id: string }>>(`select p.id from patrons p ${filter} order by ${order} limit ? offset ?`, [...params, q.pageSize, (q.page - 1) * q.pageSize]),
  ];
  const ids = idRows.map((r) => r.id);
  const patrons = ids.length ? await em.find(PatronEntity, { id: { $in: ids } }) : [];
  const byId = new Map(patrons.map((p) => [p.id, p]));
  const standings = await patronStandingsLoader(em, ids, now);
  const policy = await policyInForce(em);
  return {
    total: Number(countRows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize,
    items: ids.flatMap((id) => { const p = byId.get(id); return p ? [presentPatron(deps.cipher, p, standings.get(id)!, policy, viewerRoles)] : []; }),
  };
}

export async function patronPresenter(deps: Deps, em: EntityManager, patron: Patron, viewerRoles: readonly string[]) {
  const [standing, policy] = [await patronStandingLoader(em, patron.id, deps.clock()), await policyInForce(em)];
  return presentPatron(deps.cipher, patron, standing, policy, viewerRoles);
}
