/**
 * Logging interactions: idempotent by key, and merged when the same conversation or meeting is logged again by
 * a teammate (see domain/conversation.ts). Everything for one request happens in one transaction.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import type { Principal } from '../auth.ts';
import { conversationKey, CONVERSATION_WINDOW_DAYS } from '../domain/conversation.ts';
import { domainOf } from '../domain/emails.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { AttendanceStatus, Interaction, InteractionKind, LoggedRef, LogInteractionResponse, Logger, Rsvp, Task, TimelinePage } from '../../shared/wire-types.ts';
import { contactIdsByEmail } from './contacts.ts';
import { addressKey, lockKeys } from './locks.ts';
import { createTask, endedFlags } from './flags-tasks.ts';
import { noteChange } from '../connectors/changes.ts';
import { INTERACTION_SELECT, LOGGERS_OF } from './sql-fragments.ts';

export interface AttendanceInput {
  email: string;
  name?: string | null;
  status?: AttendanceStatus | null;
  rsvp?: Rsvp | null;
}

export interface LogInput {
  kind: InteractionKind;
  occurredAt: string;
  endsAt?: string | null;
  subject?: string | null;
  summary?: string | null;
  outcome?: string | null;
  sourceSite?: string | null;
  sourceRef?: string | null;
  participants: { email: string; name?: string | null }[];
  meeting?: { icalUid: string; recurrenceId?: string | null; sequence?: number | null };
  attendance?: AttendanceInput[];
  followUp?: { title: string; dueAt?: string | null } | null;
}

export async function getInteractions(db: Queryable, teamId: string, ids: string[]): Promise<Interaction[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ item: Interaction }>(
    `SELECT ${INTERACTION_SELECT} AS item FROM interactions i WHERE i.team_id = $1 AND i.id = ANY($2::bigint[])`,
    [teamId, ids],
  );
  const byId = new Map(rows.map((r) => [r.item.id, r.item]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function getInteraction(db: Queryable, teamId: string, id: string): Promise<Interaction> {
  const [found] = await getInteractions(db, teamId, [id]);
  if (!found) throw notFound('interaction');
  return found;
}

/** A stable hash of a request body: the same logical request with keys in another order hashes the same. */
export function requestHash(body: unknown): string {
  const canonical = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canonical)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as Record<string, unknown>)[k])]))
        : x;
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

export interface LogResult {
  status: number;
  body: LogInteractionResponse;
  replayed: boolean;
}

/**
 * POST /v1/interactions. The key is claimed first, inside the transaction: a concurrent request with the same
 * key blocks on the primary key until this one commits, then finds the stored answer and returns it. So 20
 * identical requests at once write exactly one row.
 */
