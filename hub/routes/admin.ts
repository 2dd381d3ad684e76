/**
 * Team administration (issue 13): invites, members' state and tokens, the team's never-log lists and sign-in,
 * the audit log, CSV import with a preview. Declared once here like every route: served under `/v1` with a bearer
 * token (automation, the CLI's peers) and under `/web/v1` with the web app's session (hub/web/register.ts).
 * Every change an admin makes writes an audit entry in the same transaction.
 */
import * as v from 'valibot';
import { forgetAuthCache } from '../auth.ts';
import { announceRevocation } from '../auth-notify.ts';
import { conflict, HttpError, notFound } from '../http/errors.ts';
import { route } from '../http/route.ts';
import { nonEmptyText, text } from '../http/fields.ts';
import { Domain, Email, example, Id, IdParams } from '../http/schemas.ts';
import { audit, auditCsv, allAudit, listAudit } from '../repo/audit.ts';
import { createInvite, listInvites, revokeInvite } from '../repo/invites.ts';
import { addMemberOnly, changeMember, getMemberAdmin, listMembersAdmin, memberTokens } from '../repo/members-admin.ts';
import { getSignIn, getTeamPolicy, setSignIn, setTeamPolicy } from '../repo/team-settings.ts';
import { findMemberByEmail } from '../repo/teams.ts';
import { DEPARTMENTS, ROLES } from '../../shared/wire-types.ts';
import type { ImportPreview, SignInSettings } from '../../shared/web-types.ts';

const InviteBody = v.pipe(
  v.strictObject({
    name: nonEmptyText(200),
    email: Email,
    department: v.picklist(DEPARTMENTS),
    role: v.optional(v.picklist(ROLES), 'member'),
  }),
  example({ name: 'Mia Jansen', email: 'mia@northwind-demo.com', department: 'support', role: 'member' }),
);

const MemberPatch = v.pipe(
  v.strictObject({
    department: v.optional(v.picklist(DEPARTMENTS)),
    role: v.optional(v.picklist(ROLES)),
    active: v.optional(v.boolean()),
  }),
  example({ department: 'it', role: 'member', active: true }),
);

const PolicyBody = v.pipe(
  v.strictObject({
    neverLogDomains: v.pipe(v.array(Domain), v.maxLength(1000)),
    neverLogAddresses: v.pipe(v.array(Email), v.maxLength(1000)),
  }),
  example({ neverLogDomains: ['lawfirm.example'], neverLogAddresses: ['ceo@acme-corp.com'] }),
);

const IssuerUrl = v.pipe(
  text(500),
  v.maxLength(500),
  v.check((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
    } catch {
      return false;
    }
  }, 'must be an https:// URL (http:// only for a provider on this machine)'),
);

const SignInBody = v.pipe(
  v.strictObject({
    oidc: v.nullable(
      v.strictObject({
        issuer: IssuerUrl,
        clientId: nonEmptyText(300),
        /** Absent: keep the stored secret. */
        clientSecret: v.optional(text(1000)),
      }),
    ),
    domainJoin: v.strictObject({ enabled: v.boolean(), department: v.picklist(DEPARTMENTS) }),
  }),
  example({
    oidc: { issuer: 'https://accounts.google.com', clientId: '1234-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-example' },
    domainJoin: { enabled: true, department: 'sales' },
  }),
);

const AuditQuery = v.pipe(
  v.strictObject({
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(500)), '100'),
    cursor: v.optional(Id),
  }),
  example({ limit: '50', cursor: '120' }),
);

const ImportBody = v.pipe(
  v.strictObject({
    // A CSV file whole: its cells are checked row by row by the import (a NUL refuses the file with a reason).
    csv: v.pipe(v.string(), v.minLength(1, 'the file is empty')),
    /** false (the default): a preview — every row checked as the import would, nothing written. */
    commit: v.optional(v.boolean(), false),
    strict: v.optional(v.boolean(), false),
  }),
  example({ csv: 'email,name\njane.doe@acme-corp.com,Jane Doe\n', commit: false, strict: true }),
);

