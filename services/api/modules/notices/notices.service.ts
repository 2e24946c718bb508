// Notices by email. Rows in `notices` are the outbox: circulation writes hold-ready (and, through
// hold-expired-notice.ts, hold-expired) rows in its own transactions; the scan below adds due-soon and
// overdue rows; the dispatcher turns pending rows into one notice-send job each; the job claims its
// row atomically, sends, and marks it sent. So a send never runs inside a circulation transaction, a
// failed send is retried by the job runner with exponential backoff, and two workers never both send
// the same notice (the claim is an UPDATE ... WHERE status = 'queued'). Exactly once, except that a
// process killed between the SMTP server's "250 OK" and the UPDATE sends it again after the lease
// (10 minutes) with the same Message-ID: SMTP offers nothing better.
import type { EntityManager } from '@mikro-orm/sql';
import type { Deps } from '../../app-context.ts';
import type { ClaimedJob } from '../../../worker/job-queue.ts';
import type { JobResult } from '../../../worker/job-runner.ts';
import { policyInForce } from '../circulation/policy-store.ts';
import { contactOf } from '../patrons/patron-contact.ts';
import { patronLoader } from '../patrons/patron.repository.ts';
import { mailerFor } from './mailer.ts';
import { NOTICE_KINDS, renderNotice, type NoticeKind } from './notice-templates.ts';

export const NOTICE_SEND_JOB = 'notice-send';
export const NOTICE_SEND_ATTEMPTS = 6;
const LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LOAN_PAYLOAD = `jsonb_build_object('loanId', l.id::text, 'itemId', l.item_id::text, 'callNumber', i.call_number, 'accessionNumber', i.accession_number,
                                       'title', r.title, 'dueAt', ${iso('l.due_at')})`;

/**
 * Adds due-soon notices (loans due within NOTICE_DUE_SOON_DAYS, unless the loan is that short
 * itself: an overnight loan needs no reminder the moment it is made) and overdue notices (one per
 * loan). The dedupe key makes every run idempotent.
 */
export async function noticeScanner(deps: Deps): Promise<{ dueSoon: number; overdue: number }> {
  const now = deps.clock();
  const em = deps.orm.em.fork();
  const days = deps.config.notices.dueSoonDays;
  let dueSoon = 0;
  if (days > 0) {
    const soon = new Date(now.getTime() + days * DAY_MS);
    const rows = await em.execute<Array<{ id: string }>>(
      `insert into notices (patron_id, kind, payload, created_at, status, dedupe_key, attempts)
       select l.patron_id, 'due-soon', ${LOAN_PAYLOAD}, ?, 'pending', 'due-soon:' || l.id, 0
         from loans l left join items i on i.id = l.item_id left join records r on r.id = i.record_id
        where l.returned_at is null and l.patron_id is not null and l.due_at > ? and l.due_at <= ? and l.due_at - l.loaned_at > ?::interval
          and not exists (select 1 from notices n where n.dedupe_key = 'due-soon:' || l.id)
       on conflict (dedupe_key) do nothing returning id`,
      [now, now, soon, `${days} days`]);
    dueSoon = rows.length;
  }
  const overdue = await em.execute<Array<{ id: string }>>(
    `insert into notices (patron_id, kind, payload, created_at, status, dedupe_key, attempts)
     select l.patron_id, 'overdue', ${LOAN_PAYLOAD}, ?, 'pending', 'overdue:' || l.id, 0
       from loans l left join items i on i.id = l.item_id left join records r on r.id = i.record_id
      where l.returned_at is null and l.patron_id is not null and l.due_at < ?
        -- Checked first so that loans already noticed do not use up a notice id each run.
        and not exists (select 1 from notices n where n.dedupe_key = 'overdue:' || l.id)
     on conflict (dedupe_key) do nothing returning id`,
    [now, now]);
  return { dueSoon, overdue: overdue.length };
}

/**
 * Pending notices become notice-send jobs, in the same transaction that marks them queued. Without
 * SMTP_URL they are marked unsent-no-mailer instead and stay as a record of what would have gone out.
 */
