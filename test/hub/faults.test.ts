/**
 * Faults end in a clear answer and lose nothing, with real processes:
 *  - the hub killed with SIGKILL mid-stream, then the embedded PostgreSQL killed with SIGKILL: every write the
 *    hub acknowledged is stored, none twice (writers retry with the same idempotency key, like the outbox);
 *  - the database stopped: 503 with Retry-After and /healthz saying so, then recovery without restarting the
 *    hub (the embedded server is brought back by the hub; an external one when it returns);
 *  - SIGTERM ends the hub within a few seconds, also while its database is away.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { attachEmbedded, embeddedPaths, stopServer } from '../../hub/db/embedded.ts';
import { api, cli, embeddedUrl, postmasterPid, startHub, tempDataDir, waitUntil, type HubProcess } from './helpers/processes.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function teamWithToken(dataDir: string): Promise<string> {
  expect((await cli(dataDir, 'create-team', '--name', 'Faults', '--domains', 'faults.example')).code).toBe(0);
  const member = await cli(dataDir, 'add-member', '--team', 'Faults', '--name', 'Fay', '--email', 'fay@faults.example', '--department', 'support');
  expect(member.code).toBe(0);
  return member.last;
}

/**
 * Writers that behave like the extension's outbox: each write keeps its idempotency key until the hub
 * acknowledges it; a refused connection or a 503 means "try again shortly". Anything else fails the test.
 */