export async function logInteraction(db: Db, who: Principal, key: string, input: LogInput): Promise<LogResult> {
  const hash = requestHash(input);
  return withUniqueRetry(() =>
    db.transaction(async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (team_id, member_id, key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING key`,
        [who.teamId, who.memberId, key, hash],
      );
      if (claimed.length === 0) {
        const [prev] = await tx.query<{ member_id: string; request_hash: string; status_code: number; response: LogInteractionResponse }>(
          'SELECT member_id, request_hash, status_code, response FROM idempotency_keys WHERE team_id = $1 AND key = $2',
          [who.teamId, key],
        );
        if (!prev || prev.member_id !== who.memberId || prev.request_hash !== hash) {
          throw new HttpError(422, 'idempotency_mismatch', 'this Idempotency-Key was already used with a different request', 'Idempotency-Key');
        }
        return { status: prev.status_code, body: prev.response, replayed: true };
      }
      const body = await writeInteraction(tx, who, input);
      const status = body.outcome === 'created' ? 201 : 200;
      await tx.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE team_id = $1 AND key = $2', [
        who.teamId,
        key,
        status,
        JSON.stringify(body),
      ]);
      return { status, body, replayed: false };
    }),
  );
}

/** A unique violation means a concurrent transaction won a race we serialise on; the retry then sees its row. */
async function withUniqueRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code === '23505' && attempt < 3) continue;
      throw err;
    }
  }
}

/** Who is a colleague: the team's domains and members. Read before locking (the conversation key needs it). */
async function colleagues(tx: Queryable, teamId: string, emails: string[]) {
  // Sequential on purpose: a transaction is one connection, and pg runs one query at a time on it.
  const domains = await tx.query<{ domain: string }>('SELECT domain FROM team_domains WHERE team_id = $1', [teamId]);
  const members = await tx.query<{ id: string; email: string }>('SELECT id, email FROM members WHERE team_id = $1 AND email = ANY($2::text[])', [teamId, emails]);
  const teamDomains = new Set(domains.map((d) => d.domain));
  const memberIds = new Map(members.map((m) => [m.email, m.id]));
  const isInternal = (email: string) => memberIds.has(email) || teamDomains.has(domainOf(email));
  return { memberIds, isInternal };
}

/** Colleagues and contacts for these addresses; read contacts only after locking the addresses. */
async function teamContext(tx: Queryable, teamId: string, emails: string[], known?: Awaited<ReturnType<typeof colleagues>>) {
  const c = known ?? (await colleagues(tx, teamId, emails));
  const contacts = await contactIdsByEmail(tx, teamId, emails);
  return { ...c, contacts };
}

async function writeInteraction(tx: Queryable, who: Principal, input: LogInput): Promise<LogInteractionResponse> {
  // Deduplicate participants by address; the first name given wins.
  const participants = new Map<string, string | null>();
  for (const p of input.participants) if (!participants.has(p.email) || !participants.get(p.email)) participants.set(p.email, p.name || null);
  for (const a of input.attendance ?? []) if (!participants.has(a.email)) participants.set(a.email, a.name || null);
  const emails = [...participants.keys()];
  const known = await colleagues(tx, who.teamId, emails);
  const external = emails.filter((e) => !known.isInternal(e));
  const convKey = input.kind === 'email' ? conversationKey(input.subject, external) : null;
  const uid = input.meeting?.icalUid ?? null;
  const recurrenceId = input.meeting?.recurrenceId ?? null;
  const site = input.sourceSite ?? null;
  const ref = input.sourceRef ?? null;
  // Serialise requests that could match the same conversation (two teammates logging it at the same moment
  // still make one interaction) and requests creating a contact for one of these people (the log then sees
  // the contact, or the contact's creation sees the log): see repo/locks.ts. One statement, one lock order.
  await lockKeys(tx, [
    ...(uid ? [`m:${who.teamId}:${uid}:${recurrenceId ?? ''}`] : []),
    ...(ref ? [`r:${who.teamId}:${site ?? ''}:${ref}`] : []),
    ...(convKey ? [`c:${who.teamId}:${convKey}`] : []),
    ...emails.map((e) => addressKey(who.teamId, e)),
  ]);
  const ctx = await teamContext(tx, who.teamId, emails, known);

  const existingId = await findExisting(tx, who, input, { uid, recurrenceId, site, ref, convKey });
  let outcome: LogInteractionResponse['outcome'];
  let id: string;
  if (existingId) {
    id = existingId;
    const added = await tx.query(
      `INSERT INTO interaction_loggers (interaction_id, team_id, member_id, department, source_site, source_ref)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING member_id`,
      [id, who.teamId, who.memberId, who.department, site, ref],
    );
    outcome = added.length ? 'merged' : 'unchanged';
    await tx.query(
      `UPDATE interactions SET
         summary = coalesce(summary, $3), outcome = coalesce(outcome, $4),
         -- A newer version of the invitation (higher SEQUENCE) moves the meeting and renames it.
         subject = CASE WHEN $5::bigint > coalesce(ical_sequence, -1) THEN coalesce($6, subject) ELSE subject END,
         occurred_at = CASE WHEN $5::bigint > coalesce(ical_sequence, -1) THEN $7::timestamptz ELSE occurred_at END,
         ends_at = CASE WHEN $5::bigint > coalesce(ical_sequence, -1) THEN coalesce($8::timestamptz, ends_at) ELSE ends_at END,
         ical_sequence = greatest(ical_sequence, $5::bigint)
       WHERE id = $1 AND team_id = $2`,
      [id, who.teamId, input.summary || null, input.outcome || null, input.meeting?.sequence ?? null, input.subject || null, input.occurredAt, input.endsAt ?? null],
    );
    if (input.meeting?.sequence != null) {
      await tx.query('UPDATE interaction_participants SET occurred_at = i.occurred_at FROM interactions i WHERE i.id = $1 AND interaction_id = $1', [id]);
    }
  } else {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO interactions (team_id, kind, occurred_at, ends_at, subject, summary, outcome, department, created_by,
                                 conversation_key, ical_uid, recurrence_id, ical_sequence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [who.teamId, input.kind, input.occurredAt, input.endsAt ?? null, input.subject || null, input.summary || null, input.outcome || null,
       who.department, who.memberId, convKey, uid, uid ? recurrenceId : null, input.meeting?.sequence ?? null],
    );
    id = row!.id;
    await tx.query(
      `INSERT INTO interaction_loggers (interaction_id, team_id, member_id, department, source_site, source_ref)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, who.teamId, who.memberId, who.department, site, ref],
    );
    outcome = 'created';
  }
  await tx.query(
    `INSERT INTO interaction_participants (interaction_id, team_id, email, name, contact_id, member_id, occurred_at, department)
     SELECT $1, $2, p.email, p.name, p.contact_id, p.member_id, i.occurred_at, i.department
       FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS p(email, name, contact_id, member_id)
       JOIN interactions i ON i.id = $1
     ON CONFLICT (interaction_id, email) DO UPDATE SET name = coalesce(interaction_participants.name, excluded.name)`,
    [id, who.teamId, emails, emails.map((e) => participants.get(e) ?? null), emails.map((e) => ctx.contacts.get(e) ?? null),
     emails.map((e) => ctx.memberIds.get(e) ?? null)],
  );
  if (input.attendance?.length) await upsertAttendance(tx, who, id, input.attendance, ctx);
  let followUp: Task | null = null;
  if (input.followUp) {
    // Linked to the conversation and to its first external contact, assigned to the logger.
    const contactId = external.map((e) => ctx.contacts.get(e)).find((c) => c != null) ?? null;
    followUp = await createTask(tx, who.teamId, who.memberId, { title: input.followUp.title, dueAt: input.followUp.dueAt ?? null, contactId, interactionId: id });
  }
  await noteChange(tx, who.teamId, 'interaction', id);
  return { interaction: await getInteraction(tx, who.teamId, id), outcome, ...(followUp ? { followUp } : {}) };
}

