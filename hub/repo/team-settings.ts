/**
 * Team-wide settings an admin sets in the web app (issue 13): the never-log lists pushed to every member's
 * extension, and how people sign in (the team's OpenID Connect identity provider, joining by email domain).
 */
import type { Queryable } from '../db/index.ts';
import type { Department } from '../../shared/wire-types.ts';
import type { TeamPolicy } from '../../shared/web-types.ts';

export async function getTeamPolicy(db: Queryable, teamId: string): Promise<TeamPolicy> {
  const rows = await db.query<{ kind: 'domain' | 'address'; value: string }>('SELECT kind, value FROM team_never_log WHERE team_id = $1 ORDER BY kind, value', [teamId]);
  return {
    neverLogDomains: rows.filter((r) => r.kind === 'domain').map((r) => r.value),
    neverLogAddresses: rows.filter((r) => r.kind === 'address').map((r) => r.value),
  };
}

export async function setTeamPolicy(db: Queryable, teamId: string, policy: TeamPolicy): Promise<void> {
  await db.query('DELETE FROM team_never_log WHERE team_id = $1', [teamId]);
  for (const [kind, values] of [['domain', policy.neverLogDomains], ['address', policy.neverLogAddresses]] as const) {
    await db.query(`INSERT INTO team_never_log (team_id, kind, value) SELECT $1, $2, v FROM unnest($3::text[]) v ON CONFLICT DO NOTHING`, [teamId, kind, [...new Set(values)]]);
  }
}

export interface StoredSignIn {
  oidc: { issuer: string; clientId: string; clientSecret: string | null } | null;
  domainJoin: { enabled: boolean; department: Department };
}

export async function getSignIn(db: Queryable, teamId: string): Promise<StoredSignIn> {
  const [row] = await db.query<{ oidc_issuer: string | null; oidc_client_id: string | null; oidc_client_secret: string | null; domain_join: boolean; domain_join_department: Department }>(
    'SELECT oidc_issuer, oidc_client_id, oidc_client_secret, domain_join, domain_join_department FROM team_sign_in WHERE team_id = $1',
    [teamId],
  );
  return {
    oidc: row?.oidc_issuer && row.oidc_client_id ? { issuer: row.oidc_issuer, clientId: row.oidc_client_id, clientSecret: row.oidc_client_secret } : null,
    domainJoin: { enabled: row?.domain_join ?? false, department: row?.domain_join_department ?? 'other' },
  };
}

/** `clientSecret` undefined keeps the stored one (the web app never sees it to send it back). */
export async function setSignIn(
  db: Queryable,
  teamId: string,
  s: { oidc: { issuer: string; clientId: string; clientSecret?: string } | null; domainJoin: { enabled: boolean; department: Department } },
): Promise<void> {
  await db.query(
    `INSERT INTO team_sign_in (team_id, oidc_issuer, oidc_client_id, oidc_client_secret, domain_join, domain_join_department)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (team_id) DO UPDATE SET oidc_issuer = EXCLUDED.oidc_issuer, oidc_client_id = EXCLUDED.oidc_client_id,
       oidc_client_secret = CASE WHEN $2::text IS NULL THEN NULL WHEN $7 THEN team_sign_in.oidc_client_secret ELSE EXCLUDED.oidc_client_secret END,
       domain_join = EXCLUDED.domain_join, domain_join_department = EXCLUDED.domain_join_department, updated_at = now()`,
    [teamId, s.oidc?.issuer ?? null, s.oidc?.clientId ?? null, s.oidc?.clientSecret ?? null, s.domainJoin.enabled, s.domainJoin.department, s.oidc !== null && s.oidc.clientSecret === undefined],
  );
}
