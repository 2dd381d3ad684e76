/**
 * `npm run bench -- --only reports`: every team report route (issue 14), the customer pages, and the lookup and
 * timeline for reference, at a million contacts and five million interactions on the external PostgreSQL server —
 * once through the hub (autocannon over loopback) and once as the same SQL statements run directly by pgbench. The
 * ratio of the two throughputs says what the hub adds on top of PostgreSQL (the goal: ≥ 0.8).
 *
 * "The same statements" is literal: each scenario's repository function is run once against a recording
 * connection, and the statements it sent, with their parameters, become the pgbench script — so what pgbench runs
 * cannot drift from what the hub runs. pgbench uses prepared statements and generic plans, as the hub's pool does
 * (hub/db/index.ts). Both sides use the same fixed, representative parameters (a quarter up to now, one contact,
 * one company, one address list) and the same number of connections: 10 for the lookup and the timeline (what every
 * extension asks), 2 for a report or a customer page (a page a person opens; one per core). The embedded server ships no pgbench, so this runs on
 * the external server only.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import type { Principal } from '../hub/auth.ts';
import { openDatabase, type Queryable } from '../hub/db/index.ts';
import { lookupJson } from '../hub/repo/contacts.ts';
import { companyPage, companyTimeline, searchCustomers } from '../hub/repo/customers.ts';
import { accountSections, adoptionReport, attentionReport, forgetSnapshots, meetingsReport, type ReportFilter } from '../hub/repo/insights.ts';
import { timeline } from '../hub/repo/interactions.ts';
import { addMember } from '../hub/repo/teams.ts';
import { load, prewarm, SCALES, seeded, startHub } from './hub.ts';
import { startPostgres } from './postgres.ts';

export interface ReportFigure {
  scenario: string;
  connections: number;
  statements: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  /** pgbench: the same statements, transactions (one per request) a second. */
  pgTps: number | null;
  pgLatencyMs: number | null;
  ratio: number | null;
}

export interface ReportsRun {
  figures: ReportFigure[];
  scale: string;
  coldAccountsMs: number;
  notes: string[];
}

interface Recorded {
  sql: string;
  params: unknown[];
}

/** A connection that runs statements and remembers them (text and parameters), to hand pgbench the same. */
function recorder(db: Queryable): Queryable & { seen: Recorded[] } {
  const seen: Recorded[] = [];
  return {
    seen,
    async query(sql, params) {
      seen.push({ sql, params: params ?? [] });
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
}

/** A parameter as pgbench passes it (text); arrays as PostgreSQL array literals. */
function pgText(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  return String(value);
}

/**
 * The pgbench script for recorded statements: `$n` becomes `:sXpn` (set with -D). pgbench cannot pass a NULL, so a
 * NULL parameter becomes `NULLIF(:sXpn, 'NULL')` cast to the type the statement gives it, set to 'NULL' — still a
 * parameter to the planner, so the plan is the generic one the hub gets.
 */
function pgbenchScript(statements: Recorded[]): { script: string; defines: string[] } {
  const defines: string[] = [];
  const script = statements
    .map((st, i) => {
      let sql = st.sql;
      for (let n = st.params.length; n >= 1; n--) {
        const name = `s${i}p${n}`;
        const value = st.params[n - 1];
        const isNull = value === null || value === undefined;
        const type = new RegExp(`\\$${n}::([a-z]+(?:\\[\\])?)`).exec(sql)?.[1] ?? 'text';
        sql = sql.replace(new RegExp(`\\$${n}(?![0-9])`, 'g'), isNull ? `(NULLIF(:${name}, 'NULL')::${type})` : `:${name}`);
        defines.push('-D', `${name}=${isNull ? 'NULL' : pgText(value)}`);
      }
      return `${sql.trim()};\n`;
    })
    .join('\n');
  return { script, defines };
}

function pgbenchBinary(): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(a) - Number(b)).pop()!;
  return path.join(root, version, 'bin', 'pgbench');
}

