import { issueToken, revokeToken } from '../auth.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { addMember, getMember, getTeam, listMembers, listTokens, setTeamDomains, teamChanges, tokenOwner } from '../repo/teams.ts';
import { IdParams, MemberBody, TeamDomainsBody } from '../http/schemas.ts';
import { route } from '../http/route.ts';
import { audit } from '../repo/audit.ts';
import { tokenInfo } from '../repo/members-admin.ts';
import { getTeamPolicy } from '../repo/team-settings.ts';
import { adminRoutes } from './admin.ts';
import { announceRevocation } from '../auth-notify.ts';

export const teamRoutes = [
  route({
    method: 'GET',
    url: '/v1/me',
    auth: 'member',
    tag: 'team',
    summary: 'Who this token is: member and team (with the team’s own email domains)',
    responses: { 200: 'the member and team', 401: 'missing, unknown or revoked token' },
    returns: 'Me',
    handler: async ({ db, who }) => ({
      member: await getMember(db, who.teamId, who.memberId),
      team: await getTeam(db, who.teamId),
      // Issue 13: the team's never-log lists reach every member's extension with who they are.
      policy: await getTeamPolicy(db, who.teamId),
    }),
  }),
  route({
    method: 'GET',
    url: '/v1/changes',
    auth: 'member',
    tag: 'team',
    summary: 'Has anything the sidebar shows changed? The team’s change counter, cheap enough to ask every 30 s',
    description:
      'The version moves with every committed change to the team’s heads-ups, tasks, contacts, their addresses and ' +
      'companies (not with logged conversations). It is also the ETag: send it back as If-None-Match and an unchanged ' +
      'team is answered 304 with no body. Opaque: compare it, never parse it.',
    headers: [{ name: 'If-None-Match', required: false, description: 'the ETag of the last answer' }],
    responses: { 200: 'the version', 304: 'unchanged since the ETag sent' },
    returns: 'TeamChanges',
    handler: async ({ db, who, req, reply }) => {
      const changes = await teamChanges(db, who.teamId);
      const etag = `"${changes.version}"`;
      reply.header('etag', etag);
      if (req.headers['if-none-match'] === etag) {
        reply.code(304);
        return null;
      }
      return changes;
    },
  }),
  route({
    method: 'PUT',
    url: '/v1/team/domains',
    auth: 'admin',
    tag: 'team',
    summary: "Set the team's internal email domains (admin)",
    body: TeamDomainsBody,
    responses: { 200: 'the team', 403: 'not an admin' },
    returns: 'Team',
    handler: async ({ db, who, body }) => {
      await db.transaction(async (tx) => {
        await setTeamDomains(tx, who.teamId, body.domains);
        await audit(tx, who.teamId, who, 'team.domains', null, { domains: body.domains });
      });
      return getTeam(db, who.teamId);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/members',
    auth: 'member',
    tag: 'team',
    summary: 'The team’s members (for owners and assignees)',
    responses: { 200: '{ items: Member[] }' },
    returns: 'Member[]',
    handler: async ({ db, who }) => ({ items: await listMembers(db, who.teamId) }),
  }),
  route({
    method: 'POST',
    url: '/v1/members',
    auth: 'admin',
    tag: 'team',
    summary: 'Add a member (admin); answers their first token, shown this once',
    body: MemberBody,
    responses: { 201: '{ member, token, tokenId }', 403: 'not an admin', 409: 'already a member' },
    handler: async ({ db, who, body, reply }) => {
      const result = await db.transaction(async (tx) => {
        const added = await addMember(tx, who.teamId, body);
        await audit(tx, who.teamId, who, 'member.add', `${added.member.name} <${added.member.email}>`, { department: body.department, role: body.role, token: added.tokenId });
        return added;
      });
      reply.code(201);
      return result;
    },
  }),
  route({
    method: 'POST',
    url: '/v1/members/:id/tokens',
    auth: 'admin',
    tag: 'team',
    summary: 'Issue another token for a member (admin); shown this once',
    params: IdParams,
    responses: { 201: '{ token, tokenId }', 403: 'not an admin', 404: 'no such member' },
    handler: async ({ db, who, params, reply }) => {
      const member = await getMember(db, who.teamId, params.id);
      reply.code(201);
      const issued = await issueToken(db, who.teamId, params.id, 'issued by admin');
      await audit(db, who.teamId, who, 'token.issue', `token ${issued.tokenId} of ${member.name} <${member.email}>`, { token: issued.tokenId });
      return issued;
    },
  }),
  route({
    method: 'GET',
    url: '/v1/tokens',
    auth: 'admin',
    tag: 'team',
    summary: 'All tokens of the team, without their secrets (admin)',
    responses: { 200: '{ items }', 403: 'not an admin' },
    handler: async ({ db, who }) => ({ items: await listTokens(db, who.teamId) }),
  }),
  route({
    method: 'DELETE',
    url: '/v1/tokens/:id',
    auth: 'member',
    tag: 'team',
    summary: 'Revoke a token (admins: any of the team’s; members: their own)',
    params: IdParams,
    responses: { 204: 'revoked', 403: 'not yours and not an admin', 404: 'no such token' },
    handler: async ({ db, who, params, reply }) => {
      const owner = await tokenOwner(db, who.teamId, params.id);
      if (!owner) throw notFound('token');
      if (owner !== who.memberId && who.role !== 'admin') throw forbidden('only admins may revoke other members’ tokens');
      const info = await tokenInfo(db, who.teamId, params.id);
      if (await revokeToken(db, who.teamId, params.id)) {
        await announceRevocation(db);
        await audit(db, who.teamId, who, 'token.revoke', `token ${params.id} (${info?.label ?? 'no label'}) of ${info?.owner ?? '?'}`, { token: params.id });
      }
      reply.code(204);
      return null;
    },
  }),
  ...adminRoutes,
];
