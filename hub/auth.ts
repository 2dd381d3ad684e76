/**
 * Bearer tokens: 256 random bits, shown once, stored as SHA-256 (a fast hash is right for high-entropy
 * secrets: there is nothing to brute-force), revocable, with a last-used time. A request's token resolves to
 * one member of one team, and every query after that is scoped to that team.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from './db/index.ts';
import type { Department, Role } from '../shared/wire-types.ts';

export interface Principal {
  tokenId: string;
  teamId: string;
  memberId: string;
  name: string;
  email: string;
  department: Department;
  role: Role;
}

const PREFIX = 'lia_';

export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export async function issueToken(db: Queryable, teamId: string, memberId: string, label: string | null): Promise<{ token: string; tokenId: string }> {
  const token = generateToken();
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO tokens (team_id, member_id, token_hash, label) VALUES ($1, $2, $3, $4) RETURNING id',
    [teamId, memberId, hashToken(token), label],
  );
  return { token, tokenId: row!.id };
}

// last_used_at is written at most once a minute per token, so a busy client does not turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * A process remembers a token it has just checked for a moment, so a busy client's requests cost one
 * database round trip instead of two. Revoking through this process forgets it at once; a revocation elsewhere
 * (another hub process, the CLI) is announced with NOTIFY and forgotten at once too (hub/auth-notify.ts), with
 * AUTH_CACHE_MS as the bound if an announcement is missed. Unknown and revoked tokens are never remembered.
 */
const AUTH_CACHE_MS = 2_000;
const authCache = new Map<string, { principal: Principal; until: number }>();

export function forgetAuthCache(): void {
  authCache.clear();
}

export async function authenticate(db: Db, header: string | undefined): Promise<Principal | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || !match[1]!.startsWith(PREFIX) || match[1]!.length > 200) return null;
  const hash = hashToken(match[1]!);
  const key = hash.toString('base64');
  const cached = authCache.get(key);
  if (cached && cached.until > Date.now()) return cached.principal;
  const rows = await db.query<Principal & { lastUsedAt: Date | null }>(
    `SELECT t.id AS "tokenId", t.team_id AS "teamId", m.id AS "memberId", m.name, m.email, m.department, m.role,
            t.last_used_at AS "lastUsedAt"
       FROM tokens t JOIN members m ON m.id = t.member_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND m.deactivated_at IS NULL`,
    [hash],
  );
  const row = rows[0];
  if (!row) {
    authCache.delete(key);
    return null;
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.query('UPDATE tokens SET last_used_at = now() WHERE id = $1', [row.tokenId]);
  }
  const { lastUsedAt: _unused, ...principal } = row;
  if (authCache.size > 10_000) authCache.clear(); // bounded: a flood of distinct valid tokens cannot grow it
  authCache.set(key, { principal, until: Date.now() + AUTH_CACHE_MS });
  return principal;
}

export async function revokeToken(db: Queryable, teamId: string, tokenId: string): Promise<boolean> {
  forgetAuthCache();
  const rows = await db.query(
    'UPDATE tokens SET revoked_at = now() WHERE id = $1 AND team_id = $2 AND revoked_at IS NULL RETURNING id',
    [tokenId, teamId],
  );
  forgetAuthCache(); // again: a request may have re-remembered it while the update ran
  return rows.length === 1;
}
