/**
 * The one call the repo functions make when they write something a connector must send out (an interaction
 * logged or merged, attendance, a contact created or edited, a flag, a task): in the same transaction as the
 * write, mark the record pending and add it to the outbox (connector_changes). The hub's relay moves the outbox
 * into the job queue (runtime.ts); a team with no connector pays one indexed read.
 */
import type { Queryable } from '../db/index.ts';

export type ChangedEntity = 'contact' | 'company' | 'interaction' | 'flag' | 'task';

export const CHANGES_CHANNEL = 'liaison_connector_changes';

export async function noteChange(tx: Queryable, teamId: string, entity: ChangedEntity, localId: string): Promise<void> {
  await tx.query(
    `WITH c AS (SELECT id FROM connectors WHERE team_id = $1 AND status <> 'disconnected'),
          rec AS (INSERT INTO connector_records (connector_id, entity, local_id, origin, state)
                  SELECT c.id, $2, $3, 'local', 'pending' FROM c
                  ON CONFLICT (connector_id, entity, local_id) DO UPDATE SET
                    state = CASE WHEN connector_records.state IN ('synced', 'failed', 'skipped') THEN 'pending' ELSE connector_records.state END,
                    version = connector_records.version + 1, updated_at = now()
                  RETURNING 1),
          ch AS (INSERT INTO connector_changes (team_id, entity, local_id) SELECT $1, $2, $3 FROM c RETURNING 1)
     SELECT pg_notify('${CHANGES_CHANNEL}', '') FROM c`,
    [teamId, entity, localId],
  );
}

/** Asks the relay to run a sync step for this connector now (routes and CLI, which have no queue of their own). */
export async function requestSync(db: Queryable, teamId: string, connectorId: string): Promise<void> {
  await db.query(
    `WITH ch AS (INSERT INTO connector_changes (team_id, entity, local_id) VALUES ($1, 'sync', $2) RETURNING 1)
     SELECT pg_notify('${CHANGES_CHANNEL}', '')`,
    [teamId, connectorId],
  );
}
