/** Flags on contacts (open service issue, do not contact…) and follow-up tasks. */
import type { Queryable } from '../db/index.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { Flag, Task } from '../../shared/wire-types.ts';
import { FLAG_JSON, FLAG_JOINS, memberRef } from './sql-fragments.ts';
import { noteChange } from '../connectors/changes.ts';

async function getFlag(db: Queryable, teamId: string, id: string): Promise<Flag> {
  const [row] = await db.query<{ flag: Flag }>(`SELECT ${FLAG_JSON} AS flag FROM flags f ${FLAG_JOINS} WHERE f.team_id = $1 AND f.id = $2`, [teamId, id]);
  if (!row) throw notFound('flag');
  return row.flag;
}

/** A heads-up on one contact; `until`: when it lapses by itself (null: until someone closes it). */
export async function setFlag(
  db: Queryable,
  teamId: string,
  memberId: string,
  contactId: string,
  kind: string,
  note: string | null,
  until: string | null = null,
): Promise<Flag> {
  const contact = await db.query('SELECT 1 FROM contacts WHERE team_id = $1 AND id = $2', [teamId, contactId]);
  if (contact.length === 0) throw notFound('contact');
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO flags (team_id, contact_id, kind, note, set_by, until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [teamId, contactId, kind, note || null, memberId, until],
  );
  await noteChange(db, teamId, 'flag', row!.id);
  return getFlag(db, teamId, row!.id);
}

/** Issue 12: a heads-up on a whole company: every contact of the company shows it. */
export async function setCompanyFlag(
  db: Queryable,
  teamId: string,
  memberId: string,
  companyId: string,
  kind: string,
  note: string | null,
  until: string | null = null,
): Promise<Flag> {
  const company = await db.query('SELECT 1 FROM companies WHERE team_id = $1 AND id = $2', [teamId, companyId]);
  if (company.length === 0) throw notFound('company');
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO flags (team_id, company_id, kind, note, set_by, until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [teamId, companyId, kind, note || null, memberId, until],
  );
  await noteChange(db, teamId, 'flag', row!.id);
  return getFlag(db, teamId, row!.id);
}

/**
 * Closing is idempotent: closing a closed flag answers it as it is. Two people closing one flag at once: the row
 * lock of the UPDATE queues the second, which then finds it closed and changes nothing — the first closer and
 * their resolution stand, and both are answered with them.
 */
export async function closeFlag(db: Queryable, teamId: string, memberId: string, flagId: string, resolution: string | null = null): Promise<Flag> {
  const closed = await db.query(
    'UPDATE flags SET closed_at = now(), closed_by = $3, resolution = $4 WHERE team_id = $1 AND id = $2 AND closed_at IS NULL RETURNING id',
    [teamId, flagId, memberId, resolution || null],
  );
  if (closed.length) await noteChange(db, teamId, 'flag', flagId);
  return getFlag(db, teamId, flagId);
}

/**
 * Heads-ups on a contact or its company that ended (closed, or lapsed at `until`) within [from, to), newest first:
 * the closed heads-ups a timeline page shows among its interactions. Null bounds are open.
 */
export async function endedFlags(db: Queryable, teamId: string, contactId: string, from: string | null, to: string | null): Promise<Flag[]> {
  const rows = await db.query<{ flag: Flag }>(
    `SELECT ${FLAG_JSON} AS flag FROM flags f ${FLAG_JOINS}
      WHERE f.team_id = $1
        AND (f.contact_id = $2 OR f.company_id = (SELECT company_id FROM contacts WHERE team_id = $1 AND id = $2))
        AND least(f.closed_at, f.until) <= now()
        AND ($3::timestamptz IS NULL OR least(f.closed_at, f.until) >= $3::timestamptz)
        AND ($4::timestamptz IS NULL OR least(f.closed_at, f.until) < $4::timestamptz)
      ORDER BY least(f.closed_at, f.until) DESC, f.id DESC LIMIT 100`,
    [teamId, contactId, from, to],
  );
  return rows.map((r) => r.flag);
}

const TASK_SELECT = `json_build_object(
  'id', t.id::text, 'title', t.title, 'dueAt', liaison_iso(t.due_at),
  'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE ${memberRef('a')} END,
  'contactId', t.contact_id::text, 'interactionId', t.interaction_id::text,
  'createdBy', ${memberRef('cr')}, 'createdAt', liaison_iso(t.created_at),
  'doneAt', liaison_iso(t.done_at), 'doneBy', CASE WHEN d.id IS NULL THEN NULL ELSE ${memberRef('d')} END,
  'contact', CASE WHEN tc.id IS NULL THEN NULL ELSE json_build_object('id', tc.id::text, 'name', tc.name,
      'email', (SELECT ce.email FROM contact_emails ce WHERE ce.contact_id = tc.id ORDER BY ce.position, ce.email LIMIT 1)) END)`;
const TASK_FROM = `tasks t JOIN members cr ON cr.id = t.created_by LEFT JOIN members a ON a.id = t.assignee_id
  LEFT JOIN members d ON d.id = t.done_by LEFT JOIN contacts tc ON tc.id = t.contact_id`;

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

/** Issue 12: narrowed to one contact's tasks, or to one member's. */
export interface TaskFilter {
  contactId?: string;
  assigneeId?: string;
}

/** Open first, by due date: overdue tasks (the earliest due) lead. */
export async function listTasks(
  db: Queryable,
  teamId: string,
  memberId: string,
  status: 'open' | 'done' | 'all',
  assignee: 'me' | 'all',
  filter: TaskFilter = {},
): Promise<Task[]> {
  const where = ['t.team_id = $1'];
  const params: unknown[] = [teamId];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    where.push(condition.replace('?', `$${params.length}`));
  };
  if (status === 'open') where.push('t.done_at IS NULL');
  if (status === 'done') where.push('t.done_at IS NOT NULL');
  if (assignee === 'me') add('t.assignee_id = ?', memberId);
  if (filter.assigneeId) add('t.assignee_id = ?', filter.assigneeId);
  if (filter.contactId) add('t.contact_id = ?', filter.contactId);
  const rows = await db.query<{ task: Task }>(
    `SELECT ${TASK_SELECT} AS task FROM ${TASK_FROM} WHERE ${where.join(' AND ')}
      ORDER BY t.done_at IS NOT NULL, t.due_at NULLS LAST, t.id LIMIT 500`,
    params,
  );
  return rows.map((r) => r.task);
}
