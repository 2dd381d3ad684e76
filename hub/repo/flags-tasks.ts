/** Flags on contacts (open service issue, do not contact…) and follow-up tasks. */
import type { Queryable } from '../db/index.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { Flag, Task } from '../../shared/wire-types.ts';
import { memberRef } from './sql-fragments.ts';
import { noteChange } from '../connectors/changes.ts';

const FLAG_SELECT = `json_build_object(
  'id', f.id::text, 'kind', f.kind, 'note', f.note, 'open', f.closed_at IS NULL,
  'setBy', ${memberRef('sb')}, 'setAt', liaison_iso(f.set_at),
  'closedBy', CASE WHEN cb.id IS NULL THEN NULL ELSE ${memberRef('cb')} END, 'closedAt', liaison_iso(f.closed_at))`;

async function getFlag(db: Queryable, teamId: string, id: string): Promise<Flag> {
  const [row] = await db.query<{ flag: Flag }>(
    `SELECT ${FLAG_SELECT} AS flag FROM flags f JOIN members sb ON sb.id = f.set_by LEFT JOIN members cb ON cb.id = f.closed_by
      WHERE f.team_id = $1 AND f.id = $2`,
    [teamId, id],
  );
  if (!row) throw notFound('flag');
  return row.flag;
}

export async function setFlag(db: Queryable, teamId: string, memberId: string, contactId: string, kind: string, note: string | null): Promise<Flag> {
  const contact = await db.query('SELECT 1 FROM contacts WHERE team_id = $1 AND id = $2', [teamId, contactId]);
  if (contact.length === 0) throw notFound('contact');
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO flags (team_id, contact_id, kind, note, set_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [teamId, contactId, kind, note, memberId],
  );
  await noteChange(db, teamId, 'flag', row!.id);
  return getFlag(db, teamId, row!.id);
}

/** Closing is idempotent: closing a closed flag answers it as it is. */
export async function closeFlag(db: Queryable, teamId: string, memberId: string, flagId: string): Promise<Flag> {
  const closed = await db.query('UPDATE flags SET closed_at = now(), closed_by = $3 WHERE team_id = $1 AND id = $2 AND closed_at IS NULL RETURNING id', [teamId, flagId, memberId]);
  if (closed.length) await noteChange(db, teamId, 'flag', flagId);
  return getFlag(db, teamId, flagId);
}

const TASK_SELECT = `json_build_object(
  'id', t.id::text, 'title', t.title, 'dueAt', liaison_iso(t.due_at),
  'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE ${memberRef('a')} END,
  'contactId', t.contact_id::text, 'interactionId', t.interaction_id::text,
  'createdBy', ${memberRef('cr')}, 'createdAt', liaison_iso(t.created_at),
  'doneAt', liaison_iso(t.done_at), 'doneBy', CASE WHEN d.id IS NULL THEN NULL ELSE ${memberRef('d')} END)`;
const TASK_FROM = `tasks t JOIN members cr ON cr.id = t.created_by LEFT JOIN members a ON a.id = t.assignee_id
  LEFT JOIN members d ON d.id = t.done_by`;

async function getTask(db: Queryable, teamId: string, id: string): Promise<Task> {
  const [row] = await db.query<{ task: Task }>(`SELECT ${TASK_SELECT} AS task FROM ${TASK_FROM} WHERE t.team_id = $1 AND t.id = $2`, [teamId, id]);
  if (!row) throw notFound('task');
  return row.task;
}

export interface NewTask {
  title: string;
  dueAt?: string | null;
  assigneeId?: string | null;
  contactId?: string | null;
  interactionId?: string | null;
}

export async function createTask(db: Queryable, teamId: string, memberId: string, t: NewTask): Promise<Task> {
  // Each reference must be the team's own; the answer does not say whether it exists in another team.
  const checks: [string | null | undefined, string, string][] = [
    [t.assigneeId, 'members', 'assigneeId'],
    [t.contactId, 'contacts', 'contactId'],
    [t.interactionId, 'interactions', 'interactionId'],
  ];
  for (const [id, table, field] of checks) {
    if (id == null) continue;
    const rows = await db.query(`SELECT 1 FROM ${table} WHERE team_id = $1 AND id = $2`, [teamId, id]);
    if (rows.length === 0) throw new HttpError(400, 'invalid_body', `${field}: not found`, field);
  }
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO tasks (team_id, title, due_at, assignee_id, contact_id, interaction_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [teamId, t.title, t.dueAt ?? null, t.assigneeId ?? memberId, t.contactId ?? null, t.interactionId ?? null, memberId],
  );
  await noteChange(db, teamId, 'task', row!.id);
  return getTask(db, teamId, row!.id);
}

export async function completeTask(db: Queryable, teamId: string, memberId: string, taskId: string): Promise<Task> {
  const done = await db.query('UPDATE tasks SET done_at = now(), done_by = $3 WHERE team_id = $1 AND id = $2 AND done_at IS NULL RETURNING id', [teamId, taskId, memberId]);
  if (done.length) await noteChange(db, teamId, 'task', taskId);
  return getTask(db, teamId, taskId);
}

export async function listTasks(db: Queryable, teamId: string, memberId: string, status: 'open' | 'done' | 'all', assignee: 'me' | 'all'): Promise<Task[]> {
  const where = ['t.team_id = $1'];
  const params: unknown[] = [teamId];
  if (status === 'open') where.push('t.done_at IS NULL');
  if (status === 'done') where.push('t.done_at IS NOT NULL');
  if (assignee === 'me') {
    params.push(memberId);
    where.push(`t.assignee_id = $${params.length}`);
  }
  const rows = await db.query<{ task: Task }>(
    `SELECT ${TASK_SELECT} AS task FROM ${TASK_FROM} WHERE ${where.join(' AND ')}
      ORDER BY t.done_at IS NOT NULL, t.due_at NULLS LAST, t.id LIMIT 500`,
    params,
  );
  return rows.map((r) => r.task);
}
