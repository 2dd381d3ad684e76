/** The connector tables (migration 0007): connections, links, cursors. Every statement is scoped by connector or team. */
import type { Queryable } from '../db/index.ts';
import type { CrmProvider } from '../../shared/wire-types.ts';
import type { HubSpotLimits } from './hubspot/limits.ts';
import { open, seal, type SecretKey } from './secret-key.ts';
import type { Stream } from './types.ts';

export interface Connection {
  id: string;
  teamId: string;
  provider: CrmProvider;
  status: 'active' | 'paused' | 'disconnected';
  pausedBy: 'admin' | 'unauthorized' | null;
  statusMessage: string | null;
  accountId: string | null;
  uiDomain: string | null;
  limits: HubSpotLimits;
  connectedBy: string;
  connectedAt: string;
  hasToken: boolean;
  /** What goes out of the past: the last N days (0: nothing; null: everything), from this instant (null: all). */
  historyDays: number | null;
  historyFrom: string | null;
}

const CONNECTION_SELECT = `id::text AS id, team_id::text AS "teamId", provider, status, paused_by AS "pausedBy",
  status_message AS "statusMessage", account_id AS "accountId", ui_domain AS "uiDomain", limits,
  connected_by::text AS "connectedBy", liaison_iso(connected_at) AS "connectedAt", token_ciphertext IS NOT NULL AS "hasToken",
  history_days AS "historyDays", liaison_iso(history_from) AS "historyFrom"`;

export async function getConnection(db: Queryable, teamId: string, provider: string): Promise<Connection | null> {
  const [row] = await db.query<Connection>(`SELECT ${CONNECTION_SELECT} FROM connectors WHERE team_id = $1 AND provider = $2`, [teamId, provider]);
  return row ?? null;
}

export async function getConnectionById(db: Queryable, id: string): Promise<Connection | null> {
  const [row] = await db.query<Connection>(`SELECT ${CONNECTION_SELECT} FROM connectors WHERE id = $1`, [id]);
  return row ?? null;
}

export async function activeConnections(db: Queryable): Promise<Connection[]> {
  return db.query<Connection>(`SELECT ${CONNECTION_SELECT} FROM connectors WHERE status = 'active' ORDER BY id`);
}

const context = (teamId: string, provider: string) => `liaison-connector:${teamId}:${provider}`;

export function sealToken(key: SecretKey, teamId: string, provider: string, token: string) {
  return seal(key, token, context(teamId, provider));
}

export async function readToken(db: Queryable, key: SecretKey, c: Connection): Promise<string | null> {
  const [row] = await db.query<{ ct: Buffer | null; iv: Buffer | null; tag: Buffer | null; key_id: string | null }>(
    'SELECT token_ciphertext AS ct, token_iv AS iv, token_tag AS tag, key_id FROM connectors WHERE id = $1',
    [c.id],
  );
  if (!row?.ct || !row.iv || !row.tag || !row.key_id) return null;
  return open(key, { ciphertext: row.ct, iv: row.iv, tag: row.tag, keyId: row.key_id }, context(c.teamId, c.provider));
}

export async function setStatus(
  db: Queryable,
  connectorId: string,
  status: Connection['status'],
  pausedBy: Connection['pausedBy'],
  message: string | null,
): Promise<void> {
  await db.query('UPDATE connectors SET status = $2, paused_by = $3, status_message = $4 WHERE id = $1', [connectorId, status, pausedBy, message]);
}

export interface Cursor {
  stream: Stream;
  fullAfter: string | null;
  fullStartedAt: string | null;
  fullDoneAt: string | null;
  since: string | null;
  archivedScannedAt: string | null;
}

export async function getCursors(db: Queryable, connectorId: string): Promise<Map<Stream, Cursor>> {
  const rows = await db.query<Cursor>(
    `SELECT stream, full_after AS "fullAfter", liaison_iso(full_started_at) AS "fullStartedAt", liaison_iso(full_done_at) AS "fullDoneAt",
            liaison_iso(since) AS since, liaison_iso(archived_scanned_at) AS "archivedScannedAt"
       FROM connector_cursors WHERE connector_id = $1`,
    [connectorId],
  );
  return new Map(rows.map((r) => [r.stream, r]));
}

