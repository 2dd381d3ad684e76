/**
 * Hub load benchmark: seeds real PostgreSQL at two scales, on two servers — an external one (Debian's
 * PostgreSQL, tuned for the machine, as production would run it) and the embedded default (npm's PostgreSQL
 * in a data folder, as `npm start` runs it, settings as shipped) — starts the hub as its own process (the same
 * `serve` command production uses), and drives it from this process with autocannon over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../hub/db/index.ts';
import { migrate } from '../hub/db/migrate.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db } from '../hub/db/index.ts';
import { loadMigrations } from '../hub/db/migrate.ts';
import { addMember } from '../hub/repo/teams.ts';
import { attachEmbedded, recreateDatabase as recreateEmbeddedDatabase } from '../hub/db/embedded.ts';
import { recreateDatabase, seededWith, startPostgres, type PgServer } from './postgres.ts';
import { seedScale } from './seed-scale.ts';
import { craftedBatch } from '../test/fixtures/hostile-addresses.ts';

export interface HubFigure {
  engine: 'external' | 'embedded';
  scale: string;
  scenario: string;
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
}

export const SCALES = [
  { name: '10k contacts / 50k interactions', contacts: 10_000, interactions: 50_000, db: 'liaison_bench_10k' },
  { name: '1M contacts / 5M interactions', contacts: 1_000_000, interactions: 5_000_000, db: 'liaison_bench_1m' },
];

/**
 * Loads the tables and indexes a lookup and a timeline read into PostgreSQL's buffer cache, as a busy server
 * holds them; a 20-second run from a cold cache would measure the disk, not the hub. Skipped (and said so)
 * where the pg_prewarm extension is not installed.
 */
export async function prewarm(db: Db): Promise<string> {
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const rels = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')
         AND c.relname NOT LIKE 'interaction_loggers_ref%' AND c.relname NOT LIKE '%_email' AND c.relname <> 'idempotency_keys'`,
    );
    let blocks = 0;
    for (const r of rels) blocks += Number((await db.query<{ n: string }>('SELECT pg_prewarm($1::regclass) AS n', [r.name]))[0]!.n);
    return `${Math.round((blocks * 8) / 1024)} MB loaded into shared buffers`;
  } catch (err) {
    return `not available (${(err as Error).message})`;
  }
}

export async function startHub(db: { databaseUrl: string } | { dataDir: string }, port: number, workers: number): Promise<ChildProcess> {
  const where = 'databaseUrl' in db ? { DATABASE_URL: db.databaseUrl } : { DATABASE_URL: '', LIAISON_DATA_DIR: db.dataDir };
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['hub/cli.ts', 'serve', '--workers', String(workers)], {
    // One token drives thousands of requests a second: the per-token limit (600 a minute by default) is lifted,
    // since the benchmark measures what the hub can serve, not the limiter.
    env: { ...process.env, ...where, PORT: String(port), LOG_LEVEL: 'warn', HUB_DB_POOL: '8', HUB_TOKEN_REQUESTS_PER_MINUTE: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not up yet
    }
  }
  child.kill();
  throw new Error('hub did not start');
}

export function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function benchHub(opts: { duration: number; workers: number; scales?: string[]; engines?: string[]; log?: (s: string) => void }): Promise<HubFigure[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const figures: HubFigure[] = [];
  const scales = SCALES.filter((s) => !opts.scales || opts.scales.includes(s.db));
  if (!opts.engines || opts.engines.includes('external')) {
    const server = await startPostgres();
    try {
      for (const scale of scales) {
        log(`external PostgreSQL, ${scale.name}`);
        const url = await seeded(server, scale, log);
        figures.push(...(await drive('external', scale, url, { databaseUrl: url }, opts, log)));
      }
    } finally {
      server.stop();
    }
  }
  if (!opts.engines || opts.engines.includes('embedded')) {
    for (const scale of scales) {
      // One data folder per scale, as a team would have: the embedded server serves the database "liaison".
      const dataDir = path.resolve('.liaison-bench', `embedded-${scale.db}`);
      log(`embedded PostgreSQL (${dataDir}), ${scale.name}`);
      const server = await attachEmbedded(dataDir, 'liaison-bench');
      try {
        const url = await seeded({ url: server.url(), databaseUrl: () => server.url(), stop() {} }, scale, log, true);
        figures.push(...(await drive('embedded', scale, url, { dataDir }, opts, log)));
      } finally {
        await server.detach();
      }
    }
  }
  return figures;
}

/** A database holding the scale's data: reused when seeded by this generator and schema, else (re)seeded. */
export async function seeded(server: PgServer, scale: (typeof SCALES)[number], log: (s: string) => void, embedded = false): Promise<string> {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([loadMigrations().map((m) => m.checksum), readFileSync('bench/seed-scale.ts', 'utf8'), scale]))
    .digest('hex');
  const name = embedded ? 'liaison' : scale.db;
  if (await seededWith(server, name, fingerprint)) {
    log(`  reusing ${scale.name} (already seeded by this generator and schema)`);
    return server.databaseUrl(name);
  }
  log(`  seeding ${scale.name}…`);
  const url = embedded ? (await recreateEmbeddedDatabase(server.url), server.url) : await recreateDatabase(server, scale.db);
  const db = await openDatabase({ databaseUrl: url, poolSize: 2, statementTimeoutMs: 3_600_000 });
  try {
    await migrate(db);
    const started = Date.now();
    await seedScale(db, scale.contacts, scale.interactions, log);
    await db.query('CREATE TABLE bench_meta (key text PRIMARY KEY, value text)');
    await db.query("INSERT INTO bench_meta VALUES ('fingerprint', $1)", [fingerprint]);
    log(`  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.close();
  }
  return url;
}

