/** Contacts, their addresses and companies. Every statement is scoped by team_id. */
import type { Queryable } from '../db/index.ts';
import { companyNameFromDomain, domainOf, isFreeMailDomain, normalizeEmail } from '../domain/emails.ts';
import { conflict, HttpError, notFound } from '../http/errors.ts';
import type { ContactSummary, LookupResponse, LookupResult } from '../../shared/wire-types.ts';
import { addressKey, companyNameKey, lockKeys } from './locks.ts';
import { noteChange } from '../connectors/changes.ts';
import { CONTACT_FROM, CONTACT_LATERALS, CONTACT_SUMMARY_SELECT, memberRef } from './sql-fragments.ts';

export async function getContacts(db: Queryable, teamId: string, ids: string[]): Promise<Map<string, ContactSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; summary: ContactSummary }>(
    `SELECT c.id, ${CONTACT_SUMMARY_SELECT} AS summary FROM ${CONTACT_FROM}
      WHERE c.team_id = $1 AND c.id = ANY($2::bigint[])`,
    [teamId, ids],
  );
  return new Map(rows.map((r) => [r.id, r.summary]));
}

export async function getContact(db: Queryable, teamId: string, id: string): Promise<ContactSummary> {
  const found = (await getContacts(db, teamId, [id])).get(id);
  if (!found) throw notFound('contact');
  return found;
}

/**
 * One round trip for a whole thread: each address → its contact (with company, owner, open flags, last
 * interaction, counts by department, attendance) or nothing, and whether it is a colleague's.
 * Addresses that are not valid come back as given with no contact, rather than failing the whole batch:
 * a mail page can show odd addresses and the sidebar should still work for the rest.
 */
export async function lookup(db: Queryable, teamId: string, emails: string[]): Promise<LookupResult[]> {
  return (JSON.parse(await lookupJson(db, teamId, emails)) as LookupResponse).results;
}

/**
 * The same, as the response body's JSON text built inside PostgreSQL: the hot path of the whole hub, so the
 * JSON is not parsed into objects and serialised again in Node (on 2 cores that CPU is the bottleneck).
 */
/** $1 team id, $2 the normalised addresses in the order asked. */
export const LOOKUP_SQL = `
    SELECT json_build_object('results', coalesce(json_agg(json_build_object(
              'email', q.email,
              'contact', CASE WHEN c.id IS NULL THEN NULL ELSE ${CONTACT_SUMMARY_SELECT} END,
              'member', CASE WHEN mm.id IS NULL THEN NULL ELSE ${memberRef('mm')} END) ORDER BY q.ord), '[]'::json))::text AS body
       FROM unnest($2::text[]) WITH ORDINALITY AS q(email, ord)
       LEFT JOIN contact_emails ce ON ce.team_id = $1 AND ce.email = q.email
       LEFT JOIN contacts c ON c.id = ce.contact_id
       LEFT JOIN companies co ON co.id = c.company_id
       LEFT JOIN members o ON o.id = c.owner_id
       ${CONTACT_LATERALS}
       LEFT JOIN members mm ON mm.team_id = $1 AND mm.email = q.email`;

export async function lookupJson(db: Queryable, teamId: string, emails: string[]): Promise<string> {
  const asked = emails.map((e) => normalizeEmail(e) ?? e.trim().toLowerCase());
  const [row] = await db.query<{ body: string }>(LOOKUP_SQL, [teamId, asked]);
  return row!.body;
}

/**
 * The company for a business domain: found by domain, or created with a name guessed from it. Twenty requests
 * for new contacts at one new domain make one company: the primary key of company_domains settles who claims
 * the domain, and a request that loses the claim removes the company it had just made and takes the winner's.
 */
export async function companyForDomain(db: Queryable, teamId: string, domain: string): Promise<string | null> {
  if (isFreeMailDomain(domain)) return null;
  const owner = async () =>
    (await db.query<{ company_id: string }>('SELECT company_id FROM company_domains WHERE team_id = $1 AND domain = $2', [teamId, domain]))[0]?.company_id;
  const found = await owner();
  if (found) return found;
  const name = companyNameFromDomain(domain);
  if (!name) return null;
  const [created] = await db.query<{ id: string }>('INSERT INTO companies (team_id, name) VALUES ($1, $2) RETURNING id', [teamId, name]);
  // Waits for a concurrent claim of the same domain to commit or roll back, then either wins or does nothing.
  const claimed = await db.query(
    'INSERT INTO company_domains (team_id, domain, company_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING company_id',
    [teamId, domain, created!.id],
  );
  if (claimed.length) return created!.id;
  await db.query('DELETE FROM companies WHERE team_id = $1 AND id = $2', [teamId, created!.id]);
  return (await owner()) ?? null;
}

