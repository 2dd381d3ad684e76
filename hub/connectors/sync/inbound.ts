/**
 * CRM → hub: the first import, then the incremental sync, of owners, companies, contacts and engagements, written
 * into the team's own tables so that the sidebar's answers never wait on the CRM.
 *
 * - First import: each stream is listed page by page (the list endpoints give 100 per page and only count towards
 *   the burst limit; search would give 200 but is held to a few requests per second). Streams run in phases —
 *   owners and companies, then contacts, then the five engagement kinds at once — because later ones refer to
 *   earlier ones; within a stream the next page is fetched while the last one is written. The cursor is saved in
 *   the page's transaction: a crash or restart resumes at the page it stopped at.
 * - Incremental: CRM search, "modified at or after `since`", oldest change first. Listing cannot filter by
 *   modification time, so search is the only way short of re-reading everything. `since` starts a few minutes
 *   before the first import began (changes made during it are caught) and every cycle looks back a few minutes
 *   (search is indexed a little after a write). Search stops at 10,000 results: past that the query restarts from
 *   the latest modification time seen.
 * - Deletions come from the archived lists (search does not return archived records), scanned every so often;
 *   merges from the surviving contact's list of merged ids.
 *
 * Conflict rules (README "Connect HubSpot"): the CRM wins for contact fields — a field changed there replaces
 * Liaison's, a field unchanged there keeps Liaison's edit, which is sent out; Liaison wins for what it made
 * (its logs, attendance, heads-ups, tasks): copies of those in the CRM are never written back over the original.
 */
import { domainOf, normalizeEmail } from '../../domain/emails.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { addressKey, lockKeys } from '../../repo/locks.ts';
import { companyNameFromDomain, isFreeMailDomain } from '../../domain/emails.ts';
import type { Department } from '../../../shared/wire-types.ts';
import {
  ENGAGEMENT_STREAMS,
  type AccountInfo,
  type CrmConnector,
  type EngagementStream,
  type Page,
  type RemoteCompany,
  type RemoteContact,
  type RemoteEngagement,
  type RemoteOwner,
  type RemoteRecord,
  type Stream,
} from '../types.ts';
import { getCursors, linksByExternal, linksByLocal, saveCursor, writeLinks, type Connection, type LinkWrite } from '../store.ts';

export interface SyncContext {
  db: Db;
  conn: Connection;
  crm: CrmConnector;
  account: AccountInfo;
  /** How far back each incremental cycle looks, ms. */
  overlapMs?: number;
  /** How often deletions are looked for, ms. */
  archivedEveryMs?: number;
}

const OVERLAP_MS = 5 * 60_000;
const ARCHIVED_EVERY_MS = 60 * 60_000;
export const MARKER_RE = /liaison:([ift]):(\d{1,18})/;
const MARKER_ENTITY = { i: 'interaction', f: 'flag', t: 'task' } as const;

const KIND: Record<Exclude<EngagementStream, 'tasks'>, string> = { emails: 'email', meetings: 'meeting', calls: 'call', notes: 'note' };
const MEETING_OUTCOME: Record<string, string> = { SCHEDULED: 'scheduled', COMPLETED: 'completed', RESCHEDULED: 'rescheduled', NO_SHOW: 'no-show', CANCELED: 'cancelled' };
const cut = (s: string | null | undefined, n: number) => (s ? s.replace(/\u0000/g, '').slice(0, n) : null);

interface TeamFacts {
  domains: Set<string>;
  members: Map<string, { id: string; department: Department }>;
  fallback: { id: string; department: Department };
}

async function teamFacts(db: Queryable, conn: Connection): Promise<TeamFacts> {
  const domains = await db.query<{ domain: string }>('SELECT domain FROM team_domains WHERE team_id = $1', [conn.teamId]);
  const members = await db.query<{ id: string; email: string; department: Department }>('SELECT id, email, department FROM members WHERE team_id = $1', [conn.teamId]);
  const fallback = members.find((m) => m.id === conn.connectedBy) ?? members[0]!;
  return {
    domains: new Set(domains.map((d) => d.domain)),
    members: new Map(members.map((m) => [m.email, { id: m.id, department: m.department }])),
    fallback: { id: fallback.id, department: fallback.department },
  };
}

const internal = (f: TeamFacts, email: string) => f.members.has(email) || f.domains.has(domainOf(email));

/** Owner id → member, through the owner links. */
async function ownerMembers(db: Queryable, connectorId: string, ownerIds: string[]): Promise<Map<string, { id: string; department: Department }>> {
  const ids = [...new Set(ownerIds.filter(Boolean))];
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ external_id: string; id: string; department: Department }>(
    `SELECT r.external_id, m.id, m.department FROM connector_records r JOIN members m ON m.id = r.local_id
      WHERE r.connector_id = $1 AND r.entity = 'member' AND r.external_id = ANY($2::text[])`,
    [connectorId, ids],
  );
  return new Map(rows.map((r) => [r.external_id, { id: r.id, department: r.department }]));
}

