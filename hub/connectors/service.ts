/**
 * What an admin does with a connection — connect, test, pause, resume, disconnect, look at it, retry what failed —
 * shared by the admin routes (hub/routes/connectors.ts) and the CLI (`npm run hub -- hubspot …`). None of these
 * talk to the job queue: they write the connection's state and the outbox, which the running hub acts on.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import { HttpError } from '../http/errors.ts';
import type { ConnectorFailure, ConnectorStatus, CrmProvider, MemberRef } from '../../shared/wire-types.ts';
import { CHANGES_CHANNEL, requestSync } from './changes.ts';
import type { ConnectorConfig } from './config.ts';
import { HubSpotConnector } from './hubspot/connector.ts';
import { burstBudget, limitsFor, type HubSpotLimits, type HubSpotTier } from './hubspot/limits.ts';
import { reserve, usage } from './limiter.ts';
import { SecretKeyMissing } from './secret-key.ts';
import { getConnection, readToken, sealToken, setStatus, type Connection } from './store.ts';
import { ConnectorError, STREAMS, type AccessCheck, type AccountInfo, type CrmConnector } from './types.ts';

export const PROVIDER_NAMES: Record<CrmProvider, string> = { hubspot: 'HubSpot' };

/** The one place a provider name becomes an implementation: a Pipedrive connector would be added here. */
export function makeConnector(db: Queryable, cfg: ConnectorConfig, provider: CrmProvider, token: string, opts: { accountId: string | null; limits: HubSpotLimits }): CrmConnector {
  if (provider === 'hubspot') {
    // Before the account is known (connecting, testing a new token) the budget is the token's own.
    const budgetKey = opts.accountId ? `hubspot:${opts.accountId}` : `hubspot:token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
    return new HubSpotConnector({ token, db, budgetKey, limits: opts.limits, basePath: cfg.hubspotBase });
  }
  throw new Error(`no connector for ${provider}`);
}

export async function connectorFor(db: Queryable, cfg: ConnectorConfig, c: Connection): Promise<CrmConnector> {
  if (!cfg.secretKey) throw new SecretKeyMissing();
  const token = await readToken(db, cfg.secretKey, c);
  if (!token) throw new ConnectorError('unauthorized', 'no access token stored: connect again');
  return makeConnector(db, cfg, c.provider, token, { accountId: c.accountId, limits: c.limits });
}

export function accountOf(c: Connection): AccountInfo {
  return { accountId: c.accountId ?? '', uiDomain: c.uiDomain ?? 'app.hubspot.com' };
}

const TOKEN_SHAPE = /^[\x21-\x7e]{8,512}$/;

export interface ConnectResult {
  status: ConnectorStatus;
  checks: AccessCheck[];
}

/**
 * Tests the token against the CRM (account, then one read per kind of data), and only then stores it,
 * encrypted. Reconnecting to the same account keeps every link and cursor (nothing is imported or sent twice);
 * another account starts over.
 */
export async function connect(
  db: Db,
  cfg: ConnectorConfig,
  input: {
    teamId: string;
    memberId: string;
    provider: CrmProvider;
    token: string;
    tier?: HubSpotTier;
    /** What to send of the past: the last N days, 0 for nothing, null for everything. Unset: 90 days, or what a reconnected account had. */
    historyDays?: number | null;
  },
): Promise<ConnectResult> {
  if (!cfg.secretKey) throw new HttpError(503, 'secret_key_missing', new SecretKeyMissing().message);
  const token = input.token.trim();
  if (!TOKEN_SHAPE.test(token)) throw new HttpError(400, 'invalid_body', 'token: not an access token', 'token');
  const limits = limitsFor(input.tier ?? 'professional');
  let account: AccountInfo;
  let checks: AccessCheck[];
  try {
    // Which account this is, on the token's own budget; from then on the account's, which every process shares —
    // the first request counted there too, so the import that follows does not start with one over the limit.
    account = await makeConnector(db, cfg, input.provider, token, { accountId: null, limits }).account();
    await reserve(db, `${input.provider}:${account.accountId}:burst`, burstBudget(limits));
    checks = await makeConnector(db, cfg, input.provider, token, { accountId: account.accountId, limits }).checkAccess();
  } catch (err) {
    if (err instanceof ConnectorError) throw new HttpError(err.kind === 'unauthorized' ? 422 : 502, `crm_${err.kind.replace(/-/g, '_')}`, err.message, err.kind === 'unauthorized' ? 'token' : undefined);
    throw err;
  }
  const missing = checks.filter((c) => !c.ok);
  if (missing.length) {
    throw new HttpError(422, 'crm_missing_scopes', `the token cannot read ${missing.map((m) => m.what).join('; ')}: add these scopes to the private app`, 'token');
  }
  const sealed = sealToken(cfg.secretKey, input.teamId, input.provider, token);
  await db.transaction(async (tx) => {
    const [prev] = await tx.query<{ id: string; account_id: string | null; history_days: number | null }>(
      'SELECT id, account_id, history_days FROM connectors WHERE team_id = $1 AND provider = $2 FOR UPDATE',
      [input.teamId, input.provider],
    );
    const sameAccount = prev?.account_id === account.accountId;
    if (prev && !sameAccount) {
      await tx.query('DELETE FROM connector_records WHERE connector_id = $1', [prev.id]);
      await tx.query('DELETE FROM connector_cursors WHERE connector_id = $1', [prev.id]);
    }
    // Reconnecting the same account (a rotated token) keeps the history chosen before unless a new choice is given.
    const historyDays = input.historyDays !== undefined ? input.historyDays : sameAccount ? prev!.history_days : DEFAULT_HISTORY_DAYS;
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO connectors (team_id, provider, status, account_id, ui_domain, token_ciphertext, token_iv, token_tag, key_id, limits, connected_by)
       VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (team_id, provider) DO UPDATE SET status = 'active', paused_by = NULL, status_message = NULL,
         account_id = excluded.account_id, ui_domain = excluded.ui_domain, token_ciphertext = excluded.token_ciphertext,
         token_iv = excluded.token_iv, token_tag = excluded.token_tag, key_id = excluded.key_id, limits = excluded.limits,
         connected_by = excluded.connected_by, connected_at = now(), disconnected_at = NULL
       RETURNING id`,
      [input.teamId, input.provider, account.accountId, account.uiDomain, sealed.ciphertext, sealed.iv, sealed.tag, sealed.keyId, JSON.stringify(limits), input.memberId],
    );
    await chooseHistory(tx, input.teamId, row!.id, historyDays);
    await requeueWaiting(tx, input.teamId, row!.id);
    await requestSync(tx, input.teamId, row!.id);
  });
  return { status: await status(db, input.teamId, input.provider), checks };
}

