/**
 * The hub's one way to PostgreSQL: a `pg` pool, whether the server is the embedded default (hub/db/embedded.ts)
 * or an external one from DATABASE_URL. The hub's SQL is plain PostgreSQL with $n parameters.
 *
 * Faults end in a clear answer, never a hang: connecting gives up after a few seconds, every statement has a
 * time limit, and an error that means "the database is away" (refused, reset, shutting down, disk full…)
 * becomes `DatabaseUnavailable`, which the HTTP layer answers with 503 and Retry-After. Deadlocks and
 * serialisation failures inside a transaction are retried here, so they never reach a client.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { classifyFault, DatabaseUnavailable, type FaultKind } from './faults.ts';

export { DatabaseUnavailable } from './faults.ts';

export type Row = Record<string, any>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements at once (simple query protocol, no parameters): migrations only. */
  exec(sql: string): Promise<void>;
}

export interface DbHealth {
  ok: boolean;
  /** What is wrong, in words an operator understands; absent when ok. */
  problem?: FaultKind;
  message?: string;
}

export interface Db extends Queryable {
  /** `embedded`: the server from npm in the data folder; `external`: DATABASE_URL. */
  readonly engine: 'embedded' | 'external';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. `fn` may run more
   * than once (a deadlock or serialisation failure is retried), so it must only talk to the database.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Asks the server (bounded by a short timeout) and reports any fault seen in the last few seconds. */
  health(): Promise<DbHealth>;
  /** Records a fault found outside a query (the embedded server failing to start), for health(). */
  noteFault(err: DatabaseUnavailable): void;
  close(): Promise<void>;
}

// bigint ids stay strings end to end (JSON has no 64-bit integers); counts are cast to int in SQL.
const INT8 = 20;
pg.types.setTypeParser(INT8, (v: string) => v);

export interface OpenOptions {
  /** A postgres:// URL (the embedded server's, or DATABASE_URL). */
  databaseUrl: string;
  engine?: Db['engine'];
  /** Pool size. */
  poolSize?: number;
  /** Shown in pg_stat_activity: how `restore` and the embedded server tell hubs from other clients. */
  applicationName?: string;
  /** Called (at most every few seconds) when a query fails because the database is away. */
  onUnavailable?: (err: DatabaseUnavailable) => void;
  /** Longest a statement may run, ms. */
  statementTimeoutMs?: number;
  /** A check of the database's surroundings /healthz adds (the embedded server's free disk space). */
  extraHealth?: () => DbHealth | null;
}

/**
 * Every parameterised statement is sent as a named prepared statement, named by its text. The hub's SQL is a
 * fixed set of texts, so each connection plans each one once: on the lookup query planning costs more than
 * executing (about 2 ms against 1 ms at 10k contacts), so this roughly doubles throughput.
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: unknown[] | undefined): pg.QueryConfig {
  if (!params || params.length === 0) return { text: sql };
  let name = statementNames.get(sql);
  if (!name) {
    name = `liaison_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values: params };
}

/** SQLSTATEs a transaction can simply run again: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_TX_ATTEMPTS = 5;
const RECENT_FAULT_MS = 15_000;

export async function openDatabase(opts: OpenOptions): Promise<Db & { setUrl(url: string): void }> {
  const statementTimeout = opts.statementTimeoutMs ?? 30_000;
  const makePool = (url: string) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      application_name: opts.applicationName ?? 'liaison',
      // A server that does not answer must not hold a request forever.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      // A client-side bound too, in case the network (not the server) swallows the answer.
      query_timeout: statementTimeout + 5_000,
      // Generic plans for the prepared statements: the lookup's per-call ("custom") plan costs more to make than
      // to run, and PostgreSQL's automatic choice kept re-planning it (2.1 ms against 0.9 ms per lookup at a
      // million contacts). Every hub statement is a keyed OLTP query whose plan does not depend on its values.
      options: `-c plan_cache_mode=force_generic_plan -c statement_timeout=${statementTimeout} -c idle_in_transaction_session_timeout=${statementTimeout * 2}`,
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return pool;
  };
  let pool = makePool(opts.databaseUrl);
  let lastFault: { err: DatabaseUnavailable; at: number } | null = null;
  let lastNotified = 0;

  const fail = (err: unknown): never => {
    const fault = classifyFault(err);
    if (!fault) throw err;
    lastFault = { err: fault, at: Date.now() };
    if (opts.onUnavailable && Date.now() - lastNotified > 1_000) {
      lastNotified = Date.now();
      opts.onUnavailable(fault);
    }
    throw fault;
  };
  /**
   * A statement that succeeds ends a fault; except that a read proves nothing about a full disk, so that one is
   * cleared by a committed transaction or after a quiet while.
   */
  const ok = (wrote: boolean) => {
    if (!lastFault) return;
    if (wrote || lastFault.err.kind !== 'disk-full' || Date.now() - lastFault.at > RECENT_FAULT_MS) lastFault = null;
  };

  // Fail fast at open: a wrong URL or a server that is down is reported before the hub says it is listening.
  await pool.query('SELECT 1').catch(fail);

  const db: Db & { setUrl(url: string): void } = {
    engine: opts.engine ?? 'external',
    async query(sql, params) {
      try {
        const rows = (await pool.query(prepared(sql, params))).rows;
        ok(false);
        return rows;
      } catch (err) {
        return fail(err);
      }
    },
    async exec(sql) {
      await pool.query(sql).catch(fail);
    },
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (err) {
          return fail(err);
        }
        let broken = false;
        // A checked-out client has no pool listener: a server going away between two statements must not
        // become an unhandled 'error' event that ends the process (the next statement reports it instead).
        const onError = () => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const result = await fn({
            query: async (sql, params) => (await client.query(prepared(sql, params))).rows,
            exec: async (sql) => void (await client.query(sql)),
          });
          await client.query('COMMIT');
          ok(true);
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          const code = (err as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < MAX_TX_ATTEMPTS) {
            // Jittered backoff: the two sides of a deadlock should not collide again at once.
            await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
            continue;
          }
          if (classifyFault(err)) broken = true;
          return fail(err);
        } finally {
          client.off('error', onError);
          client.release(broken ? true : undefined);
        }
      }
    },
    async health() {
      try {
        await Promise.race([
          pool.query('SELECT 1'),
          new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('timeout exceeded when trying to connect'), { code: 'ETIMEDOUT' })), 3_000).unref()),
        ]);
      } catch (err) {
        const fault = classifyFault(err) ?? new DatabaseUnavailable('unreachable', (err as Error).message);
        if (!lastFault || lastFault.err.kind !== 'disk-full') lastFault = { err: fault, at: Date.now() };
        opts.onUnavailable?.(fault);
        return opts.extraHealth?.() ?? { ok: false, problem: lastFault.err.kind, message: lastFault.err.message };
      }
      ok(false);
      const extra = opts.extraHealth?.();
      if (extra) return extra;
      if (lastFault) {
        return { ok: false, problem: lastFault.err.kind, message: lastFault.err.message };
      }
      return { ok: true };
    },
    noteFault(err) {
      lastFault = { err, at: Date.now() };
    },
    setUrl(url: string) {
      const old = pool;
      pool = makePool(url);
      void old.end().catch(() => {});
    },
    async close() {
      // pg's end() waits for checked-out clients; a stuck one must not stop the hub from exiting.
      await Promise.race([pool.end().catch(() => {}), new Promise((r) => setTimeout(r, 3_000).unref())]);
    },
  };
  return db;
}
