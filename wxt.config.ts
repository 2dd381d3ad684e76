import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { manifestFor } from './utils/manifest';

// See https://wxt.dev/api/config.html. The manifest's permissions live in utils/manifest.ts, where a unit test
// and scripts/check-manifest.ts pin them.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // The preset is typed against the root vite while WXT bundles its own copy; the plugin objects are the same.
  vite: () => ({ plugins: [preact()] as never }),
  manifest: ({ browser }) => manifestFor(browser),
});
