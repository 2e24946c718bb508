import { defineConfig } from 'vitest/config';

// Three projects: `unit` holds pure rules and adapters that need no database; `db` holds everything
// that runs against the database, so `npm run test:pg` can repeat exactly that half on PostgreSQL;
// `e2e` drives the built site in Debian Chromium against a real service.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/**/*.test.ts', 'storage/**/*.test.ts', 'tests/unit/**/*.test.ts', 'site/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // The database snapshot as for `db`, and the site built when site/dist is missing or stale.
          globalSetup: ['tests/support/global-setup.ts', 'tests/e2e/site-build.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
