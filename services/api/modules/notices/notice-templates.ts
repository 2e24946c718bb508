// The four notices a patron receives (seed 002: "the customer that is waiting for it will be
// notified and has 3 days to pick it up"), each as plain text and HTML. Pure: the payload comes from
// the notices table, dates are shown in the library's time zone (the circulation policy's), and every
// value that reaches HTML is escaped: titles and names are typed by people.

export const NOTICE_KINDS = ['hold-ready', 'due-soon', 'overdue', 'hold-expired'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface RenderedNotice { subject: string; text: string; html: string }

export interface NoticeView {
  patronName: string;
  timeZone: string;
  /** Where the patron can see their account (PUBLIC_URL), if configured. */
  accountUrl?: string | null;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
/** A header value on one line: CR, LF and other controls become spaces. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** "Thursday 5 March 2026, 23:59 (UTC)": a deadline as a person reads it, in the library's zone. */
export function formatDeadline(iso: string, timeZone: string): string {
  // Assembled from parts: ICU versions disagree on the punctuation of a whole formatted date.
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} (${timeZone})`;
}

export function formatMoney(cents: number): string {
  return `$${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

interface Parts { subject: string; lines: string[] }

function parts(kind: NoticeKind, p: Record<string, unknown>, v: NoticeView): Parts {
  const title = String(p.title ?? 'a library item');
  const copy = p.callNumber ? ` (call number ${String(p.callNumber)})` : '';
  switch (kind) {
    case 'hold-ready': {
      const until = formatDeadline(String(p.readyUntil), v.timeZone);
      return {
        subject: `Ready for pickup: ${title}`,
        lines: [
          `The item you reserved is waiting for you: ${title}${copy}.`,
          `Please pick it up by ${until}. After that it goes back on the shelf.`,
        ],
      };
    }
    case 'due-soon':
      return {
        subject: `Due soon: ${title}`,
        lines: [`${title}${copy} is due back by ${formatDeadline(String(p.dueAt), v.timeZone)}.`, 'Please return or renew it by then to avoid a fine.'],
      };
    case 'overdue':
      return {
        subject: `Overdue: ${title}`,
        lines: [`${title}${copy} was due back by ${formatDeadline(String(p.dueAt), v.timeZone)} and is now overdue.`, 'Please return it as soon as you can; a fine accrues for each day late.'],
      };
    case 'hold-expired': {
      const charge = Number(p.chargeCents ?? 0);
      return {
        subject: `Reservation expired: ${title}`,
        lines: [
          `Your reservation of ${title}${copy} expired: it was not picked up by ${formatDeadline(String(p.readyUntil), v.timeZone)}.`,
          charge > 0 ? `A no-show charge of ${formatMoney(charge)} was added to your account.` : 'The item has gone back on the shelf.',
        ],
      };
    }
  }
}

export function renderNotice(kind: NoticeKind, payload: Record<string, unknown>, view: NoticeView): RenderedNotice {
  const { subject, lines } = parts(kind, payload, view);
  const greeting = `Dear ${view.patronName},`;
  const account = view.accountUrl ? `Your account: ${view.accountUrl}` : null;
  const text = [greeting, '', ...lines, '', ...(account ? [account, ''] : []), 'Your library'].join('\n');
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>', escapeHtml(oneLine(subject)), '</title></head><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    account ? `<p><a href="${escapeHtml(view.accountUrl!)}">Your account</a></p>` : '',
    '<p>Your library</p></body></html>',
  ].join('');
  return { subject: oneLine(subject), text, html };
}