// ---------------------------------------------------------------------------------------------------- owners

export async function applyOwners(tx: Queryable, ctx: SyncContext, owners: RemoteOwner[]): Promise<number> {
  const facts = await teamFacts(tx, ctx.conn);
  const gone = owners.filter((o) => o.archived).map((o) => o.id);
  if (gone.length) {
    await tx.query(`DELETE FROM connector_records WHERE connector_id = $1 AND entity = 'member' AND external_id = ANY($2::text[])`, [ctx.conn.id, gone]);
  }
  const links: LinkWrite[] = [];
  for (const o of owners) {
    const m = !o.archived && o.email ? facts.members.get(o.email) : undefined;
    if (m) links.push({ entity: 'member', localId: m.id, externalType: 'owners', externalId: o.id, url: null, origin: 'remote', remote: { email: o.email }, remoteUpdatedAt: null });
  }
  // A member matched to another owner id before (re-created in HubSpot) moves to the new one.
  await tx.query(`DELETE FROM connector_records WHERE connector_id = $1 AND external_type = 'owners' AND external_id = ANY($2::text[]) AND NOT (local_id = ANY($3::bigint[]))`, [
    ctx.conn.id,
    links.map((l) => l.externalId),
    links.map((l) => l.localId),
  ]);
  await writeLinks(tx, ctx.conn.id, links);
  return links.length;
}

// ------------------------------------------------------------------------------------------------- companies

export async function applyCompanies(tx: Queryable, ctx: SyncContext, companies: RemoteCompany[]): Promise<number> {
  const teamId = ctx.conn.teamId;
  const live = companies.filter((c) => !c.archived);
  const links = await linksByExternal(tx, ctx.conn.id, 'companies', live.map((c) => c.id));
  const out: LinkWrite[] = [];
  for (const c of live) {
    const domains = c.domains.filter((d) => d && !isFreeMailDomain(d));
    let localId = links.get(c.id)?.localId ?? null;
    let origin: 'remote' | 'local' = links.get(c.id)?.origin ?? 'local';
    if (!localId && domains.length) {
      const [hit] = await tx.query<{ company_id: string }>('SELECT company_id FROM company_domains WHERE team_id = $1 AND domain = ANY($2::text[]) LIMIT 1', [teamId, domains]);
      if (hit) {
        const taken = await linksByLocal(tx, ctx.conn.id, 'company', [hit.company_id]);
        if (!taken.has(hit.company_id)) localId = hit.company_id;
      }
    }
    const name = c.name ?? (domains[0] ? companyNameFromDomain(domains[0]) : null);
    if (!localId) {
      if (!name) continue;
      const [row] = await tx.query<{ id: string }>('INSERT INTO companies (team_id, name) VALUES ($1, $2) RETURNING id', [teamId, cut(name, 200)]);
      localId = row!.id;
      origin = 'remote';
    } else if (c.name) {
      // The CRM wins for the company's name.
      await tx.query('UPDATE companies SET name = $3 WHERE team_id = $1 AND id = $2 AND name IS DISTINCT FROM $3', [teamId, localId, cut(c.name, 200)]);
    }
    if (domains.length) {
      await tx.query(
        'INSERT INTO company_domains (team_id, domain, company_id) SELECT $1, d, $2 FROM unnest($3::text[]) d ON CONFLICT DO NOTHING',
        [teamId, localId, domains],
      );
    }
    out.push({ entity: 'company', localId, externalType: 'companies', externalId: c.id, url: ctx.crm.recordUrl(ctx.account, 'company', c.id), origin, remote: { name: c.name, domains }, remoteUpdatedAt: c.updatedAt });
  }
  await writeLinks(tx, ctx.conn.id, out);
  return out.length;
}

// -------------------------------------------------------------------------------------------------- contacts

interface ContactSnapshot {
  name: string | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  emails: string[];
}

/** Folds contact `fromId` into `intoId` (a merge in the CRM): addresses, timeline, attendance, flags and tasks move. */
export async function mergeLocalContacts(tx: Queryable, teamId: string, fromId: string, intoId: string): Promise<void> {
  if (fromId === intoId) return;
  await tx.query('UPDATE contact_emails SET contact_id = $3, position = position + 100 WHERE team_id = $1 AND contact_id = $2', [teamId, fromId, intoId]);
  for (const table of ['interaction_participants', 'attendance']) {
    await tx.query(`UPDATE ${table} SET contact_id = $3 WHERE team_id = $1 AND contact_id = $2`, [teamId, fromId, intoId]);
  }
  await tx.query('UPDATE flags SET contact_id = $3 WHERE team_id = $1 AND contact_id = $2', [teamId, fromId, intoId]);
  await tx.query('UPDATE tasks SET contact_id = $3 WHERE team_id = $1 AND contact_id = $2', [teamId, fromId, intoId]);
  await tx.query(`DELETE FROM connector_records WHERE entity = 'contact' AND local_id = $1`, [fromId]);
  await tx.query('DELETE FROM contacts WHERE team_id = $1 AND id = $2', [teamId, fromId]);
}

