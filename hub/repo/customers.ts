/**
 * The web app's customer pages (issue 14): search by name, address, company or domain, and a company with its
 * people, owners, heads-ups and the team's timeline. Search is typo-tolerant through pg_trgm (migration 0006):
 * ILIKE finds any part of a word ("acme" in "acme-corp.com"), and `%` (trigram similarity above pg_trgm's
 * threshold, 0.3 by default) finds "Acme Crop" and "Jane Deo"; both are answered from the same GIN trigram indexes.
 */
import type { Queryable } from '../db/index.ts';
import { notFound } from '../http/errors.ts';
import type { Department, Interaction, MemberRef, TimelinePage } from '../../shared/wire-types.ts';
import type { CompanyPage, CustomerSearchResult } from '../../shared/insights-types.ts';
import { getContacts } from './contacts.ts';
import { INTERACTION_SELECT, memberRef } from './sql-fragments.ts';

/** `%text%` for ILIKE, with ILIKE's own wildcards in the text taken literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Contacts and companies matching a search, best match first, in two steps. First the text as a part of a name,
 * an address, a company name or a domain (ILIKE, answered from the GIN trigram indexes: ~15 ms at a million
 * contacts). Only when that finds fewer than a handful — a typo, most likely — the similarity search follows
 * (`%`, trigram similarity above pg_trgm's threshold of 0.3), which reads the posting lists of every trigram of the
 * text and costs several times more. $1 team, $2 the text (lower-cased), $3 its ILIKE pattern.
 */
const contactsSql = (match: (column: string) => string, rank: (column: string) => string) => `
  WITH hits AS (
    SELECT c.id, ${rank('c.name')} AS score FROM contacts c WHERE c.team_id = $1 AND ${match('c.name')}
    UNION ALL
    SELECT ce.contact_id, ${rank('ce.email')} FROM contact_emails ce WHERE ce.team_id = $1 AND ${match('ce.email')}),
  best AS (SELECT id, max(score) AS score FROM hits GROUP BY id ORDER BY max(score) DESC, id LIMIT 25)
  SELECT json_build_object('id', c.id::text, 'name', c.name, 'title', c.title,
           'emails', (SELECT coalesce(json_agg(ce.email ORDER BY ce.position, ce.email), '[]'::json) FROM contact_emails ce WHERE ce.contact_id = c.id),
           'company', CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object('id', co.id::text, 'name', co.name) END,
           'owner', CASE WHEN o.id IS NULL THEN NULL ELSE ${memberRef('o')} END) AS row
    FROM best b JOIN contacts c ON c.id = b.id LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN members o ON o.id = c.owner_id
   ORDER BY b.score DESC, c.id`;

const companiesSql = (match: (column: string) => string, rank: (column: string) => string) => `
  WITH hits AS (
    SELECT co.id, ${rank('co.name')} AS score FROM companies co WHERE co.team_id = $1 AND ${match('co.name')}
    UNION ALL
    SELECT cd.company_id, ${rank('cd.domain')} FROM company_domains cd WHERE cd.team_id = $1 AND ${match('cd.domain')}),
  best AS (SELECT id, max(score) AS score FROM hits GROUP BY id ORDER BY max(score) DESC, id LIMIT 25)
  SELECT json_build_object('id', co.id::text, 'name', co.name,
           'domains', (SELECT coalesce(json_agg(cd.domain ORDER BY cd.domain), '[]'::json) FROM company_domains cd WHERE cd.company_id = co.id),
           'people', (SELECT count(*)::int FROM contacts pc WHERE pc.company_id = co.id)) AS row
    FROM best b JOIN companies co ON co.id = b.id
   ORDER BY b.score DESC, co.id`;

// Part of a word: ranked by similarity, so "Acme" puts "Acme Corp" before "Acme Corporation Holdings".
const part = (col: string) => `${col} ILIKE $3`;
const similar = (col: string) => `${col} % $2`;
const score = (col: string) => `similarity(${col}, $2)`;

export const SEARCH_CONTACTS_SQL = contactsSql(part, score);
export const SEARCH_COMPANIES_SQL = companiesSql(part, score);
export const SIMILAR_CONTACTS_SQL = contactsSql(similar, score);
export const SIMILAR_COMPANIES_SQL = companiesSql(similar, score);

/** Fewer hits than this from the parts of words, and the typo-tolerant search runs too. */
const FEW = 5;

