// Circulation calls this inside the transaction that expires a ready hold (copy-release.ts), so the
// notice exists exactly when the expiry does; the dedupe key keeps it to one per hold.
import type { EntityManager } from '@mikro-orm/sql';

export async function holdExpiredNoticeRecorder(
  tx: EntityManager, hold: { id: string; patron?: { id: string } | null; readyUntil?: Date | null }, itemId: string, now: Date, chargeCents: number,
): Promise<void> {
  const patronId = hold.patron?.id;
  if (!patronId) return;
  await tx.execute(
    `insert into notices (patron_id, kind, payload, created_at, status, dedupe_key, attempts)
     select ?, 'hold-expired', jsonb_build_object('holdId', ?::text, 'itemId', ?::text, 'callNumber', i.call_number, 'accessionNumber', i.accession_number,
                                                 'title', r.title, 'readyUntil', ?::text, 'chargeCents', ?::int),
            ?, 'pending', ?, 0
       from (select 1) one left join items i on i.id = ? left join records r on r.id = i.record_id
     on conflict (dedupe_key) do nothing`,
    [patronId, hold.id, itemId, hold.readyUntil?.toISOString() ?? null, chargeCents, now, `hold-expired:${hold.id}`, itemId], 'run');
}