/** What connecting sends of the past when the admin does not say: a quarter, enough for the context of open deals. */
export const DEFAULT_HISTORY_DAYS = 90;
/** The widest window a number of days can name (a century); null names everything. */
export const MAX_HISTORY_DAYS = 36_500;

// What falls in a window that starts at $3 (NULL: from the beginning): a log by when the conversation happened; an
// open heads-up or follow-up whatever its age (it is the current state of the customer), a closed or done one by
// when it was closed or done (a heads-up that lapsed at its `until`, by then).
const FLAG_ENDED = 'coalesce(t.closed_at, CASE WHEN t.until <= now() THEN t.until END)';
const IN_WINDOW: Record<'interaction' | 'flag' | 'task', { table: string; where: string }> = {
  interaction: { table: 'interactions', where: "t.source = 'liaison' AND ($3::timestamptz IS NULL OR t.occurred_at >= $3)" },
  flag: { table: 'flags', where: `($3::timestamptz IS NULL OR ${FLAG_ENDED} IS NULL OR ${FLAG_ENDED} >= $3)` },
  task: { table: 'tasks', where: '($3::timestamptz IS NULL OR t.done_at IS NULL OR t.done_at >= $3)' },
};

/**
 * Sets how much of the past goes out (`days`: the last N days; 0: nothing; null: everything) and marks what falls in
 * that window and the connector has no record of — logs, heads-ups and tasks recorded before this connection or while
 * it was disconnected — as waiting history. History still waiting that the new window leaves out is dropped: its
 * queued job finds no record and does nothing. Contacts follow as those records need them.
 */
