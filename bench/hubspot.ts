/**
 * The HubSpot connector at the scale of a real account, against the HubSpot stand-in (test/fakes/hubspot.ts) in
 * this process, enforcing HubSpot's documented limits: a real hub process (`serve`, embedded PostgreSQL in a
 * temporary folder) connected to it as an admin would, then
 *
 * - the first import of 100,000 contacts and 500,000 engagements: wall time, requests, the fraction of the allowed
 *   request rate actually used, the most requests in any 10 s, and every 429;
 * - at steady state, the latency from a log (POST /v1/interactions) to its engagement arriving at HubSpot.
 *
 * The stand-in keeps everything in memory and serves the import's list pages pre-rendered, and its own time per
 * request is reported, so that it is seen not to be the bottleneck.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { listQuery } from '../hub/connectors/hubspot/connector.ts';
import { limitsFor, type HubSpotTier } from '../hub/connectors/hubspot/limits.ts';
import { FakeHubSpot, type ObjectType } from '../test/fakes/hubspot.ts';

export interface HubSpotBenchOptions {
  contacts: number;
  companies: number;
  /** Per engagement kind (emails, meetings, calls, notes, tasks). */
  engagementsPerKind: number;
  tier: HubSpotTier;
  /** Logs per second and how many, for the steady-state latency. */
  logRate: number;
  logs: number;
  /** Seconds between the import's end and the first log. */
  settleS: number;
  log?: (s: string) => void;
}

export interface HubSpotFigures {
  opts: HubSpotBenchOptions;
  limit: { per10s: number; perSecond: number; tier: HubSpotTier };
  generateS: number;
  pregeneratedPages: number;
  importWallS: number;
  phases: { name: string; seconds: number; requests: number }[];
  importRequests: number;
  importPages: number;
  floorS: number;
  rateUsed: number;
  maxIn10s: number;
  rejected429Import: number;
  rejected429Total: number;
  /** For each 429 of the burst limit: how much sooner than allowed the request came, ms. */
  earlyByMs: number[];
  imported: Record<string, number>;
  latency: { p50: number; p99: number; max: number; n: number; lost: number };
  fakeServiceMs: { p50: number; p99: number; n: number };
  /** How late the stand-in's process ran what was due (its event loop delay) during the import, ms. */
  fakeLagMs: { p50: number; p99: number; max: number };
  pageHits: number;
}

const ENGAGEMENTS = ['emails', 'meetings', 'calls', 'notes', 'tasks'] as const;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const node = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(...node(['hub/cli.ts', ...args]), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').pop()!.trim()) : reject(new Error(`${args.join(' ')} failed:\n${out}`))));
  });
}

/** Accounts of the size the benchmark names: owners, companies, contacts at them, engagements with those contacts. */
function seed(fake: FakeHubSpot, o: HubSpotBenchOptions): void {
  const owners = Array.from({ length: 20 }, (_, i) => fake.addOwner(i === 0 ? 'ada@bench.example' : `owner${i}@bench.example`, 'Owner', String(i)).id);
  // Every record was last modified weeks or years ago, as in an account in use: the first incremental cycle after
  // the import then finds only what changes meanwhile, not the whole account (search looks back from the import's start).
  const longAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const companies: string[] = [];
  for (let i = 0; i < o.companies; i++) companies.push(fake.create('companies', { name: `Company ${i}`, domain: `company${i}.example` }, {}, longAgo(30 + (i % 700))).id);
  const contacts: string[] = [];
  for (let i = 0; i < o.contacts; i++) {
    contacts.push(
      fake.create('contacts', {
        email: `person${i}@company${i % o.companies}.example`,
        firstname: 'Person',
        lastname: String(i),
        jobtitle: i % 3 === 0 ? 'Buyer' : 'Engineer',
        associatedcompanyid: companies[i % o.companies]!,
        hubspot_owner_id: owners[i % owners.length]!,
      }, {}, longAgo(30 + (i % 700))).id,
    );
  }
  const start = Date.now() - 2 * 365 * 86_400_000 - 30 * 86_400_000;
  for (const kind of ENGAGEMENTS) {
    for (let j = 0; j < o.engagementsPerKind; j++) {
      const c = (j * 7 + ENGAGEMENTS.indexOf(kind)) % o.contacts;
      const at = new Date(start + Math.floor((j / o.engagementsPerKind) * 2 * 365 * 86_400_000)).toISOString();
      const owner = owners[j % owners.length]!;
      const props: Record<string, string> =
        kind === 'emails' ? { hs_timestamp: at, hs_email_subject: `Quote ${j}`, hs_email_text: 'Sent the quote for next year.', hs_email_direction: 'EMAIL', hubspot_owner_id: owner }
        : kind === 'meetings' ? { hs_timestamp: at, hs_meeting_title: `Review ${j}`, hs_meeting_body: '<p>Agenda</p>', hs_meeting_start_time: at, hs_meeting_end_time: at, hs_meeting_outcome: 'COMPLETED', hubspot_owner_id: owner }
        : kind === 'calls' ? { hs_timestamp: at, hs_call_title: `Call ${j}`, hs_call_body: 'Talked about the renewal.', hubspot_owner_id: owner }
        : kind === 'notes' ? { hs_timestamp: at, hs_note_body: `Note ${j}: prefers email.`, hubspot_owner_id: owner }
        : { hs_timestamp: at, hs_task_subject: `Follow up ${j}`, hs_task_status: j % 2 ? 'COMPLETED' : 'NOT_STARTED', hubspot_owner_id: owner };
      fake.create(kind, props, { contacts: [contacts[c]!], companies: [companies[c % o.companies]!] }, at);
    }
  }
}

