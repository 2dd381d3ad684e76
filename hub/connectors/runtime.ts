/**
 * The connectors' work inside a hub process: the job queue (pg-boss, in its own `pgboss` schema, which it creates
 * and migrates itself), the relay from the outbox into it, and the jobs — one per record going out, one sync step
 * per connector at a time.
 *
 * Why pg-boss: jobs in PostgreSQL (the database the hub already has, no other service), SKIP LOCKED fetching so any
 * number of hub processes share the work, retries with backoff, and the "stately" queue policy — at most one job
 * waiting and one running per key — so a burst of changes to one interaction is one job, never two at once. A job
 * whose process died is retried once its expiry passes (graphile-worker, the other candidate, holds a crashed
 * worker's jobs for four hours, and its current versions need Node 22).
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Db } from '../db/index.ts';
import { CHANGES_CHANNEL } from './changes.ts';
import type { ConnectorConfig } from './config.ts';
import { accountOf, connectorFor, pauseUnauthorized } from './service.ts';
import { getConnectionById, hasRecord, markRecord, noteAttempt, type Connection } from './store.ts';
import { syncStep } from './sync/inbound.ts';
import { PushRefused, pushRecord, type PushEntity } from './sync/outbound.ts';
import { ConnectorError } from './types.ts';

const PUSH = 'connector-push';
const SYNC = 'connector-sync';
const PUSH_RETRIES = 25;

export interface RuntimeOptions {
  db: Db;
  /** The database URL (pg-boss keeps a small pool of its own). */
  url: string;
  config: ConnectorConfig;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

interface PushJob {
  connectorId: string;
  entity: PushEntity;
  localId: string;
  /** Queued as history (what was recorded before connecting): sent after today's writes, and only while still wanted. */
  background?: boolean;
}

/** pg-boss fetches higher priorities first: today's logs go out before the backlog of history. */
const PRIORITY = { now: 10, history: 0 };

