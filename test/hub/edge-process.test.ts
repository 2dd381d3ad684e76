/**
 * The HTTP edge against a real hub process (`npm run hub -- serve`), over real sockets: what inject cannot show.
 * A body that never ends, headers that never end, a request that is not HTTP, rate limits counted per client
 * address and per token — each answered in the API's JSON shape, with the connection closed where it should be.
 * Each scenario connects from its own loopback address (127.0.0.x), so that the per-address limits of one do not
 * leak into the next. Runs on embedded PostgreSQL, and on the PostgreSQL server when DATABASE_URL is set.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engineName } from './helpers/db.ts';
import { freePort } from './helpers/processes.ts';

const tsx = path.resolve('node_modules/.bin/tsx');
const REQUEST_TIMEOUT_MS = 2_000;
const FAILURES_PER_MINUTE = 5;
const TOKEN_REQUESTS_PER_MINUTE = 30;

interface RawAnswer {
  status: number | null;
  headers: Record<string, string>;
  body: any;
  text: string;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

/** Sends `chunks` (the last one may never come) on a fresh connection and collects what comes back. */
function raw(port: number, from: string, chunks: string[], opts: { waitMs: number; keepOpen?: boolean }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    let text = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const bodyText = rest.join('\r\n\r\n');
      let body: any = null;
      try {
        body = JSON.parse(bodyText);
      } catch {
        body = bodyText;
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]) || null, headers, body, text, closed, ms: performance.now() - started });
    };
    const timer = setTimeout(finish, opts.waitMs);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
    socket.on('data', (d) => (text += d));
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? ((closed = true), finish()) : reject(err)));
  });
}

const get = (port: number, from: string, url: string, token: string | null) =>
  raw(port, from, [`GET ${url} HTTP/1.1\r\nHost: hub\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}Connection: close\r\n\r\n`], { waitMs: 5_000 });

describe(`HTTP edge of a real hub process (${engineName})`, () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liaison-edge-'));
  let port = 0;
  let hub: ChildProcess;
  let token = '';
  let otherToken = '';
  let dropDatabase = async () => {};

  beforeAll(async () => {
    port = await freePort();
    let databaseUrl = '';
    if (process.env.DATABASE_URL) {
      // A database of its own on that server, dropped at the end.
      const fresh = await createTestDatabase();
      databaseUrl = fresh.url;
      dropDatabase = fresh.drop;
    }
    const env = {
      ...process.env,
      LIAISON_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HUB_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HUB_AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
      HUB_TOKEN_REQUESTS_PER_MINUTE: String(TOKEN_REQUESTS_PER_MINUTE),
    };
    const cli = (...args: string[]) => {
      const res = spawnSync(tsx, ['hub/cli.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 });
      expect(res.status, res.stderr).toBe(0);
      return res.stdout.trim().split('\n').pop()!.trim();
    };
    cli('create-team', '--name', 'Edge', '--domains', 'edge.example');
    token = cli('add-member', '--team', 'Edge', '--name', 'Eve Edge', '--email', 'eve@edge.example', '--department', 'it', '--role', 'admin');
    otherToken = cli('add-member', '--team', 'Edge', '--name', 'Olga Other', '--email', 'olga@edge.example', '--department', 'sales');
    hub = spawn(tsx, ['hub/cli.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    hub.stdout!.on('data', (d) => (out += d));
    hub.stderr!.on('data', (d) => (out += d));
    for (let i = 0; i < 600 && !/hub listening on/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/hub listening on/);
  }, 120_000);

  afterAll(async () => {
    if (hub && hub.exitCode === null) {
      const exited = new Promise((r) => hub.once('exit', r));
      hub.kill('SIGINT');
      await exited;
    }
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const expectOurError = (res: RawAnswer, status: number, code: string) => {
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  };

  it('closes a request whose body never ends with a 408, within the request timeout', async () => {
    const res = await raw(port, '127.0.0.2', [
      `POST /v1/lookup HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"emails": [`,
    ], { waitMs: REQUEST_TIMEOUT_MS + 8_000 });
    expectOurError(res, 408, 'request_timeout');
    expect(res.closed).toBe(true);
    expect(res.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(res.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5_000);
  });

  it('closes a request whose headers never end with a 408', async () => {
    const res = await raw(port, '127.0.0.3', ['GET /v1/me HTTP/1.1\r\nHost: hub\r\nX-Slow: '], { waitMs: REQUEST_TIMEOUT_MS + 8_000 });
    expectOurError(res, 408, 'request_timeout');
    expect(res.closed).toBe(true);
  });

  it('answers an unauthenticated request at once with 401, without waiting for its (endless) body, and closes', async () => {
    const res = await raw(port, '127.0.0.4', [
      'POST /v1/lookup HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 512000\r\n\r\n',
      '{'.repeat(64 * 1024),
    ], { waitMs: REQUEST_TIMEOUT_MS + 8_000 });
    expectOurError(res, 401, 'unauthorized');
    expect(res.closed).toBe(true);
    expect(res.ms).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it("answers what is not HTTP, and headers over Node's limit, in the API's shape", async () => {
    expectOurError(await raw(port, '127.0.0.5', ['NOT HTTP AT ALL\r\n\r\n'], { waitMs: 5_000 }), 400, 'bad_request');
    const huge = await raw(port, '127.0.0.5', [`GET /v1/me?${'x'.repeat(20_000)} HTTP/1.1\r\nHost: hub\r\n\r\n`], { waitMs: 5_000 });
    expectOurError(huge, 431, 'headers_too_large');
  });

  it('limits failed authentications per client address: 429 with Retry-After, for right and wrong tokens alike', async () => {
    for (let i = 0; i < FAILURES_PER_MINUTE; i++) expectOurError(await get(port, '127.0.0.6', '/v1/me', `lia_guess${i}`), 401, 'unauthorized');
    const limited = await get(port, '127.0.0.6', '/v1/me', 'lia_guess-again');
    expectOurError(limited, 429, 'too_many_failed_authentications');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectOurError(await get(port, '127.0.0.6', '/v1/me', token), 429, 'too_many_failed_authentications');
    // Another address is not held back by this one's failures.
    expect((await get(port, '127.0.0.7', '/v1/me', token)).status).toBe(200);
  });

  it('limits requests per token, whatever the address, and not the other tokens', async () => {
    for (let i = 0; i < TOKEN_REQUESTS_PER_MINUTE; i++) expect((await get(port, `127.0.1.${1 + (i % 5)}`, '/v1/me', otherToken)).status).toBe(200);
    const limited = await get(port, '127.0.1.9', '/v1/me', otherToken);
    expectOurError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(port, '127.0.1.9', '/v1/me', token)).status).toBe(200);
  });
});