async function chooseHistory(tx: Queryable, teamId: string, connectorId: string, days: number | null): Promise<void> {
  const [c] = await tx.query<{ from: string | null }>(
    `UPDATE connectors SET history_days = $2::int,
       history_from = CASE WHEN $2::int IS NULL THEN NULL ELSE now() - make_interval(days => $2::int) END
     WHERE id = $1 RETURNING history_from AS "from"`,
    [connectorId, days],
  );
  await tx.query(
    `DELETE FROM connector_records WHERE connector_id = $1 AND from_history AND state = 'pending' AND external_id IS NULL AND creating_since IS NULL`,
    [connectorId],
  );
  if (days === 0) return;
  for (const [entity, { table, where }] of Object.entries(IN_WINDOW)) {
    await tx.query(
      `INSERT INTO connector_records (connector_id, entity, local_id, origin, state, from_history)
       SELECT $2, '${entity}', t.id, 'local', 'pending', true FROM ${table} t
        WHERE t.team_id = $1 AND ${where}
          AND NOT EXISTS (SELECT 1 FROM connector_records r WHERE r.connector_id = $2 AND r.entity = '${entity}' AND r.local_id = t.id)
       ON CONFLICT DO NOTHING`,
      [teamId, connectorId, c!.from],
    );
  }
}

/**
 * Everything that was waiting to go out goes into the queue again (after a resume, a reconnect or a new history
 * window); history behind today's writes.
 */
async function requeueWaiting(tx: Queryable, teamId: string, connectorId: string): Promise<void> {
  await tx.query(
    `INSERT INTO connector_changes (team_id, entity, local_id, background)
     SELECT $1, entity, local_id, from_history FROM connector_records WHERE connector_id = $2 AND state IN ('pending', 'creating')`,
    [teamId, connectorId],
  );
  await tx.query(`SELECT pg_notify('${CHANGES_CHANNEL}', '')`);
}

/** The admin widens or narrows what goes out of the past, after connecting (see chooseHistory). */
export async function setHistory(db: Db, teamId: string, provider: CrmProvider, days: number | null): Promise<ConnectorStatus> {
  const c = await need(db, teamId, provider);
  await db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM connectors WHERE id = $1 FOR UPDATE', [c.id]);
    await chooseHistory(tx, teamId, c.id, days);
    await tx.query(
      `INSERT INTO connector_changes (team_id, entity, local_id, background)
       SELECT $1, entity, local_id, true FROM connector_records WHERE connector_id = $2 AND from_history AND state = 'pending'`,
      [teamId, c.id],
    );
    await tx.query(`SELECT pg_notify('${CHANGES_CHANNEL}', '')`);
  });
  return status(db, teamId, provider);
}

async function need(db: Queryable, teamId: string, provider: CrmProvider): Promise<Connection> {
  const c = await getConnection(db, teamId, provider);
  if (!c || c.status === 'disconnected') throw new HttpError(404, 'not_connected', `${PROVIDER_NAMES[provider]} is not connected`);
  return c;
}

