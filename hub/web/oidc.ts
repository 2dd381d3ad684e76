/**
 * Sign-in with the team's identity provider (OpenID Connect) through openid-client: discovery from the issuer
 * URL, the authorization code flow with PKCE (S256), `state` and `nonce`, and the ID token validated by the
 * library (signature against the provider's keys, issuer, audience = our client id, expiry, nonce).
 *
 * Where the configuration lives: per team in the database, set by an admin in the web app (Team → Sign-in), so a
 * team is run without a terminal and several teams on one hub can each use their own provider. For the very first
 * setup — before anyone can sign in to set it — the LIAISON_OIDC_* environment variables configure one team, and
 * win over the database (operators who keep secrets in a secret store keep them there).
 *
 * Which team: the sign-in page asks for the work address first and picks the team it belongs to (a member there,
 * or one of its domains), then sends the browser to that team's provider with the address as login_hint.
 */
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import { normalizeEmail } from '../domain/emails.ts';
import { addMemberOnly } from '../repo/members-admin.ts';
import { audit } from '../repo/audit.ts';
import { getSignIn } from '../repo/team-settings.ts';
import type { WebConfig } from './config.ts';
import { sendPage } from './pages.ts';
import { createSession, safeNext, setSessionCookie, sha256, type CookieNames } from './sessions.ts';

const ATTEMPT_MINUTES = 10;
const CONFIG_TTL_MS = 10 * 60_000;

export interface TeamOidc {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  fromEnvironment: boolean;
}

/** The env configuration applies to the team it names, or to the hub's only team. */
export async function envTeamId(db: Db, cfg: WebConfig): Promise<string | null> {
  if (!cfg.oidcEnv) return null;
  const wanted = cfg.oidcEnv.team;
  const rows = wanted
    ? await db.query<{ id: string }>('SELECT id::text AS id FROM teams WHERE id::text = $1 OR lower(name) = lower($1) ORDER BY id LIMIT 1', [wanted])
    : await db.query<{ id: string }>('SELECT id::text AS id FROM teams ORDER BY id LIMIT 2');
  return rows.length === 1 ? rows[0]!.id : null;
}

export async function oidcFor(db: Db, cfg: WebConfig, teamId: string): Promise<TeamOidc | null> {
  if (cfg.oidcEnv && (await envTeamId(db, cfg)) === teamId) {
    return { issuer: cfg.oidcEnv.issuer, clientId: cfg.oidcEnv.clientId, clientSecret: cfg.oidcEnv.clientSecret, fromEnvironment: true };
  }
  const stored = await getSignIn(db, teamId);
  return stored.oidc ? { ...stored.oidc, fromEnvironment: false } : null;
}

/** http is allowed for a provider on this machine only (a development or test provider); anywhere else, https. */
export function loopbackIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

const configs = new Map<string, { config: oidc.Configuration; until: number }>();

async function clientConfig(settings: TeamOidc, cfg: WebConfig): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
  const cached = configs.get(key);
  if (cached && cached.until > Date.now()) return cached.config;
  const issuer = new URL(settings.issuer);
  const options: oidc.DiscoveryRequestOptions = { timeout: 10 };
  if (loopbackIssuer(issuer)) options.execute = [oidc.allowInsecureRequests];
  if (cfg.oidcFetch) options[oidc.customFetch] = cfg.oidcFetch as oidc.CustomFetch;
  const config = await oidc.discovery(
    issuer,
    settings.clientId,
    settings.clientSecret ?? undefined,
    settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
    options,
  );
  if (configs.size > 100) configs.clear();
  configs.set(key, { config, until: Date.now() + CONFIG_TTL_MS });
  return config;
}

export function forgetOidcConfigs(): void {
  configs.clear();
}