export class ConnectorRuntime {
  private boss: PgBoss | null = null;
  private listener: pg.Client | null = null;
  private relayTimer: ReturnType<typeof setInterval> | null = null;
  private relaying: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private pushWorkers: string[] = [];
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: RuntimeOptions) {}

  private log(message: string, fields?: Record<string, unknown>) {
    this.opts.log?.(message, fields);
  }

  async start(): Promise<void> {
    const cfg = this.opts.config;
    const boss = new PgBoss({
      connectionString: this.opts.url,
      schema: 'pgboss',
      max: 4,
      application_name: 'liaison-hub-queue',
      supervise: true,
      maintenanceIntervalSeconds: cfg.maintenanceSeconds,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    } as PgBoss.ConstructorOptions);
    boss.on('error', (err) => this.log('job queue error', { error: (err as Error).message }));
    await boss.start();
    this.boss = boss;
    await this.ensureQueue(PUSH, { policy: 'stately', retryLimit: PUSH_RETRIES, retryDelay: 2, retryBackoff: true, expireInSeconds: cfg.pushExpirySeconds });
    await this.ensureQueue(SYNC, { policy: 'stately', retryLimit: 1_000, retryDelay: 15, retryBackoff: true, expireInSeconds: cfg.syncExpirySeconds });
    for (let i = 0; i < cfg.pushWorkers; i++) {
      this.pushWorkers.push(
        await boss.work<PushJob>(PUSH, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([job]) => this.push(job!.data, job!.retryCount)),
      );
    }
    await boss.work<{ connectorId: string }>(SYNC, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => this.sync(job!.data.connectorId));
    await this.listen();
    this.relayTimer = setInterval(() => this.relay(), 1_000);
    this.relayTimer.unref();
    // Every active connection gets its sync going (the queue keeps one waiting per connector).
    const active = await this.opts.db.query<{ id: string }>(`SELECT id::text AS id FROM connectors WHERE status = 'active'`);
    for (const c of active) await boss.send(SYNC, { connectorId: c.id }, { singletonKey: c.id });
    this.relay();
  }

  private async ensureQueue(name: string, options: Omit<PgBoss.Queue, 'name'>) {
    const existing = await this.boss!.getQueue(name);
    if (existing) await this.boss!.updateQueue(name, options as PgBoss.Queue);
    else await this.boss!.createQueue(name, options as PgBoss.Queue);
  }

  /** LISTEN for the outbox's NOTIFY: a log goes out within milliseconds, not at the next poll. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.opts.url, application_name: 'liaison-hub-listen' });
    client.on('error', () => {
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => {}), 5_000).unref();
    });
    client.on('notification', () => this.relay());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      this.listener = client;
    } catch {
      await client.end().catch(() => {});
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => {}), 5_000).unref();
    }
  }

  /** Moves the outbox into the queue, in the outbox's transaction: no change is lost or relayed twice. */
  relay(): void {
    if (this.stopped || !this.boss) return;
    if (this.relaying) {
      this.again = true;
      return;
    }
    this.relaying = this.relayOnce()
      .catch((err) => this.log('connector relay failed', { error: (err as Error).message }))
      .finally(() => {
        this.relaying = null;
        if (this.again) {
          this.again = false;
          this.relay();
        }
      });
  }

  private async relayOnce(): Promise<void> {
    const boss = this.boss!;
    for (;;) {
      const moved = await this.opts.db.transaction(async (tx) => {
        const rows = await tx.query<{ team_id: string; entity: string; local_id: string; background: boolean }>(
          `DELETE FROM connector_changes WHERE id IN (SELECT id FROM connector_changes ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING team_id, entity, local_id, background`,
        );
        if (rows.length === 0) return 0;
        const connectors = await tx.query<{ id: string; team_id: string }>(
          `SELECT id::text AS id, team_id::text AS team_id FROM connectors WHERE team_id = ANY($1::bigint[]) AND status <> 'disconnected'`,
          [[...new Set(rows.map((r) => r.team_id))]],
        );
        const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query(text, values) }) };
        const seen = new Set<string>();
        // A record changed today and also waiting as history is queued once, as today's.
        rows.sort((x, y) => Number(x.background) - Number(y.background));
        for (const r of rows) {
          if (r.entity === 'sync') {
            const key = `sync:${r.local_id}`;
            if (!seen.has(key)) await boss.send(SYNC, { connectorId: r.local_id }, { singletonKey: r.local_id, db });
            seen.add(key);
            continue;
          }
          for (const c of connectors.filter((x) => x.team_id === r.team_id)) {
            const key = `${c.id}:${r.entity}:${r.local_id}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const job: PushJob = { connectorId: c.id, entity: r.entity as PushEntity, localId: r.local_id, ...(r.background ? { background: true } : {}) };
            await boss.send(PUSH, job, { singletonKey: key, priority: r.background ? PRIORITY.history : PRIORITY.now, db });
          }
        }
        return rows.length;
      });
      if (moved === 0) break;
      for (const id of this.pushWorkers) boss.notifyWorker(id);
    }
  }

  private async context(conn: Connection) {
    const crm = await connectorFor(this.opts.db, this.opts.config, conn);
    return { db: this.opts.db, conn, crm, account: accountOf(conn), leaseMs: this.opts.config.leaseMs, archivedEveryMs: this.opts.config.archivedEveryMs };
  }

  private async push(job: PushJob, retryCount: number): Promise<void> {
    const conn = await getConnectionById(this.opts.db, job.connectorId);
    // Paused or disconnected: the record stays pending; resuming (or reconnecting) sends it again.
    if (!conn || conn.status !== 'active') return;
    // History the admin has since left out of the window: its record is gone, so there is nothing to send.
    if (job.background && !(await hasRecord(this.opts.db, conn.id, job.entity, job.localId))) return;
    try {
      await pushRecord(await this.context(conn), job.entity, job.localId);
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'unauthorized') {
        await pauseUnauthorized(this.opts.db, conn.id, err.message);
        this.log('CRM refused the token: connector paused', { connector: conn.id });
        return;
      }
      const transient = err instanceof ConnectorError ? err.kind === 'rate-limited' || err.kind === 'unavailable' : !(err instanceof PushRefused);
      const reason = (err as Error).message;
      if (transient && retryCount < PUSH_RETRIES) {
        await noteAttempt(this.opts.db, conn.id, job.entity, job.localId, `will retry: ${reason}`);
        throw err; // the queue retries with backoff
      }
      await markRecord(this.opts.db, conn.id, job.entity, job.localId, { state: 'failed', reason, attempts: true });
      this.log('connector push failed', { connector: conn.id, entity: job.entity, reason });
    }
  }

  private async sync(connectorId: string): Promise<void> {
    const conn = await getConnectionById(this.opts.db, connectorId);
    if (!conn || conn.status !== 'active') return;
    let more = false;
    try {
      more = (await syncStep(await this.context(conn), { budgetMs: this.opts.config.syncStepMs })).more;
      if (conn.statusMessage && conn.pausedBy === null) await this.opts.db.query('UPDATE connectors SET status_message = NULL WHERE id = $1', [conn.id]);
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'unauthorized') {
        await pauseUnauthorized(this.opts.db, conn.id, err.message);
        return;
      }
      await this.opts.db.query('UPDATE connectors SET status_message = $2 WHERE id = $1', [conn.id, `sync failed, retrying: ${(err as Error).message}`.slice(0, 500)]);
      throw err; // the queue retries this step with backoff
    }
    if (more) await this.boss?.send(SYNC, { connectorId }, { singletonKey: connectorId }).catch(() => {});
    else this.scheduleSync(connectorId);
  }

  /**
   * The next incremental cycle, after the interval. A timer rather than a delayed job: a delayed job would sit in the
   * queue's one waiting place for this connector and swallow an admin's "sync now". A process that dies loses its
   * timers; every hub sends a sync job for each active connector when it starts.
   */
  private scheduleSync(connectorId: string) {
    if (this.stopped) return;
    clearTimeout(this.timers.get(connectorId));
    const t = setTimeout(() => {
      this.timers.delete(connectorId);
      void this.boss?.send(SYNC, { connectorId }, { singletonKey: connectorId }).catch(() => {});
    }, this.opts.config.syncIntervalSeconds * 1000);
    t.unref();
    this.timers.set(connectorId, t);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.relayTimer) clearInterval(this.relayTimer);
    await this.relaying?.catch(() => {});
    await this.listener?.end().catch(() => {});
    await this.boss?.stop({ graceful: true, timeout: 3_000, wait: true }).catch(() => {});
  }
}
