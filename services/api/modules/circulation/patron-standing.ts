// What circulation knows about a patron's standing: the balance of the ledger and the open loans,
// overdue loans and active holds. Read under the patron's row lock in every decision.
import type { EntityManager } from '@mikro-orm/sql';

export interface PatronStandingFacts {
  balanceCents: number;
  openLoanCount: number;
  overdueLoanCount: number;
  activeHoldCount: number;
}

const STANDING_SELECT = `
  (select coalesce(sum(e.amount_cents), 0) from ledger_entries e where e.patron_id = p.id) as balance_cents,
  (select count(*) from loans o where o.patron_id = p.id and o.returned_at is null) as open_loans,
  (select count(*) from loans o where o.patron_id = p.id and o.returned_at is null and o.due_at < ?) as overdue_loans,
  (select count(*) from holds h where h.patron_id = p.id and h.status in ('waiting', 'ready')) as active_holds`;

interface StandingRow { id: string; balance_cents: string | number; open_loans: string | number; overdue_loans: string | number; active_holds: string | number }

const toFacts = (r: StandingRow | undefined): PatronStandingFacts => ({
  balanceCents: Number(r?.balance_cents ?? 0),
  openLoanCount: Number(r?.open_loans ?? 0),
  overdueLoanCount: Number(r?.overdue_loans ?? 0),
  activeHoldCount: Number(r?.active_holds ?? 0),
});

export async function patronStandingLoader(em: EntityManager, patronId: string, now: Date): Promise<PatronStandingFacts> {
  const rows = await em.execute<StandingRow[]>(`select p.id, ${STANDING_SELECT} from patrons p where p.id = ?`, [now, patronId]);
  return toFacts(rows[0]);
}

/** What a desk operation decides on besides the locked rows: the standing, the policy version in force and the copy's first active hold. */
export interface DeskFacts extends PatronStandingFacts {
  /** null: no policy stored yet (the built-in default). */
  policyVersion: number | null;
  activeHoldId: string | null;
}

/**
 * One statement for the checkout's facts, run after the patron and the copy are locked (so its
 * snapshot, taken when it starts, already holds whatever the previous holders of those locks
 * committed). Folding them saves the desk two round trips per checkout (bench/README.md).
 */
export async function deskFactsLoader(tx: EntityManager, patronId: string, itemId: string, now: Date): Promise<DeskFacts> {
  const rows = await tx.execute<Array<StandingRow & { policy_version: number | string | null; active_hold_id: string | null }>>(
    `select p.id, ${STANDING_SELECT},
       (select max(v.id) from policy_versions v) as policy_version,
       (select h.id from holds h where h.item_id = ? and h.status in ('waiting', 'ready') order by h.placed_at asc, h.id asc limit 1) as active_hold_id
     from patrons p where p.id = ?`, [now, itemId, patronId]);
  const r = rows[0];
  return {
    ...toFacts(r),
    policyVersion: r?.policy_version === null || r?.policy_version === undefined ? null : Number(r.policy_version),
    activeHoldId: r?.active_hold_id ?? null,
  };
}

export async function patronStandingsLoader(em: EntityManager, patronIds: readonly string[], now: Date): Promise<Map<string, PatronStandingFacts>> {
  if (!patronIds.length) return new Map();
  const rows = await em.execute<StandingRow[]>(
    `select p.id, ${STANDING_SELECT} from patrons p where p.id in (${patronIds.map(() => '?').join(', ')})`, [now, ...patronIds]);
  const byId = new Map(rows.map((r) => [r.id, toFacts(r)]));
  return new Map(patronIds.map((id) => [id, byId.get(id) ?? toFacts(undefined)]));
}

export interface StandingFilters {
  hasLoans?: boolean | undefined;
  hasOverdue?: boolean | undefined;
  hasFines?: boolean | undefined;
}

/** SQL conditions on `p` (the patrons alias) for the patron search filters of API.md. */
export function patronStandingConditions(f: StandingFilters, now: Date): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const not = (b: boolean) => (b ? '' : 'not ');
  if (f.hasLoans !== undefined) where.push(`${not(f.hasLoans)}exists (select 1 from loans o where o.patron_id = p.id and o.returned_at is null)`);
  if (f.hasOverdue !== undefined) {
    where.push(`${not(f.hasOverdue)}exists (select 1 from loans o where o.patron_id = p.id and o.returned_at is null and o.due_at < ?)`);
    params.push(now);
  }
  if (f.hasFines !== undefined) where.push(`(select coalesce(sum(e.amount_cents), 0) from ledger_entries e where e.patron_id = p.id) ${f.hasFines ? '>' : '<='} 0`);
  return { where, params };
}