/** Teams this address can sign in to with a provider: where it is a member, then where its domain is the team's. */
async function teamsFor(db: Db, cfg: WebConfig, email: string): Promise<string[]> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const rows = await db.query<{ id: string }>(
    `SELECT t.id::text AS id FROM teams t
      WHERE EXISTS (SELECT 1 FROM members m WHERE m.team_id = t.id AND m.email = $1)
         OR EXISTS (SELECT 1 FROM team_domains d WHERE d.team_id = t.id AND d.domain = $2)
      ORDER BY EXISTS (SELECT 1 FROM members m WHERE m.team_id = t.id AND m.email = $1) DESC, t.id`,
    [email, domain],
  );
  const out: string[] = [];
  for (const r of rows) if (await oidcFor(db, cfg, r.id)) out.push(r.id);
  return out;
}

export function redirectUri(origin: string): string {
  return `${origin}/auth/oidc/callback`;
}

export interface OidcDeps {
  db: Db;
  cfg: WebConfig;
  names: CookieNames;
  origin(req: FastifyRequest): string;
}

export async function startSignIn(deps: OidcDeps, req: FastifyRequest, reply: FastifyReply) {
  const { db, cfg, names } = deps;
  const query = req.query as Record<string, unknown>;
  const email = typeof query.email === 'string' ? normalizeEmail(query.email) : null;
  let teamId: string | null = null;
  if (email) teamId = (await teamsFor(db, cfg, email))[0] ?? null;
  else teamId = await envTeamId(db, cfg);
  if (!teamId) return sendPage(req, reply, 404, 'no_provider', { email: email ?? '' });
  const settings = (await oidcFor(db, cfg, teamId))!;
  let config: oidc.Configuration;
  try {
    config = await clientConfig(settings, cfg);
  } catch (err) {
    req.log.warn({ err: { message: (err as Error).message } }, 'identity provider discovery failed');
    return sendPage(req, reply, 502, 'provider_unavailable', { detail: (err as Error).message.slice(0, 200) });
  }
  const attempt = randomBytes(32).toString('base64url');
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  await db.query(
    `INSERT INTO oidc_logins (id_hash, team_id, state, nonce, code_verifier, next_path, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))`,
    [sha256(attempt), teamId, state, nonce, verifier, safeNext(query.next), ATTEMPT_MINUTES],
  );
  // Old attempts nobody finished: a few rows at a time, on the way.
  await db.query("DELETE FROM oidc_logins WHERE id_hash IN (SELECT id_hash FROM oidc_logins WHERE expires_at < now() - interval '1 hour' LIMIT 50)");
  // SameSite=Lax: the provider sends the browser back with a top-level GET from its own site, which Lax allows.
  reply.setCookie(names.oidc, attempt, { path: '/', httpOnly: true, sameSite: 'lax', secure: names.secure, maxAge: ATTEMPT_MINUTES * 60 });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(deps.origin(req)),
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(email ? { login_hint: email } : {}),
  });
  return reply.header('cache-control', 'no-store').redirect(url.href, 302);
}