/** The company with this name (case-insensitive), or a new one owning the given business domains. */
export async function companyByName(db: Queryable, teamId: string, name: string, domains: string[]): Promise<string> {
  // Serialises requests naming the same new company, so they make one.
  await lockKeys(db, [companyNameKey(teamId, name)]);
  const found = await db.query<{ id: string }>(
    'SELECT id FROM companies WHERE team_id = $1 AND lower(name) = lower($2) ORDER BY id LIMIT 1',
    [teamId, name],
  );
  if (found[0]) {
    for (const d of domains) await attachDomain(db, teamId, found[0].id, d);
    return found[0].id;
  }
  return createCompany(db, teamId, name, domains);
}

async function createCompany(db: Queryable, teamId: string, name: string, domains: string[]): Promise<string> {
  const [row] = await db.query<{ id: string }>('INSERT INTO companies (team_id, name) VALUES ($1, $2) RETURNING id', [teamId, name]);
  for (const d of domains) await attachDomain(db, teamId, row!.id, d);
  return row!.id;
}

async function attachDomain(db: Queryable, teamId: string, companyId: string, domain: string): Promise<void> {
  if (isFreeMailDomain(domain)) return;
  // A domain already owned by another company stays there: the first company to claim it wins.
  await db.query(
    'INSERT INTO company_domains (team_id, domain, company_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [teamId, domain, companyId],
  );
}

async function checkOwner(db: Queryable, teamId: string, ownerId: string | null | undefined): Promise<void> {
  if (ownerId == null) return;
  const rows = await db.query('SELECT 1 FROM members WHERE team_id = $1 AND id = $2', [teamId, ownerId]);
  if (rows.length === 0) throw new HttpError(400, 'invalid_body', 'ownerId: no such member', 'ownerId');
}

async function resolveCompany(db: Queryable, teamId: string, company: string | null | undefined, emails: string[]): Promise<string | null> {
  const businessDomains = [...new Set(emails.map(domainOf))].filter((d) => !isFreeMailDomain(d));
  if (company) return companyByName(db, teamId, company, businessDomains);
  for (const d of businessDomains) {
    const id = await companyForDomain(db, teamId, d);
    if (id) return id;
  }
  return null;
}

export interface NewContact {
  name?: string | null;
  title?: string | null;
  emails: string[];
  company?: string | null;
  ownerId?: string | null;
}

/** Creates a contact; 409 `email_taken` (naming the address) when one of its addresses is someone else's. */
export async function createContact(db: Queryable, teamId: string, input: NewContact): Promise<string> {
  const emails = [...new Set(input.emails)];
  // Queue behind any request logging a conversation with, or creating a contact for, these addresses.
  await lockKeys(db, emails.map((e) => addressKey(teamId, e)));
  const taken = await db.query<{ email: string; contact_id: string }>(
    'SELECT email, contact_id FROM contact_emails WHERE team_id = $1 AND email = ANY($2::text[])',
    [teamId, emails],
  );
  if (taken[0]) {
    throw conflict('email_taken', `${taken[0].email} already belongs to contact ${taken[0].contact_id}`, `emails[${input.emails.indexOf(taken[0].email)}]`);
  }
  await checkOwner(db, teamId, input.ownerId);
  const companyId = await resolveCompany(db, teamId, input.company, emails);
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO contacts (team_id, name, title, company_id, owner_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [teamId, input.name || null, input.title || null, companyId, input.ownerId ?? null],
  );
  const id = row!.id;
  for (const [position, email] of emails.entries()) await insertEmail(db, teamId, id, email, position);
  await noteChange(db, teamId, 'contact', id);
  return id;
}