export async function noticeDispatcher(deps: Deps): Promise<{ queued: number; unsent: number }> {
  const em = deps.orm.em.fork();
  if (!mailerFor(deps.config)) {
    const rows = await em.execute<Array<{ id: string }>>(`update notices set status = 'unsent-no-mailer' where status = 'pending' returning id`);
    return { queued: 0, unsent: rows.length };
  }
  let queued = 0;
  for (;;) {
    const batch = await em.transactional(async (tx) => {
      const rows = await tx.execute<Array<{ id: string | number }>>(
        `update notices set status = 'queued' where id in (select id from notices where status = 'pending' order by id limit 200 for update skip locked) returning id`);
      for (const r of rows) await deps.jobs.enqueue(tx, NOTICE_SEND_JOB, { noticeId: Number(r.id) }, { maxAttempts: NOTICE_SEND_ATTEMPTS });
      return rows.length;
    });
    queued += batch;
    if (batch < 200) break;
  }
  if (queued) deps.jobs.poke();
  return { queued, unsent: 0 };
}

interface ClaimedNotice { id: string | number; patron_id: string; kind: string; payload: Record<string, unknown> | string }

/** Takes the notice for this attempt, or null when it is sent, taken by a live sender, or gone. */
async function noticeClaimer(em: EntityManager, id: number, now: Date): Promise<ClaimedNotice | null> {
  const rows = await em.execute<ClaimedNotice[]>(
    `update notices set status = 'sending', locked_at = ?, attempts = attempts + 1
      where id = ? and (status = 'queued' or (status = 'sending' and locked_at < ?))
      returning id, patron_id, kind, payload`,
    [now, id, new Date(now.getTime() - LEASE_MS)]);
  return rows[0] ?? null;
}

async function noticeFinisher(em: EntityManager, id: number, fields: { status: string; sentAt?: Date; messageId?: string; error?: string | null }): Promise<void> {
  await em.execute(
    `update notices set status = ?, sent_at = coalesce(?, sent_at), message_id = coalesce(?, message_id), last_error = ?, locked_at = null where id = ? and status = 'sending'`,
    [fields.status, fields.sentAt ?? null, fields.messageId ?? null, fields.error ?? null, id], 'run');
}

/** The notice-send job: one notice, one attempt. Throwing hands the retry (with backoff) to the job runner. */
export async function noticeSender(deps: Deps, job: Pick<ClaimedJob, 'payload' | 'attempts' | 'maxAttempts'>): Promise<JobResult | { status: JobResult; error?: string }> {
  const id = Number(job.payload.noticeId);
  const em = deps.orm.em.fork();
  const mailer = mailerFor(deps.config);
  if (!Number.isSafeInteger(id) || !mailer) return 'skipped';
  const notice = await noticeClaimer(em, id, deps.clock());
  if (!notice) return 'skipped';
  const kind = notice.kind as NoticeKind;
  const payload = typeof notice.payload === 'string' ? JSON.parse(notice.payload) as Record<string, unknown> : notice.payload;
  try {
    if (!NOTICE_KINDS.includes(kind)) throw new Error(`unknown notice kind ${notice.kind}`);
    const patron = await patronLoader(em, notice.patron_id);
    // The address is read through the patrons module (decrypted there); it is never logged.
    const to = contactOf(deps.cipher, patron).email;
    if (!to) {
      await noticeFinisher(em, id, { status: 'no-address', error: 'The patron has no email address.' });
      return 'skipped';
    }
    const policy = await policyInForce(em);
    const rendered = renderNotice(kind, payload, { patronName: patron.name, timeZone: policy.timeZone, accountUrl: deps.config.publicUrl ?? null });
    const host = deps.config.publicUrl ? new URL(deps.config.publicUrl).hostname : 'shelfmark.local';
    const sent = await mailer.send({ to, ...rendered, messageId: `<notice-${id}@${host}>`, headers: { 'X-Shelfmark-Notice': kind, 'Auto-Submitted': 'auto-generated' } });
    await noticeFinisher(em, id, { status: 'sent', sentAt: deps.clock(), messageId: sent.messageId });
    return 'done';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const last = job.attempts >= job.maxAttempts;
    await noticeFinisher(em, id, { status: last ? 'failed' : 'queued', error: message.slice(0, 1000) });
    deps.log.warn({ noticeId: id, kind, attempt: job.attempts, err: message }, last ? 'notice not sent; giving up' : 'notice not sent; will retry');
    if (last) return { status: 'failed', error: message };
    throw err;
  }
}