export async function finishSignIn(deps: OidcDeps, req: FastifyRequest, reply: FastifyReply) {
  const { db, cfg, names } = deps;
  const attempt = req.cookies[names.oidc];
  reply.clearCookie(names.oidc, { path: '/', httpOnly: true, sameSite: 'lax', secure: names.secure });
  // The attempt is used once: whoever deletes the row has it (a replayed callback finds nothing).
  const [row] = attempt
    ? await db.query<{ team_id: string; state: string; nonce: string; code_verifier: string; next_path: string }>(
        'DELETE FROM oidc_logins WHERE id_hash = $1 AND expires_at > now() RETURNING team_id::text AS team_id, state, nonce, code_verifier, next_path',
        [sha256(attempt)],
      )
    : [];
  if (!row) return sendPage(req, reply, 400, 'expired_attempt');
  const settings = await oidcFor(db, cfg, row.team_id);
  if (!settings) return sendPage(req, reply, 400, 'expired_attempt');
  const current = new URL(redirectUri(deps.origin(req)));
  current.search = new URL(req.url, 'http://x').search;
  let claims: (oidc.IDToken & Record<string, unknown>) | undefined;
  try {
    const config = await clientConfig(settings, cfg);
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: row.code_verifier,
      expectedState: row.state,
      expectedNonce: row.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    // A conforming provider may keep the email out of the ID token when it also issues an access token
    // (OpenID Connect Core 5.4): then the UserInfo endpoint answers it, for the same subject.
    if (claims && typeof claims.email !== 'string' && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      // The ID token's own claims win; the address and its verification come from UserInfo.
      claims = { ...info, ...claims };
    }
  } catch (err) {
    const e = err as Error & { code?: string; error?: string; error_description?: string; cause?: { claim?: unknown; cause?: { claim?: unknown } } };
    const named = e.cause?.claim ?? e.cause?.cause?.claim;
    const claim = typeof named === 'string' ? `: ${named}` : '';
    const detail = (e.error_description ?? e.error ?? `${e.message}${claim}`).slice(0, 200);
    req.log.warn({ err: { message: e.message, code: e.code } }, 'sign-in refused');
    return sendPage(req, reply, 403, 'provider_refused', { detail });
  }
  if (!claims) return sendPage(req, reply, 403, 'provider_refused', { detail: 'no ID token' });
  const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : null;
  if (!email) return sendPage(req, reply, 403, 'no_email');
  // Only an address the provider vouches for identifies a member: an unverified one could be anyone's.
  if (!emailVerified(claims)) return sendPage(req, reply, 403, 'email_unverified', { email });

  const [member] = await db.query<{ id: string; active: boolean }>(
    'SELECT id::text AS id, deactivated_at IS NULL AS active FROM members WHERE team_id = $1 AND email = $2',
    [row.team_id, email],
  );
  let memberId: string;
  if (member) {
    if (!member.active) return sendPage(req, reply, 403, 'deactivated', { email });
    memberId = member.id;
  } else {
    const joined = await joinByDomain(db, row.team_id, email, typeof claims.name === 'string' ? claims.name : null);
    if (!joined) return sendPage(req, reply, 403, 'not_member', { email });
    memberId = joined;
  }
  const session = await createSession(db, row.team_id, memberId, 'oidc');
  setSessionCookie(reply, names, session);
  return reply.header('cache-control', 'no-store').redirect(row.next_path, 303);
}

/**
 * `email_verified: true`, the standard claim (Google, Okta, Keycloak…). Microsoft Entra ID does not send it; its
 * optional claim `xms_edov` ("email domain owner verified", added in the app registration's Token configuration)
 * says the same thing about a work account's address, so it counts too.
 */
export function emailVerified(claims: Record<string, unknown>): boolean {
  if (claims.email_verified === true || claims.email_verified === 'true') return true;
  const edov = claims.xms_edov;
  return edov === true || edov === 1 || edov === '1' || edov === 'true';
}

/** When the team allows it: a verified address at one of the team's own domains joins as a member. */
async function joinByDomain(db: Db, teamId: string, email: string, name: string | null): Promise<string | null> {
  const signIn = await getSignIn(db, teamId);
  if (!signIn.domainJoin.enabled) return null;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const [ours] = await db.query('SELECT 1 FROM team_domains WHERE team_id = $1 AND domain = $2', [teamId, domain]);
  if (!ours) return null;
  const display = (name ?? '').trim().slice(0, 200) || email.slice(0, email.indexOf('@'));
  return db.transaction(async (tx) => {
    const [existing] = await tx.query<{ id: string }>('SELECT id::text AS id FROM members WHERE team_id = $1 AND email = $2', [teamId, email]);
    if (existing) return existing.id;
    const id = await addMemberOnly(tx, teamId, { name: display, email, department: signIn.domainJoin.department, role: 'member' });
    await audit(tx, teamId, { memberId: id, name: display, email }, 'member.join', `${display} <${email}>`, { via: 'identity provider', department: signIn.domainJoin.department });
    return id;
  });
}
