/**
 * Runs every `test/e2e/*.e2e.ts` with Node's test runner, one file at a time (each starts its own hub and
 * Chromium: two at once would only fight over two cores). Prints the spec report and, for `npm test`, writes
 * the pass/fail counts to LIAISON_E2E_SUMMARY.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const only = process.argv.slice(2);
const files = readdirSync('test/e2e')
  .filter((f) => f.endsWith('.e2e.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => path.resolve('test/e2e', f));

let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: 1, timeout: 240_000 });
stream.on('test:pass', (t) => {
  if (t.details?.type !== 'suite' && t.nesting >= 1) passed++;
});
stream.on('test:fail', (t) => {
  if (t.details?.type !== 'suite' && t.nesting >= 1) failed++;
});
stream.compose(new spec()).pipe(process.stdout);
stream.on('end', () => {
  if (process.env.LIAISON_E2E_SUMMARY) writeFileSync(process.env.LIAISON_E2E_SUMMARY, JSON.stringify({ passed, failed }));
  console.log(`\nend-to-end: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
});