export async function benchHubSpot(o: HubSpotBenchOptions): Promise<HubSpotFigures> {
  const log = o.log ?? ((s: string) => console.log(s));
  const limits = limitsFor(o.tier);
  const fake = new FakeHubSpot({ burstLimit: limits.requestsPer10s, searchPerSecond: limits.searchPerSecond, keepLog: false, keepTimings: true });
  await fake.start();
  const g0 = performance.now();
  seed(fake, o);
  let pregeneratedPages = 0;
  for (const type of ['companies', 'contacts', ...ENGAGEMENTS] as ObjectType[]) pregeneratedPages += fake.pregenerate(type, listQuery(type as Exclude<ObjectType, never>));
  const generateS = (performance.now() - g0) / 1000;
  log(`  stand-in: ${o.contacts} contacts, ${o.companies} companies, ${o.engagementsPerKind * ENGAGEMENTS.length} engagements, ${pregeneratedPages} pages rendered in ${generateS.toFixed(1)} s`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-hubspot-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LIAISON_DATA_DIR: dir,
    DATABASE_URL: '',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    HUBSPOT_API_BASE: fake.url,
    LIAISON_SECRET_KEY: randomBytes(32).toString('base64'),
    // The benchmark's own polling and logs are one token's: the per-token limit is not what is measured.
    HUB_TOKEN_REQUESTS_PER_MINUTE: '0',
  };
  let hub: ChildProcess | null = null;
  try {
    await run(env, 'create-team', '--name', 'Bench Co', '--domains', 'bench.example');
    const token = await run(env, 'add-member', '--team', 'Bench Co', '--name', 'Ada Admin', '--email', 'ada@bench.example', '--department', 'sales', '--role', 'admin');
    hub = spawn(...node(['hub/cli.ts', 'serve']), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let hubOut = '';
    hub.stdout!.on('data', (d) => (hubOut += d));
    hub.stderr!.on('data', (d) => (hubOut += d));
    const url = `http://127.0.0.1:${port}`;
    const api = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(url + route, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : null;
    };
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error(`hub did not start:\n${hubOut}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // not yet
      }
      await sleep(100);
    }

    // ------------------------------------------------------------------------------------ the first import
    const connected = await api('PUT', '/v1/connectors/hubspot', { token: fake.token, tier: o.tier, historyDays: 0 });
    if (connected.state !== 'active') throw new Error(`not connected: ${JSON.stringify(connected)}`);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = performance.now();
    const r0 = fake.counts.total;
    const q0 = fake.counts.rejected429;
    const phases: { name: string; seconds: number; requests: number }[] = [];
    const groups: [string, string[]][] = [
      ['owners and companies', ['owners', 'companies']],
      ['contacts', ['contacts']],
      ['engagements (5 kinds at once)', [...ENGAGEMENTS]],
    ];
    let phaseStart = t0;
    let phaseRequests = r0;
    let status: any = connected;
    let lastLog = 0;
    for (;;) {
      await sleep(250);
      status = await api('GET', '/v1/connectors/hubspot');
      const done = new Set(status.streams.filter((s: any) => s.firstImportDone).map((s: any) => s.stream));
      while (phases.length < groups.length && groups[phases.length]![1].every((s) => done.has(s))) {
        const now = performance.now();
        phases.push({ name: groups[phases.length]![0], seconds: (now - phaseStart) / 1000, requests: fake.counts.total - phaseRequests });
        phaseStart = now;
        phaseRequests = fake.counts.total;
      }
      if (status.phase === 'incremental') break;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        const imported = status.streams.map((s: any) => `${s.stream} ${s.imported}`).join(', ');
        log(`  importing, ${((performance.now() - t0) / 1000).toFixed(0)} s: ${imported}; ${fake.counts.total - r0} requests, ${fake.counts.rejected429 - q0} × 429`);
      }
    }
    const importWallS = (performance.now() - t0) / 1000;
    lag.disable();
    const fakeLagMs = { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
    const importRequests = fake.counts.total - r0;
    const rejected429Import = fake.counts.rejected429 - q0;
    const imported = Object.fromEntries(status.streams.map((s: any) => [s.stream, s.imported as number]));
    const importPages = 1 + Math.ceil(o.companies / 100) + Math.ceil(o.contacts / 100) + ENGAGEMENTS.length * Math.ceil(o.engagementsPerKind / 100);
    const perSecond = limits.requestsPer10s / 10;
    log(`  first import: ${importWallS.toFixed(1)} s, ${importRequests} requests (${(importRequests / importWallS / perSecond).toFixed(3)} of the allowed rate), ${rejected429Import} × 429 (${fake.earlyByMs.map((x) => x.toFixed(0)).join(', ')} ms early); stand-in's event loop delay p99 ${fakeLagMs.p99.toFixed(0)} ms, max ${fakeLagMs.max.toFixed(0)} ms`);

    // ---------------------------------------------------------------------- steady state: log → engagement
    // The import's aftermath (PostgreSQL's checkpoint and autovacuum of 700,000 new rows) settles first.
    await sleep(o.settleS * 1000);
    const posted = new Map<string, number>();
    const arrived = new Map<string, number>();
    fake.onCreate = (type, obj) => {
      const subject = type === 'emails' ? obj.properties.hs_email_subject : null;
      if (subject && posted.has(subject) && !arrived.has(subject)) arrived.set(subject, performance.now());
    };
    const gap = 1000 / o.logRate;
    const started = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let n = 0; n < o.logs; n++) {
      const due = started + n * gap;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const k = (n * 7919) % o.contacts;
      const subject = `Bench log ${n}`;
      posted.set(subject, performance.now());
      sends.push(
        api('POST', '/v1/interactions', {
          kind: 'email', occurredAt: new Date().toISOString(), subject, sourceSite: 'gmail', sourceRef: `bench-thread-${n}`,
          participants: [{ email: `person${k}@company${k % o.companies}.example` }, { email: 'ada@bench.example' }],
        }, { 'idempotency-key': `bench-log-${n}-${randomBytes(4).toString('hex')}` }),
      );
    }
    await Promise.all(sends);
    const deadline = performance.now() + 120_000;
    while (arrived.size < posted.size && performance.now() < deadline) await sleep(200);
    const latencies = [...arrived].map(([s, at]) => at - posted.get(s)!);
    const slow = [...arrived].filter(([s, at]) => at - posted.get(s)! > 200).map(([s, at]) => `${((posted.get(s)! - started) / 1000).toFixed(1)} s: ${(at - posted.get(s)!).toFixed(0)} ms`);
    if (slow.length) log(`  slow logs (time into the phase: latency): ${slow.join(', ')}`);
    log(`  log → engagement: p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms (${latencies.length} of ${posted.size})`);

    return {
      opts: o,
      limit: { per10s: limits.requestsPer10s, perSecond, tier: o.tier },
      generateS,
      pregeneratedPages,
      importWallS,
      phases,
      importRequests,
      importPages,
      floorS: importPages / perSecond,
      rateUsed: importRequests / importWallS / perSecond,
      maxIn10s: fake.maxIn10s,
      rejected429Import,
      rejected429Total: fake.counts.rejected429,
      earlyByMs: fake.earlyByMs,
      imported,
      latency: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies), n: latencies.length, lost: posted.size - arrived.size },
      fakeServiceMs: { p50: pct(fake.serviceMs, 50), p99: pct(fake.serviceMs, 99), n: fake.serviceMs.length },
      fakeLagMs,
      pageHits: fake.pageHits,
    };
  } finally {
    if (hub && hub.exitCode === null) {
      const exited = new Promise((r) => hub!.once('exit', r));
      hub.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The BENCHMARKS.md section, in the style of bench/run.ts's others. */
export function hubspotSection(f: HubSpotFigures, ctx: { today: string; machine: string; command: string }): string {
  const o = f.opts;
  const engagements = o.engagementsPerKind * ENGAGEMENTS.length;
  const imported = Object.entries(f.imported).map(([k, v]) => `${k} ${n(v)}`).join(', ');
  return `## HubSpot connector (${ctx.today})

Command: \`${ctx.command}\`. Machine: ${ctx.machine}.
A real hub process (\`npm run hub -- serve\`, embedded PostgreSQL in a new temporary folder, fsync on) connected by the
admin route to the HubSpot stand-in (test/fakes/hubspot.ts) in the benchmark process, which enforces HubSpot's
documented limits for a **${o.tier}** private app — **${f.limit.per10s} requests in any rolling 10 s** (429 with Retry-After
beyond it), CRM search 4 per second — and keeps the account in memory: ${n(o.contacts)} contacts at ${n(o.companies)} companies
with 20 owners, and ${n(engagements)} engagements (${n(o.engagementsPerKind)} each of emails, meetings, calls, notes, tasks),
each with a contact and its company; its ${n(f.pregeneratedPages)} list pages are rendered before the hub connects (made in
${f.generateS.toFixed(0)} s). Hub, PostgreSQL, the stand-in and the benchmark share the same cores. The connection sends no history
(\`historyDays: 0\`), so the import and the logs below are all the traffic.

| figure | measured |
|---|---|
| first import, from connect to the last stream done | **${f.importWallS.toFixed(0)} s** (${(f.importWallS / 60).toFixed(1)} min) |
| requests during the import | ${n(f.importRequests)}, for ${n(f.importPages)} list pages of 100; the fewest possible at ${f.limit.perSecond}/s take ${f.floorS.toFixed(0)} s |
| fraction of the allowed rate used (requests ÷ (wall time × ${f.limit.perSecond}/s)) | **${f.rateUsed.toFixed(3)}** |
| most requests the stand-in counted in any 10 s (the whole run) | ${f.maxIn10s} of ${f.limit.per10s} |
| 429 answers | ${f.rejected429Import} during the import, ${f.rejected429Total} in the whole run${f.earlyByMs.length ? ` (sent ${f.earlyByMs.map((x) => x.toFixed(0)).join(', ')} ms sooner than allowed)` : ''} |
| imported into Liaison | ${imported} |
| log → its engagement at HubSpot, steady state | **p99 ${ms(f.latency.p99)} ms, median ${ms(f.latency.p50)} ms** (n=${f.latency.n}, ${o.logRate} logs/s; slowest ${ms(f.latency.max)} ms${f.latency.lost ? `; ${f.latency.lost} never arrived` : ''}) |
| the stand-in's own time per request | p99 ${f.fakeServiceMs.p99.toFixed(2)} ms, median ${f.fakeServiceMs.p50.toFixed(2)} ms (n=${n(f.fakeServiceMs.n)}; ${n(f.pageHits)} pages served pre-rendered) |
| the stand-in's event loop delay during the import (how late it counts a request that arrived) | p99 ${f.fakeLagMs.p99.toFixed(0)} ms, median ${f.fakeLagMs.p50.toFixed(0)} ms, at most ${f.fakeLagMs.max.toFixed(0)} ms |

By phase of the import:

| phase | seconds | requests | requests/s |
|---|---|---|---|
${f.phases.map((p) => `| ${p.name} | ${p.seconds.toFixed(1)} | ${n(p.requests)} | ${(p.requests / p.seconds).toFixed(1)} |`).join('\n')}

How: the import is timed from the admin's \`PUT /v1/connectors/hubspot\` answering to \`GET /v1/connectors/hubspot\`
saying \`phase: incremental\` (polled every 250 ms); requests are the ones the stand-in received in between. The rate
used is against HubSpot's own allowance (${f.limit.per10s} per 10 s): an empty window lets the first ${f.limit.per10s} go at once, and from
then on the hub keeps 100 ms of margin on each 10 s window, so its own ceiling is ${(f.limit.per10s / 10.1 / f.limit.perSecond).toFixed(3)} of the rate over a long
import.${f.earlyByMs.length ? ` A 429 means the stand-in counted a request sooner than the hub did by more than that margin, which its
own event-loop delay (above) sometimes is; every hub process then waits out the Retry-After once.` : ''} The latency is from sending
\`POST /v1/interactions\` (one email with one imported contact, ${o.logRate} a second, ${n(o.logs)} in all, starting ${o.settleS} s after the
import, while the hub's incremental sync runs each minute) to the stand-in receiving the engagement's create, on one
clock: the outbox row written with the log, NOTIFY to the relay, the pg-boss job, one request from the shared budget.
HubSpot itself adds its own network time and processing.
`;
}