function startWriters(hub: () => string, token: string, count: number) {
  const acked = new Set<string>();
  const attempted = new Set<string>();
  const statuses = new Map<number, number>();
  let next = 0;
  let stop = false;
  const one = async () => {
    while (!stop && next < count) {
      const key = `write-key-${next++}`;
      attempted.add(key);
      for (;;) {
        try {
          const res = await api(hub(), token, 'POST', '/v1/interactions', {
            kind: 'note',
            occurredAt: '2026-11-20T10:00:00Z',
            subject: `Acknowledged ${key}`,
            sourceRef: key,
            participants: [{ email: 'customer@survivor.example', name: 'Sam Survivor' }],
          }, { 'idempotency-key': key });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200 || res.status === 201) {
            acked.add(key);
            break;
          }
          if (res.status !== 503) throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        } catch (err) {
          if (!/fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(String((err as Error).cause ?? err))) throw err;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  let failure: unknown = null;
  const running = Promise.all(Array.from({ length: 4 }, one)).catch((err) => {
    failure = err;
    throw err;
  });
  running.catch(() => {});
  return {
    /** Acknowledged so far; throws as soon as a writer met something other than 2xx, 503 or a refused connection. */
    ackedAtLeast: (n: number) => {
      if (failure) throw failure;
      return acked.size >= n;
    },
    acked,
    attempted,
    statuses,
    finish: async () => {
      await running;
    },
    halt: () => {
      stop = true;
    },
  };
}

async function storedWrites(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (
      await client.query<{ ref: string; interactions: number; loggers: number }>(
        `SELECT il.source_ref AS ref, count(DISTINCT il.interaction_id)::int AS interactions, count(*)::int AS loggers
           FROM interaction_loggers il WHERE il.source_ref LIKE 'write-%' GROUP BY il.source_ref`,
      )
    ).rows;
    const [{ n }] = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM interactions WHERE subject LIKE 'Acknowledged write-%'")).rows as [{ n: number }];
    return { byRef: new Map(rows.map((r) => [r.ref, r])), interactions: n };
  } finally {
    await client.end();
  }
}

describe.skipIf(!!process.env.DATABASE_URL)('faults on the embedded server (real processes)', () => {
  it('loses and doubles no acknowledged write across SIGKILL of the hub and of PostgreSQL', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const token = await teamWithToken(dataDir);
    // The writers are one token sending hundreds of requests a minute: the per-token limit is not what is tested.
    const env = { HUB_TOKEN_REQUESTS_PER_MINUTE: '0' };
    let hub: HubProcess = await startHub(dataDir, 'serve', { env });
    const port = hub.port;
    const writers = startWriters(() => hub.url, token, 600);

    await waitUntil(() => writers.ackedAtLeast(100), 60_000, '100 acknowledged writes');
    hub.child.kill('SIGKILL');
    await hub.stop();
    // The server outlives a killed hub; the next hub attaches to it.
    const server = postmasterPid(dataDir);
    expect(server).not.toBeNull();
    hub = await startHub(dataDir, 'serve', { port, env });
    expect(hub.output()).toMatch(new RegExp(`already running as process ${server}`));

    await waitUntil(() => writers.ackedAtLeast(250), 60_000, '250 acknowledged writes');
    process.kill(server!, 'SIGKILL');
    // The hub notices, answers 503 meanwhile, and starts PostgreSQL again by itself.
    await waitUntil(() => {
      const now = postmasterPid(dataDir);
      return now !== null && now !== server;
    }, 60_000, 'the hub to restart PostgreSQL').catch((err) => {
      throw new Error(`${(err as Error).message}\n--- hub:\n${hub.output()}\n--- server log:\n${readFileSync(path.join(dataDir, 'pg.log'), 'utf8').slice(-3000)}`);
    });
    await writers.finish();

    expect(writers.acked.size).toBe(600);
    // The faults were felt (503s while PostgreSQL was away), and never as a 500.
    expect(writers.statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(writers.statuses.get(500)).toBeUndefined();
    const stored = await storedWrites(embeddedUrl(dataDir));
    for (const key of writers.acked) expect(stored.byRef.get(key), key).toMatchObject({ interactions: 1, loggers: 1 });
    expect(stored.interactions).toBe(writers.acked.size);
    const stopped = await hub.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);
    expect(postmasterPid(dataDir)).toBeNull();
  }, 240_000);

  it('answers 503 with Retry-After when its PostgreSQL is stopped, and recovers without a restart', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const token = await teamWithToken(dataDir);
    const hub = await startHub(dataDir, 'serve');
    try {
      expect((await api(hub.url, token, 'GET', '/v1/me')).status).toBe(200);
      await stopServer(embeddedPaths(dataDir), 'fast');
      const during = await api(hub.url, token, 'GET', '/v1/me');
      expect(during.status).toBe(503);
      expect(during.body.error.code).toBe('database_unavailable');
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
      // Back by itself: the hub starts the embedded server again.
      await waitUntil(async () => (await api(hub.url, token, 'GET', '/v1/me')).status === 200, 30_000, 'the hub to recover');
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    } finally {
      const stopped = await hub.stop('SIGTERM');
      expect(stopped.ms).toBeLessThan(5_000);
    }
  }, 120_000);

  it('on an external server: 503 and /healthz 503 for as long as it is down, back when it returns, SIGTERM still quick', async () => {
    // An external server for this test alone (the embedded binaries, run as a separate server): stopping
    // DATABASE_URL's server in CI would break the other test files.
    const serverDir = mkdtempSync(path.join(os.tmpdir(), 'liaison-external-'));
    const hubDir = tempDataDir();
    dirs.push(serverDir, hubDir);
    const server = await attachEmbedded(serverDir, 'liaison-test');
    const env = { DATABASE_URL: server.url() };
    const hub = await startHub(hubDir, 'serve', { env });
    try {
      const [team] = (await (async () => {
        const c = new pg.Client({ connectionString: server.url() });
        await c.connect();
        const { createTeam, addMember } = await import('../../hub/repo/teams.ts');
        const q = { query: async (sql: string, p?: unknown[]) => (await c.query(sql, p as unknown[])).rows, exec: async (sql: string) => void (await c.query(sql)) };
        const id = await createTeam(q, 'External', ['external.example']);
        const added = await addMember(q, id, { name: 'Ed', email: 'ed@external.example', department: 'it', role: 'member' });
        await c.end();
        return [added.token];
      })()) as [string];
      expect((await api(hub.url, team, 'GET', '/v1/me')).status).toBe(200);

      await stopServer(embeddedPaths(serverDir), 'fast');
      for (let i = 0; i < 3; i++) {
        const during = await api(hub.url, team, 'POST', '/v1/lookup', { emails: ['x@customer.example'] });
        expect(during.status).toBe(503);
        expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
        const health = await fetch(`${hub.url}/healthz`);
        expect(health.status).toBe(503);
        expect((await health.json()).database).toBe('unreachable');
        await new Promise((r) => setTimeout(r, 500));
      }
      await server.ensureRunning();
      await waitUntil(async () => (await api(hub.url, team, 'GET', '/v1/me')).status === 200, 30_000, 'the hub to reconnect');
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

      await stopServer(embeddedPaths(serverDir), 'fast');
      expect((await api(hub.url, team, 'GET', '/v1/me')).status).toBe(503);
    } finally {
      const stopped = await hub.stop('SIGTERM');
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(5_000);
      await server.ensureRunning().catch(() => {});
      await server.detach();
    }
  }, 120_000);
});