async function findExisting(
  tx: Queryable,
  who: Principal,
  input: LogInput,
  k: { uid: string | null; recurrenceId: string | null; site: string | null; ref: string | null; convKey: string | null },
): Promise<string | null> {
  if (k.uid) {
    const rows = await tx.query<{ id: string }>(
      `SELECT id FROM interactions WHERE team_id = $1 AND ical_uid = $2 AND coalesce(recurrence_id, '') = $3`,
      [who.teamId, k.uid, k.recurrenceId ?? ''],
    );
    // A meeting is identified by its UID alone: never fall through to subject matching.
    return rows[0]?.id ?? null;
  }
  if (k.ref) {
    const rows = await tx.query<{ interaction_id: string }>(
      `SELECT il.interaction_id FROM interaction_loggers il JOIN interactions i ON i.id = il.interaction_id
        WHERE il.team_id = $1 AND il.source_ref = $2 AND il.source_site IS NOT DISTINCT FROM $3 AND i.kind = $4
        ORDER BY il.interaction_id LIMIT 1`,
      [who.teamId, k.ref, k.site, input.kind],
    );
    if (rows[0]) return rows[0].interaction_id;
  }
  if (k.convKey) {
    // Same subject and external people, close in time, and not already this member's own different thread:
    // two distinct threads in one mailbox are two conversations even if they look alike.
    const rows = await tx.query<{ id: string }>(
      `SELECT i.id FROM interactions i
        WHERE i.team_id = $1 AND i.conversation_key = $2
          AND i.occurred_at BETWEEN $3::timestamptz - make_interval(days => $4) AND $3::timestamptz + make_interval(days => $4)
          AND NOT EXISTS (SELECT 1 FROM interaction_loggers il WHERE il.interaction_id = i.id AND il.member_id = $5
                            AND il.source_ref IS DISTINCT FROM $6)
        ORDER BY abs(extract(epoch FROM i.occurred_at - $3::timestamptz)) LIMIT 1`,
      [who.teamId, k.convKey, input.occurredAt, CONVERSATION_WINDOW_DAYS, who.memberId, k.ref],
    );
    if (rows[0]) return rows[0].id;
  }
  return null;
}

async function upsertAttendance(
  tx: Queryable,
  who: Principal,
  interactionId: string,
  entries: AttendanceInput[],
  ctx?: Awaited<ReturnType<typeof teamContext>>,
): Promise<void> {
  const byEmail = new Map(entries.map((e) => [e.email, e]));
  const emails = [...byEmail.keys()];
  const c = ctx ?? (await teamContext(tx, who.teamId, emails));
  const list = emails.map((e) => byEmail.get(e)!);
  await tx.query(
    `INSERT INTO attendance (interaction_id, team_id, email, name, contact_id, member_id, status, rsvp, recorded_by, occurred_at)
     SELECT $1, $2, a.email, a.name, a.contact_id, a.member_id, a.status, a.rsvp,
            CASE WHEN a.status IS NULL THEN NULL ELSE $3::bigint END, i.occurred_at
       FROM unnest($4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
              AS a(email, name, contact_id, member_id, status, rsvp)
       JOIN interactions i ON i.id = $1
     ON CONFLICT (interaction_id, email) DO UPDATE SET
       name = coalesce(excluded.name, attendance.name),
       status = coalesce(excluded.status, attendance.status),
       rsvp = coalesce(excluded.rsvp, attendance.rsvp),
       recorded_by = CASE WHEN excluded.status IS NULL THEN attendance.recorded_by ELSE excluded.recorded_by END,
       updated_at = now()`,
    [interactionId, who.teamId, who.memberId, emails, list.map((a) => a.name || null), emails.map((e) => c.contacts.get(e) ?? null),
     emails.map((e) => c.memberIds.get(e) ?? null), list.map((a) => a.status ?? null), list.map((a) => a.rsvp ?? null)],
  );
}