export async function searchCustomers(db: Queryable, teamId: string, q: string): Promise<CustomerSearchResult> {
  const text = q.trim().toLowerCase();
  const params = [teamId, text, likePattern(text)];
  type ContactRow = { row: CustomerSearchResult['contacts'][number] };
  type CompanyRow = { row: CustomerSearchResult['companies'][number] };
  let contacts = (await db.query<ContactRow>(SEARCH_CONTACTS_SQL, params)).map((r) => r.row);
  let companies = (await db.query<CompanyRow>(SEARCH_COMPANIES_SQL, params)).map((r) => r.row);
  if (contacts.length + companies.length < FEW) {
    const more = <T extends { id: string }>(found: T[], extra: T[]) => [...found, ...extra.filter((x) => !found.some((f) => f.id === x.id))].slice(0, 25);
    // These statements read no pattern ($3): PostgreSQL refuses a parameter it cannot type.
    contacts = more(contacts, (await db.query<ContactRow>(SIMILAR_CONTACTS_SQL, params.slice(0, 2))).map((r) => r.row));
    companies = more(companies, (await db.query<CompanyRow>(SIMILAR_COMPANIES_SQL, params.slice(0, 2))).map((r) => r.row));
  }
  return { q: text, contacts, companies };
}

const PEOPLE_LIMIT = 200;

export async function companyPage(db: Queryable, teamId: string, companyId: string): Promise<CompanyPage> {
  const [company] = await db.query<{ company: CompanyPage['company'] }>(
    `SELECT json_build_object('id', co.id::text, 'name', co.name,
              'domains', (SELECT coalesce(json_agg(cd.domain ORDER BY cd.domain), '[]'::json) FROM company_domains cd WHERE cd.company_id = co.id)) AS company
       FROM companies co WHERE co.team_id = $1 AND co.id = $2`,
    [teamId, companyId],
  );
  if (!company) throw notFound('company');
  const ids = await db.query<{ id: string }>(
    'SELECT id FROM contacts WHERE team_id = $1 AND company_id = $2 ORDER BY name NULLS LAST, id LIMIT $3',
    [teamId, companyId, PEOPLE_LIMIT],
  );
  const people = await getContacts(db, teamId, ids.map((r) => r.id));
  const owners = await db.query<{ member: MemberRef; contacts: number }>(
    `SELECT ${memberRef('m')} AS member, count(*)::int AS contacts FROM contacts c JOIN members m ON m.id = c.owner_id
      WHERE c.team_id = $1 AND c.company_id = $2 GROUP BY m.id ORDER BY count(*) DESC, m.name`,
    [teamId, companyId],
  );
  const flags = await db.query<{ flag: CompanyPage['openFlags'][number] }>(
    `SELECT json_build_object('id', f.id::text, 'kind', f.kind, 'note', f.note, 'open', true, 'setBy', ${memberRef('sb')},
              'setAt', liaison_iso(f.set_at), 'closedBy', NULL, 'closedAt', NULL,
              'contact', json_build_object('id', c.id::text, 'name', c.name)) AS flag
       FROM flags f JOIN contacts c ON c.id = f.contact_id JOIN members sb ON sb.id = f.set_by
      WHERE f.team_id = $1 AND c.company_id = $2 AND f.closed_at IS NULL ORDER BY f.set_at DESC LIMIT 100`,
    [teamId, companyId],
  );
  const counts = await db.query<{ department: Department; n: number }>(
    `SELECT i.department, count(*)::int AS n FROM interactions i
      WHERE i.team_id = $1 AND i.id IN (SELECT ip.interaction_id FROM interaction_participants ip JOIN contacts c ON c.id = ip.contact_id
                                        WHERE c.team_id = $1 AND c.company_id = $2)
      GROUP BY i.department`,
    [teamId, companyId],
  );
  const countsByDepartment = { sales: 0, marketing: 0, support: 0, it: 0, leadership: 0, other: 0 } as Record<Department, number>;
  for (const c of counts) countsByDepartment[c.department] = c.n;
  return {
    company: company.company,
    people: ids.map((r) => people.get(r.id)!).filter(Boolean),
    owners,
    openFlags: flags.map((r) => r.flag),
    totalInteractions: counts.reduce((s, c) => s + c.n, 0),
    countsByDepartment,
  };
}

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
const decodeCursor = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];

/** The team's timeline with a company's people, newest first, keyset-paginated like a contact's. */
export async function companyTimeline(db: Queryable, teamId: string, companyId: string, limit: number, cursor?: string): Promise<TimelinePage> {
  const exists = await db.query('SELECT 1 FROM companies WHERE team_id = $1 AND id = $2', [teamId, companyId]);
  if (exists.length === 0) throw notFound('company');
  const [at, id] = cursor ? decodeCursor(cursor) : [null, null];
  const rows = await db.query<{ item: Interaction; at: string; id: string }>(
    `SELECT ${INTERACTION_SELECT} AS item, liaison_iso(i.occurred_at) AS at, i.id::text AS id
       FROM (SELECT DISTINCT ip.interaction_id FROM interaction_participants ip JOIN contacts c ON c.id = ip.contact_id
              WHERE c.team_id = $1 AND c.company_id = $2
                AND ($4::timestamptz IS NULL OR (ip.occurred_at, ip.interaction_id) < ($4::timestamptz, $5::bigint))) x
       JOIN interactions i ON i.id = x.interaction_id
      ORDER BY i.occurred_at DESC, i.id DESC LIMIT $3`,
    [teamId, companyId, limit + 1, at, id],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => r.item), nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
}