async function drive(
  engine: HubFigure['engine'],
  scale: (typeof SCALES)[number],
  url: string,
  where: { databaseUrl: string } | { dataDir: string },
  opts: { duration: number; workers: number },
  log: (s: string) => void,
): Promise<HubFigure[]> {
  const figures: HubFigure[] = [];
  const db = await openDatabase({ databaseUrl: url, poolSize: 2, statementTimeoutMs: 3_600_000 });
  let seed: { teamId: string; token: string };
  let lo: string;
  try {
    const [team] = await db.query<{ id: string }>('SELECT id FROM teams ORDER BY id LIMIT 1');
    const runner = await addMember(db, team!.id, { name: 'Bench runner', email: `runner-${Date.now()}@bench-team.example`, department: 'sales', role: 'member' });
    seed = { teamId: team!.id, token: runner.token };
    log(`  prewarm: ${await prewarm(db)}`);
    lo = (await db.query<{ lo: string }>('SELECT min(id)::text AS lo FROM contacts WHERE team_id = $1', [seed.teamId]))[0]!.lo;
  } finally {
    await db.close();
  }
  const companies = Math.max(10, Math.floor(scale.contacts / 20));
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const hub = await startHub(where, port, opts.workers);
  try {
    const headers = { authorization: `Bearer ${seed.token}`, 'content-type': 'application/json' };
    const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
    const address = (n: number) => `c${n}@co${(n % companies) + 1}.example`;
    const scenarios: [string, autocannon.Request][] = [
      [
        'POST /v1/lookup, 10 addresses (8 known, 2 unknown)',
        {
          method: 'POST',
          path: '/v1/lookup',
          headers,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ emails: [...Array.from({ length: 8 }, () => address(rnd(scale.contacts))), `nobody${rnd(1e9)}@unknown.example`, `x${rnd(1e9)}@gmail.com`] }),
          }),
        },
      ],
      [
        'POST /v1/lookup, 500 crafted addresses, 500 KB (worst case)',
        { method: 'POST', path: '/v1/lookup', headers, body: JSON.stringify({ emails: craftedBatch() }) },
      ],
      [
        'GET /v1/contacts/:id/timeline, first page of 20',
        {
          method: 'GET',
          headers,
          setupRequest: (req) => ({ ...req, path: `/v1/contacts/${BigInt(lo) + BigInt(rnd(scale.contacts) - 1)}/timeline?limit=20` }),
        },
      ],
    ];
    for (const [scenario, request] of scenarios) {
      // Warm-up: connection pools, JIT, PostgreSQL's buffer cache.
      await load({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 3, requests: [request] });
      const r = await load({ url: `http://127.0.0.1:${port}`, connections: 10, duration: opts.duration, requests: [request] });
      const fig: HubFigure = {
        engine,
        scale: scale.name,
        scenario,
        p50: r.latency.p50,
        p99: r.latency.p99,
        rps: Math.round(r.requests.average),
        requests: r.requests.total,
        errors: r.errors + r.non2xx + r.timeouts,
      };
      log(`  ${scenario}: p50 ${fig.p50} ms, p99 ${fig.p99} ms, ${fig.rps} req/s, ${fig.errors} errors`);
      figures.push(fig);
    }
  } finally {
    hub.kill('SIGTERM');
    await Promise.race([once(hub, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  }
  return figures;
}