/** PUT /v1/interactions/:id/attendance: per-person attendance for a meeting, merged into what is there. */
export async function setAttendance(db: Db, who: Principal, interactionId: string, entries: AttendanceInput[]): Promise<Interaction> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ kind: string }>('SELECT kind FROM interactions WHERE team_id = $1 AND id = $2 FOR UPDATE', [who.teamId, interactionId]);
    if (!rows[0]) throw notFound('interaction');
    if (rows[0].kind !== 'meeting') throw new HttpError(409, 'not_a_meeting', 'attendance can only be recorded for a meeting');
    await lockKeys(tx, entries.map((e) => addressKey(who.teamId, e.email)));
    await upsertAttendance(tx, who, interactionId, entries);
    await tx.query(
      `INSERT INTO interaction_participants (interaction_id, team_id, email, name, contact_id, member_id, occurred_at, department)
       SELECT a.interaction_id, a.team_id, a.email, a.name, a.contact_id, a.member_id, a.occurred_at, i.department
         FROM attendance a JOIN interactions i ON i.id = a.interaction_id WHERE a.interaction_id = $1 ON CONFLICT DO NOTHING`,
      [interactionId],
    );
    await noteChange(tx, who.teamId, 'interaction', interactionId);
    return getInteraction(tx, who.teamId, interactionId);
  });
}

function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && /^\d{1,18}$/.test(id)) return [at, id];
  } catch {
    // fall through
  }
  throw new HttpError(400, 'invalid_query', 'cursor: not a cursor this hub issued', 'cursor');
}

/** A contact's timeline, newest first, keyset-paginated (stable while new interactions arrive). */
export async function timeline(db: Queryable, teamId: string, contactId: string, limit: number, cursor?: string): Promise<TimelinePage> {
  const exists = await db.query('SELECT 1 FROM contacts WHERE team_id = $1 AND id = $2', [teamId, contactId]);
  if (exists.length === 0) throw notFound('contact');
  const params: unknown[] = [teamId, contactId, limit + 1];
  let after = '';
  let upTo: string | null = null;
  if (cursor) {
    const [at, id] = decodeCursor(cursor);
    upTo = at;
    params.push(at, id);
    after = 'AND (ip.occurred_at, ip.interaction_id) < ($4::timestamptz, $5::bigint)';
  }
  const rows = await db.query<{ item: Interaction; at: string; id: string }>(
    `SELECT ${INTERACTION_SELECT} AS item, liaison_iso(ip.occurred_at) AS at, ip.interaction_id AS id
       FROM (SELECT ip.interaction_id, ip.occurred_at FROM interaction_participants ip
              WHERE ip.contact_id = $2 AND ip.team_id = $1 ${after}
              ORDER BY ip.occurred_at DESC, ip.interaction_id DESC LIMIT $3) ip
       JOIN interactions i ON i.id = ip.interaction_id
      ORDER BY ip.occurred_at DESC, ip.interaction_id DESC`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const more = rows.length > limit && last != null;
  // Issue 12: heads-ups that ended within this page's span of time are entries of it. The spans of consecutive
  // pages meet without overlapping ([this page's oldest item, the previous page's oldest)), so each shows once.
  const ended = await endedFlags(db, teamId, contactId, more ? last.at : null, upTo);
  return { items: page.map((r) => r.item), nextCursor: more ? encodeCursor(last.at, last.id) : null, endedFlags: ended };
}

/** Which of these thread ids / conversation ids / iCalendar UIDs the team has logged, and by whom. */
export async function loggedRefs(db: Queryable, teamId: string, refs: string[]): Promise<LoggedRef[]> {
  const rows = await db.query<{ ref: string; interaction_id: string; loggers: Logger[] }>(
    `SELECT r.ref, x.interaction_id::text AS interaction_id, ${LOGGERS_OF('i')} AS loggers
       FROM unnest($2::text[]) AS r(ref)
       JOIN LATERAL (
         SELECT il.interaction_id FROM interaction_loggers il WHERE il.team_id = $1 AND il.source_ref = r.ref
         UNION
         SELECT m.id FROM interactions m WHERE m.team_id = $1 AND m.ical_uid = r.ref
         ORDER BY 1 LIMIT 1) x ON true
       JOIN interactions i ON i.id = x.interaction_id`,
    [teamId, [...new Set(refs)]],
  );
  return rows.map((r) => ({ ref: r.ref, interactionId: r.interaction_id, loggers: r.loggers }));
}
