/**
 * End-to-end harness: a real hub process (the same `start` command users run, on embedded PostgreSQL in a
 * temporary folder) and Debian's Chromium with the built extension loaded, driven by playwright-core.
 * Gmail is served at its real URLs from our fixtures by routing requests in the browser context.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { gmailShell, GMAIL_HEADERS, loadViews } from './gmail-shell.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

/**
 * Where a test's screenshot goes: the README's pictures in docs/screenshots when LIAISON_UPDATE_SCREENSHOTS=1
 * (so a plain `npm test` leaves the work tree clean), a temporary folder otherwise.
 */
export function screenshotPath(name: string): string {
  if (process.env.LIAISON_UPDATE_SCREENSHOTS === '1') return path.resolve('docs/screenshots', name);
  return path.join(os.tmpdir(), `liaison-e2e-${name}`);
}

/** Polls `check` until it holds; names what it waited for when it gives up. */
export async function waitFor(check: () => Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Hub {
  url: string;
  token: string;
  dataDir: string;
  /** What `npm start` printed the last time it started (the README's "Try it" quotes it). */
  readonly output: string;
  /** Starts (again) on the same port and data: a restart keeps everything. */
  start(): Promise<void>;
  stop(): Promise<void>;
  api(method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>): Promise<any>;
  dispose(): Promise<void>;
}

/**
 * `port` and `env`: a test that must know the hub's address before it starts (an identity provider's redirect URI),
 * or that points the hub elsewhere (HUBSPOT_API_BASE at the HubSpot stand-in).
 */
export async function startHub(opts: { port?: number; env?: Record<string, string> } = {}): Promise<Hub> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-hub-'));
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let token = '';
  let printed = '';
  const url = `http://127.0.0.1:${port}`;
  const hub: Hub = {
    url,
    get token() {
      return token;
    },
    get output() {
      return printed;
    },
    dataDir,
    async start() {
      child = spawn(path.resolve('node_modules/.bin/tsx'), ['hub/cli.ts', 'start', '--no-build'], {
        env: { ...process.env, PORT: String(port), LIAISON_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      for (let i = 0; i < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const m = /Demo token:\s+(lia_\S+)/.exec(out);
        if (m && /Press Ctrl-C/.test(out)) {
          token = m[1]!;
          printed = out;
          return;
        }
        if (child.exitCode !== null) break;
      }
      throw new Error(`hub did not start:\n${out}`);
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      child = null;
    },
    async api(method, p, body, tok, extra) {
      const res = await fetch(url + p, {
        method,
        headers: { authorization: `Bearer ${tok ?? token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return text ? JSON.parse(text) : null;
    },
    async dispose() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await hub.start();
  return hub;
}

export interface Browser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker(): Promise<Worker>;
  openGmail(hash: string, account?: number): Promise<Page>;
  optionsPage(): Promise<Page>;
  /** Kills the extension's service worker as Chrome does when it idles or crashes; it restarts on demand. */
  killServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { extraViews?: Record<string, string>; userDataDir?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's "chromium" package`);
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) throw new Error('extension not built: run `npm run build` first');
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-chrome-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // --headless=new below: the new headless mode runs extensions, the old one does not
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  });
  const shell = gmailShell(loadViews(opts.extraViews));
  await context.route('https://mail.google.com/**', (route) => route.fulfill({ status: 200, headers: GMAIL_HEADERS, body: shell }));
  // Anything else on Google's hosts (avatars, fonts) is not part of the test: answer empty, never the network.
  await context.route(/^https:\/\/(?!mail\.google\.com\/)[^/]*\.(google|gstatic|googleusercontent)\.com\//, (route) => route.fulfill({ status: 204, body: '' }));

  const findWorker = async (timeout = 15_000): Promise<Worker> => {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    return existing ?? (await context.waitForEvent('serviceworker', { timeout }));
  };
  // A second Chromium on two busy cores can take longer to start its worker; and one that never does must not be
  // left running (it would keep the test process alive until the runner's timeout).
  const sw = await findWorker(30_000).catch(async (error: unknown) => {
    await context.close().catch(() => undefined);
    if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  });
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    extensionId,
    serviceWorker: findWorker,
    async openGmail(hash, account = 0) {
      const page = await context.newPage();
      await page.goto(`https://mail.google.com/mail/u/${account}/${hash}`);
      return page;
    },
    async optionsPage() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/options.html`);
      return page;
    },
    async killServiceWorker() {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string; targetId: string }[] };
      for (const t of targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`))) {
        await cdp.send('Target.closeTarget', { targetId: t.targetId });
      }
      await cdp.detach();
    },
    async close() {
      await context.close();
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
