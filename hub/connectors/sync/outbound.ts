/**
 * Hub → CRM: every interaction logged in Liaison becomes one engagement in the CRM, associated with its contacts
 * and their companies; heads-ups (flags) become notes, follow-up tasks become tasks, contacts made in Liaison are
 * created there. One job per record (the queue allows one running and one waiting per record), and each job
 * brings the CRM's copy in line with the record as it is now — so a retry, or a teammate's second log of the same
 * conversation (merged into the same interaction by the hub), updates the one engagement instead of adding one.
 *
 * Exactly once, across crashes: before a create, the record is claimed (`creating`, with the time); the CRM's id
 * is recorded the moment it answers. The create carries a marker (`liaison:i:<id>`) in its body. A claim older
 * than the lease, or a create whose answer was lost (a 5xx or a dropped connection after sending), is settled by
 * looking for the marker on the contact's engagements before creating anything — so a hub killed between the
 * create and its answer leaves one engagement, which the next attempt finds and links. (A 429 means the CRM did
 * nothing, so that create is simply sent again.)
 */
import type { Db, Queryable } from '../../db/index.ts';
import { getInteraction } from '../../repo/interactions.ts';
import type { Interaction } from '../../../shared/wire-types.ts';
import { ConnectorError, type AccountInfo, type CrmConnector, type EngagementInput, type EngagementStream, type RemoteContact } from '../types.ts';
import { finishPush, linksByExternal, linksByLocal, markRecord, recordVersion, writeLinks, type Connection } from '../store.ts';
import { applyContacts, type SyncContext } from './inbound.ts';

export interface PushContext extends SyncContext {
  /** A claim older than this is taken to be a crashed attempt, ms. */
  leaseMs: number;
}

export type PushEntity = 'contact' | 'company' | 'interaction' | 'flag' | 'task';

/** A failure that retrying cannot fix: the record is marked failed with this reason (until an admin retries). */
export class PushRefused extends Error {}

const STREAM_OF: Record<string, EngagementStream> = { email: 'emails', meeting: 'meetings', call: 'calls', note: 'notes', support: 'notes', marketing: 'notes' };
const providerName = (p: string) => (p === 'hubspot' ? 'HubSpot' : p);

interface RecordRow {
  external_id: string | null;
  state: string;
  origin: string;
  stale: boolean;
  remote: Record<string, unknown> | null;
}

async function record(db: Queryable, connectorId: string, entity: string, localId: string, leaseMs: number): Promise<RecordRow | null> {
  const [row] = await db.query<RecordRow>(
    `SELECT external_id, state, origin, remote, (creating_since IS NULL OR creating_since < now() - make_interval(secs => $4::float8 / 1000)) AS stale
       FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3`,
    [connectorId, entity, localId, leaseMs],
  );
  return row ?? null;
}

/**
 * Claims the right to create the CRM copy of a record. Answers `create` (go ahead), `reconcile` (an earlier
 * attempt may have created it: look for the marker first), `linked` (it has an id now) or `busy` (another
 * attempt holds a fresh claim).
 */
