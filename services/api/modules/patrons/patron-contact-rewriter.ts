import type { Deps } from '../../app-context.ts';
import { PatronEntity, type Patron } from './patron.entity.ts';
import { contactNeedsRewrite, contactRewriter } from './patron-contact.ts';

/**
 * Rewrites every patron whose contact details are plain (written before encryption) or encrypted
 * with a retired key, in batches. Runs at start and from `npm run rotate-keys`; idempotent.
 */
export async function patronContactRewriter(deps: Pick<Deps, 'orm' | 'cipher'>, batchSize = 500): Promise<number> {
  let rewritten = 0;
  let lastId: string | null = null;
  for (;;) {
    const em = deps.orm.em.fork();
    const batch: Patron[] = await em.find(PatronEntity, lastId ? { id: { $gt: lastId } } : {}, { orderBy: { id: 'asc' }, limit: batchSize });
    if (!batch.length) return rewritten;
    lastId = batch[batch.length - 1]!.id;
    const stale = batch.filter((p) => contactNeedsRewrite(deps.cipher, p));
    for (const p of stale) contactRewriter(deps.cipher, p);
    if (stale.length) await em.flush();
    rewritten += stale.length;
  }
}
