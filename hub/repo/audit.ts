/**
 * The audit log: every admin action (who, what, on what, when), written in the same transaction as the action
 * itself where there is one, so an action and its record stand or fall together. Append-only: nothing updates or
 * deletes a row here (a team's deletion cascades).
 */
import type { Queryable } from '../db/index.ts';
import type { Principal } from '../auth.ts';
import type { AuditEntry, AuditPage } from '../../shared/web-types.ts';

/** Who acted: a member (by their principal) or the hub's command line on the server. */
export type Actor = Pick<Principal, 'memberId' | 'name' | 'email'> | 'command line';

export async function audit(db: Queryable, teamId: string, actor: Actor, action: string, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
  const [actorId, label] = actor === 'command line' ? [null, 'command line'] : [actor.memberId, `${actor.name} <${actor.email}>`];
  await db.query('INSERT INTO audit_log (team_id, actor_id, actor, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)', [
    teamId,
    actorId,
    label,
    action,
    target,
    JSON.stringify(details),
  ]);
}

const SELECT = `SELECT id::text AS id, liaison_iso(at) AS at, actor, actor_id::text AS "actorId", action, target, details FROM audit_log`;

/** Newest first, keyset-paginated by id. */
export async function listAudit(db: Queryable, teamId: string, opts: { limit: number; cursor?: string | null }): Promise<AuditPage> {
  const rows = await db.query<AuditEntry>(
    `${SELECT} WHERE team_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY audit_log.id DESC LIMIT $3`,
    [teamId, opts.cursor ?? null, opts.limit + 1],
  );
  const items = rows.slice(0, opts.limit);
  return { items, nextCursor: rows.length > opts.limit ? items[items.length - 1]!.id : null };
}

/** Everything, oldest first: the CSV export. Bounded so one request cannot hold a connection forever. */
export async function allAudit(db: Queryable, teamId: string, max = 100_000): Promise<AuditEntry[]> {
  return db.query<AuditEntry>(`${SELECT} WHERE team_id = $1 ORDER BY audit_log.id LIMIT $2`, [teamId, max]);
}

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula is prefixed with a quote (CSV injection). */
export function auditCsv(entries: AuditEntry[]): string {
  const cell = (value: unknown) => {
    let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [['id', 'at', 'actor', 'action', 'target', 'details'].join(',')];
  for (const e of entries) lines.push([e.id, e.at, e.actor, e.action, e.target, Object.keys(e.details).length ? e.details : ''].map(cell).join(','));
  return lines.join('\r\n') + '\r\n';
}
