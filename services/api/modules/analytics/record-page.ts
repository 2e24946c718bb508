// What the record page adds for issue 6, in one call from the catalogue's GET /api/v1/records/:id:
// the view is recorded (a COUNTER investigation) and the bookstore links are built from the ISBN.
import type { ApiContext } from '../../app-context.ts';
import { buyLinksFor, type BuyLink } from '../acquisitions/buy-links.ts';
import { recordViewRecorder } from './usage-events.ts';

export async function recordPageExtras(ctx: ApiContext, record: { id: string; isbn?: string | null }): Promise<{ buyLinks: BuyLink[] }> {
  await recordViewRecorder(ctx, record.id);
  return { buyLinks: buyLinksFor(ctx.deps.config.bookstoreLinks, record.isbn) };
}