export const adminRoutes = [
  route({
    method: 'GET',
    url: '/v1/admin/members',
    auth: 'admin',
    tag: 'admin',
    summary: 'Every member with their state, last activity and number of working tokens (admin)',
    responses: { 200: '{ items: MemberAdmin[] }', 403: 'not an admin' },
    returns: 'MemberAdmin[] (shared/web-types.ts)',
    handler: async ({ db, who }) => ({ items: await listMembersAdmin(db, who.teamId) }),
  }),
  route({
    method: 'PATCH',
    url: '/v1/members/:id',
    auth: 'admin',
    tag: 'admin',
    summary: "Change a member's department or role, or deactivate them (their tokens and sessions stop at once) (admin)",
    params: IdParams,
    body: MemberPatch,
    responses: { 200: 'the member', 403: 'not an admin, or deactivating yourself', 404: 'no such member', 409: 'the last active admin' },
    returns: 'MemberAdmin (shared/web-types.ts)',
    handler: async ({ db, who, params, body }) => {
      const result = await db.transaction(async (tx) => {
        const r = await changeMember(tx, who.teamId, who.memberId, params.id, body);
        const action = r.changed.active ? (body.active ? 'member.reactivate' : 'member.deactivate') : 'member.update';
        if (Object.keys(r.changed).length) await audit(tx, who.teamId, who, action, r.member, { ...r.changed, ...(r.tokensRevoked ? { tokensRevoked: r.tokensRevoked } : {}) });
        // Every other hub process forgets the tokens it remembered, when this commits.
        if (r.changed.active) await announceRevocation(tx);
        return r;
      });
      // This process forgets at once; the auth query itself refuses deactivated members and revoked tokens.
      if (result.changed.active) forgetAuthCache();
      return getMemberAdmin(db, who.teamId, params.id);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/members/:id/tokens',
    auth: 'admin',
    tag: 'admin',
    summary: "A member's tokens: label, created, last used, revoked (admin)",
    params: IdParams,
    responses: { 200: '{ items: TokenView[] }', 403: 'not an admin', 404: 'no such member' },
    handler: async ({ db, who, params }) => {
      await getMemberAdmin(db, who.teamId, params.id);
      return { items: await memberTokens(db, who.teamId, params.id) };
    },
  }),
  route({
    method: 'GET',
    url: '/v1/me/tokens',
    auth: 'member',
    tag: 'admin',
    summary: 'Your own tokens (revoke a lost laptop’s with DELETE /v1/tokens/:id)',
    responses: { 200: '{ items: TokenView[] }' },
    handler: async ({ db, who }) => ({ items: await memberTokens(db, who.teamId, who.memberId) }),
  }),
  route({
    method: 'POST',
    url: '/v1/invites',
    auth: 'admin',
    tag: 'admin',
    summary: 'Invite a person: adds them as a member (or finds them) and answers a one-time sign-in link, shown this once (admin)',
    body: InviteBody,
    responses: { 201: 'InviteCreated: the invite and its link', 403: 'not an admin', 409: 'that member is deactivated' },
    returns: 'InviteCreated (shared/web-types.ts)',
    handler: async ({ db, who, body, req, reply }) => {
      const created = await db.transaction(async (tx) => {
        const existing = await findMemberByEmail(tx, who.teamId, body.email);
        let memberId: string;
        if (existing) {
          const [state] = await tx.query<{ active: boolean }>('SELECT deactivated_at IS NULL AS active FROM members WHERE id = $1', [existing.id]);
          if (!state!.active) throw conflict('member_deactivated', `${body.email} is deactivated: turn them back on first`, 'email');
          memberId = existing.id;
        } else {
          memberId = await addMemberOnly(tx, who.teamId, body);
          await audit(tx, who.teamId, who, 'member.add', `${body.name} <${body.email}>`, { department: body.department, role: body.role });
        }
        const made = await createInvite(tx, who.teamId, memberId, who.memberId);
        await audit(tx, who.teamId, who, 'invite.create', `${made.invite.member.name} <${made.invite.member.email}>`, { invite: made.invite.id, expiresAt: made.invite.expiresAt });
        return made;
      });
      reply.code(201);
      return { invite: created.invite, url: `${req.server.publicOrigin(req)}/invite/${created.code}` };
    },
  }),
  route({
    method: 'GET',
    url: '/v1/invites',
    auth: 'admin',
    tag: 'admin',
    summary: 'Invite links, newest first, with their state (admin)',
    responses: { 200: '{ items: InviteView[] }', 403: 'not an admin' },
    handler: async ({ db, who }) => ({ items: await listInvites(db, who.teamId) }),
  }),
  route({
    method: 'DELETE',
    url: '/v1/invites/:id',
    auth: 'admin',
    tag: 'admin',
    summary: 'Withdraw an unused invite link (admin)',
    params: IdParams,
    responses: { 204: 'withdrawn', 403: 'not an admin', 404: 'no such unused invite' },
    handler: async ({ db, who, params, reply }) => {
      await db.transaction(async (tx) => {
        const revoked = await revokeInvite(tx, who.teamId, params.id);
        if (!revoked) throw notFound('unused invite');
        await audit(tx, who.teamId, who, 'invite.revoke', `${revoked.member.name} <${revoked.member.email}>`, { invite: params.id });
      });
      reply.code(204);
      return null;
    },
  }),
  route({
    method: 'GET',
    url: '/v1/team/policy',
    auth: 'member',
    tag: 'admin',
    summary: "The team's never-log domains and addresses (also in GET /v1/me as `policy`)",
    responses: { 200: 'TeamPolicy' },
    returns: 'TeamPolicy (shared/web-types.ts)',
    handler: async ({ db, who }) => getTeamPolicy(db, who.teamId),
  }),
  route({
    method: 'PUT',
    url: '/v1/team/policy',
    auth: 'admin',
    tag: 'admin',
    summary: "Set the team's never-log lists; every member's extension adds them to its own (admin)",
    body: PolicyBody,
    responses: { 200: 'TeamPolicy', 403: 'not an admin' },
    handler: async ({ db, who, body }) => {
      await db.transaction(async (tx) => {
        const before = await getTeamPolicy(tx, who.teamId);
        await setTeamPolicy(tx, who.teamId, body);
        await audit(tx, who.teamId, who, 'team.never-log', null, { before, after: { neverLogDomains: body.neverLogDomains, neverLogAddresses: body.neverLogAddresses } });
      });
      return getTeamPolicy(db, who.teamId);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/team/sign-in',
    auth: 'admin',
    tag: 'admin',
    summary: 'How people sign in: the identity provider (never its secret) and joining by domain (admin)',
    responses: { 200: 'SignInSettings', 403: 'not an admin' },
    returns: 'SignInSettings (shared/web-types.ts)',
    handler: async ({ db, who, req }) => signInView(req, db, who.teamId),
  }),
  route({
    method: 'PUT',
    url: '/v1/team/sign-in',
    auth: 'admin',
    tag: 'admin',
    summary: 'Set the team’s identity provider (issuer URL, client id and secret) and joining by domain (admin)',
    body: SignInBody,
    responses: { 200: 'SignInSettings', 403: 'not an admin' },
    handler: async ({ db, who, body, req }) => {
      await db.transaction(async (tx) => {
        await setSignIn(tx, who.teamId, { oidc: body.oidc ? { issuer: body.oidc.issuer, clientId: body.oidc.clientId, clientSecret: body.oidc.clientSecret?.trim() || undefined } : null, domainJoin: body.domainJoin });
        await audit(tx, who.teamId, who, 'team.sign-in', null, {
          issuer: body.oidc?.issuer ?? null,
          clientId: body.oidc?.clientId ?? null,
          secretChanged: Boolean(body.oidc?.clientSecret?.trim()),
          domainJoin: body.domainJoin,
        });
      });
      return signInView(req, db, who.teamId);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/audit',
    auth: 'admin',
    tag: 'admin',
    summary: 'The audit log, newest first: who did what, when (admin)',
    query: AuditQuery,
    responses: { 200: 'AuditPage', 403: 'not an admin' },
    returns: 'AuditPage (shared/web-types.ts)',
    handler: async ({ db, who, query }) => listAudit(db, who.teamId, { limit: query.limit, cursor: query.cursor }),
  }),
  route({
    method: 'GET',
    url: '/v1/audit.csv',
    auth: 'admin',
    tag: 'admin',
    summary: 'The whole audit log as CSV, oldest first (admin)',
    responses: { 200: 'text/csv', 403: 'not an admin' },
    handler: async ({ db, who, reply }) => {
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="liaison-audit-log.csv"');
      return auditCsv(await allAudit(db, who.teamId));
    },
  }),
  route({
    method: 'POST',
    url: '/v1/import',
    auth: 'admin',
    tag: 'admin',
    summary: 'Import a CSV (HubSpot export or Liaison layout): a preview by default, all or nothing with commit: true (admin)',
    body: ImportBody,
    bodyLimit: 20 * 1024 * 1024,
    responses: { 200: 'ImportPreview', 400: 'the file cannot be imported (nothing written)', 403: 'not an admin' },
    returns: 'ImportPreview (shared/web-types.ts)',
    handler: async ({ db, who, body }) => {
      const { importCsv, ImportRejected, sampleRows } = await import('../import/csv.ts');
      try {
        const { header, sample } = sampleRows(body.csv);
        const report = await importCsv(db, who.teamId, body.csv, { actingMemberId: who.memberId, strict: body.strict, dryRun: !body.commit });
        if (body.commit) {
          await audit(db, who.teamId, who, 'import.commit', `${report.layout} CSV, ${report.rows} rows`, { imported: report.imported, skipped: report.skipped.length, contactsCreated: report.contactsCreated, interactionsCreated: report.interactionsCreated });
        }
        const answer: ImportPreview = { ...report, header, sample, committed: body.commit };
        return answer;
      } catch (err) {
        if (err instanceof ImportRejected) throw new HttpError(400, 'import_rejected', err.message, 'csv');
        throw err;
      }
    },
  }),
];

async function signInView(req: import('fastify').FastifyRequest, db: import('../db/index.ts').Db, teamId: string): Promise<SignInSettings> {
  const { oidcFor } = await import('../web/oidc.ts');
  const { loadWebConfig } = await import('../web/config.ts');
  const effective = await oidcFor(db, req.server.webConfig ?? loadWebConfig(), teamId);
  const stored = await getSignIn(db, teamId);
  const origin = req.server.publicOrigin(req);
  return {
    oidc: effective ? { issuer: effective.issuer, clientId: effective.clientId, hasSecret: Boolean(effective.clientSecret) } : null,
    fromEnvironment: effective?.fromEnvironment ?? false,
    domainJoin: stored.domainJoin,
    redirectUri: `${origin}/auth/oidc/callback`,
  };
}
