import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

// Issue 6 settings: analytics retention, SMTP for notices, Stripe, bookstore links.
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('analytics, mail, payments and bookstore settings', () => {
  it('defaults: two years of raw events, no mailer, no Stripe, the two default bookstores', () => {
    const c = loadConfig({});
    expect(c.analytics).toEqual({ retentionDays: 730 });
    expect(c.mail).toBeNull();
    expect(c.notices).toEqual({ dueSoonDays: 2 });
    expect(c.stripe).toBeNull();
    expect(c.bookstoreLinks.map((l) => l.name)).toEqual(['Bookshop', 'Open Library']);
  });

  it('reads SMTP, Stripe (with a test API base) and links', () => {
    const c = loadConfig({
      SMTP_URL: 'smtp://mail.example.org:587', MAIL_FROM: 'Library <library@example.org>', ANALYTICS_RETENTION_DAYS: '365', NOTICE_DUE_SOON_DAYS: '0',
      STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111', STRIPE_CURRENCY: 'EUR',
      BOOKSTORE_LINKS: 'none',
    });
    expect(c.mail).toEqual({ smtpUrl: 'smtp://mail.example.org:587', from: 'Library <library@example.org>' });
    expect(c.analytics.retentionDays).toBe(365);
    expect(c.notices.dueSoonDays).toBe(0);
    expect(c.stripe).toEqual({ secretKey: 'sk_test_123', webhookSecret: 'whsec_abc', api: { host: '127.0.0.1', port: 12111, protocol: 'http' }, currency: 'eur' });
    expect(c.bookstoreLinks).toEqual([]);
  });

  it('names every inconsistent setting', () => {
    expect(problems({ SMTP_URL: 'smtp://mail.example.org' })).toEqual([expect.stringMatching(/^MAIL_FROM: required/)]);
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_123' })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/)]);
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_BASE: 'http://stripe.example.org' })).toEqual([expect.stringMatching(/^STRIPE_API_BASE: must be https/)]);
    expect(problems({ BOOKSTORE_LINKS: 'Shop=https://shop.example/' })).toEqual([expect.stringMatching(/^BOOKSTORE_LINKS: .*\{isbn13\}/)]);
    expect(problems({ SMTP_URL: 'http://mail.example.org' })[0]).toMatch(/^SMTP_URL/);
    expect(problems({ ANALYTICS_RETENTION_DAYS: '0' })[0]).toMatch(/^ANALYTICS_RETENTION_DAYS/);
  });
});
