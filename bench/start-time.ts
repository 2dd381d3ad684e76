/**
 * How long `npm start` takes until the hub answers, on a fresh data folder (initdb, server start, migrations,
 * the demo team) and on an existing one (server start, migrations checked). The extension build `npm start`
 * also runs is left out (--no-build): it is the same on every start and not the hub's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface StartFigure {
  folder: 'fresh' | 'existing';
  runs: number;
  p50: number;
  p99: number;
}

function startOnce(dataDir: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['hub/cli.ts', 'start', '--no-build'], {
      env: { ...process.env, LIAISON_DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let ms = 0;
    child.stdout.on('data', (d) => {
      out += d;
      if (!ms && /Press Ctrl-C/.test(out)) {
        ms = performance.now() - started;
        child.kill('SIGINT');
      }
    });
    child.on('exit', () => (ms ? resolve(ms) : reject(new Error(`start did not finish:\n${out}`))));
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

export async function benchStartTime(runs = 5): Promise<StartFigure[]> {
  const fresh: number[] = [];
  const existing: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-start-'));
    try {
      const port = 19_000 + Math.floor(Math.random() * 1000);
      fresh.push(await startOnce(dir, port));
      existing.push(await startOnce(dir, port));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return [
    { folder: 'fresh', runs, p50: pct(fresh, 50), p99: pct(fresh, 99) },
    { folder: 'existing', runs, p50: pct(existing, 50), p99: pct(existing, 99) },
  ];
}
