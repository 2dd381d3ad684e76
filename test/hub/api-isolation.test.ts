/**
 * Two teams on one hub never see each other: for EVERY /v1 route, team B's admin token aimed at team A's ids
 * and addresses gets nothing of A's back (not even confirmation that the rows exist) and changes nothing of A's.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHubSpot } from '../fakes/hubspot.ts';
import { engineName } from './helpers/db.ts';
import { makeHub, newKey, type HubFixture } from './helpers/hub.ts';

const SECRET_EMAIL = 'secret.person@alpha-customer.example';
const SECRET_NAME = 'Secret Alpha Contact';
const SECRET_SUBJECT = 'Alpha secret subject';

describe(`team isolation on every route (${engineName})`, () => {
  let hub: HubFixture;
  // Team A has HubSpot connected (to the stand-in); team B has not.
  let fake: FakeHubSpot;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    fake = new FakeHubSpot();
    process.env.HUBSPOT_API_BASE = await fake.start();
    process.env.LIAISON_SECRET_KEY = randomBytes(32).toString('base64');
    hub = await makeHub();
    const t = hub.a.admin.token;
    const contact = (await hub.call(t, 'POST', '/v1/contacts', { name: SECRET_NAME, emails: [SECRET_EMAIL] })).body;
    ids.contact = contact.id;
    ids.company = contact.company.id;
    await hub.call(t, 'POST', `/v1/companies/${ids.company}/flags`, { kind: 'churn-risk', note: SECRET_SUBJECT });
    ids.meeting = (
      await hub.call(t, 'POST', '/v1/interactions', {
        kind: 'meeting', occurredAt: '2026-11-01T10:00:00Z', subject: SECRET_SUBJECT, sourceRef: 'alpha-thread',
        meeting: { icalUid: 'alpha-uid@example' }, participants: [{ email: SECRET_EMAIL }],
      }, { 'idempotency-key': newKey() })
    ).body.interaction.id;
    ids.flag = (await hub.call(t, 'POST', `/v1/contacts/${ids.contact}/flags`, { kind: 'key-account' })).body.id;
    ids.task = (await hub.call(t, 'POST', '/v1/tasks', { title: SECRET_SUBJECT, contactId: ids.contact })).body.id;
    ids.member = hub.a.member.id;
    ids.token = (await hub.db.query<{ id: string }>('SELECT id FROM tokens WHERE member_id = $1', [hub.a.member.id]))[0]!.id;
    // Issue 13: an invite of A's, A's never-log lists and sign-in settings, for B to aim at.
    ids.invite = (await hub.call(t, 'POST', '/v1/invites', { name: 'Alpha Invitee', email: 'invitee@alpha.example.com', department: 'it' })).body.invite.id;
    await hub.call(t, 'PUT', '/v1/team/policy', { neverLogDomains: ['alpha-secret.example'], neverLogAddresses: [] });
    // Issue 14: A's company, adoption counts and flags for B's reports to stay clear of.
    ids.company = (await hub.db.query<{ id: string }>('SELECT id FROM companies WHERE team_id = $1', [hub.a.id]))[0]!.id;
    await hub.call(t, 'PUT', '/v1/team/insights', { adoptionSharing: 'counts' });
    await hub.call(hub.a.member.token, 'POST', '/v1/adoption/daily', { days: [{ day: '2026-11-01', seen: 9, prompted: 1, loggedFromPrompt: 1, loggedLater: 0, loggedSidebar: 1, dismissed: 0, listed: 0 }] });
    await hub.call(t, 'PUT', '/v1/team/sign-in', { oidc: { issuer: 'https://idp.alpha.example', clientId: 'alpha-client', clientSecret: 'alpha-secret-value' }, domainJoin: { enabled: false, department: 'other' } });
    expect((await hub.call(t, 'PUT', '/v1/connectors/hubspot', { token: fake.token })).status).toBe(200);
  });
  afterAll(async () => {
    await hub.close();
    await fake.stop();
    delete process.env.HUBSPOT_API_BASE;
    delete process.env.LIAISON_SECRET_KEY;
  });

  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        ['contacts', 'contact_emails', 'interactions', 'interaction_loggers', 'attendance', 'flags', 'tasks', 'tokens', 'members', 'team_domains', 'invites', 'team_never_log', 'team_sign_in', 'team_versions', 'companies', 'team_insights', 'adoption_daily', 'connectors'].map((table) =>
          hub.db.query(`SELECT * FROM ${table} WHERE team_id = $1 ORDER BY 1, 2`, [hub.a.id]),
        ),
      ),
    );

  // A valid request for each route, aimed at team A's rows. A new route must be added here (the test says so).
  const requests = (): Record<string, { url?: string; body?: unknown; headers?: Record<string, string> }> => ({
    'GET /v1/me': {},
    'GET /v1/changes': {},
    'PUT /v1/team/domains': { body: { domains: ['beta.example.com'] } },
    'GET /v1/members': {},
    'POST /v1/members': { body: { name: 'Dup', email: 'dup@beta.example.com', department: 'sales' } },
    'POST /v1/members/:id/tokens': {},
    'GET /v1/tokens': {},
    'DELETE /v1/tokens/:id': { url: `/v1/tokens/${ids.token}` },
    'POST /v1/lookup': { body: { emails: [SECRET_EMAIL, 'admin@alpha.example.com'] } },
    'POST /v1/contacts': { body: { name: 'Mine', emails: [SECRET_EMAIL] } },
    'GET /v1/contacts/:id': {},
    'PATCH /v1/contacts/:id': { body: { name: 'Hijacked' } },
    'POST /v1/contacts/:id/emails': { body: { email: 'extra@beta-customer.example' } },
    'PUT /v1/contacts/:id/owner': { body: { ownerId: null } },
    'GET /v1/contacts/:id/timeline': {},
    'POST /v1/interactions': {
      body: { kind: 'meeting', occurredAt: '2026-11-01T10:00:00Z', subject: 'B', sourceRef: 'alpha-thread', meeting: { icalUid: 'alpha-uid@example' }, participants: [{ email: SECRET_EMAIL }] },
      headers: { 'idempotency-key': newKey() },
    },
    'GET /v1/interactions/:id': {},
    'POST /v1/interactions/logged': { body: { refs: ['alpha-thread', 'alpha-uid@example'] } },
    'PUT /v1/interactions/:id/attendance': { body: { entries: [{ email: SECRET_EMAIL, status: 'no-show' }] } },
    'POST /v1/contacts/:id/flags': { body: { kind: 'do-not-contact' } },
    'POST /v1/companies/:id/flags': { body: { kind: 'do-not-contact' } },
    'POST /v1/flags/:id/close': { body: { resolution: 'closed by B' } },
    'GET /v1/tasks': { url: `/v1/tasks?status=all&contactId=${ids.contact}` },
    'POST /v1/tasks': { body: { title: 'x', contactId: ids.contact } },
    'POST /v1/tasks/:id/complete': {},
    'GET /v1/reports/no-shows': { url: '/v1/reports/no-shows?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z' },
    // Issue 13: team administration.
    'GET /v1/admin/members': {},
    'PATCH /v1/members/:id': { body: { department: 'it', active: false } },
    'GET /v1/members/:id/tokens': {},
    'GET /v1/me/tokens': {},
    'POST /v1/invites': { body: { name: 'Beta Person', email: 'person@beta.example.com', department: 'sales' } },
    'GET /v1/invites': {},
    'DELETE /v1/invites/:id': { url: `/v1/invites/${ids.invite}` },
    'GET /v1/team/policy': {},
    'PUT /v1/team/policy': { body: { neverLogDomains: ['beta-only.example'], neverLogAddresses: [] } },
    'GET /v1/team/sign-in': {},
    'PUT /v1/team/sign-in': { body: { oidc: null, domainJoin: { enabled: true, department: 'sales' } } },
    'GET /v1/audit': {},
    'GET /v1/audit.csv': {},
    'POST /v1/import': { body: { csv: `email,name,company\nimported@beta-customer.example,Beta Import,Beta Customer`, commit: true } },
    // Issue 14: team insights.
    'GET /v1/team/insights': {},
    'PUT /v1/team/insights': { body: { adoptionSharing: 'counts' } },
    'POST /v1/adoption/daily': { body: { days: [{ day: '2026-11-01', seen: 3, prompted: 1, loggedFromPrompt: 1, loggedLater: 0, loggedSidebar: 1, dismissed: 0, listed: 0 }] } },
    'GET /v1/reports/adoption': { url: '/v1/reports/adoption?from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z' },
    'GET /v1/reports/meetings': { url: '/v1/reports/meetings?from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z' },
    'GET /v1/reports/attention': { url: '/v1/reports/attention?from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z' },
    'GET /v1/customers/search': { url: '/v1/customers/search?q=Secret%20Alpha' },
    'GET /v1/companies/:id': {},
    'GET /v1/companies/:id/timeline': {},
    // B has no connection of its own: A's must not show through, and B's token for it (here one HubSpot refuses) changes nothing of A's.
    'GET /v1/connectors/:provider': { url: '/v1/connectors/hubspot' },
    'PUT /v1/connectors/:provider': { url: '/v1/connectors/hubspot', body: { token: 'pat-eu1-beta-guess-0000' } },
    'POST /v1/connectors/:provider/test': { url: '/v1/connectors/hubspot/test' },
    'POST /v1/connectors/:provider/pause': { url: '/v1/connectors/hubspot/pause' },
    'POST /v1/connectors/:provider/resume': { url: '/v1/connectors/hubspot/resume' },
    'POST /v1/connectors/:provider/sync': { url: '/v1/connectors/hubspot/sync' },
    'POST /v1/connectors/:provider/history': { url: '/v1/connectors/hubspot/history', body: { days: null } },
    'DELETE /v1/connectors/:provider': { url: '/v1/connectors/hubspot' },
    'GET /v1/connectors/:provider/failures': { url: '/v1/connectors/hubspot/failures' },
    'POST /v1/connectors/:provider/failures/retry': { url: '/v1/connectors/hubspot/failures/retry', body: {} },
  });

  const idFor = (url: string) =>
    url.startsWith('/v1/contacts') ? ids.contact : url.startsWith('/v1/companies') ? ids.company : url.startsWith('/v1/interactions') ? ids.meeting : url.startsWith('/v1/flags') ? ids.flag : url.startsWith('/v1/tasks') ? ids.task : url.startsWith('/v1/members') ? ids.member : ids.token;

  it('gives team B nothing of team A, on every route, and changes nothing of A', async () => {
    const before = await snapshot();
    const table = requests();
    for (const r of hub.app.registeredRoutes.filter((r) => r.url.startsWith('/v1'))) {
      const key = `${r.method} ${r.url}`;
      const req = table[key];
      expect(req, `add ${key} to the isolation table`).toBeDefined();
      const url = req!.url ?? r.url.replace(':id', idFor(r.url)!);
      const res = await hub.call(hub.b.admin.token, r.method, url, req!.body, req!.headers);
      expect(res.status, key).toBeLessThan(500);
      const text = JSON.stringify(res.body ?? '');
      expect(text, key).not.toContain(SECRET_NAME);
      expect(text, key).not.toContain(SECRET_SUBJECT);
      expect(text, key).not.toContain('Alpha Admin');
      expect(text, key).not.toContain('Alpha Support');
      expect(text, key).not.toContain('alpha-secret');
      expect(text, key).not.toContain('Alpha Invitee');
      expect(text, key).not.toContain(fake.portalId);
      if (key.includes('/v1/connectors/') && key !== 'PUT /v1/connectors/:provider') {
        // B's own state, or "not connected": never A's connection.
        if (key === 'GET /v1/connectors/:provider/failures') expect(res.body.items, key).toEqual([]);
        else if (res.status === 200) expect(res.body.state, key).toBe('not-connected');
        else expect(res.status, key).toBe(404);
      }
      if (r.url.includes(':id') && !r.url.startsWith('/v1/contacts/:id/emails')) {
        expect([404], key).toContain(res.status);
      }
      if (key === 'POST /v1/lookup') expect(res.body.results.map((x: any) => [x.contact, x.member])).toEqual([[null, null], [null, null]]);
      // B may have logged the same UID itself (the POST above): it sees only its own meeting.
      if (key === 'POST /v1/interactions/logged') expect(res.body.results.map((x: any) => x.interactionId)).not.toContain(ids.meeting);
      if (key === 'POST /v1/interactions') expect(res.body.interaction.id).not.toBe(ids.meeting);
      if (key === 'PUT /v1/connectors/:provider') expect(res.body.error.code, key).toBe('crm_unauthorized');
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers a missing and a foreign id the same way (no existence oracle)', async () => {
    const foreign = await hub.call(hub.b.admin.token, 'GET', `/v1/contacts/${ids.contact}`);
    const missing = await hub.call(hub.b.admin.token, 'GET', '/v1/contacts/999999999');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
  });

  it('keeps the same address as separate contacts in separate teams', async () => {
    const res = await hub.call(hub.b.admin.token, 'POST', '/v1/contacts', { name: 'B view', emails: ['shared@customer.example'] });
    const res2 = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'A view', emails: ['shared@customer.example'] });
    expect(res.status).toBe(201);
    expect(res2.status).toBe(201);
    const lookB = await hub.call(hub.b.admin.token, 'POST', '/v1/lookup', { emails: ['shared@customer.example'] });
    expect(lookB.body.results[0].contact.name).toBe('B view');
  });
});