async function claim(db: Db, c: Connection, entity: string, localId: string, leaseMs: number): Promise<'create' | 'reconcile' | 'linked' | 'busy'> {
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO connector_records (connector_id, entity, local_id, origin, state) VALUES ($1, $2, $3, 'local', 'pending') ON CONFLICT DO NOTHING`,
      [c.id, entity, localId],
    );
    const [row] = await tx.query<{ external_id: string | null; state: string; stale: boolean; tried: boolean }>(
      `SELECT external_id, state, creating_since IS NOT NULL AND creating_since < now() - make_interval(secs => $4::float8 / 1000) AS stale,
              creating_since IS NOT NULL AS tried
         FROM connector_records WHERE connector_id = $1 AND entity = $2 AND local_id = $3 FOR UPDATE`,
      [c.id, entity, localId, leaseMs],
    );
    if (row!.external_id) return 'linked';
    if (row!.tried && !row!.stale) return 'busy';
    await tx.query(
      `UPDATE connector_records SET state = 'creating', creating_since = now(), attempts = attempts + 1, updated_at = now()
        WHERE connector_id = $1 AND entity = $2 AND local_id = $3`,
      [c.id, entity, localId],
    );
    return row!.tried ? 'reconcile' : 'create';
  });
}

/** The create's answer was lost: leave the claim for the next attempt to reconcile at once. */
async function claimUnsettled(db: Queryable, c: Connection, entity: string, localId: string): Promise<void> {
  await db.query(`UPDATE connector_records SET creating_since = '-infinity' WHERE connector_id = $1 AND entity = $2 AND local_id = $3 AND external_id IS NULL`, [c.id, entity, localId]);
}

/** The CRM did not act on the create (429, 4xx): the next attempt may create without looking first. */
async function releaseClaim(db: Queryable, c: Connection, entity: string, localId: string): Promise<void> {
  await db.query(`UPDATE connector_records SET creating_since = NULL, state = 'pending' WHERE connector_id = $1 AND entity = $2 AND local_id = $3 AND external_id IS NULL`, [c.id, entity, localId]);
}

/** Create-or-update of one engagement, exactly once per record. */
async function upsertEngagement(ctx: PushContext, entity: string, localId: string, marker: string, input: EngagementInput): Promise<void> {
  const c = ctx.conn;
  const rec = await record(ctx.db, c.id, entity, localId, ctx.leaseMs);
  // An activity has no page of its own: it is shown on its contact's page, or its company's (a company heads-up).
  const url =
    !input.contactIds[0] && input.companyIds[0]
      ? ctx.crm.recordUrl(ctx.account, 'company', input.companyIds[0])
      : ctx.crm.recordUrl(ctx.account, input.stream, '', input.contactIds[0]);
  const anchor = input.contactIds[0] ? { contactId: input.contactIds[0] } : input.companyIds[0] ? { companyId: input.companyIds[0] } : null;
  const done = async (id: string) =>
    writeLinks(ctx.db, c.id, [{ entity, localId, externalType: input.stream, externalId: id, url, origin: 'local', remote: null, remoteUpdatedAt: null }]);
  if (rec?.external_id) {
    await ctx.crm.updateEngagement(rec.external_id, input);
    await done(rec.external_id);
    return;
  }
  const claimed = await claim(ctx.db, c, entity, localId, ctx.leaseMs);
  if (claimed === 'busy') throw new ConnectorError('unavailable', 'another attempt is creating this record; trying again shortly');
  if (claimed === 'linked') return upsertEngagement(ctx, entity, localId, marker, input);
  if (claimed === 'reconcile' && anchor) {
    const found = await ctx.crm.findEngagementByMarker(input.stream, marker, anchor);
    if (found) {
      await ctx.crm.updateEngagement(found, input);
      await done(found);
      return;
    }
  }
  let created: { id: string };
  try {
    created = await ctx.crm.createEngagement(input);
  } catch (err) {
    if (err instanceof ConnectorError && (err.kind === 'unavailable' || err.kind === 'unauthorized')) await claimUnsettled(ctx.db, c, entity, localId);
    else await releaseClaim(ctx.db, c, entity, localId);
    throw err;
  }
  await done(created.id);
}

// --------------------------------------------------------------------------------------- companies, contacts

async function ensureCompany(ctx: PushContext, companyId: string): Promise<string | null> {
  const link = (await linksByLocal(ctx.db, ctx.conn.id, 'company', [companyId])).get(companyId);
  if (link?.externalId) return link.externalId;
  const [co] = await ctx.db.query<{ name: string; domains: string[] }>(
    `SELECT c.name, coalesce(array_agg(d.domain ORDER BY d.domain) FILTER (WHERE d.domain IS NOT NULL), '{}') AS domains
       FROM companies c LEFT JOIN company_domains d ON d.company_id = c.id WHERE c.team_id = $1 AND c.id = $2 GROUP BY c.id`,
    [ctx.conn.teamId, companyId],
  );
  if (!co) return null;
  // Look before creating: the company may be in the CRM already (by its domain), or made by a create whose answer was lost.
  const remote = (co.domains[0] && (await ctx.crm.findCompanyByDomain(co.domains[0]))) || (await ctx.crm.createCompany({ name: co.name, domains: co.domains }));
  const taken = await linksByExternal(ctx.db, ctx.conn.id, 'companies', [remote.id]);
  if (taken.has(remote.id)) return remote.id;
  await writeLinks(ctx.db, ctx.conn.id, [
    { entity: 'company', localId: companyId, externalType: 'companies', externalId: remote.id, url: ctx.crm.recordUrl(ctx.account, 'company', remote.id), origin: 'local', remote: { name: remote.name, domains: remote.domains }, remoteUpdatedAt: remote.updatedAt },
  ]);
  return remote.id;
}

interface LocalContact {
  id: string;
  name: string | null;
  title: string | null;
  company_id: string | null;
  owner_id: string | null;
  emails: string[];
}

async function localContact(db: Queryable, teamId: string, id: string): Promise<LocalContact | null> {
  const [row] = await db.query<LocalContact>(
    `SELECT c.id, c.name, c.title, c.company_id, c.owner_id,
            coalesce((SELECT array_agg(email ORDER BY position, email) FROM contact_emails WHERE contact_id = c.id), '{}') AS emails
       FROM contacts c WHERE c.team_id = $1 AND c.id = $2`,
    [teamId, id],
  );
  return row ?? null;
}

async function ownerOf(ctx: PushContext, memberId: string | null): Promise<string | null> {
  if (!memberId) return null;
  return (await linksByLocal(ctx.db, ctx.conn.id, 'member', [memberId])).get(memberId)?.externalId ?? null;
}

/** Takes the CRM's record of a contact in through the inbound rules (the CRM wins for contact fields). */
async function takeIn(ctx: PushContext, remote: RemoteContact): Promise<void> {
  await ctx.db.transaction((tx) => applyContacts(tx, ctx, [remote]));
}

/** The CRM id of a Liaison contact: linked already, found by address, or created. */
export async function ensureContact(ctx: PushContext, contactId: string): Promise<string | null> {
  const link = (await linksByLocal(ctx.db, ctx.conn.id, 'contact', [contactId])).get(contactId);
  if (link?.externalId) return link.externalId;
  const local = await localContact(ctx.db, ctx.conn.teamId, contactId);
  if (!local || local.emails.length === 0) return null;
  // HubSpot keeps one contact per address: look it up first (also finds one a lost create made).
  const [found] = await ctx.crm.findContactsByEmail(local.emails);
  if (found) {
    await takeIn(ctx, found);
    return (await linksByLocal(ctx.db, ctx.conn.id, 'contact', [contactId])).get(contactId)?.externalId ?? found.id;
  }
  const companyId = local.company_id ? await ensureCompany(ctx, local.company_id) : null;
  let created: RemoteContact;
  try {
    created = await ctx.crm.createContact({ emails: local.emails, name: local.name, title: local.title, companyId, ownerId: await ownerOf(ctx, local.owner_id) });
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'conflict' && err.existingId) {
      const existing = await ctx.crm.getContact(err.existingId);
      if (existing) await takeIn(ctx, existing);
      return err.existingId;
    }
    throw err;
  }
  await writeLinks(ctx.db, ctx.conn.id, [
    {
      entity: 'contact',
      localId: contactId,
      externalType: 'contacts',
      externalId: created.id,
      url: ctx.crm.recordUrl(ctx.account, 'contact', created.id),
      origin: 'local',
      remote: { name: created.name, title: created.title, companyId: created.companyId ?? companyId, ownerId: created.ownerId, emails: created.emails },
      remoteUpdatedAt: created.updatedAt,
    },
  ]);
  return created.id;
}

/**
 * A contact created or edited in Liaison. Field by field against the last sync: changed in the CRM → the CRM's
 * value comes in (the CRM wins); unchanged there and changed here → Liaison's value goes out.
 */
async function pushContact(ctx: PushContext, contactId: string): Promise<void> {
  const link = (await linksByLocal(ctx.db, ctx.conn.id, 'contact', [contactId])).get(contactId);
  if (!link?.externalId) {
    const id = await ensureContact(ctx, contactId);
    if (!id) throw new PushRefused('the contact has no address to find or create it by');
    return;
  }
  const remote = await ctx.crm.getContact(link.externalId);
  if (!remote) {
    await markRecord(ctx.db, ctx.conn.id, 'contact', contactId, { state: 'deleted', reason: `deleted in ${providerName(ctx.conn.provider)}` });
    return;
  }
  const local = await localContact(ctx.db, ctx.conn.teamId, contactId);
  if (!local) return;
  const base = (link.remote ?? {}) as { name?: string | null; title?: string | null; ownerId?: string | null };
  const patch: { name?: string | null; title?: string | null; ownerId?: string | null } = {};
  if ((remote.name ?? null) === (base.name ?? null) && local.name !== remote.name && local.name) patch.name = local.name;
  if ((remote.title ?? null) === (base.title ?? null) && local.title !== remote.title) patch.title = local.title;
  const owner = await ownerOf(ctx, local.owner_id);
  if ((remote.ownerId ?? null) === (base.ownerId ?? null) && owner !== remote.ownerId && owner) patch.ownerId = owner;
  if (Object.keys(patch).length) {
    await ctx.crm.updateContact(link.externalId, patch);
    Object.assign(remote, patch.name !== undefined ? { name: patch.name } : {}, patch.title !== undefined ? { title: patch.title } : {}, patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {});
  }
  await takeIn(ctx, remote);
}

// --------------------------------------------------------------------------------------------- interactions

const STATUS_WORD: Record<string, string> = { attended: 'attended', 'no-show': 'no-show', late: 'late', excused: 'excused' };

/** The engagement's body: the note, the outcome, who came (meetings), who logged it, and the marker. */
export function engagementBody(i: Interaction, marker: string, names: Map<string, string> = new Map()): string {
  const lines: string[] = [];
  if (i.kind === 'support' || i.kind === 'marketing') lines.push(`${i.kind === 'support' ? 'Support' : 'Marketing'}: ${i.subject ?? ''}`.trim());
  if (i.kind === 'note' && i.subject) lines.push(i.subject);
  if (i.summary) lines.push(i.summary);
  if (i.outcome) lines.push(`Outcome: ${i.outcome}`);
  if (i.kind === 'meeting' && i.attendance.some((a) => a.status || a.rsvp)) {
    lines.push('Attendance (recorded in Liaison):');
    for (const a of i.attendance) {
      const name = a.name ?? (a.contactId ? names.get(a.contactId) : undefined) ?? i.participants.find((p) => p.email === a.email)?.name;
      const who = name ? `${name} <${a.email}>` : a.email;
      const status = a.status ? STATUS_WORD[a.status] : 'not recorded';
      lines.push(`- ${who}: ${status}${a.rsvp && a.rsvp !== 'unknown' ? ` (RSVP ${a.rsvp})` : ''}`);
    }
  }
  const loggers = i.loggers.map((l) => `${l.member.name} (${l.department})`).join(', ');
  lines.push(`Logged in Liaison by ${loggers || 'a teammate'} · ${marker}`);
  return lines.join('\n');
}

/** HubSpot's one outcome per meeting, from everyone's attendance: the rest is in the body. */
export function meetingOutcome(i: Interaction): string | null {
  if (i.outcome && /cancel/i.test(i.outcome)) return 'CANCELED';
  const external = i.attendance.filter((a) => !a.memberId && a.status);
  if (external.length === 0) return i.attendance.some((a) => a.status) ? 'COMPLETED' : null;
  if (external.some((a) => a.status === 'attended' || a.status === 'late')) return 'COMPLETED';
  if (external.every((a) => a.status === 'no-show')) return 'NO_SHOW';
  return 'RESCHEDULED';
}

async function pushInteraction(ctx: PushContext, id: string): Promise<void> {
  let i: Interaction;
  try {
    i = await getInteraction(ctx.db, ctx.conn.teamId, id);
  } catch {
    return; // deleted meanwhile
  }
  if ((i.source ?? 'liaison') !== 'liaison') return; // came from the CRM: nothing to send back
  const contactIds = [...new Set(i.participants.filter((p) => p.contactId && !p.memberId).map((p) => p.contactId!))].slice(0, 50);
  const remoteContacts: string[] = [];
  for (const c of contactIds) {
    const r = await ensureContact(ctx, c);
    if (r) remoteContacts.push(r);
  }
  if (remoteContacts.length === 0) {
    await markRecord(ctx.db, ctx.conn.id, 'interaction', id, { state: 'skipped', reason: 'none of the people in it is a contact in Liaison' });
    return;
  }
  const companies = await ctx.db.query<{ company_id: string }>(
    'SELECT DISTINCT company_id FROM contacts WHERE team_id = $1 AND id = ANY($2::bigint[]) AND company_id IS NOT NULL',
    [ctx.conn.teamId, contactIds],
  );
  const remoteCompanies: string[] = [];
  for (const co of companies) {
    const r = await ensureCompany(ctx, co.company_id);
    if (r) remoteCompanies.push(r);
  }
  const marker = `liaison:i:${id}`;
  const stream = STREAM_OF[i.kind] ?? 'notes';
  const named = await ctx.db.query<{ id: string; name: string }>('SELECT id, name FROM contacts WHERE team_id = $1 AND id = ANY($2::bigint[]) AND name IS NOT NULL', [
    ctx.conn.teamId,
    i.attendance.map((a) => a.contactId).filter((x): x is string => !!x),
  ]);
  await upsertEngagement(ctx, 'interaction', id, marker, {
    stream,
    occurredAt: i.occurredAt,
    endsAt: i.endsAt,
    subject: i.subject,
    body: engagementBody(i, marker, new Map(named.map((n) => [n.id, n.name]))),
    outcome: stream === 'meetings' ? meetingOutcome(i) : null,
    ownerId: await ownerOf(ctx, i.loggers[0]?.member.id ?? null),
    contactIds: remoteContacts,
    companyIds: [...new Set(remoteCompanies)],
  });
}

// ------------------------------------------------------------------------------------------- flags and tasks

async function companiesOf(ctx: PushContext, contactId: string | null): Promise<string[]> {
  if (!contactId) return [];
  const [row] = await ctx.db.query<{ company_id: string | null }>('SELECT company_id FROM contacts WHERE team_id = $1 AND id = $2', [ctx.conn.teamId, contactId]);
  const id = row?.company_id ? await ensureCompany(ctx, row.company_id) : null;
  return id ? [id] : [];
}

/**
 * A heads-up goes out as a note on the contact (with their company), or on the company for a heads-up on a whole
 * company; Liaison wins: the note is rewritten whenever the heads-up changes (closed, with what resolved it).
 */
async function pushFlag(ctx: PushContext, id: string): Promise<void> {
  const [f] = await ctx.db.query<{
    contact_id: string | null; company_id: string | null; company: string | null; kind: string; note: string | null; until: string | null;
    resolution: string | null; set_by: string; set_at: string; closed_by: string | null; closed_at: string | null;
  }>(
    `SELECT f.contact_id, f.company_id, co.name AS company, f.kind, f.note, liaison_iso(f.until) AS until, f.resolution,
            sb.name || ' (' || sb.department || ')' AS set_by, liaison_iso(f.set_at) AS set_at, cb.name AS closed_by, liaison_iso(f.closed_at) AS closed_at
       FROM flags f JOIN members sb ON sb.id = f.set_by LEFT JOIN members cb ON cb.id = f.closed_by
       LEFT JOIN companies co ON co.team_id = f.team_id AND co.id = f.company_id
      WHERE f.team_id = $1 AND f.id = $2`,
    [ctx.conn.teamId, id],
  );
  if (!f) return;
  let contactIds: string[] = [];
  let companyIds: string[] = [];
  if (f.contact_id) {
    const contact = await ensureContact(ctx, f.contact_id);
    if (!contact) {
      await markRecord(ctx.db, ctx.conn.id, 'flag', id, { state: 'skipped', reason: 'the contact has no address' });
      return;
    }
    contactIds = [contact];
    companyIds = await companiesOf(ctx, f.contact_id);
  } else if (f.company_id) {
    const company = await ensureCompany(ctx, f.company_id);
    if (!company) {
      await markRecord(ctx.db, ctx.conn.id, 'flag', id, { state: 'skipped', reason: 'the company is gone' });
      return;
    }
    companyIds = [company];
  }
  const marker = `liaison:f:${id}`;
  const label = f.kind.replace(/-/g, ' ');
  const body = [
    `Heads-up from Liaison: ${label}${f.company_id ? ` (on all of ${f.company ?? 'the company'})` : ''}${f.closed_at ? ' (closed)' : ''}`,
    ...(f.note ? [f.note] : []),
    ...(f.until && !f.closed_at ? [`Until ${f.until.slice(0, 10)}`] : []),
    ...(f.closed_at && f.resolution ? [`Resolved: ${f.resolution}`] : []),
    `Set by ${f.set_by} on ${f.set_at.slice(0, 10)}${f.closed_at ? `; closed by ${f.closed_by ?? 'a teammate'} on ${f.closed_at.slice(0, 10)}` : ''} · ${marker}`,
  ].join('\n');
  await upsertEngagement(ctx, 'flag', id, marker, {
    stream: 'notes',
    occurredAt: f.set_at,
    endsAt: null,
    subject: null,
    body,
    outcome: null,
    ownerId: null,
    contactIds,
    companyIds,
  });
}

async function pushTask(ctx: PushContext, id: string): Promise<void> {
  const [t] = await ctx.db.query<{ title: string; due_at: string | null; created_at: string; assignee_id: string | null; contact_id: string | null; done: boolean }>(
    `SELECT title, liaison_iso(due_at) AS due_at, liaison_iso(created_at) AS created_at, assignee_id, contact_id, done_at IS NOT NULL AS done
       FROM tasks WHERE team_id = $1 AND id = $2`,
    [ctx.conn.teamId, id],
  );
  if (!t) return;
  const link = (await linksByLocal(ctx.db, ctx.conn.id, 'task', [id])).get(id);
  const contact = t.contact_id ? await ensureContact(ctx, t.contact_id) : null;
  const marker = `liaison:t:${id}`;
  const input: EngagementInput = {
    stream: 'tasks',
    occurredAt: t.due_at ?? t.created_at,
    endsAt: null,
    subject: t.title,
    body: `Follow-up from Liaison · ${marker}`,
    outcome: null,
    ownerId: await ownerOf(ctx, t.assignee_id),
    done: t.done,
    contactIds: contact ? [contact] : [],
    companyIds: await companiesOf(ctx, t.contact_id),
  };
  if (link?.origin === 'remote' && link.externalId) {
    // A task that came from the CRM: only its completion goes back (done anywhere is done everywhere).
    if (t.done) await ctx.crm.updateEngagement(link.externalId, { ...input, statusOnly: true });
    return;
  }
  await upsertEngagement(ctx, 'task', id, marker, input);
}

/** One job: bring the CRM's copy of one record in line with Liaison's. */
export async function pushRecord(ctx: PushContext, entity: PushEntity, localId: string): Promise<void> {
  const version = await recordVersion(ctx.db, ctx.conn.id, entity, localId);
  if (entity === 'interaction') await pushInteraction(ctx, localId);
  else if (entity === 'contact') await pushContact(ctx, localId);
  else if (entity === 'flag') await pushFlag(ctx, localId);
  else if (entity === 'task') await pushTask(ctx, localId);
  else if (entity === 'company') await ensureCompany(ctx, localId);
  await finishPush(ctx.db, ctx.conn.id, entity, localId, version);
}

export type { AccountInfo, CrmConnector };
