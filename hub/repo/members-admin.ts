/**
 * Team administration beyond hub/repo/teams.ts (issue 13): members with their state, department and role
 * changes, deactivation, each member's tokens. A deactivated member's tokens are revoked and web sessions ended
 * in the same transaction, and the auth query refuses deactivated members too, so nothing they hold works.
 */
import type { Queryable } from '../db/index.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import type { Department, Role } from '../../shared/wire-types.ts';
import type { MemberAdmin, TokenView } from '../../shared/web-types.ts';

const ADMIN_SELECT = `SELECT m.id::text AS id, m.name, m.email, m.department, m.role, liaison_iso(m.created_at) AS "createdAt",
         m.deactivated_at IS NULL AS active, liaison_iso(m.deactivated_at) AS "deactivatedAt",
         (SELECT liaison_iso(max(t.last_used_at)) FROM tokens t WHERE t.member_id = m.id) AS "lastActiveAt",
         (SELECT count(*)::int FROM tokens t WHERE t.member_id = m.id AND t.revoked_at IS NULL) AS "activeTokens"
    FROM members m`;

export async function listMembersAdmin(db: Queryable, teamId: string): Promise<MemberAdmin[]> {
  return db.query<MemberAdmin>(`${ADMIN_SELECT} WHERE m.team_id = $1 ORDER BY m.deactivated_at IS NOT NULL, m.name, m.id`, [teamId]);
}

export async function getMemberAdmin(db: Queryable, teamId: string, memberId: string): Promise<MemberAdmin> {
  const [row] = await db.query<MemberAdmin>(`${ADMIN_SELECT} WHERE m.team_id = $1 AND m.id = $2`, [teamId, memberId]);
  if (!row) throw notFound('member');
  return row;
}

/** A member without a token: the invited person gets theirs by connecting the extension. */
export async function addMemberOnly(db: Queryable, teamId: string, m: { name: string; email: string; department: Department; role: Role }): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO members (team_id, name, email, department, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (team_id, email) DO NOTHING RETURNING id::text AS id`,
    [teamId, m.name, m.email, m.department, m.role],
  );
  if (!rows[0]) throw conflict('member_exists', `${m.email} is already a member of this team`, 'email');
  return rows[0].id;
}

export interface MemberChange {
  department?: Department;
  role?: Role;
  active?: boolean;
}

/**
 * Applies a change and says what changed (for the audit log). The team must keep an active admin: the last one
 * can be neither demoted nor deactivated, and nobody deactivates themselves (they would lock themselves out).
 */
export async function changeMember(tx: Queryable, teamId: string, actorId: string, memberId: string, change: MemberChange) {
  const [before] = await tx.query<{ department: Department; role: Role; active: boolean; name: string; email: string }>(
    'SELECT department, role, deactivated_at IS NULL AS active, name, email FROM members WHERE team_id = $1 AND id = $2 FOR UPDATE',
    [teamId, memberId],
  );
  if (!before) throw notFound('member');
  if (change.active === false && memberId === actorId) throw forbidden('you cannot deactivate yourself');
  const losesAdmin = before.role === 'admin' && before.active && (change.role === 'member' || change.active === false);
  if (losesAdmin) {
    // Lock the team's admins in one order, so two admins demoting each other at once cannot both succeed.
    const admins = await tx.query<{ id: string }>(
      "SELECT id::text AS id FROM members WHERE team_id = $1 AND role = 'admin' AND deactivated_at IS NULL ORDER BY id FOR UPDATE",
      [teamId],
    );
    if (admins.length <= 1) throw conflict('last_admin', 'the team must keep at least one active admin');
  }
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  if (change.department && change.department !== before.department) changed.department = { from: before.department, to: change.department };
  if (change.role && change.role !== before.role) changed.role = { from: before.role, to: change.role };
  if (change.active !== undefined && change.active !== before.active) changed.active = { from: before.active, to: change.active };
  await tx.query(
    `UPDATE members SET department = coalesce($3, department), role = coalesce($4, role),
            deactivated_at = CASE WHEN $5::boolean IS NULL THEN deactivated_at WHEN $5 THEN NULL ELSE coalesce(deactivated_at, now()) END
      WHERE team_id = $1 AND id = $2`,
    [teamId, memberId, change.department ?? null, change.role ?? null, change.active ?? null],
  );
  let tokensRevoked = 0;
  if (change.active === false && before.active) {
    tokensRevoked = (await tx.query('UPDATE tokens SET revoked_at = now() WHERE team_id = $1 AND member_id = $2 AND revoked_at IS NULL RETURNING id', [teamId, memberId])).length;
    await tx.query('DELETE FROM web_sessions WHERE team_id = $1 AND member_id = $2', [teamId, memberId]);
    await tx.query('UPDATE invites SET revoked_at = now() WHERE team_id = $1 AND member_id = $2 AND used_at IS NULL AND revoked_at IS NULL', [teamId, memberId]);
  }
  return { changed, tokensRevoked, member: `${before.name} <${before.email}>` };
}

const TOKEN_SELECT = `SELECT id::text AS id, member_id::text AS "memberId", label, liaison_iso(created_at) AS "createdAt",
        liaison_iso(last_used_at) AS "lastUsedAt", liaison_iso(revoked_at) AS "revokedAt" FROM tokens`;

export async function memberTokens(db: Queryable, teamId: string, memberId: string): Promise<TokenView[]> {
  return db.query<TokenView>(`${TOKEN_SELECT} WHERE team_id = $1 AND member_id = $2 ORDER BY tokens.revoked_at IS NOT NULL, tokens.id DESC`, [teamId, memberId]);
}

export async function tokenInfo(db: Queryable, teamId: string, tokenId: string): Promise<(TokenView & { owner: string }) | null> {
  const [row] = await db.query<TokenView & { owner: string }>(
    `SELECT t.id::text AS id, t.member_id::text AS "memberId", t.label, liaison_iso(t.created_at) AS "createdAt",
            liaison_iso(t.last_used_at) AS "lastUsedAt", liaison_iso(t.revoked_at) AS "revokedAt", m.name || ' <' || m.email || '>' AS owner
       FROM tokens t JOIN members m ON m.id = t.member_id WHERE t.team_id = $1 AND t.id = $2`,
    [teamId, tokenId],
  );
  return row ?? null;
}