export async function saveCursor(
  db: Queryable,
  connectorId: string,
  stream: Stream,
  patch: { fullAfter?: string | null; fullStartedAt?: string | null; fullDone?: boolean; since?: string | null; archivedScanned?: boolean; imported?: number; error?: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO connector_cursors (connector_id, stream, full_after, full_started_at, full_done_at, since, archived_scanned_at, last_run_at, last_error, imported)
     VALUES ($1, $2, $3, $4::timestamptz, CASE WHEN $5 THEN now() END, $6::timestamptz, CASE WHEN $7 THEN now() END, now(), $8, coalesce($9, 0))
     ON CONFLICT (connector_id, stream) DO UPDATE SET
       full_after = CASE WHEN $10 THEN excluded.full_after ELSE connector_cursors.full_after END,
       full_started_at = coalesce(connector_cursors.full_started_at, excluded.full_started_at),
       full_done_at = coalesce(connector_cursors.full_done_at, excluded.full_done_at),
       since = CASE WHEN $6::timestamptz IS NULL THEN connector_cursors.since ELSE greatest(connector_cursors.since, $6::timestamptz) END,
       archived_scanned_at = coalesce(excluded.archived_scanned_at, connector_cursors.archived_scanned_at),
       last_run_at = now(),
       last_error = $8,
       imported = connector_cursors.imported + coalesce($9, 0)`,
    [
      connectorId,
      stream,
      patch.fullAfter ?? null,
      patch.fullStartedAt ?? null,
      patch.fullDone === true,
      patch.since ?? null,
      patch.archivedScanned === true,
      patch.error ?? null,
      patch.imported ?? null,
      patch.fullAfter !== undefined,
    ],
  );
}

export interface LinkRow {
  entity: string;
  localId: string;
  externalId: string | null;
  origin: 'remote' | 'local';
  state: string;
  remote: Record<string, unknown> | null;
}

/** Local ids linked to these external ids. */
export async function linksByExternal(db: Queryable, connectorId: string, externalType: string, ids: string[]): Promise<Map<string, LinkRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<LinkRow>(
    `SELECT entity, local_id::text AS "localId", external_id AS "externalId", origin, state, remote
       FROM connector_records WHERE connector_id = $1 AND external_type = $2 AND external_id = ANY($3::text[])`,
    [connectorId, externalType, ids],
  );
  return new Map(rows.map((r) => [r.externalId!, r]));
}

export async function linksByLocal(db: Queryable, connectorId: string, entity: string, ids: string[]): Promise<Map<string, LinkRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<LinkRow>(
    `SELECT entity, local_id::text AS "localId", external_id AS "externalId", origin, state, remote
       FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = ANY($3::bigint[])`,
    [connectorId, entity, ids],
  );
  return new Map(rows.map((r) => [r.localId, r]));
}

export interface LinkWrite {
  entity: string;
  localId: string;
  externalType: string;
  externalId: string;
  url: string | null;
  origin: 'remote' | 'local';
  remote: unknown;
  remoteUpdatedAt: string | null;
}

/** Records these links as synced (one statement for a page). */
export async function writeLinks(db: Queryable, connectorId: string, links: LinkWrite[]): Promise<void> {
  if (links.length === 0) return;
  await db.query(
    `INSERT INTO connector_records (connector_id, entity, local_id, external_type, external_id, url, origin, state, remote, remote_updated_at, synced_at)
     SELECT $1, l.entity, l.local_id, l.external_type, l.external_id, l.url, l.origin, 'synced', l.remote, l.remote_updated_at, now()
       FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
            AS l(entity, local_id, external_type, external_id, url, origin, remote, remote_updated_at)
     ON CONFLICT (connector_id, entity, local_id) DO UPDATE SET
       external_type = excluded.external_type, external_id = excluded.external_id, url = excluded.url,
       state = CASE WHEN connector_records.state = 'pending' AND connector_records.origin = 'local' THEN 'pending' ELSE 'synced' END,
       reason = NULL, remote = excluded.remote, remote_updated_at = excluded.remote_updated_at, synced_at = now(),
       creating_since = NULL, updated_at = now()`,
    [
      connectorId,
      links.map((l) => l.entity),
      links.map((l) => l.localId),
      links.map((l) => l.externalType),
      links.map((l) => l.externalId),
      links.map((l) => l.url),
      links.map((l) => l.origin),
      links.map((l) => JSON.stringify(l.remote ?? null)),
      links.map((l) => l.remoteUpdatedAt),
    ],
  );
}

export async function hasRecord(db: Queryable, connectorId: string, entity: string, localId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3', [connectorId, entity, localId]);
  return rows.length > 0;
}

/** The record's change counter, read when a push starts. */
export async function recordVersion(db: Queryable, connectorId: string, entity: string, localId: string): Promise<string> {
  const [row] = await db.query<{ version: string }>('SELECT version FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3', [connectorId, entity, localId]);
  return row?.version ?? '0';
}

/** A push is done: synced, unless a newer change arrived meanwhile (its own job is queued; the record stays pending). */
export async function finishPush(db: Queryable, connectorId: string, entity: string, localId: string, version: string): Promise<void> {
  await db.query(
    `UPDATE connector_records SET state = CASE WHEN version = $4 THEN 'synced' ELSE 'pending' END, reason = NULL, creating_since = NULL, updated_at = now()
      WHERE connector_id = $1 AND entity = $2 AND local_id = $3 AND external_id IS NOT NULL AND state NOT IN ('deleted', 'skipped')`,
    [connectorId, entity, localId, version],
  );
}

/** A transient failure: the reason is shown, the state (and any unsettled create) is left as it is. */
export async function noteAttempt(db: Queryable, connectorId: string, entity: string, localId: string, reason: string): Promise<void> {
  await db.query('UPDATE connector_records SET reason = $4, attempts = attempts + 1, updated_at = now() WHERE connector_id = $1 AND entity = $2 AND local_id = $3', [
    connectorId,
    entity,
    localId,
    reason,
  ]);
}

export async function markRecord(
  db: Queryable,
  connectorId: string,
  entity: string,
  localId: string,
  patch: { state: string; reason?: string | null; attempts?: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO connector_records (connector_id, entity, local_id, origin, state, reason, attempts)
     VALUES ($1, $2, $3, 'local', $4, $5, CASE WHEN $6 THEN 1 ELSE 0 END)
     ON CONFLICT (connector_id, entity, local_id) DO UPDATE SET state = $4, reason = $5,
       attempts = connector_records.attempts + CASE WHEN $6 THEN 1 ELSE 0 END, updated_at = now()`,
    [connectorId, entity, localId, patch.state, patch.reason ?? null, patch.attempts === true],
  );
}
