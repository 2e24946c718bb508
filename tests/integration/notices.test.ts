// Issue 6 "Must show: a hold becoming ready sends exactly one email with the right deadline (the test
// reads it from the SMTP server)". A real smtp-server listens on loopback; the service sends through
// nodemailer with SMTP_URL pointing at it; jobs run by draining the job runner with the injected clock.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { workerFor } from '../../services/api/service.ts';
import { holdExpirer } from '../../services/api/modules/circulation/holds.service.ts';
import { noticeDispatcher, noticeScanner, noticeSender } from '../../services/api/modules/notices/notices.service.ts';
import { buildCopy, buildPatron, call, checkout, DAY } from './circulation-helpers.ts';

interface Received { from: string; to: string[]; raw: string }
const inbox: Received[] = [];
let rejectNext = 0;
let smtp: SMTPServer;
let svc: TestService;

/** The message as text: quoted-printable soft breaks and escapes undone (enough for ASCII assertions). */
const decoded = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim();

async function runJobs() {
  await workerFor(svc.deps).drain();
}
const db = () => svc.deps.orm.em.fork();
/** Other tests' holds lapse and send their own notices as the clock moves on: look at one recipient. */
const mailsTo = (address: string) => inbox.filter((m) => m.to.includes(address));
const notices = () => db().execute<Array<Record<string, any>>>(`select id, kind, status, attempts, sent_at, last_error, dedupe_key, message_id from notices order by id`);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectNext > 0) {
          rejectNext--;
          const err = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          return callback(err);
        }
        inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  svc = await startTestService({}, { env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Shelfmark Library <library@example.org>', NOTICE_DUE_SOON_DAYS: '2', PUBLIC_URL: 'https://library.example.org' } });
});
afterAll(async () => {
  await svc?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('hold ready for pickup', () => {
  it('sends exactly one email, with the pickup deadline, to the patron who placed the hold', async () => {
    svc.clock.set('2026-03-02T10:00:00Z');
    const copy = await buildCopy(svc);
    const borrower = await buildPatron(svc, { email: 'borrower@example.edu' });
    const holder = await buildPatron(svc, { name: 'Tan, Jia Yu', email: 'tan.jiayu@example.edu' });
    const loan = await checkout(svc, copy.id, borrower.id);
    expect((await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id })).status).toBe(201);
    svc.clock.set('2026-03-04T15:30:00Z');
    const returned = await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/return`, {});
    expect(returned.body.readyHold.readyUntil).toBe('2026-03-07T23:59:59.999Z');
    expect(inbox).toHaveLength(0); // the return itself sends nothing: the job does

    await noticeDispatcher(svc.deps);
    await runJobs();
    // The dispatcher and the jobs running again find nothing more to send.
    await noticeDispatcher(svc.deps);
    await runJobs();
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.to).toEqual(['tan.jiayu@example.edu']);
    expect(mail.from).toBe('library@example.org');
    expect(header(mail.raw, 'Subject')).toMatch(/^Ready for pickup: Circulating title \d+$/);
    expect(header(mail.raw, 'X-Shelfmark-Notice')).toBe('hold-ready');
    const text = decoded(mail.raw);
    expect(text).toContain('Please pick it up by Saturday 7 March 2026, 23:59 (UTC).');
    expect(text).toContain('Dear Tan, Jia Yu,');
    expect(text).toContain('Content-Type: text/html');
    const [row] = (await notices()).filter((n) => n.kind === 'hold-ready');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(new Date(row!.sent_at).toISOString()).toBe('2026-03-04T15:30:00.000Z');
    expect(header(mail.raw, 'Message-ID')).toBe(`<notice-${row!.id}@library.example.org>`);
  });

  it('two senders racing for one notice send it once (the claim is atomic)', async () => {
    inbox.length = 0;
    const holder = await buildPatron(svc, { email: 'racer@example.edu' });
    const copy = await buildCopy(svc);
    expect((await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id })).status).toBe(201);
    await db().execute(`update notices set status = 'queued' where status = 'pending'`);
    const [notice] = (await notices()).filter((n) => n.status === 'queued');
    const job = { payload: { noticeId: Number(notice!.id) }, attempts: 1, maxAttempts: 6 };
    const results = await Promise.all(Array.from({ length: 5 }, () => noticeSender(svc.deps, job)));
    expect(results.filter((r) => r === 'done')).toHaveLength(1);
    expect(results.filter((r) => r === 'skipped')).toHaveLength(4);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.to).toEqual(['racer@example.edu']);
    expect((await notices()).find((n) => n.id === notice!.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('retries and other notices', () => {
  it('a failed send is retried by the job runner with backoff, and the circulation transaction never waited for it', async () => {
    inbox.length = 0;
    svc.clock.set('2026-04-01T09:00:00Z');
    const copy = await buildCopy(svc);
    const borrower = await buildPatron(svc);
    const holder = await buildPatron(svc, { email: 'patient@example.edu' });
    const loan = await checkout(svc, copy.id, borrower.id);
    await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    rejectNext = 1;
    expect((await call(svc, svc.adminToken, 'POST', `/api/v1/loans/${loan.body.id}/return`, {})).status).toBe(200);
    await noticeDispatcher(svc.deps);
    await runJobs();
    expect(mailsTo('patient@example.edu')).toHaveLength(0);
    const [failed] = (await notices()).filter((n) => n.kind === 'hold-ready' && n.status !== 'sent');
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed!.last_error).toMatch(/451|busy/i);
    const [job] = await db().execute(`select status, attempts, run_at from jobs where kind = 'notice-send' and payload->>'noticeId' = ?`, [String(failed!.id)]);
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(new Date(job!.run_at).getTime() - svc.clock().getTime()).toBe(60_000);
    await runJobs(); // not yet due
    expect(mailsTo('patient@example.edu')).toHaveLength(0);
    svc.clock.advance(61_000);
    await runJobs();
    expect(mailsTo('patient@example.edu')).toHaveLength(1);
    expect((await notices()).find((n) => n.id === failed!.id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('due soon and overdue: one notice per loan from the scheduled scan', async () => {
    inbox.length = 0;
    svc.clock.set('2026-05-01T09:00:00Z');
    const copy = await buildCopy(svc);
    const member = await buildPatron(svc, { email: 'reader@example.edu' });
    await checkout(svc, copy.id, member.id); // due 2026-05-15, end of day
    expect(await noticeScanner(svc.deps)).toEqual({ dueSoon: 0, overdue: 0 });
    svc.clock.set('2026-05-14T09:00:00Z');
    expect(await noticeScanner(svc.deps)).toEqual({ dueSoon: 1, overdue: 0 });
    expect(await noticeScanner(svc.deps)).toEqual({ dueSoon: 0, overdue: 0 });
    await noticeDispatcher(svc.deps);
    await runJobs();
    svc.clock.set('2026-05-17T09:00:00Z');
    expect(await noticeScanner(svc.deps)).toEqual({ dueSoon: 0, overdue: 1 });
    await noticeDispatcher(svc.deps);
    await runJobs();
    const mails = mailsTo('reader@example.edu');
    expect(mails.map((m) => header(m.raw, 'X-Shelfmark-Notice'))).toEqual(['due-soon', 'overdue']);
    expect(decoded(mails[0]!.raw)).toContain('is due back by Friday 15 May 2026, 23:59 (UTC).');
    expect(decoded(mails[1]!.raw)).toContain('was due back by Friday 15 May 2026, 23:59 (UTC) and is now overdue.');
  });

  it('hold expired: the no-show charge is in the email, written in the expiry transaction', async () => {
    inbox.length = 0;
    svc.clock.set('2026-06-01T09:00:00Z');
    const copy = await buildCopy(svc);
    const holder = await buildPatron(svc, { email: 'noshow@example.edu' });
    const hold = await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    expect(hold.body.status).toBe('ready');
    svc.clock.set(new Date(Date.parse(hold.body.readyUntil) + DAY).toISOString());
    expect((await holdExpirer(svc.deps)).expired).toBeGreaterThanOrEqual(1);
    expect((await notices()).filter((n) => n.dedupe_key === `hold-expired:${hold.body.id}`)).toHaveLength(1);
    await holdExpirer(svc.deps);
    expect((await notices()).filter((n) => n.dedupe_key === `hold-expired:${hold.body.id}`)).toHaveLength(1);
    await noticeDispatcher(svc.deps);
    await runJobs();
    const [mail] = mailsTo('noshow@example.edu').filter((m) => header(m.raw, 'X-Shelfmark-Notice') === 'hold-expired');
    expect(mail).toBeDefined();
    // Standard preset: 3 days at the two-week category's 25 cents.
    expect(decoded(mail!.raw)).toContain('A no-show charge of $0.75 was added to your account.');
  });

  it('a patron without an email address: the notice is closed as no-address, nothing is sent', async () => {
    inbox.length = 0;
    const holder = await buildPatron(svc, { email: null });
    const copy = await buildCopy(svc);
    await call(svc, svc.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
    await noticeDispatcher(svc.deps);
    await runJobs();
    const [row] = await db().execute(`select n.kind, n.status from notices n where n.patron_id = ?`, [holder.id]);
    expect(row).toEqual({ kind: 'hold-ready', status: 'no-address' });
  });
});

describe('without a mailer', () => {
  it('notices are recorded but not sent, with status unsent-no-mailer', async () => {
    const plain = await startTestService();
    try {
      plain.clock.set('2026-03-02T10:00:00Z');
      const copy = await buildCopy(plain);
      const holder = await buildPatron(plain);
      await call(plain, plain.adminToken, 'POST', '/api/v1/holds', { itemId: copy.id, patronId: holder.id });
      expect(await noticeDispatcher(plain.deps)).toEqual({ queued: 0, unsent: 1 });
      const rows = await plain.deps.orm.em.fork().execute(`select kind, status, sent_at from notices`);
      expect(rows).toEqual([{ kind: 'hold-ready', status: 'unsent-no-mailer', sent_at: null }]);
    } finally {
      await plain.close();
    }
  });
});
