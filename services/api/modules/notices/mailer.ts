// Outgoing mail through nodemailer over SMTP (SMTP_URL, MAIL_FROM). One transport per process,
// made on first use. Sending happens only in the notice-send job, never inside a transaction.
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notice (<notice-ID@host>): a resend after a crash carries the same id, so mail clients fold it. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

const transports = new WeakMap<object, Mailer>();

/** The configured mailer, or null when SMTP_URL is unset (notices are then recorded as unsent-no-mailer). */
export function mailerFor(config: Readonly<Config>): Mailer | null {
  const mail = config.mail;
  if (!mail) return null;
  let mailer = transports.get(config);
  if (!mailer) {
    // nodemailer is loaded on the first send (~2 MB of heap that every garbage collection would mark).
    let transport: Transporter | null = null;
    mailer = {
      async send(m) {
        if (!transport) {
          const { default: nodemailer } = await import('nodemailer');
          transport = nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from: mail.from });
        }
        const info = await transport.sendMail({ to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers ?? {} });
        return { messageId: String(info.messageId ?? m.messageId) };
      },
    };
    transports.set(config, mailer);
  }
  return mailer;
}