async function applyMerges(tx: Queryable, ctx: SyncContext, c: RemoteContact): Promise<void> {
  const olds = await linksByExternal(tx, ctx.conn.id, 'contacts', c.mergedIds.filter((id) => id !== c.id));
  if (olds.size === 0) return;
  const survivor = (await linksByExternal(tx, ctx.conn.id, 'contacts', [c.id])).get(c.id);
  let into = survivor?.localId ?? null;
  for (const old of olds.values()) {
    if (!into) {
      // The survivor is new to us (HubSpot gave it a new id): the first old link now points at it.
      await tx.query(`UPDATE connector_records SET external_id = $3, url = $4 WHERE connector_id = $1 AND entity = 'contact' AND local_id = $2`, [
        ctx.conn.id,
        old.localId,
        c.id,
        ctx.crm.recordUrl(ctx.account, 'contact', c.id),
      ]);
      into = old.localId;
    } else {
      await mergeLocalContacts(tx, ctx.conn.teamId, old.localId, into);
    }
  }
}

export async function applyContacts(tx: Queryable, ctx: SyncContext, contacts: RemoteContact[]): Promise<number> {
  const teamId = ctx.conn.teamId;
  const facts = await teamFacts(tx, ctx.conn);
  const live = contacts
    .filter((c) => !c.archived)
    .map((c) => ({ ...c, emails: c.emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e && !internal(facts, e)) }));
  for (const c of live) if (c.mergedIds.length) await applyMerges(tx, ctx, c);
  const allEmails = [...new Set(live.flatMap((c) => c.emails))];
  // Queue behind any request logging a conversation with, or creating a contact for, these addresses (repo/locks.ts).
  await lockKeys(tx, allEmails.map((e) => addressKey(teamId, e)));
  const links = await linksByExternal(tx, ctx.conn.id, 'contacts', live.map((c) => c.id));
  const emailOwner = new Map(
    (await tx.query<{ email: string; contact_id: string }>('SELECT email, contact_id FROM contact_emails WHERE team_id = $1 AND email = ANY($2::text[])', [teamId, allEmails])).map(
      (r) => [r.email, r.contact_id],
    ),
  );
  const companies = await linksByExternal(tx, ctx.conn.id, 'companies', live.map((c) => c.companyId).filter((x): x is string => !!x));
  const owners = await ownerMembers(tx, ctx.conn.id, live.map((c) => c.ownerId ?? ''));
  // Local contacts found by address that are already linked to another CRM record stay with that one.
  const candidates = [...new Set(live.flatMap((c) => c.emails.map((e) => emailOwner.get(e)).filter((x): x is string => !!x)))];
  const linkedElsewhere = await linksByLocal(tx, ctx.conn.id, 'contact', candidates);
  const localIds = [...new Set([...candidates, ...[...links.values()].map((l) => l.localId)])];
  const current = new Map(
    (
      await tx.query<{ id: string; name: string | null; title: string | null; company_id: string | null; owner_id: string | null }>(
        'SELECT id, name, title, company_id, owner_id FROM contacts WHERE team_id = $1 AND id = ANY($2::bigint[])',
        [teamId, localIds],
      )
    ).map((r) => [r.id, r]),
  );

  type Plan = { c: (typeof live)[number]; localId: string | null; origin: 'remote' | 'local'; name: string | null; title: string | null; company: string | null; owner: string | null; base: ContactSnapshot | null };
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const c of live) {
    const link = links.get(c.id);
    let localId = link && current.has(link.localId) ? link.localId : null;
    if (!localId) {
      const byEmail = c.emails.map((e) => emailOwner.get(e)).find((id) => id && (!linkedElsewhere.has(id) || linkedElsewhere.get(id)!.externalId === c.id));
      localId = byEmail ?? null;
    }
    if (localId && seen.has(localId)) continue; // two CRM records for one person in one page: the first wins
    if (!localId && c.emails.every((e) => emailOwner.has(e))) continue; // nothing of its own to hold
    if (!localId && c.emails.length === 0) continue;
    if (localId) seen.add(localId);
    const base = (link?.remote as ContactSnapshot | null | undefined) ?? null;
    const cur = localId ? current.get(localId) : undefined;
    const remoteCompany = c.companyId ? (companies.get(c.companyId)?.localId ?? null) : null;
    const remoteOwner = c.ownerId ? (owners.get(c.ownerId)?.id ?? null) : null;
    // Field by field: changed in the CRM since the last sync (or never synced) → the CRM's value; else Liaison's.
    const pick = <T>(field: keyof ContactSnapshot, remoteValue: T, localValue: T | undefined, raw: unknown): T | null => {
      if (!cur) return remoteValue;
      if (!base) return (raw == null ? localValue : remoteValue) ?? null;
      return JSON.stringify(base[field] ?? null) !== JSON.stringify(raw ?? null) ? remoteValue : (localValue ?? null);
    };
    plans.push({
      c,
      localId,
      origin: link?.origin ?? (localId ? 'local' : 'remote'),
      name: pick('name', cut(c.name, 200), cur?.name, c.name),
      title: pick('title', cut(c.title, 200), cur?.title, c.title),
      company: pick('companyId', remoteCompany, cur?.company_id, c.companyId),
      owner: pick('ownerId', remoteOwner, cur?.owner_id, c.ownerId),
      base,
    });
  }

  const fresh = plans.filter((p) => !p.localId);
  if (fresh.length) {
    const ids = (await tx.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('contacts', 'id'))::text AS id FROM generate_series(1, $1::int)`, [fresh.length])).map((r) => r.id);
    fresh.forEach((p, i) => (p.localId = ids[i]!));
    await tx.query(
      `INSERT INTO contacts (id, team_id, name, title, company_id, owner_id) OVERRIDING SYSTEM VALUE
       SELECT u.id, $1, u.name, u.title, u.company_id, u.owner_id FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS u(id, name, title, company_id, owner_id)`,
      [teamId, ids, fresh.map((p) => p.name), fresh.map((p) => p.title), fresh.map((p) => p.company), fresh.map((p) => p.owner)],
    );
  }
  const changed = plans.filter((p) => {
    if (!p.localId || fresh.includes(p)) return false;
    const cur = current.get(p.localId)!;
    return cur.name !== p.name || cur.title !== p.title || cur.company_id !== p.company || cur.owner_id !== p.owner;
  });
  if (changed.length) {
    await tx.query(
      `UPDATE contacts c SET name = u.name, title = u.title, company_id = u.company_id, owner_id = u.owner_id, updated_at = now()
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS u(id, name, title, company_id, owner_id)
        WHERE c.team_id = $1 AND c.id = u.id`,
      [teamId, changed.map((p) => p.localId), changed.map((p) => p.name), changed.map((p) => p.title), changed.map((p) => p.company), changed.map((p) => p.owner)],
    );
  }
  // Addresses: the CRM's are added (an address another contact holds stays there); one removed in the CRM since the
  // last sync is removed here too.
  const add: { email: string; id: string; pos: number }[] = [];
  const remove: { email: string; id: string }[] = [];
  for (const p of plans) {
    p.c.emails.forEach((email, i) => {
      const holder = emailOwner.get(email);
      if (!holder || holder === p.localId) add.push({ email, id: p.localId!, pos: holder ? 0 : (current.has(p.localId!) ? 100 : 0) + i });
    });
    for (const email of p.base?.emails ?? []) if (!p.c.emails.includes(email) && emailOwner.get(email) === p.localId) remove.push({ email, id: p.localId! });
  }
  if (remove.length) {
    await tx.query('DELETE FROM contact_emails ce USING unnest($2::text[], $3::bigint[]) AS r(email, id) WHERE ce.team_id = $1 AND ce.email = r.email AND ce.contact_id = r.id', [
      teamId,
      remove.map((r) => r.email),
      remove.map((r) => r.id),
    ]);
  }
  const newAddresses = add.filter((a) => !emailOwner.has(a.email));
  if (newAddresses.length) {
    const inserted = await tx.query<{ email: string }>(
      `INSERT INTO contact_emails (team_id, email, contact_id, position) SELECT $1, a.email, a.id, a.pos FROM unnest($2::text[], $3::bigint[], $4::int[]) AS a(email, id, pos)
       ON CONFLICT DO NOTHING RETURNING email`,
      [teamId, newAddresses.map((a) => a.email), newAddresses.map((a) => a.id), newAddresses.map((a) => a.pos)],
    );
    const emails = inserted.map((r) => r.email);
    if (emails.length) {
      // Past conversations with these addresses now belong to the contacts' timelines (as repo/contacts.ts does).
      for (const table of ['interaction_participants', 'attendance']) {
        await tx.query(
          `UPDATE ${table} t SET contact_id = ce.contact_id FROM contact_emails ce
            WHERE t.team_id = $1 AND t.email = ANY($2::text[]) AND t.contact_id IS NULL AND ce.team_id = $1 AND ce.email = t.email`,
          [teamId, emails],
        );
      }
    }
  }
  await writeLinks(
    tx,
    ctx.conn.id,
    plans.map((p) => ({
      entity: 'contact',
      localId: p.localId!,
      externalType: 'contacts',
      externalId: p.c.id,
      url: ctx.crm.recordUrl(ctx.account, 'contact', p.c.id),
      origin: p.origin,
      remote: { name: p.c.name, title: p.c.title, companyId: p.c.companyId, ownerId: p.c.ownerId, emails: p.c.emails } satisfies ContactSnapshot,
      remoteUpdatedAt: p.c.updatedAt,
    })),
  );
  return plans.length;
}

// ----------------------------------------------------------------------------------------------- engagements

export async function applyEngagements(tx: Queryable, ctx: SyncContext, stream: EngagementStream, items: RemoteEngagement[]): Promise<number> {
  const teamId = ctx.conn.teamId;
  const live = items.filter((e) => !e.archived);
  const links = await linksByExternal(tx, ctx.conn.id, stream, live.map((e) => e.id));
  const facts = await teamFacts(tx, ctx.conn);
  const adopt: LinkWrite[] = [];
  const todo: RemoteEngagement[] = [];
  for (const e of live) {
    const link = links.get(e.id);
    if (link?.origin === 'local') continue; // Liaison made it: Liaison's version stands
    const marker = MARKER_RE.exec(e.body ?? '');
    if (!link && marker) {
      // Ours, created just before a crash that kept us from recording its id: link it instead of importing a copy.
      const entity = MARKER_ENTITY[marker[1] as keyof typeof MARKER_ENTITY];
      const rows = await tx.query(
        `SELECT 1 FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3 AND external_id IS NULL`,
        [ctx.conn.id, entity, marker[2]],
      );
      if (rows.length) {
        adopt.push({ entity, localId: marker[2]!, externalType: stream, externalId: e.id, url: ctx.crm.recordUrl(ctx.account, stream, e.id, e.contactIds[0]), origin: 'local', remote: null, remoteUpdatedAt: e.updatedAt });
        continue;
      }
    }
    todo.push(e);
  }
  await writeLinks(tx, ctx.conn.id, adopt);
  if (todo.length === 0) return adopt.length;

  const contactLinks = await linksByExternal(tx, ctx.conn.id, 'contacts', [...new Set(todo.flatMap((e) => e.contactIds))]);
  const localContacts = [...new Set([...contactLinks.values()].map((l) => l.localId))];
  const primary = new Map(
    (
      await tx.query<{ contact_id: string; email: string }>(
        'SELECT DISTINCT ON (contact_id) contact_id, email FROM contact_emails WHERE team_id = $1 AND contact_id = ANY($2::bigint[]) ORDER BY contact_id, position, email',
        [teamId, localContacts],
      )
    ).map((r) => [r.contact_id, r.email]),
  );
  const owners = await ownerMembers(tx, ctx.conn.id, todo.map((e) => e.ownerId ?? ''));
  const people = (e: RemoteEngagement) => {
    const out = new Map<string, string>();
    for (const id of e.contactIds) {
      const local = contactLinks.get(id)?.localId;
      const email = local && primary.get(local);
      if (local && email) out.set(email, local);
    }
    return out;
  };

  if (stream === 'tasks') {
    // A page of tasks in three statements (not three per task: the first import brings hundreds of thousands).
    const rows = todo.map((e) => {
      const owner = (e.ownerId && owners.get(e.ownerId)) || facts.fallback;
      return { e, localId: links.get(e.id)?.localId ?? null, owner: owner.id, contact: [...people(e).values()][0] ?? null, title: cut(e.subject ?? e.body ?? 'Task', 300)! };
    });
    const existing = rows.filter((r) => r.localId);
    if (existing.length) {
      await tx.query(
        `UPDATE tasks t SET title = u.title, due_at = u.due, contact_id = coalesce(u.contact, t.contact_id),
           done_at = CASE WHEN u.done THEN coalesce(t.done_at, now()) ELSE NULL END
           FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::bigint[], $6::boolean[]) AS u(id, title, due, contact, done)
          WHERE t.team_id = $1 AND t.id = u.id`,
        [teamId, existing.map((r) => r.localId), existing.map((r) => r.title), existing.map((r) => r.e.occurredAt), existing.map((r) => r.contact), existing.map((r) => r.e.done)],
      );
    }
    const fresh = rows.filter((r) => !r.localId);
    if (fresh.length) {
      const ids = (await tx.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('tasks', 'id'))::text AS id FROM generate_series(1, $1::int)`, [fresh.length])).map((r) => r.id);
      fresh.forEach((r, i) => (r.localId = ids[i]!));
      await tx.query(
        `INSERT INTO tasks (id, team_id, title, due_at, assignee_id, contact_id, created_by, done_at, done_by) OVERRIDING SYSTEM VALUE
         SELECT u.id, $1, u.title, u.due, u.owner, u.contact, u.owner, CASE WHEN u.done THEN now() END, CASE WHEN u.done THEN u.owner END
           FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::boolean[]) AS u(id, title, due, owner, contact, done)`,
        [teamId, ids, fresh.map((r) => r.title), fresh.map((r) => r.e.occurredAt), fresh.map((r) => r.owner), fresh.map((r) => r.contact), fresh.map((r) => r.e.done)],
      );
    }
    await writeLinks(
      tx,
      ctx.conn.id,
      rows.map((r) => ({
        entity: 'task',
        localId: r.localId!,
        externalType: stream,
        externalId: r.e.id,
        url: ctx.crm.recordUrl(ctx.account, stream, r.e.id, r.e.contactIds[0]),
        origin: 'remote' as const,
        remote: { done: r.e.done },
        remoteUpdatedAt: r.e.updatedAt,
      })),
    );
    return rows.length + adopt.length;
  }

  const kind = KIND[stream];
  const rows = todo
    .map((e) => ({ e, people: people(e), link: links.get(e.id), owner: (e.ownerId && owners.get(e.ownerId)) || facts.fallback }))
    // An engagement with none of the team's contacts would sit on no timeline.
    .filter((r) => r.people.size > 0);
  const values = (r: (typeof rows)[number]) => ({
    subject: cut(r.e.subject, 500),
    summary: cut(r.e.body, 4000),
    outcome: stream === 'meetings' ? (r.e.outcome ? (MEETING_OUTCOME[r.e.outcome] ?? r.e.outcome.toLowerCase()) : null) : cut(r.e.outcome, 500),
  });
  const fresh = rows.filter((r) => !r.link);
  const existing = rows.filter((r) => r.link);
  if (fresh.length) {
    const ids = (await tx.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('interactions', 'id'))::text AS id FROM generate_series(1, $1::int)`, [fresh.length])).map((r) => r.id);
    const v = fresh.map(values);
    await tx.query(
      `INSERT INTO interactions (id, team_id, kind, occurred_at, ends_at, subject, summary, outcome, department, created_by, source) OVERRIDING SYSTEM VALUE
       SELECT u.id, $1, $2, u.at, u.ends, u.subject, u.summary, u.outcome, u.department, u.created_by, $3
         FROM unnest($4::bigint[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[])
              AS u(id, at, ends, subject, summary, outcome, department, created_by)`,
      [teamId, kind, ctx.conn.provider, ids, fresh.map((r) => r.e.occurredAt), fresh.map((r) => r.e.endsAt), v.map((x) => x.subject), v.map((x) => x.summary),
       v.map((x) => x.outcome), fresh.map((r) => r.owner.department), fresh.map((r) => r.owner.id)],
    );
    await tx.query(
      `INSERT INTO interaction_loggers (interaction_id, team_id, member_id, department, source_site, source_ref)
       SELECT u.id, $1, u.member_id, u.department, $2, u.ref FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS u(id, member_id, department, ref)`,
      [teamId, ctx.conn.provider, ids, fresh.map((r) => r.owner.id), fresh.map((r) => r.owner.department), fresh.map((r) => `${ctx.conn.provider}:${stream}:${r.e.id}`)],
    );
    fresh.forEach((r, i) => (r.link = { entity: 'interaction', localId: ids[i]!, externalId: r.e.id, origin: 'remote', state: 'synced', remote: null }));
  }
  if (existing.length) {
    const v = existing.map(values);
    await tx.query(
      `UPDATE interactions i SET occurred_at = u.at, ends_at = u.ends, subject = u.subject, summary = u.summary, outcome = u.outcome
         FROM unnest($2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[]) AS u(id, at, ends, subject, summary, outcome)
        WHERE i.team_id = $1 AND i.id = u.id`,
      [teamId, existing.map((r) => r.link!.localId), existing.map((r) => r.e.occurredAt), existing.map((r) => r.e.endsAt), v.map((x) => x.subject), v.map((x) => x.summary), v.map((x) => x.outcome)],
    );
    await tx.query('DELETE FROM interaction_participants WHERE team_id = $1 AND interaction_id = ANY($2::bigint[])', [teamId, existing.map((r) => r.link!.localId)]);
  }
  const p = rows.flatMap((r) => [...r.people].map(([email, contact]) => ({ id: r.link!.localId, email, contact, at: r.e.occurredAt, dep: r.owner.department })));
  if (p.length) {
    await tx.query(
      `INSERT INTO interaction_participants (interaction_id, team_id, email, contact_id, occurred_at, department)
       SELECT u.id, $1, u.email, u.contact, u.at, u.dep FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[], $6::text[]) AS u(id, email, contact, at, dep)
       ON CONFLICT DO NOTHING`,
      [teamId, p.map((x) => x.id), p.map((x) => x.email), p.map((x) => x.contact), p.map((x) => x.at), p.map((x) => x.dep)],
    );
  }
  await writeLinks(
    tx,
    ctx.conn.id,
    rows.map((r) => ({
      entity: 'interaction',
      localId: r.link!.localId,
      externalType: stream,
      externalId: r.e.id,
      url: ctx.crm.recordUrl(ctx.account, stream, r.e.id, r.e.contactIds[0]),
      origin: 'remote' as const,
      remote: null,
      remoteUpdatedAt: r.e.updatedAt,
    })),
  );
  return rows.length + adopt.length;
}

// ------------------------------------------------------------------------------------------------- deletions

/** Records archived (deleted) in the CRM. */
export async function applyArchived(tx: Queryable, ctx: SyncContext, stream: Stream, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const teamId = ctx.conn.teamId;
  const links = await linksByExternal(tx, ctx.conn.id, stream, ids);
  let n = 0;
  for (const link of links.values()) {
    const remove = () => tx.query('DELETE FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3', [ctx.conn.id, link.entity, link.localId]);
    const gone = () =>
      tx.query(`UPDATE connector_records SET state = 'deleted', reason = $4, external_id = NULL, url = NULL, updated_at = now() WHERE connector_id = $1 AND entity = $2 AND local_id = $3`, [
        ctx.conn.id,
        link.entity,
        link.localId,
        `deleted in ${ctx.conn.provider === 'hubspot' ? 'HubSpot' : ctx.conn.provider}`,
      ]);
    if (link.entity === 'member' || link.entity === 'company') await remove();
    else if (link.entity === 'contact') {
      const flags = await tx.query('SELECT 1 FROM flags WHERE team_id = $1 AND contact_id = $2 AND closed_at IS NULL LIMIT 1', [teamId, link.localId]);
      if (link.origin === 'remote' && flags.length === 0) {
        // Imported from the CRM and deleted there: it goes; the conversations stay, without the contact.
        for (const table of ['interaction_participants', 'attendance']) await tx.query(`UPDATE ${table} SET contact_id = NULL WHERE team_id = $1 AND contact_id = $2`, [teamId, link.localId]);
        await tx.query('UPDATE tasks SET contact_id = NULL WHERE team_id = $1 AND contact_id = $2', [teamId, link.localId]);
        await remove();
        await tx.query('DELETE FROM contacts WHERE team_id = $1 AND id = $2', [teamId, link.localId]);
      } else await gone(); // Liaison's own contact, or one with an open heads-up: kept, marked as deleted in the CRM
    } else if (link.origin === 'remote') {
      await remove();
      if (link.entity === 'interaction') await tx.query('DELETE FROM interactions WHERE team_id = $1 AND id = $2', [teamId, link.localId]);
      if (link.entity === 'task') await tx.query('DELETE FROM tasks WHERE team_id = $1 AND id = $2', [teamId, link.localId]);
    } else await gone(); // Liaison's log: deleted there on purpose, so not sent again
    n++;
  }
  return n;
}

// ------------------------------------------------------------------------------------------------ the driver

async function apply(ctx: SyncContext, stream: Stream, page: Page<RemoteRecord>, cursor: (tx: Queryable, imported: number) => Promise<void>): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    let n: number;
    if (stream === 'owners') n = await applyOwners(tx, ctx, page.items as RemoteOwner[]);
    else if (stream === 'companies') n = await applyCompanies(tx, ctx, page.items as RemoteCompany[]);
    else if (stream === 'contacts') n = await applyContacts(tx, ctx, page.items as RemoteContact[]);
    else n = await applyEngagements(tx, ctx, stream, page.items as RemoteEngagement[]);
    const archived = page.items.filter((r) => 'archived' in r && r.archived).map((r) => r.id);
    if (archived.length) n += await applyArchived(tx, ctx, stream, archived);
    await cursor(tx, n);
    return n;
  });
}

/** Pages through one stream's first import until done or `deadline`; the next page is fetched while one is written. */
async function fullImport(ctx: SyncContext, stream: Stream, deadline: number): Promise<boolean> {
  const cursors = await getCursors(ctx.db, ctx.conn.id);
  const c = cursors.get(stream);
  if (c?.fullDoneAt) return true;
  if (!c?.fullStartedAt) {
    const [{ now }] = (await ctx.db.query<{ now: string }>(`SELECT liaison_iso(now() - make_interval(secs => $1::float8 / 1000)) AS now`, [ctx.overlapMs ?? OVERLAP_MS])) as [{ now: string }];
    await saveCursor(ctx.db, ctx.conn.id, stream, { fullStartedAt: now, since: now });
  }
  let after = c?.fullAfter ?? null;
  let next: Promise<Page<RemoteRecord>> = ctx.crm.list(stream, after);
  for (;;) {
    const page = await next;
    const more = page.next !== null && Date.now() < deadline;
    if (more) {
      next = ctx.crm.list(stream, page.next);
      next.catch(() => {}); // awaited on the next turn; never an unhandled rejection meanwhile
    }
    await apply(ctx, stream, page, (tx, n) => saveCursor(tx, ctx.conn.id, stream, { fullAfter: page.next, fullDone: page.next === null, imported: n }));
    after = page.next;
    if (after === null) return true;
    if (!more) return false;
  }
}

async function incremental(ctx: SyncContext, stream: Exclude<Stream, 'owners'>, deadline: number): Promise<boolean> {
  const c = (await getCursors(ctx.db, ctx.conn.id)).get(stream);
  const start = new Date(Date.parse(c?.since ?? new Date(0).toISOString()) - (ctx.overlapMs ?? OVERLAP_MS));
  let since = start;
  let after: string | null = null;
  let seenInQuery = 0;
  let latest = c?.since ?? null;
  for (;;) {
    const page = await ctx.crm.changedSince(stream, since, after);
    for (const r of page.items) if ('updatedAt' in r && (!latest || r.updatedAt > latest)) latest = r.updatedAt;
    await apply(ctx, stream, page, (tx) => saveCursor(tx, ctx.conn.id, stream, { since: latest }));
    seenInQuery += page.items.length;
    if (!page.next) return true;
    if (Date.now() > deadline) return false;
    if (seenInQuery + page.items.length >= ctx.crm.maxChangedResults) {
      // Search will not page past its limit: ask again from the latest change seen.
      const restart = new Date(Date.parse(latest!));
      if (restart.getTime() <= since.getTime()) throw new Error(`more than ${ctx.crm.maxChangedResults} ${stream} modified at one instant: run a full import`);
      since = restart;
      after = null;
      seenInQuery = 0;
    } else after = page.next;
  }
}

async function archivedScan(ctx: SyncContext, stream: Stream, deadline: number): Promise<void> {
  let after: string | null = null;
  do {
    const page = await ctx.crm.list(stream, after, { archived: true });
    const ids = page.items.filter((r) => !('archived' in r) || r.archived).map((r) => r.id);
    await ctx.db.transaction((tx) => applyArchived(tx, ctx, stream, ids));
    after = page.next;
  } while (after && Date.now() < deadline);
  if (!after) await saveCursor(ctx.db, ctx.conn.id, stream, { archivedScanned: true });
}

export interface SyncStepResult {
  /** True when this step stopped for time and should be followed by another at once. */
  more: boolean;
  phase: 'first-import' | 'incremental';
}

/**
 * One bounded step of the sync (the queue's job for a connector): the first import where it is not done, else one
 * incremental cycle, plus the scan for deletions when it is due. Stops after about `budgetMs`.
 */
export async function syncStep(ctx: SyncContext, opts: { budgetMs?: number; scanArchived?: boolean } = {}): Promise<SyncStepResult> {
  const deadline = Date.now() + (opts.budgetMs ?? 60_000);
  const cursors = await getCursors(ctx.db, ctx.conn.id);
  const done = (s: Stream) => !!cursors.get(s)?.fullDoneAt;
  const phases: Stream[][] = [['owners', 'companies'], ['contacts'], [...ENGAGEMENT_STREAMS]];
  for (const phase of phases) {
    const todo = phase.filter((s) => !done(s));
    if (todo.length === 0) continue;
    const finished = await Promise.all(todo.map((s) => fullImport(ctx, s, deadline)));
    if (!finished.every(Boolean)) return { more: true, phase: 'first-import' };
  }
  // Owners have no search: the list is short, read it whole each cycle.
  let after: string | null = null;
  do {
    const page = await ctx.crm.list('owners', after);
    await apply(ctx, 'owners', page, (tx, n) => saveCursor(tx, ctx.conn.id, 'owners', { imported: 0 * n }));
    after = page.next;
  } while (after);
  const streams = ['companies', 'contacts', ...ENGAGEMENT_STREAMS] as const;
  for (const s of streams) {
    if (!(await incremental(ctx, s, deadline))) return { more: true, phase: 'incremental' };
  }
  const every = ctx.archivedEveryMs ?? ARCHIVED_EVERY_MS;
  const fresh = await getCursors(ctx.db, ctx.conn.id);
  for (const s of ['contacts', 'companies', ...ENGAGEMENT_STREAMS] as const) {
    const last = fresh.get(s)?.archivedScannedAt;
    if (opts.scanArchived || !last || Date.now() - Date.parse(last) > every) await archivedScan(ctx, s, deadline);
  }
  return { more: false, phase: 'incremental' };
}
