/** The hub's commands. Each prints what a person needs; a script reads the last line (token or id). */
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { hashToken } from '../auth.ts';
import { loadConfig, type HubConfig } from '../config.ts';
import { connectFromConfig, type OpenedDb } from '../db/connect.ts';
import type { Db } from '../db/index.ts';
import { normalizeDomain, normalizeEmail } from '../domain/emails.ts';
import { buildServer } from '../server.ts';
import { runConnectors } from '../connectors/start.ts';
import { hubspotCommand } from './hubspot.ts';
import { addMember, createTeam, findMemberByEmail, findTeamByName } from '../repo/teams.ts';
import { audit } from '../repo/audit.ts';
import { createInvite } from '../repo/invites.ts';
import { addMemberOnly } from '../repo/members-admin.ts';
import { announceRevocation } from '../auth-notify.ts';
import { DEPARTMENTS, ROLES, type Department, type Role } from '../../shared/wire-types.ts';

type Values = Record<string, unknown>;
export interface Command {
  summary: string;
  help: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** The command takes a sub-command word (`hubspot connect …`), passed as values._ */
  positionals?: boolean;
  run(values: Values): Promise<number>;
}

/**
 * A command's database: with the embedded default it attaches to the server a running hub already uses (one
 * writer per data folder), or starts it for the command and stops it afterwards when nobody else needs it.
 */
