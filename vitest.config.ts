import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: the hub runs in plain Node against real PostgreSQL (PGlite, or a server when DATABASE_URL is
// set); the extension's unit tests run with WXT's plugin (fake browser, auto-imports) and a DOM where needed.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'hub',
          include: ['test/hub/**/*.test.ts'],
          environment: 'node',
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
