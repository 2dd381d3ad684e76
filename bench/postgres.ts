/**
 * A PostgreSQL server for the benchmark: DATABASE_URL's server when set (the benchmark creates its own
 * databases there and leaves others alone), otherwise a private cluster from Debian's postgresql package in a
 * temporary folder, stopped afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface PgServer {
  /** URL of the maintenance database; use databaseUrl(name) for others. */
  url: string;
  databaseUrl(name: string): string;
  stop(): void;
}

/**
 * @param dir where the private cluster keeps its data between runs (so a second `npm run bench` reuses the
 *            seeded million contacts instead of spending minutes seeding them again).
 */
export async function startPostgres(dir = path.resolve('.liaison-bench', 'pg')): Promise<PgServer> {
  const fromEnv = process.env.DATABASE_URL;
  const withDb = (base: string) => (name: string) => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  };
  if (fromEnv) return { url: fromEnv, databaseUrl: withDb(fromEnv), stop() {} };

  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed: install Debian\'s "postgresql" package, or set DATABASE_URL');
  const version = readdirSync(root).sort((a, b) => Number(a) - Number(b)).pop()!;
  const bin = path.join(root, version, 'bin');
  mkdirSync(dir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const asPg = (cmd: string, args: string[]) => (isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres system user.
  if (isRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  const port = 55500 + Math.floor(Math.random() * 400);
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asPg(cmd, args);
    const res = spawnSync(c, a, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (res.status !== 0) throw new Error(`${path.basename(cmd)} failed`);
  };
  if (!existsSync(path.join(dir, 'data', 'PG_VERSION'))) {
    run(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'liaison', '--auth=trust', '-E', 'UTF8']);
  }
  // Settings for a 2-core, 24 GiB machine; durability is off because the data is throwaway.
  run(path.join(bin, 'pg_ctl'), [
    '-D', path.join(dir, 'data'), '-l', path.join(dir, 'log'), '-w', 'start',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=4GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c max_connections=200`,
  ]);
  const url = `postgres://liaison@127.0.0.1:${port}/postgres`;
  return {
    url,
    databaseUrl: withDb(url),
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', 'stop']);
      } catch {
        // already gone
      }
    },
  };
}

/** True when the database exists and was seeded with this fingerprint (same schema, same generator, same scale). */
export async function seededWith(server: PgServer, name: string, fingerprint: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: server.databaseUrl(name) });
  try {
    await c.connect();
    const r = await c.query('SELECT value FROM bench_meta WHERE key = $1', ['fingerprint']);
    return r.rows[0]?.value === fingerprint;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function recreateDatabase(server: PgServer, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return server.databaseUrl(name);
}
