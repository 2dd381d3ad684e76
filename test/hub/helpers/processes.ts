/**
 * Real hub processes for the tests that need them: `start`, `serve` and CLI commands as an administrator runs
 * them (`npx tsx hub/cli.ts …`), each on a data folder of the test's, on the embedded PostgreSQL server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../../../hub/db/embedded.ts';

// node itself with tsx's loader, not the tsx binary: that one runs the script in a child process, and a test
// that kills the hub with SIGKILL must kill the process that holds the port and the database connections.
const node = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

export function tempDataDir(prefix = 'liaison-proc-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function envFor(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LIAISON_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', LIAISON_SKIP_BUILD: '1', ...extra };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
  /** The last line of stdout: where a command prints what a script needs (a token, an id). */
  last: string;
}

/** Runs one CLI command to its end (asynchronously, so a hub in this test process keeps answering). */
export function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  return cliWithEnv(dataDir, {}, ...args);
}

/** The same, with more environment (e.g. HUBSPOT_API_BASE for the `hubspot` commands). */
export function cliWithEnv(dataDir: string, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(...node(['hub/cli.ts', ...args]), { env: envFor(dataDir, env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = out.trim().split('\n');
      resolve({ code, out, err, last: lines[lines.length - 1]!.trim() });
    });
  });
}

export interface HubProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code and how long the exit took, ms. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `start --no-build` or `serve` and waits until it answers /healthz. */
export async function startHub(dataDir: string, command: 'start' | 'serve', opts: { port?: number; env?: Record<string, string> } = {}): Promise<HubProcess> {
  const port = opts.port ?? (await freePort());
  const args = command === 'start' ? ['hub/cli.ts', 'start', '--no-build'] : ['hub/cli.ts', 'serve'];
  const child = spawn(...node(args), { env: envFor(dataDir, { PORT: String(port), ...opts.env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (gone) throw new Error(`hub exited before answering:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub did not answer within 90 s:\n${out}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok && (command === 'serve' || /Press Ctrl-C/.test(out))) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (!gone) child.kill(signal);
      const res = await exited;
      return { ...res, ms: Date.now() - started };
    },
  };
}

export async function api(url: string, token: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** The embedded server's postmaster pid for a data folder, or null when none runs. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return processAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export async function waitUntil(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** A connection URL to a data folder's running embedded server, for checking what is really stored. */
export function embeddedUrl(dataDir: string): string {
  const port = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  return `postgres://liaison:${encodeURIComponent(password)}@127.0.0.1:${port}/liaison`;
}