export async function withDb<T>(fn: (db: OpenedDb) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const db = await connectFromConfig(loadConfig(), 'cli', opts);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function required(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new Error(`--${name} is required (see --help)`);
  return v.trim();
}

export async function resolveTeam(db: Db, team: string): Promise<string> {
  if (/^\d+$/.test(team)) {
    const rows = await db.query('SELECT id FROM teams WHERE id = $1', [team]);
    if (rows.length) return team;
  }
  const id = await findTeamByName(db, team);
  if (!id) throw new Error(`no team "${team}" (give its id or name)`);
  return id;
}

const DEMO_TOKEN_FILE = 'demo-token';

/** The demo token is kept beside the data so `npm start` can show it again after a restart (demo only). */
function saveDemoToken(cfg: HubConfig, token: string) {
  mkdirSync(cfg.dataDir, { recursive: true });
  const file = path.join(cfg.dataDir, DEMO_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function readDemoToken(cfg: HubConfig): string | null {
  const file = path.join(cfg.dataDir, DEMO_TOKEN_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

function buildExtension(): Promise<boolean> {
  const wxt = path.resolve('node_modules', '.bin', 'wxt');
  return new Promise((resolve) => {
    const child = spawn(wxt, ['build'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

/** The web app (webapp/, Vite) into .output/webapp, which the hub serves at `/`. */
function buildWebapp(): Promise<boolean> {
  const vite = path.resolve('node_modules', '.bin', 'vite');
  return new Promise((resolve) => {
    const child = spawn(vite, ['build', '--config', 'webapp/vite.config.ts', '--logLevel', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

/** Where links the CLI prints point: HUB_PUBLIC_URL, else this machine's hub. */
function publicUrl(cfg: HubConfig): string {
  return process.env.HUB_PUBLIC_URL?.trim().replace(/\/+$/, '') || `http://localhost:${cfg.port}`;
}

/** A one-time sign-in link for a member (the demo admin on `npm start`, anyone with `invite`). */
async function inviteLink(db: Db, teamId: string, memberId: string, base: string): Promise<string> {
  return db.transaction(async (tx) => {
    const made = await createInvite(tx, teamId, memberId, null);
    await audit(tx, teamId, 'command line', 'invite.create', `${made.invite.member.name} <${made.invite.member.email}>`, { invite: made.invite.id, expiresAt: made.invite.expiresAt });
    return `${base}/invite/${made.code}`;
  });
}

/** What the hub says about its database while it runs (a fault, a recovery), on stderr beside pino's lines. */
const hubLog = (message: string) => console.error(`${new Date().toISOString()} hub: ${message}`);

/** Seconds a stopping hub waits for requests in flight before it leaves anyway. */
const DRAIN_MS = 3_000;

async function serve(cfg: HubConfig, db: OpenedDb, opts: { quiet?: boolean; demo?: boolean } = {}) {
  const logger = pino({ level: cfg.logLevel, base: { pid: process.pid } });
  const app = await buildServer({ db, logger, corsOrigins: cfg.corsOrigins });
  const address = await app.listen({ port: cfg.port, host: cfg.host });
  // On the embedded database the hub, like the CLI beside it, makes the secret key in the data folder when none is set.
  const connectors = runConnectors(db, { generateKey: opts.demo || !!db.embedded, log: (msg, fields) => logger.warn(fields ?? {}, msg) });
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    if (!opts.quiet) console.log('\nStopping the hub…');
    // SIGTERM always ends the process within a few seconds, whatever state the database is in.
    setTimeout(() => process.exit(1), 10_000).unref();
    await Promise.race([app.close(), new Promise((r) => setTimeout(r, DRAIN_MS))]);
    await connectors.stop();
    await db.close().catch((err: Error) => console.error(`while leaving the database: ${err.message}`));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return address;
}

function describeDb(cfg: HubConfig, db: OpenedDb): string {
  if (!db.embedded) return 'PostgreSQL server from DATABASE_URL';
  const where = path.relative(process.cwd(), cfg.dataDir) || '.';
  const state = db.embedded.state();
  return `embedded PostgreSQL in ${where}${db.embedded.startedHere ? '' : `, already running as process ${state?.pid ?? '?'}`}`;
}

export const commands: Record<string, Command> = {
  start: {
    summary: 'Run the hub for trying Liaison: embedded Postgres, demo team, extension build',
    help: `npm start  (= npm run hub -- start [--no-build])

Starts the hub on http://127.0.0.1:8787 (PORT overrides; HOST to listen elsewhere) on embedded PostgreSQL in
.liaison/ (LIAISON_DATA_DIR overrides; DATABASE_URL uses a real server instead), seeds the demo team when the
database is new, builds the extension, and prints the hub URL, the demo token and how to load the extension.
Ctrl-C stops it; data survives a restart.

  --no-build   do not build the extension (also LIAISON_SKIP_BUILD=1)`,
    options: { 'no-build': { type: 'boolean' } },
    async run(values) {
      const cfg = loadConfig();
      const db = await connectFromConfig(cfg, 'hub', { log: hubLog });
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM teams')) as [{ n: number }];
      let token = readDemoToken(cfg);
      if (n === 0) {
        const { seedDemo } = await import('../seed/demo.ts');
        const started = Date.now();
        const seeded = await seedDemo(db);
        token = seeded.token;
        saveDemoToken(cfg, seeded.token);
        console.log(`Seeded the demo team in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      }
      const address = await serve({ ...cfg, logLevel: process.env.LOG_LEVEL ?? 'warn' }, db, { demo: true });
      let built = false;
      if (!values['no-build'] && !process.env.LIAISON_SKIP_BUILD) {
        console.log('Building the web app and the extension…');
        await buildWebapp();
        built = await buildExtension();
      }
      const web = address.replace('127.0.0.1', 'localhost');
      const [dana] = await db.query<{ id: string; team_id: string }>(
        "SELECT m.id::text AS id, m.team_id::text AS team_id FROM members m JOIN teams t ON t.id = m.team_id WHERE t.name = 'Northwind Demo' AND m.role = 'admin' AND m.deactivated_at IS NULL ORDER BY m.id LIMIT 1",
      );
      const link = dana ? await inviteLink(db, dana.team_id, dana.id, process.env.HUB_PUBLIC_URL?.trim().replace(/\/+$/, '') || web) : null;
      const ext = path.resolve('.output', 'chrome-mv3');
      // What the screens ask for, in their words: the sidebar's "Connect…" (or the toolbar icon's Options) opens the
      // options page, and a successful "Test connection" saves the URL and token — there is nothing else to press.
      console.log(
        [
          '',
          `Liaison hub: ${web}  (${describeDb(cfg, db)})`,
          `Web app:     ${web}/`,
          link ? `Sign in:     ${link}\n             (a one-time link that signs you in as Dana Reyes, admin of "Northwind Demo"; a new one each start)` : 'Sign in:     no demo admin here — invite one with `npm run hub -- invite`',
          `API:         ${address}/openapi.json`,
          token ? `Demo token:  ${token}   (Dana Reyes, Sales, admin of "Northwind Demo")` : 'Demo token:  not stored here — add a member with `npm run hub -- add-member`',
          built || existsSync(ext)
            ? `Extension:   ${ext}\n             Chrome → chrome://extensions → Developer mode → Load unpacked → choose that folder.`
            : 'Extension:   not built (run `npm run build`)',
          `Connect:     open a conversation in Gmail: the Liaison sidebar says "Not connected to a hub yet." Press\n` +
            `             "Connect…" there (or the toolbar icon → Options), enter the Hub URL ${web} under\n` +
            '             "Sign in to your hub" and press that button: your hub signs you in and connects this browser.\n' +
            `             Or open "Advanced: paste an access token", paste the Demo token ${token ? 'printed above' : 'add-member printed'} and press\n` +
            `             "Test connection": when it says "Signed in as ${token ? 'Dana Reyes (Sales) · Northwind Demo' : '…'}", both are saved.`,
          'Press Ctrl-C to stop.',
        ].join('\n'),
      );
      return -1;
    },
  },

  serve: {
    summary: 'Run the hub only (production): no seeding, no build',
    help: `npm run hub -- serve [--workers N]

Serves the API. Configuration comes from the environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL
(postgres://…; the embedded PostgreSQL server of LIAISON_DATA_DIR when unset), HUB_CORS_ORIGINS
(comma-separated; default any browser-extension origin), HUB_DB_POOL (10), LOG_LEVEL (info).
At the edge: HUB_AUTH_FAILURES_PER_MINUTE (20), HUB_TOKEN_REQUESTS_PER_MINUTE (600), HUB_SIGN_IN_PER_MINUTE (30),
HUB_REQUEST_TIMEOUT_MS (15000), HUB_TRUST_PROXY (unset). The web app: HUB_PUBLIC_URL, LIAISON_OIDC_*,
HUB_EXTENSION_IDS. The README's "Running it" explains each.
Several hubs on one data folder share its one embedded server.

  --workers N   run N processes sharing the port`,
    options: { workers: { type: 'string' } },
    async run(values) {
      const cfg = loadConfig();
      const workers = values.workers ? Number(values.workers) : 1;
      if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a positive whole number');
      if (workers > 1 && cluster.isPrimary) {
        // The primary migrates once and stays attached (so the embedded server outlives any one worker).
        const db = await connectFromConfig(cfg, 'hub', { log: hubLog });
        for (let i = 0; i < workers; i++) cluster.fork();
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          setTimeout(() => process.exit(1), 10_000).unref();
          const exited = Object.values(cluster.workers ?? {}).map((w) => (w && !w.isDead() ? new Promise((r) => w.once('exit', r)) : null));
          for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
          await Promise.all(exited);
          await db.close().catch(() => {});
          process.exit(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        console.log(`hub: ${workers} workers on http://${cfg.host}:${cfg.port} (${describeDb(cfg, db)})`);
        return -1;
      }
      const db = await connectFromConfig(cfg, 'hub', { migrate: !cluster.isWorker, log: hubLog });
      const address = await serve(cfg, db, { quiet: true });
      if (!cluster.isWorker) console.log(`hub listening on ${address} (${describeDb(cfg, db)})`);
      return -1;
    },
  },

  migrate: {
    summary: 'Apply database migrations and exit',
    help: 'npm run hub -- migrate\n\nApplies pending migrations to DATABASE_URL (or the embedded server of LIAISON_DATA_DIR) and exits.',
    options: {},
    async run() {
      await withDb(async () => {});
      console.log('migrations applied');
      return 0;
    },
  },

  'create-team': {
    summary: 'Create a team',
    help: `npm run hub -- create-team --name "Acme Sales" [--domains acme.com,acme.co.uk]

Creates a team. --domains are the team's own email domains (colleagues, never customers).
Prints the new team's id as the last line.`,
    options: { name: { type: 'string' }, domains: { type: 'string' } },
    async run(values) {
      const name = required(values, 'name');
      const domains = String(values.domains ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => normalizeDomain(d) ?? (() => { throw new Error(`--domains: "${d}" is not a domain`); })());
      const id = await withDb((db) => db.transaction((tx) => createTeam(tx, name, domains)));
      console.log(`Created team "${name}"${domains.length ? ` (${domains.join(', ')})` : ''}.`);
      console.log(id);
      return 0;
    },
  },

  'add-member': {
    summary: 'Add a member to a team and print their token',
    help: `npm run hub -- add-member --team <id|name> --name "Dana Reyes" --email dana@acme.com --department sales [--role admin]

Departments: ${DEPARTMENTS.join(', ')}. Roles: ${ROLES.join(', ')} (default member).
The member's access token is printed as the last line. It is shown only this once: the hub stores a hash.`,
    options: { team: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, department: { type: 'string' }, role: { type: 'string' } },
    async run(values) {
      const email = normalizeEmail(required(values, 'email'));
      if (!email) throw new Error('--email is not a valid address');
      const department = required(values, 'department') as Department;
      if (!DEPARTMENTS.includes(department)) throw new Error(`--department must be one of ${DEPARTMENTS.join(', ')}`);
      const role = (values.role ?? 'member') as Role;
      if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      const result = await withDb(async (db) => {
        const teamId = await resolveTeam(db, required(values, 'team'));
        return db.transaction(async (tx) => {
          const added = await addMember(tx, teamId, { name: required(values, 'name'), email, department, role });
          await audit(tx, teamId, 'command line', 'member.add', `${added.member.name} <${added.member.email}>`, { department, role, token: added.tokenId });
          return added;
        });
      });
      console.log(`Added ${result.member.name} <${result.member.email}> (${department}, ${role}). Their token, shown once:`);
      console.log(result.token);
      return 0;
    },
  },

  invite: {
    summary: 'Print a one-time sign-in link for a member (adding them when new)',
    help: `npm run hub -- invite --team <id|name> --email sam@acme.com [--name "Sam Lee" --department support [--role admin]]

Prints a link that signs the member in to the web app once (valid 7 days), where they connect the extension in one
click. A new address needs --name and --department and becomes a member. Links point at HUB_PUBLIC_URL (default
http://localhost:PORT). The link is the last line.`,
    options: { team: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, department: { type: 'string' }, role: { type: 'string' } },
    async run(values) {
      const email = normalizeEmail(required(values, 'email'));
      if (!email) throw new Error('--email is not a valid address');
      const cfg = loadConfig();
      const link = await withDb(async (db) => {
        const teamId = await resolveTeam(db, required(values, 'team'));
        let member = await findMemberByEmail(db, teamId, email);
        if (!member) {
          const department = required(values, 'department') as Department;
          if (!DEPARTMENTS.includes(department)) throw new Error(`--department must be one of ${DEPARTMENTS.join(', ')}`);
          const role = (values.role ?? 'member') as Role;
          if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
          const name = required(values, 'name');
          await db.transaction(async (tx) => {
            await addMemberOnly(tx, teamId, { name, email, department, role });
            await audit(tx, teamId, 'command line', 'member.add', `${name} <${email}>`, { department, role });
          });
          member = await findMemberByEmail(db, teamId, email);
        }
        return inviteLink(db, teamId, member!.id, publicUrl(cfg));
      });
      console.log('One-time sign-in link (valid 7 days):');
      console.log(link);
      return 0;
    },
  },

  'revoke-token': {
    summary: 'Revoke an access token',
    help: `npm run hub -- revoke-token --token <lia_…>
npm run hub -- revoke-token --team <id|name> --token-id <id>
npm run hub -- revoke-token --team <id|name> --member <email>     (all of that member's tokens)

A revoked token gets 401 from then on, in running hubs at once (they are told; without that, within 2 s).`,
    options: { token: { type: 'string' }, 'token-id': { type: 'string' }, team: { type: 'string' }, member: { type: 'string' } },
    async run(values) {
      const count = await withDb(async (db) => {
        if (typeof values.token === 'string') {
          return (await db.query('UPDATE tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id', [hashToken(values.token.trim())])).length;
        }
        const teamId = await resolveTeam(db, required(values, 'team'));
        if (typeof values['token-id'] === 'string') {
          return (await db.query('UPDATE tokens SET revoked_at = now() WHERE team_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id', [teamId, values['token-id']])).length;
        }
        const email = normalizeEmail(required(values, 'member'));
        const member = email && (await findMemberByEmail(db, teamId, email));
        if (!member) throw new Error('--member: no such member in that team');
        return (await db.query('UPDATE tokens SET revoked_at = now() WHERE team_id = $1 AND member_id = $2 AND revoked_at IS NULL RETURNING id', [teamId, member.id])).length;
      });
      // Running hubs forget what they remembered of these tokens now, not after their 2-second cache.
      if (count > 0) await withDb((db) => announceRevocation(db), { migrate: false });
      if (count === 0) {
        console.error('No active token matched.');
        return 1;
      }
      console.log(`Revoked ${count} token${count === 1 ? '' : 's'}.`);
      return 0;
    },
  },

  import: {
    summary: 'Import contacts or history from CSV (HubSpot export or Liaison layout)',
    help: `npm run hub -- import --team <id|name> --file contacts.csv [--as admin@acme.com] [--strict]

Layouts (detected from the header row): a HubSpot contacts export; Liaison contacts
(email, additional_emails, name | first_name + last_name, title, company, owner_email); Liaison history
(occurred_at, kind, contact_email, subject, summary, outcome, logged_by_email, source_ref).
See hub/import/README.md. Reports rows imported and skipped, with the reason for each skipped row.
A file is imported whole or not at all; --strict also refuses the file when any row would be skipped.
--as: the member recorded as importer (default: the team's first admin).`,
    options: { team: { type: 'string' }, file: { type: 'string' }, as: { type: 'string' }, strict: { type: 'boolean' } },
    async run(values) {
      const file = required(values, 'file');
      if (!existsSync(file)) throw new Error(`--file: ${file} does not exist`);
      if (statSync(file).size > 50 * 1024 * 1024) throw new Error('--file: larger than 50 MB; split it');
      const text = readFileSync(file, 'utf8');
      const { importCsv, ImportRejected } = await import('../import/csv.ts');
      return withDb(async (db) => {
        const teamId = await resolveTeam(db, required(values, 'team'));
        let actingMemberId: string;
        if (typeof values.as === 'string') {
          const email = normalizeEmail(values.as);
          const m = email && (await findMemberByEmail(db, teamId, email));
          if (!m) throw new Error('--as: no such member in that team');
          actingMemberId = m.id;
        } else {
          const [admin] = await db.query<{ id: string }>("SELECT id FROM members WHERE team_id = $1 ORDER BY role = 'admin' DESC, id LIMIT 1", [teamId]);
          if (!admin) throw new Error('the team has no members yet: add one first');
          actingMemberId = admin.id;
        }
        try {
          const report = await importCsv(db, teamId, text, { actingMemberId, strict: values.strict === true });
          console.log(`Layout: ${report.layout}. Rows: ${report.rows}. Imported: ${report.imported}. Skipped: ${report.skipped.length}.`);
          for (const s of report.skipped) console.log(`  line ${s.row}: skipped — ${s.reason}`);
          for (const w of report.warnings) console.log(`  line ${w.row}: ${w.message}`);
          return 0;
        } catch (err) {
          if (err instanceof ImportRejected) {
            console.error(`Nothing imported: ${err.message}`);
            return 1;
          }
          throw err;
        }
      });
    },
  },

  backup: {
    summary: 'Write a backup of the team data to a file (while the hub keeps serving)',
    help: `npm run hub -- backup --out liaison-2026-11-29.backup

Writes every table from one consistent snapshot (the hub keeps serving meanwhile), gzip-compressed, to FILE
(written beside it first, then renamed: never half a file). Works on the embedded server and on DATABASE_URL.
The file holds customer data: keep it as safe as the database. See the README ("Backups").`,
    options: { out: { type: 'string' } },
    async run(values) {
      const out = path.resolve(required(values, 'out'));
      if (existsSync(out)) throw new Error(`--out: ${out} exists; choose a new file name`);
      const { backupToFile } = await import('../db/backup.ts');
      const started = Date.now();
      const summary = await withDb((db) => backupToFile(db.url, out), { migrate: false });
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(`Backed up ${total} rows from ${summary.tables} tables in ${((Date.now() - started) / 1000).toFixed(1)} s to:`);
      console.log(out);
      return 0;
    },
  },

  restore: {
    summary: 'Restore a backup made by `backup`',
    help: `npm run hub -- restore --from liaison-2026-11-29.backup [--force]

Restores into the embedded server of LIAISON_DATA_DIR, or into the database of DATABASE_URL, which must be
empty. A hub must not be running on that database. On the embedded server, --force replaces data that is
already there, after saving it to <data folder>/before-restore-<time>.backup. All or nothing: a damaged file
restores nothing.`,
    options: { from: { type: 'string' }, force: { type: 'boolean' } },
    async run(values) {
      const file = path.resolve(required(values, 'from'));
      if (!existsSync(file)) throw new Error(`--from: ${file} does not exist`);
      const { backupToFile, readBackupHeader, restoreFromFile, RestoreRefused } = await import('../db/backup.ts');
      const header = await readBackupHeader(file).catch((err: Error) => {
        throw new Error(`--from: ${err.message}`);
      });
      const cfg = loadConfig();
      const db = await connectFromConfig(cfg, 'cli', { migrate: false });
      let url = db.url;
      try {
        const hubs = await db.query<{ pid: number; application_name: string }>(
          "SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'liaison-hub%' AND pid <> pg_backend_pid()",
        );
        if (hubs.length) throw new Error('a hub is using this database: stop it first (Ctrl-C in its terminal), then restore');
        const [{ exists }] = (await db.query<{ exists: boolean }>("SELECT to_regclass('public.teams') IS NOT NULL AS exists")) as [{ exists: boolean }];
        const n = exists ? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM teams'))[0]!.n : 0;
        if (n > 0) {
          if (!db.embedded) throw new Error('the database of DATABASE_URL already holds data: restore into an empty database');
          if (!values.force) throw new Error('the embedded database already holds data: add --force to replace it (it is saved first)');
          const saved = path.join(cfg.dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.backup`);
          await backupToFile(url, saved);
          console.log(`Saved the data that was there to ${saved}`);
          const { recreateDatabase } = await import('../db/embedded.ts');
          await db.closePool();
          await recreateDatabase(url);
        }
        const started = Date.now();
        const summary = await restoreFromFile(url, file).catch((err: Error) => {
          throw err instanceof RestoreRefused ? new Error(`nothing restored: ${err.message}`) : err;
        });
        const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
        console.log(`Restored ${total} rows into ${summary.tables} tables (backup of ${header.createdAt}, ${header.server}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        return 0;
      } finally {
        await db.close();
      }
    },
  },

  hubspot: hubspotCommand,

  'seed-demo': {
    summary: 'Create the demo team (a few hundred contacts, history from every department) and print its token',
    help: `npm run hub -- seed-demo [--team-name "Northwind Demo"]

Creates a realistic demo team: members in every department, ~300 contacts across ~40 companies, a year of
interactions, open flags, meetings with attendance, follow-up tasks. Prints the admin's token as the last line.`,
    options: { 'team-name': { type: 'string' } },
    async run(values) {
      const { seedDemo } = await import('../seed/demo.ts');
      const result = await withDb((db) => seedDemo(db, { teamName: typeof values['team-name'] === 'string' ? values['team-name'] : undefined }));
      console.log(`Seeded team ${result.teamId}. Token for ${result.member.name} <${result.member.email}>:`);
      console.log(result.token);
      return 0;
    },
  },
};
