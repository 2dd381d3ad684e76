/**
 * Opens the hub's database from its configuration: DATABASE_URL when set, otherwise the embedded server of the
 * data folder (attached to when another Liaison process runs it, started when none does), migrated.
 *
 * With the embedded server, a query that finds the database away asks the server module to bring it back
 * (it restarts only a server whose process is gone), retried every few seconds until it answers: the hub
 * recovers from a killed or stopped PostgreSQL, or from a full disk once space is freed, without a restart.
 */
import { statfsSync } from 'node:fs';
import type { HubConfig } from '../config.ts';
import { attachEmbedded, type EmbeddedServer } from './embedded.ts';
import { classifyFault } from './faults.ts';
import { openDatabase, type Db, type DbHealth } from './index.ts';
import { migrate } from './migrate.ts';

export type Role = 'hub' | 'cli';

export interface OpenedDb extends Db {
  /** The embedded server, when that is what the hub runs on. */
  readonly embedded?: EmbeddedServer;
  /** Where the pool connects (carries the embedded server's password: never print it). */
  readonly url: string;
  /** Closes the pool but stays attached (restore recreates the database meanwhile). */
  closePool(): Promise<void>;
  /** Closes the pool and, for the embedded server, leaves it (stopping it when no other process uses it). */
  close(): Promise<void>;
}

/** PostgreSQL writes its log in 16 MB segments: with less free than that, the next one cannot be made. */
const WAL_SEGMENT = 16 * 1024 * 1024;

function diskHealth(dataDir: string): DbHealth | null {
  try {
    const fs = statfsSync(dataDir);
    const free = fs.bavail * fs.bsize;
    if (free >= WAL_SEGMENT) return null;
    return { ok: false, problem: 'disk-full', message: `only ${(free / 1024 / 1024).toFixed(1)} MB free where the database keeps its data` };
  } catch {
    return null;
  }
}

export async function connectFromConfig(cfg: HubConfig, role: Role, opts: { migrate?: boolean; log?: (msg: string) => void } = {}): Promise<OpenedDb> {
  const appName = `liaison-${role}`;
  if (cfg.databaseUrl) {
    const db = await openDatabase({ databaseUrl: cfg.databaseUrl, engine: 'external', poolSize: cfg.poolSize, applicationName: appName });
    if (opts.migrate !== false) await migrate(db).catch(async (err) => {
      await db.close();
      throw err;
    });
    const url = cfg.databaseUrl;
    return Object.assign(db, { url, closePool: () => db.close() });
  }

  const server = await attachEmbedded(cfg.dataDir, appName);
  let recovering: ReturnType<typeof setTimeout> | null = null;
  let delay = 1_000;
  const recover = () => {
    if (recovering) return;
    opts.log?.(`the database is away; bringing embedded PostgreSQL back in ${delay / 1000} s`);
    recovering = setTimeout(() => {
      server
        .ensureRunning()
        .then(() => {
          recovering = null;
          delay = 1_000;
          opts.log?.('embedded PostgreSQL answers again');
          const url = server.url();
          if (url !== current) {
            current = url;
            db.setUrl(url);
          }
        })
        .catch((err: Error) => {
          const fault = classifyFault(err);
          if (fault) db.noteFault(fault);
          opts.log?.(`embedded PostgreSQL is not back yet: ${fault?.message ?? err.message.split('\n')[0]}`);
          recovering = null;
          delay = Math.min(delay * 2, 10_000);
          recover();
        });
    }, delay);
    recovering.unref();
  };
  let current = server.url();
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase({
      databaseUrl: current,
      engine: 'embedded',
      poolSize: cfg.poolSize,
      applicationName: appName,
      onUnavailable: recover,
      extraHealth: () => diskHealth(cfg.dataDir),
    });
    if (opts.migrate !== false) await migrate(db);
  } catch (err) {
    await server.detach().catch(() => {});
    throw err;
  }
  const closePool = db.close.bind(db);
  let left = false;
  return Object.assign(db, {
    embedded: server,
    get url() {
      return current;
    },
    closePool,
    async close() {
      if (left) return;
      left = true;
      if (recovering) clearTimeout(recovering);
      await closePool();
      await server.detach();
    },
  });
}
