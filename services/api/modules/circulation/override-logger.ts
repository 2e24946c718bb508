import type { EntityManager } from '@mikro-orm/sql';
import { staffCategoryOf, type Actor } from './actor.ts';
import { CirculationOverrideEntity } from './circulation.entities.ts';
import type { CirculationCode } from './decision.ts';

/** Seed 002 lets librarians override; DESIGN: "every override is logged with who and why". One row per waived decision. */
export function overrideLogger(
  tx: EntityManager,
  entry: { action: 'checkout' | 'renewal' | 'hold'; codes: readonly CirculationCode[]; reason: string; actor: Actor; patronId: string; itemId: string; loanId?: string; holdId?: string; now: Date },
): void {
  if (!entry.codes.length) return;
  tx.create(CirculationOverrideEntity, {
    action: entry.action, codes: [...entry.codes], reason: entry.reason, patronId: entry.patronId, itemId: entry.itemId,
    loanId: entry.loanId ?? null, holdId: entry.holdId ?? null, staffUserId: entry.actor.userId,
    staffCategory: staffCategoryOf(entry.actor) ?? 'none', createdAt: entry.now,
  });
}
