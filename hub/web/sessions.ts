/**
 * Web sessions: a random 256-bit value in an HttpOnly, SameSite=Lax cookie (Secure, with the `__Host-` prefix,
 * whenever the hub is reached over https), stored as SHA-256 in web_sessions with an idle and an absolute expiry.
 * The `/v1` API never reads this cookie: it authenticates by bearer token only (hub/auth.ts).
 *
 * Unsafe requests made with a session (POST, PUT, PATCH, DELETE) must also pass two CSRF checks: the request's
 * Origin (or, without one, Sec-Fetch-Site) is the hub's own, and it carries the CSRF token the session was given
 * (@fastify/csrf-protection, its secret in a signed cookie and the token bound to this session).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Queryable } from '../db/index.ts';
import type { Principal } from '../auth.ts';

const IDLE_HOURS = 12;
const ABSOLUTE_DAYS = 7;
const LAST_SEEN_RESOLUTION_MS = 60_000;

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** A secret all hub processes share, made by whichever asks first (the INSERT's conflict decides, not a check). */
export async function hubSecret(db: Db, name: string): Promise<Buffer> {
  await db.query('INSERT INTO hub_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
  const [row] = await db.query<{ value: Buffer }>('SELECT value FROM hub_secrets WHERE name = $1', [name]);
  return Buffer.from(row!.value);
}

export interface WebSessionRow {
  id: string;
  via: 'oidc' | 'invite';
  principal: Principal;
}

export interface CookieNames {
  session: string;
  csrf: string;
  oidc: string;
  secure: boolean;
}

/** `__Host-` cookies must be Secure, which a browser only keeps over https: plain names on a laptop's http. */
export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-liaison-session', csrf: '__Host-liaison-csrf', oidc: '__Host-liaison-oidc', secure }
    : { session: 'liaison-session', csrf: 'liaison-csrf', oidc: 'liaison-oidc', secure };
}

export async function createSession(db: Queryable, teamId: string, memberId: string, via: 'oidc' | 'invite'): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO web_sessions (token_hash, team_id, member_id, via, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
    [sha256(value), teamId, memberId, via, ABSOLUTE_DAYS],
  );
  return value;
}

export function setSessionCookie(reply: FastifyReply, names: CookieNames, value: string): void {
  reply.setCookie(names.session, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: names.secure, maxAge: ABSOLUTE_DAYS * 86_400 });
}

export function clearSessionCookie(reply: FastifyReply, names: CookieNames): void {
  reply.clearCookie(names.session, { path: '/', httpOnly: true, sameSite: 'lax', secure: names.secure });
}

/** The session a request's cookie names, if it is live and its member active; no cache: a revocation is immediate. */
export async function sessionOf(db: Db, req: FastifyRequest, names: CookieNames): Promise<WebSessionRow | null> {
  const value = req.cookies[names.session];
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const [row] = await db.query<Principal & { id: string; via: 'oidc' | 'invite'; lastSeen: Date }>(
    `SELECT s.id::text AS id, s.via, s.last_seen_at AS "lastSeen", s.team_id::text AS "teamId", m.id::text AS "memberId",
            m.name, m.email, m.department, m.role
       FROM web_sessions s JOIN members m ON m.id = s.member_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(hours => $2)
        AND m.deactivated_at IS NULL`,
    [sha256(value), IDLE_HOURS],
  );
  if (!row) return null;
  if (Date.now() - row.lastSeen.getTime() > LAST_SEEN_RESOLUTION_MS) await db.query('UPDATE web_sessions SET last_seen_at = now() WHERE id = $1', [row.id]);
  const { id, via, lastSeen: _seen, ...rest } = row;
  return { id, via, principal: { ...rest, tokenId: '' } };
}

export async function endSession(db: Db, req: FastifyRequest, names: CookieNames): Promise<void> {
  const value = req.cookies[names.session];
  if (value) await db.query('DELETE FROM web_sessions WHERE token_hash = $1', [sha256(value)]);
}

/** Unsafe methods must come from the hub's own pages: a cross-site form or fetch is refused before anything runs. */
export function sameOrigin(req: FastifyRequest, ownOrigin: string): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origin === ownOrigin;
  const site = req.headers['sec-fetch-site'];
  // Browsers send Origin on every cross-origin POST; without either header this is not a browser's request (curl,
  // a test), which carries no cookie it did not mean to send.
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** A relative path on this hub, never `//evil.example` or a scheme: where to go after signing in. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next)) return '/';
  return next;
}