export async function testConnection(db: Db, cfg: ConnectorConfig, teamId: string, provider: CrmProvider): Promise<{ ok: boolean; checks: AccessCheck[]; message: string | null }> {
  const c = await need(db, teamId, provider);
  try {
    const crm = await connectorFor(db, cfg, c);
    await crm.account();
    const checks = await crm.checkAccess();
    const ok = checks.every((x) => x.ok);
    if (ok && c.pausedBy === 'unauthorized') await setStatus(db, c.id, 'active', null, null);
    return { ok, checks, message: ok ? null : 'some data cannot be read: add the missing scopes to the private app' };
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'unauthorized') await pauseUnauthorized(db, c.id, err.message);
    if (err instanceof ConnectorError || err instanceof SecretKeyMissing || err instanceof Error) return { ok: false, checks: [], message: (err as Error).message };
    throw err;
  }
}

/** The CRM refused the token: the connector stops, and says so to the admin, until a new token is given. */
export async function pauseUnauthorized(db: Queryable, connectorId: string, message: string): Promise<void> {
  await db.query(`UPDATE connectors SET status = 'paused', paused_by = 'unauthorized', status_message = $2 WHERE id = $1 AND status = 'active'`, [connectorId, message]);
}

export async function pause(db: Db, teamId: string, provider: CrmProvider): Promise<ConnectorStatus> {
  const c = await need(db, teamId, provider);
  await setStatus(db, c.id, 'paused', 'admin', 'paused by an admin');
  return status(db, teamId, provider);
}

export async function resume(db: Db, teamId: string, provider: CrmProvider): Promise<ConnectorStatus> {
  const c = await need(db, teamId, provider);
  if (!c.hasToken) throw new HttpError(409, 'no_token', 'no access token stored: connect again');
  await db.transaction(async (tx) => {
    await setStatus(tx, c.id, 'active', null, null);
    await requeueWaiting(tx, teamId, c.id);
    await requestSync(tx, teamId, c.id);
  });
  return status(db, teamId, provider);
}

/** Forgets the token; links and cursors stay, so reconnecting the same account makes no duplicates. */
export async function disconnect(db: Db, teamId: string, provider: CrmProvider): Promise<ConnectorStatus> {
  await need(db, teamId, provider);
  await db.query(
    `UPDATE connectors SET status = 'disconnected', paused_by = NULL, status_message = NULL, token_ciphertext = NULL, token_iv = NULL,
       token_tag = NULL, key_id = NULL, disconnected_at = now() WHERE team_id = $1 AND provider = $2`,
    [teamId, provider],
  );
  return status(db, teamId, provider);
}

export async function syncNow(db: Db, teamId: string, provider: CrmProvider): Promise<ConnectorStatus> {
  const c = await need(db, teamId, provider);
  await requestSync(db, teamId, c.id);
  return status(db, teamId, provider);
}

