/**
 * Invite links: one-time sign-in links an admin makes for one member of the team. The code is 256 random bits
 * shown once; the hub keeps its SHA-256. A link expires, is used once (the row is claimed by an UPDATE that only
 * one request can win), can be revoked, and signs its holder in as that member of that team — never anyone else.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { notFound } from '../http/errors.ts';
import type { InvitePreview, InviteView } from '../../shared/web-types.ts';

export const INVITE_DAYS = 7;

export const newInviteCode = () => randomBytes(32).toString('base64url');
export const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest();
/** What a code looks like; anything else is refused before the database is asked. */
export const INVITE_CODE = /^[A-Za-z0-9_-]{43}$/;

const STATE = `CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked' WHEN i.used_at IS NOT NULL THEN 'used'
                    WHEN i.expires_at <= now() THEN 'expired' ELSE 'pending' END`;

const VIEW_SELECT = `SELECT i.id::text AS id,
         json_build_object('id', m.id::text, 'name', m.name, 'email', m.email, 'department', m.department, 'role', m.role) AS member,
         liaison_iso(i.created_at) AS "createdAt", liaison_iso(i.expires_at) AS "expiresAt", liaison_iso(i.used_at) AS "usedAt",
         liaison_iso(i.revoked_at) AS "revokedAt", ${STATE} AS state, c.name AS "createdBy"
    FROM invites i JOIN members m ON m.id = i.member_id LEFT JOIN members c ON c.id = i.created_by`;

export async function createInvite(db: Queryable, teamId: string, memberId: string, createdBy: string | null, days = INVITE_DAYS) {
  const code = newInviteCode();
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO invites (team_id, member_id, code_hash, created_by, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id::text AS id`,
    [teamId, memberId, hashCode(code), createdBy, days],
  );
  return { code, invite: await getInvite(db, teamId, row!.id) };
}

export async function getInvite(db: Queryable, teamId: string, inviteId: string): Promise<InviteView> {
  const [row] = await db.query<InviteView>(`${VIEW_SELECT} WHERE i.team_id = $1 AND i.id = $2`, [teamId, inviteId]);
  if (!row) throw notFound('invite');
  return row;
}

export async function listInvites(db: Queryable, teamId: string, limit = 200): Promise<InviteView[]> {
  return db.query<InviteView>(`${VIEW_SELECT} WHERE i.team_id = $1 ORDER BY i.id DESC LIMIT $2`, [teamId, limit]);
}

export async function revokeInvite(db: Queryable, teamId: string, inviteId: string): Promise<InviteView | null> {
  const rows = await db.query('UPDATE invites SET revoked_at = now() WHERE team_id = $1 AND id = $2 AND used_at IS NULL AND revoked_at IS NULL RETURNING id', [teamId, inviteId]);
  return rows.length ? getInvite(db, teamId, inviteId) : null;
}

/** For the page a link opens: whose invite it is, without using it. */
export async function previewInvite(db: Queryable, code: string): Promise<InvitePreview | null> {
  if (!INVITE_CODE.test(code)) return null;
  const [row] = await db.query<InvitePreview>(
    `SELECT t.name AS "teamName", m.name AS "memberName", m.email,
            CASE WHEN m.deactivated_at IS NOT NULL THEN 'revoked' ELSE ${STATE} END AS state
       FROM invites i JOIN members m ON m.id = i.member_id JOIN teams t ON t.id = i.team_id WHERE i.code_hash = $1`,
    [hashCode(code)],
  );
  return row ?? null;
}

/**
 * Uses a link: exactly one request can claim a pending one (the UPDATE's WHERE decides, not a check before it).
 * Answers the member it signs in, or why not.
 */
export async function claimInvite(db: Queryable, code: string): Promise<{ ok: true; teamId: string; memberId: string; inviteId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' }> {
  if (!INVITE_CODE.test(code)) return { ok: false, reason: 'unknown' };
  const hash = hashCode(code);
  const [claimed] = await db.query<{ id: string; team_id: string; member_id: string }>(
    `UPDATE invites i SET used_at = now()
       FROM members m
      WHERE i.code_hash = $1 AND m.id = i.member_id AND m.deactivated_at IS NULL
        AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
      RETURNING i.id::text AS id, i.team_id::text AS team_id, i.member_id::text AS member_id`,
    [hash],
  );
  if (claimed) return { ok: true, teamId: claimed.team_id, memberId: claimed.member_id, inviteId: claimed.id };
  const [row] = await db.query<{ state: 'used' | 'expired' | 'revoked' | 'pending'; inactive: boolean }>(
    `SELECT ${STATE} AS state, m.deactivated_at IS NOT NULL AS inactive FROM invites i JOIN members m ON m.id = i.member_id WHERE i.code_hash = $1`,
    [hash],
  );
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.inactive || row.state === 'pending') return { ok: false, reason: 'revoked' };
  return { ok: false, reason: row.state };
}
