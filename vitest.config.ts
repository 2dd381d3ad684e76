import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: the hub runs in plain Node against a real PostgreSQL server (the embedded one, or DATABASE_URL's);
// the extension's unit tests run with WXT's plugin (fake browser, auto-imports) and a DOM where needed.
export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one file at a time, but hub test files mostly wait (on child processes, on
    // PostgreSQL, on the timeouts they test) and each has a database of its own: three at once are safe and overlap
    // the waiting (the whole pass took half the time).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'hub',
          include: ['test/hub/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/hub/helpers/postgres.setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