export async function status(db: Queryable, teamId: string, provider: CrmProvider): Promise<ConnectorStatus> {
  const c = await getConnection(db, teamId, provider);
  const empty = { pending: 0, creating: 0, synced: 0, failed: 0, skipped: 0 };
  const limits = c?.limits ?? limitsFor('professional');
  if (!c) {
    return {
      provider, state: 'not-connected', pausedBy: null, message: null, account: null, connectedBy: null, connectedAt: null, phase: null, lastSyncAt: null, streams: [],
      outbound: empty, history: null, limits: { requestsPer10s: limits.requestsPer10s, searchPerSecond: limits.searchPerSecond, daily: limits.daily, usedToday: 0, rejected429: 0 },
    };
  }
  const counts = await db.query<{ state: keyof typeof empty; n: number }>(
    `SELECT state, count(*)::int AS n FROM connector_records WHERE connector_id = $1 AND origin = 'local' AND state <> 'deleted' GROUP BY state`,
    [c.id],
  );
  const outbound = { ...empty };
  for (const r of counts) if (r.state in outbound) outbound[r.state] = r.n;
  const past = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM connector_records WHERE connector_id = $1 AND from_history GROUP BY state`,
    [c.id],
  );
  const of = (...states: string[]) => past.filter((r) => states.includes(r.state)).reduce((sum, r) => sum + r.n, 0);
  const waiting = of('pending', 'creating');
  const streams = await db.query<ConnectorStatus['streams'][number] & { order: number }>(
    `SELECT stream, imported::int AS imported, full_done_at IS NOT NULL AS "firstImportDone", liaison_iso(since) AS since,
            liaison_iso(last_run_at) AS "lastRunAt", last_error AS "lastError"
       FROM connector_cursors WHERE connector_id = $1`,
    [c.id],
  );
  const order = new Map(STREAMS.map((s, i) => [s as string, i]));
  streams.sort((a, b) => (order.get(a.stream) ?? 99) - (order.get(b.stream) ?? 99));
  const [by] = await db.query<MemberRef>(`SELECT id::text AS id, name, email, department FROM members WHERE team_id = $1 AND id = $2`, [teamId, c.connectedBy]);
  const used = c.accountId ? await usage(db, `${provider}:${c.accountId}:burst`) : { usedToday: 0, rejected: 0 };
  const allDone = STREAMS.every((s) => streams.some((x) => x.stream === s && x.firstImportDone));
  const lastRun = streams.map((s) => s.lastRunAt).filter((x): x is string => !!x).sort().pop() ?? null;
  return {
    provider,
    state: c.status,
    pausedBy: c.pausedBy,
    message: c.statusMessage,
    account: c.accountId ? { id: c.accountId, uiDomain: c.uiDomain } : null,
    connectedBy: by ?? null,
    connectedAt: c.connectedAt,
    phase: allDone ? 'incremental' : 'first-import',
    lastSyncAt: lastRun,
    streams: streams.map(({ order: _o, ...s }) => s),
    outbound,
    history: {
      days: c.historyDays,
      from: c.historyFrom,
      queued: past.reduce((sum, r) => sum + r.n, 0),
      sent: of('synced'),
      waiting,
      failed: of('failed'),
      skipped: of('skipped', 'deleted'),
      minSecondsLeft: Math.ceil(waiting / (limits.requestsPer10s / 10)),
    },
    limits: { requestsPer10s: limits.requestsPer10s, searchPerSecond: limits.searchPerSecond, daily: limits.daily, usedToday: used.usedToday, rejected429: used.rejected },
  };
}

export async function failures(db: Queryable, teamId: string, provider: CrmProvider, limit = 100): Promise<ConnectorFailure[]> {
  const c = await getConnection(db, teamId, provider);
  if (!c) return [];
  return db.query<ConnectorFailure>(
    `SELECT entity, local_id::text AS "localId", state, reason, attempts, liaison_iso(updated_at) AS "updatedAt"
       FROM connector_records WHERE connector_id = $1 AND state IN ('failed', 'skipped') ORDER BY updated_at DESC LIMIT $2`,
    [c.id, limit],
  );
}

/** Sends failed (and skipped) records again: one, or all of them. */
export async function retryFailed(db: Db, teamId: string, provider: CrmProvider, only?: { entity: string; localId: string }): Promise<number> {
  const c = await need(db, teamId, provider);
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE connector_records SET state = 'pending', reason = NULL, version = version + 1, updated_at = now()
        WHERE connector_id = $1 AND state IN ('failed', 'skipped') AND ($2::text IS NULL OR (entity = $2 AND local_id = $3::bigint))
        RETURNING entity, local_id`,
      [c.id, only?.entity ?? null, only?.localId ?? null],
    );
    await tx.query(
      `INSERT INTO connector_changes (team_id, entity, local_id) SELECT $1, e, l FROM unnest($2::text[], $3::bigint[]) AS x(e, l)`,
      [teamId, rows.map((r) => r.entity), rows.map((r) => r.local_id)],
    );
    await tx.query(`SELECT pg_notify('${CHANGES_CHANNEL}', '')`);
    return rows.length;
  });
}
