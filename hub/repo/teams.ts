/** Teams, members and their tokens. Member and token management is for admins (checked by the routes). */
import type { Queryable } from '../db/index.ts';
import { issueToken } from '../auth.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { Department, Member, Role, Team, TeamChanges } from '../../shared/wire-types.ts';

const MEMBER_SELECT = `id::text AS id, name, email, department, role, liaison_iso(created_at) AS "createdAt"`;

export async function createTeam(db: Queryable, name: string, domains: string[]): Promise<string> {
  const [row] = await db.query<{ id: string }>('INSERT INTO teams (name) VALUES ($1) RETURNING id', [name]);
  await setTeamDomains(db, row!.id, domains);
  return row!.id;
}

export async function setTeamDomains(db: Queryable, teamId: string, domains: string[]): Promise<void> {
  await db.query('DELETE FROM team_domains WHERE team_id = $1', [teamId]);
  await db.query('INSERT INTO team_domains (team_id, domain) SELECT $1, d FROM unnest($2::text[]) d ON CONFLICT DO NOTHING', [
    teamId,
    [...new Set(domains)],
  ]);
}

export async function getTeam(db: Queryable, teamId: string): Promise<Team> {
  const [row] = await db.query<Team>(
    `SELECT t.id::text AS id, t.name,
            (SELECT coalesce(array_agg(d.domain ORDER BY d.domain), '{}') FROM team_domains d WHERE d.team_id = t.id) AS domains
       FROM teams t WHERE t.id = $1`,
    [teamId],
  );
  if (!row) throw notFound('team');
  return row;
}

export async function findTeamByName(db: Queryable, name: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM teams WHERE lower(name) = lower($1) ORDER BY id LIMIT 1', [name]);
  return row?.id ?? null;
}

export interface NewMember {
  name: string;
  email: string;
  department: Department;
  role: Role;
}

export async function addMember(db: Queryable, teamId: string, m: NewMember, tokenLabel: string | null = 'first token') {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO members (team_id, name, email, department, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (team_id, email) DO NOTHING RETURNING id`,
    [teamId, m.name, m.email, m.department, m.role],
  );
  if (!rows[0]) throw conflict('member_exists', `${m.email} is already a member of this team`, 'email');
  const { token, tokenId } = await issueToken(db, teamId, rows[0].id, tokenLabel);
  return { member: await getMember(db, teamId, rows[0].id), token, tokenId };
}

export async function getMember(db: Queryable, teamId: string, memberId: string): Promise<Member> {
  const [row] = await db.query<Member>(`SELECT ${MEMBER_SELECT} FROM members WHERE team_id = $1 AND id = $2`, [teamId, memberId]);
  if (!row) throw notFound('member');
  return row;
}

export async function findMemberByEmail(db: Queryable, teamId: string, email: string): Promise<Member | null> {
  const [row] = await db.query<Member>(`SELECT ${MEMBER_SELECT} FROM members WHERE team_id = $1 AND email = $2`, [teamId, email]);
  return row ?? null;
}

export async function listMembers(db: Queryable, teamId: string): Promise<Member[]> {
  return db.query<Member>(`SELECT ${MEMBER_SELECT} FROM members WHERE team_id = $1 ORDER BY name, id`, [teamId]);
}

export interface TokenInfo {
  id: string;
  memberId: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokens(db: Queryable, teamId: string): Promise<TokenInfo[]> {
  return db.query<TokenInfo>(
    `SELECT id::text AS id, member_id::text AS "memberId", label, liaison_iso(created_at) AS "createdAt",
            liaison_iso(last_used_at) AS "lastUsedAt", liaison_iso(revoked_at) AS "revokedAt"
       FROM tokens WHERE team_id = $1 ORDER BY tokens.id`,
    [teamId],
  );
}

export async function tokenOwner(db: Queryable, teamId: string, tokenId: string): Promise<string | null> {
  const [row] = await db.query<{ member_id: string }>('SELECT member_id FROM tokens WHERE team_id = $1 AND id = $2', [teamId, tokenId]);
  return row?.member_id ?? null;
}

/**
 * Issue 12: the team's change counter (migration 0004), as `<team>.<version>` so that a token moved to another team
 * never matches a version it saw before. A team nothing has changed in yet is at version 0.
 */
export async function teamChanges(db: Queryable, teamId: string): Promise<TeamChanges> {
  const [row] = await db.query<{ version: string; changed_at: string | null }>(
    `SELECT coalesce(max(v.version), 0)::text AS version, liaison_iso(max(v.changed_at)) AS changed_at FROM team_versions v WHERE v.team_id = $1`,
    [teamId],
  );
  return { version: `${teamId}.${row?.version ?? '0'}`, changedAt: row?.changed_at ?? null };
}
