import { pino, type Logger } from 'pino';

export type { Logger };

// One root logger; modules and requests take children. Redaction is a second fence: handlers never
// log bodies, and PII (names, emails, phones, addresses, passwords, tokens) has no place in a line.
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'shelfmark' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.email', '*.phone', '*.address'],
      censor: '[redacted]',
    },
  });
}
