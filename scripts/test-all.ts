/**
 * `npm test`: everything, in the order that fails fastest.
 *   1. type check (tsc --noEmit)
 *   2. unit + hub tests (vitest) on the embedded PostgreSQL server (real hub processes included)
 *   3. the hub API tests again on a real PostgreSQL server when DATABASE_URL is set (CI sets it)
 *   4. extension builds (Chrome MV3 and Firefox), the built manifest check, the web app's build
 *   5. end-to-end: the built extension in real Chromium against a real hub process
 * Ends with one line "N passed, N failed" summing every stage's tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = (name: string) => path.resolve('node_modules', '.bin', name);
let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = res.status === 0;
  console.log(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) failures.push(title);
  return ok;
}

function vitest(title: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'liaison-vitest-')), 'report.json');
  const ok = run(title, bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args], env);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } else if (!ok) failed += 1;
}

const typeOk = run('type check', bin('tsc'), ['--noEmit', '-p', '.']);
if (typeOk) passed += 1;
else failed += 1;

// The embedded pass must not inherit DATABASE_URL: both servers are tested, each on purpose.
vitest('unit and hub tests (embedded PostgreSQL)', [], { DATABASE_URL: '' });
if (process.env.DATABASE_URL) vitest('hub tests (PostgreSQL server)', ['--project', 'hub']);
else console.log('\n(DATABASE_URL not set: hub tests ran on the embedded PostgreSQL server only)');

const built =
  run('build extension (chrome-mv3)', bin('wxt'), ['build']) &&
  run('build extension (firefox)', bin('wxt'), ['build', '-b', 'firefox']) &&
  // The hub serves the web app from its build (issue 13): the end-to-end stage signs in through it.
  run('build web app', bin('vite'), ['build', '--config', 'webapp/vite.config.ts', '--logLevel', 'warn']);
if (built && existsSync('scripts/check-manifest.ts')) {
  if (run('built manifest check', bin('tsx'), ['scripts/check-manifest.ts'])) passed += 1;
  else failed += 1;
}
if (!built) failed += 1;

if (process.env.LIAISON_SKIP_E2E) console.log('\n(LIAISON_SKIP_E2E set: end-to-end tests skipped)');
else if (built && existsSync('test/e2e/run.ts')) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-')), 'summary.json');
  run('end-to-end (Chromium + hub)', bin('tsx'), ['test/e2e/run.ts'], { LIAISON_E2E_SUMMARY: out });
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')) as { passed: number; failed: number };
    passed += s.passed;
    failed += s.failed;
  } else failed += 1;
}

if (failures.length) console.log(`\nFailed stages: ${failures.join('; ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || failures.length > 0 ? 1 : 0;
