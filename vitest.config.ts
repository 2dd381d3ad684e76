import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: the hub runs in plain Node against a real PostgreSQL server (the embedded one, or DATABASE_URL's);
// the extension's unit tests run with WXT's plugin (fake browser, auto-imports) and a DOM where needed.
export default defineConfig({
  test: {
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
