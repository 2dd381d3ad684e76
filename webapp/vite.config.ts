/**
 * Builds the web app (issue 13) into .output/webapp, which the hub serves at `/` (hub/web/register.ts).
 * Plain static files: hashed scripts and styles under assets/, no inline script (the hub's CSP forbids it).
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../.output/webapp', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script; every browser the web app supports has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: { proxy: { '/web': 'http://127.0.0.1:8787', '/auth': 'http://127.0.0.1:8787' } },
});