async function insertEmail(db: Queryable, teamId: string, contactId: string, email: string, position: number): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO contact_emails (team_id, email, contact_id, position) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING email`,
    [teamId, email, contactId, position],
  );
  // Lost a race with another request claiming the same address: same answer as the pre-check.
  if (inserted.length === 0) throw conflict('email_taken', `${email} already belongs to another contact`, 'email');
  // Past conversations with this address now belong to the contact's timeline.
  await db.query(
    'UPDATE interaction_participants SET contact_id = $3 WHERE team_id = $1 AND email = $2 AND contact_id IS NULL',
    [teamId, email, contactId],
  );
  await db.query('UPDATE attendance SET contact_id = $3 WHERE team_id = $1 AND email = $2 AND contact_id IS NULL', [teamId, email, contactId]);
}

export async function addEmail(db: Queryable, teamId: string, contactId: string, email: string): Promise<void> {
  await lockKeys(db, [addressKey(teamId, email)]);
  const contact = await db.query('SELECT 1 FROM contacts WHERE team_id = $1 AND id = $2 FOR UPDATE', [teamId, contactId]);
  if (contact.length === 0) throw notFound('contact');
  const existing = await db.query<{ contact_id: string }>('SELECT contact_id FROM contact_emails WHERE team_id = $1 AND email = $2', [teamId, email]);
  if (existing[0]) {
    if (existing[0].contact_id === contactId) return;
    throw conflict('email_taken', `${email} already belongs to contact ${existing[0].contact_id}`, 'email');
  }
  const [pos] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_emails WHERE contact_id = $1', [contactId]);
  await insertEmail(db, teamId, contactId, email, pos!.n);
  await db.query('UPDATE contacts SET updated_at = now() WHERE id = $1', [contactId]);
  await noteChange(db, teamId, 'contact', contactId);
}

export interface ContactUpdate {
  name?: string | null;
  title?: string | null;
  company?: string | null;
  ownerId?: string | null;
}

/**
 * Who may change a contact's details and hand it on: its owner, an admin, or — while nobody owns it — anyone in the
 * team. A contact someone owns is theirs to keep right: a colleague can see it, log with it and raise heads-ups on it,
 * but asks the owner (or an admin) to change it. Imports and CRM sync act for the team and pass no actor.
 */
export interface Actor {
  memberId: string;
  role: 'admin' | 'member';
}

function assertMayChange(actor: Actor | undefined, ownerId: string | null, ownerName: string | null): void {
  if (!actor || actor.role === 'admin' || ownerId === null || ownerId === actor.memberId) return;
  throw new HttpError(403, 'not_owner', `${ownerName ?? 'its owner'} owns this contact: only they or an admin can change it`);
}

export async function updateContact(db: Queryable, teamId: string, contactId: string, patch: ContactUpdate, actor?: Actor): Promise<void> {
  const rows = await db.query<{ id: string; owner_id: string | null; owner_name: string | null }>(
    `SELECT c.id, c.owner_id, m.name AS owner_name FROM contacts c LEFT JOIN members m ON m.id = c.owner_id
      WHERE c.team_id = $1 AND c.id = $2 FOR UPDATE OF c`,
    [teamId, contactId],
  );
  if (rows.length === 0) throw notFound('contact');
  assertMayChange(actor, rows[0]!.owner_id, rows[0]!.owner_name);
  await checkOwner(db, teamId, patch.ownerId);
  const sets: string[] = [];
  const params: unknown[] = [teamId, contactId];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (patch.name !== undefined) set('name', patch.name || null);
  if (patch.title !== undefined) set('title', patch.title || null);
  if (patch.ownerId !== undefined) set('owner_id', patch.ownerId);
  if (patch.company !== undefined) {
    set('company_id', patch.company ? await companyByName(db, teamId, patch.company, []) : null);
  }
  if (sets.length === 0) return;
  await db.query(`UPDATE contacts SET ${sets.join(', ')}, updated_at = now() WHERE team_id = $1 AND id = $2`, params);
  await noteChange(db, teamId, 'contact', contactId);
}

/** Maps addresses to contact ids for the team (only the ones that have a contact). */
export async function contactIdsByEmail(db: Queryable, teamId: string, emails: string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db.query<{ email: string; contact_id: string }>(
    'SELECT email, contact_id FROM contact_emails WHERE team_id = $1 AND email = ANY($2::text[])',
    [teamId, emails],
  );
  return new Map(rows.map((r) => [r.email, r.contact_id]));
}

/**
 * Issue 12: hands a contact to a member (or to nobody). With `expectedOwnerId` ("Make me the owner" sends the owner
 * the user saw), a contact whose owner changed meanwhile is refused with 409 `owner_changed` rather than taken from
 * whoever claimed it a moment earlier: the row lock queues two claims, and the second finds the first's owner.
 * Asking for the owner a contact already has succeeds, so a retried request is answered like the first.
 */
export async function setOwner(db: Queryable, teamId: string, contactId: string, ownerId: string | null, expectedOwnerId?: string | null, actor?: Actor): Promise<void> {
  const [row] = await db.query<{ owner_id: string | null; owner_name: string | null }>(
    `SELECT c.owner_id, m.name AS owner_name FROM contacts c LEFT JOIN members m ON m.id = c.owner_id
      WHERE c.team_id = $1 AND c.id = $2 FOR UPDATE OF c`,
    [teamId, contactId],
  );
  if (!row) throw notFound('contact');
  if (row.owner_id === ownerId) return;
  if (expectedOwnerId !== undefined && row.owner_id !== expectedOwnerId) {
    throw conflict('owner_changed', `the owner changed meanwhile: ${row.owner_name ? `${row.owner_name} owns this contact now` : 'nobody owns it now'}`, 'expectedOwnerId');
  }
  // "Make me the owner" takes a contact nobody owns; one someone owns, only they (handing it on) or an admin moves.
  assertMayChange(actor, row.owner_id, row.owner_name);
  await checkOwner(db, teamId, ownerId);
  await db.query('UPDATE contacts SET owner_id = $3, updated_at = now() WHERE team_id = $1 AND id = $2', [teamId, contactId, ownerId]);
  await noteChange(db, teamId, 'contact', contactId);
}