function runPgbench(url: string, statements: Recorded[], seconds: number, clients: number): { tps: number; latencyMs: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-pgbench-'));
  try {
    const { script, defines } = pgbenchScript(statements);
    const file = path.join(dir, 'script.sql');
    writeFileSync(file, script);
    const u = new URL(url);
    const args = ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), ...defines, '-f', file];
    const env = { ...process.env, PGOPTIONS: '-c plan_cache_mode=force_generic_plan' };
    spawnSync(pgbenchBinary(), [...args, '-T', '3', u.pathname.slice(1)], { env, encoding: 'utf8' }); // warm-up
    const res = spawnSync(pgbenchBinary(), [...args, '-T', String(seconds), u.pathname.slice(1)], { env, encoding: 'utf8' });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(res.stdout);
    const lat = /latency average = ([\d.]+) ms/.exec(res.stdout);
    if (!tps || res.status !== 0) throw new Error(`pgbench failed: ${res.stderr || res.stdout}`);
    return { tps: Number(tps[1]), latencyMs: Number(lat?.[1] ?? NaN) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchReports(opts: { duration: number; scale?: string; log?: (s: string) => void }): Promise<ReportsRun> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const scale = SCALES.find((s) => s.db === (opts.scale ?? 'liaison_bench_1m'))!;
  const server = await startPostgres();
  const notes: string[] = [];
  try {
    log(`reports: external PostgreSQL, ${scale.name}`);
    const url = await seeded(server, scale, log);
    const db = await openDatabase({ databaseUrl: url, poolSize: 2, statementTimeoutMs: 3_600_000 });
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const from = new Date(Date.parse(to) - 91 * 86_400_000).toISOString();
    const quarter: ReportFilter = { from, to, department: null, member: null };
    let token = '';
    let coldAccountsMs = 0;
    const scenarios: { name: string; request: autocannon.Request; statements: Recorded[]; connections: number }[] = [];
    try {
      const [team] = await db.query<{ id: string }>('SELECT id FROM teams ORDER BY id LIMIT 1');
      const teamId = team!.id;
      // An admin: the adoption report is everyone's for admins and leadership only.
      const runner = await addMember(db, teamId, { name: 'Bench runner', email: `runner-${Date.now()}@bench-team.example`, department: 'leadership', role: 'admin' });
      token = runner.token;
      const who: Principal = { tokenId: runner.tokenId, teamId, memberId: runner.member.id, name: runner.member.name, email: runner.member.email, department: 'leadership', role: 'admin' };
      // As in a database autovacuum keeps: the visibility map set, so the report scans are index-only.
      await db.query('VACUUM (ANALYZE)');
      log(`  prewarm: ${await prewarm(db)}`);
      // The account sections of "needs attention", computed from scratch once (then kept for 10 minutes).
      await forgetSnapshots(db, teamId);
      const t0 = performance.now();
      await accountSections(db, teamId);
      coldAccountsMs = Math.round(performance.now() - t0);
      log(`  attention's account sections, computed cold: ${coldAccountsMs} ms`);

      const [lo] = await db.query<{ lo: string }>('SELECT min(id)::text AS lo FROM contacts WHERE team_id = $1', [teamId]);
      const contactId = String(BigInt(lo!.lo) + BigInt(Math.floor(scale.contacts / 8) + 1));
      const [company] = await db.query<{ company_id: string }>('SELECT company_id::text FROM contacts WHERE id = $1', [contactId]);
      const companies = Math.max(10, Math.floor(scale.contacts / 20));
      const emails = [...Array.from({ length: 8 }, (_, i) => 1 + ((i * 104_729 + 7) % scale.contacts)).map((n) => `c${n}@co${(n % companies) + 1}.example`), 'nobody@unknown.example', 'x123@gmail.com'];
      const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      // The lookup and the timeline are what every extension asks many times a minute: 10 at a time, as in the hub
      // section. A report or a customer page is a page a person opens: 2 at a time (one per core).
      const add = async (name: string, request: autocannon.Request, run: (rec: Queryable) => Promise<unknown>) => {
        const rec = recorder(db);
        await run(rec);
        scenarios.push({ name, request: { headers, ...request }, statements: rec.seen, connections: /\/v1\/(lookup|contacts)/.test(name) ? 10 : 2 });
      };
      await add('POST /v1/lookup, 10 addresses (8 known, 2 unknown)', { method: 'POST', path: '/v1/lookup', body: JSON.stringify({ emails }) }, (rec) => lookupJson(rec, teamId, emails));
      await add('GET /v1/contacts/:id/timeline, first page of 20', { method: 'GET', path: `/v1/contacts/${contactId}/timeline?limit=20` }, (rec) => timeline(rec, teamId, contactId, 20));
      await add('GET /v1/reports/adoption, a quarter, everyone', { method: 'GET', path: `/v1/reports/adoption?${q({ from, to })}` }, (rec) => adoptionReport(rec, who, quarter));
      await add('GET /v1/reports/meetings, a quarter, everyone', { method: 'GET', path: `/v1/reports/meetings?${q({ from, to })}` }, (rec) => meetingsReport(rec, teamId, quarter));
      await add('GET /v1/reports/meetings, a quarter, department it', { method: 'GET', path: `/v1/reports/meetings?${q({ from, to, department: 'it' })}` }, (rec) =>
        meetingsReport(rec, teamId, { ...quarter, department: 'it' }),
      );
      await add('GET /v1/reports/attention, a quarter, everyone', { method: 'GET', path: `/v1/reports/attention?${q({ from, to })}` }, (rec) => attentionReport(rec, teamId, quarter));
      await add('GET /v1/customers/search, part of a name ("jane doe")', { method: 'GET', path: `/v1/customers/search?${q({ q: 'jane doe' })}` }, (rec) => searchCustomers(rec, teamId, 'jane doe'));
      await add('GET /v1/customers/search, a typo ("kowalsky")', { method: 'GET', path: `/v1/customers/search?${q({ q: 'kowalsky' })}` }, (rec) => searchCustomers(rec, teamId, 'kowalsky'));
      await add('GET /v1/companies/:id (people, owners, heads-ups, counts)', { method: 'GET', path: `/v1/companies/${company!.company_id}` }, (rec) => companyPage(rec, teamId, company!.company_id));
      await add('GET /v1/companies/:id/timeline, first page of 20', { method: 'GET', path: `/v1/companies/${company!.company_id}/timeline?limit=20` }, (rec) =>
        companyTimeline(rec, teamId, company!.company_id, 20),
      );
    } finally {
      await db.close();
    }

    const port = 18_000 + Math.floor(Math.random() * 1000);
    const hub = await startHub({ databaseUrl: url }, port, 1);
    const figures: ReportFigure[] = [];
    try {
      for (const s of scenarios) {
        await load({ url: `http://127.0.0.1:${port}`, connections: s.connections, duration: 3, requests: [s.request] });
        const r = await load({ url: `http://127.0.0.1:${port}`, connections: s.connections, duration: opts.duration, requests: [s.request] });
        let pg: { tps: number; latencyMs: number } | null = null;
        try {
          pg = runPgbench(url, s.statements, opts.duration, s.connections);
        } catch (err) {
          notes.push(`${s.name}: ${(err as Error).message.split('\n')[0]}`);
        }
        const rps = Math.round(r.requests.average);
        const fig: ReportFigure = {
          scenario: s.name,
          connections: s.connections,
          statements: s.statements.length,
          p50: r.latency.p50,
          p99: r.latency.p99,
          rps,
          errors: r.errors + r.non2xx + r.timeouts,
          pgTps: pg ? Math.round(pg.tps) : null,
          pgLatencyMs: pg ? pg.latencyMs : null,
          ratio: pg ? Math.round((100 * rps) / pg.tps) / 100 : null,
        };
        log(`  ${s.name}: hub p50 ${fig.p50} ms, p99 ${fig.p99} ms, ${fig.rps} req/s (${fig.errors} errors); pgbench ${fig.pgTps} tps; ratio ${fig.ratio}`);
        figures.push(fig);
      }
    } finally {
      hub.kill('SIGTERM');
      await Promise.race([once(hub, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    }
    return { figures, scale: scale.name, coldAccountsMs, notes };
  } finally {
    server.stop();
  }
}
