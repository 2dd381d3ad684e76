/**
 * The web app's sessions and team administration (issue 13): invite links (expiry, single use, revocation, a team
 * A link never reaching team B), cookies and CSRF (the API refuses the cookie, a cross-site POST is refused),
 * deactivation stopping tokens at once, the audit log, never-log lists reaching /v1/me, import preview and commit,
 * and the extension's connect step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { Browser, ORIGIN, webHub } from './helpers/web.ts';

const EXT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

describe(`web app: invites, sessions, CSRF, administration (${engineName})`, () => {
  let hub: Awaited<ReturnType<typeof webHub>>;
  beforeAll(async () => {
    hub = await webHub();
  });
  afterAll(() => hub?.close());

  async function invite(token: string, email: string, extra: Record<string, unknown> = {}) {
    const res = await hub.call(token, 'POST', '/v1/invites', { name: `Person ${email}`, email, department: 'support', ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { invite: { id: string; member: { id: string } }; url: string };
  }

  /** An admin of team A signed in to the web app through an invite link. */
  async function signedInAdmin(): Promise<Browser> {
    const made = await invite(hub.a.admin.token, 'admin@alpha.example.com');
    const browser = new Browser(hub.web);
    expect((await browser.acceptInvite(made.url)).status).toBe(200);
    return browser;
  }

  it('limits sign-in attempts per client address: 429 with Retry-After, other routes unaffected', async () => {
    const limited = await webHub({}, { signInPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await new Browser(limited.web).request('POST', '/web/invites/accept', { code: `${'y'.repeat(42)}${i}` })).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      // One budget for every sign-in route: the preview is refused too.
      const refused = await new Browser(limited.web).request('GET', `/web/invites/preview?code=${'z'.repeat(43)}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await limited.call(limited.a.admin.token, 'GET', '/v1/me')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  describe('invite links', () => {
    it('signs the invited person in once, shows whose link it is first, and then is used up', async () => {
      const made = await invite(hub.a.admin.token, 'sam@alpha.example.com');
      expect(made.url).toMatch(new RegExp(`^${ORIGIN}/invite/[A-Za-z0-9_-]{43}$`));
      const code = made.url.split('/').pop()!;
      const sam = new Browser(hub.web);
      const preview = await sam.request('GET', `/web/invites/preview?code=${code}`);
      expect(preview.body).toMatchObject({ teamName: 'Alpha', memberName: 'Person sam@alpha.example.com', state: 'pending' });
      expect((await sam.acceptInvite(made.url)).status).toBe(200);
      expect((await sam.session()).body.member.email).toBe('sam@alpha.example.com');
      const again = await new Browser(hub.web).acceptInvite(made.url);
      expect(again.status).toBe(410);
      expect(again.body.error.code).toBe('invite_used');
      expect((await sam.request('GET', `/web/invites/preview?code=${code}`)).body.state).toBe('used');
    });

    it('expires', async () => {
      const made = await invite(hub.a.admin.token, 'late@alpha.example.com');
      await hub.db.query("UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1", [made.invite.id]);
      const res = await new Browser(hub.web).acceptInvite(made.url);
      expect(res.status).toBe(410);
      expect(res.body.error.code).toBe('invite_expired');
    });

    it('can be withdrawn by an admin of its team only', async () => {
      const made = await invite(hub.a.admin.token, 'withdrawn@alpha.example.com');
      expect((await hub.call(hub.b.admin.token, 'DELETE', `/v1/invites/${made.invite.id}`)).status).toBe(404);
      expect((await hub.call(hub.a.member.token, 'DELETE', `/v1/invites/${made.invite.id}`)).status).toBe(403);
      expect((await hub.call(hub.a.admin.token, 'DELETE', `/v1/invites/${made.invite.id}`)).status).toBe(204);
      const res = await new Browser(hub.web).acceptInvite(made.url);
      expect(res.status).toBe(410);
      expect(res.body.error.code).toBe('invite_revoked');
    });

    it('never reaches another team: a team A link signs in to team A, and team B cannot see it', async () => {
      const made = await invite(hub.a.admin.token, 'shared.person@example.org');
      const bList = await hub.call(hub.b.admin.token, 'GET', '/v1/invites');
      expect(bList.body.items.some((i: { id: string }) => i.id === made.invite.id)).toBe(false);
      const browser = new Browser(hub.web);
      await browser.acceptInvite(made.url);
      const session = await browser.session();
      expect(session.body.team.id).toBe(hub.a.id);
      expect((await browser.request('GET', '/web/v1/members')).body.items.every((m: { email: string }) => !m.email.endsWith('beta.example.com'))).toBe(true);
      // A made-up code is refused without a database match, and a mangled one too.
      expect((await new Browser(hub.web).request('POST', '/web/invites/accept', { code: 'x'.repeat(43) })).status).toBe(404);
    });
  });

  describe('cookies and CSRF', () => {
    it('the /v1 API refuses the session cookie: bearer tokens only', async () => {
      const browser = await signedInAdmin();
      expect((await browser.request('GET', '/web/v1/me')).status).toBe(200);
      const api = await browser.request('GET', '/v1/me');
      expect(api.status).toBe(401);
      expect(api.body.error.code).toBe('unauthorized');
    });

    it('sets the session cookie HttpOnly and SameSite, Secure with the __Host- prefix behind https', async () => {
      const made = await invite(hub.a.admin.token, 'cookie@alpha.example.com');
      const res = await new Browser(hub.web).acceptInvite(made.url);
      const cookie = String(([] as unknown[]).concat(res.headers['set-cookie'])[0]);
      expect(cookie).toMatch(/^liaison-session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const secure = await webHub({ publicUrl: 'https://liaison.acme.example' });
      try {
        const m = await secure.call(secure.a.admin.token, 'POST', '/v1/invites', { name: 'S', email: 's@alpha.example.com', department: 'it' });
        const code = String(m.body.url).split('/').pop();
        const r = await secure.web.inject({ method: 'POST', url: '/web/invites/accept', headers: { origin: 'https://liaison.acme.example', 'content-type': 'application/json' }, payload: JSON.stringify({ code }) });
        const c = String(([] as unknown[]).concat(r.headers['set-cookie'])[0]);
        expect(c).toMatch(/^__Host-liaison-session=.*; Path=\//);
        expect(c).toMatch(/Secure/);
      } finally {
        await secure.close();
      }
    });

    it('refuses a cross-site POST and a POST without the session’s CSRF token', async () => {
      const browser = await signedInAdmin();
      const body = { neverLogDomains: ['lawfirm.example'], neverLogAddresses: [] };
      const crossSite = await browser.request('PUT', '/web/v1/team/policy', body, { origin: 'https://evil.example' });
      expect(crossSite.status).toBe(403);
      expect(crossSite.body.error.code).toBe('cross_site');
      const noToken = await browser.request('PUT', '/web/v1/team/policy', body, { 'x-csrf-token': '' });
      expect(noToken.status).toBe(403);
      // Another person's token does not fit this session.
      const other = await signedInAdmin();
      const wrong = await browser.request('PUT', '/web/v1/team/policy', body, { 'x-csrf-token': other.csrf! });
      expect(wrong.status).toBe(403);
      expect((await browser.request('PUT', '/web/v1/team/policy', body)).status).toBe(200);
      // An invite link cannot be used from another site's page either.
      const made = await invite(hub.a.admin.token, 'csrf.invite@alpha.example.com');
      const code = made.url.split('/').pop();
      expect((await new Browser(hub.web).request('POST', '/web/invites/accept', { code }, { origin: 'https://evil.example' })).status).toBe(403);
    });

    it('serves the app with a strict Content-Security-Policy, and a clear page when it is not built', async () => {
      const page = await new Browser(hub.web).request('GET', '/admin/members');
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      const bare = await webHub({ webappDir: '/nonexistent/liaison-webapp' });
      try {
        const res = await bare.web.inject({ method: 'GET', url: '/' });
        expect(res.statusCode).toBe(503);
        expect(res.body).toContain('data-reason="no_build"');
        expect(res.body).toContain('npm run build:webapp');
      } finally {
        await bare.close();
      }
    });
  });

  describe('administration', () => {
    it('deactivating a member stops their tokens and sessions at once, and the audit log says who did it', async () => {
      const admin = await signedInAdmin();
      const made = await invite(hub.a.admin.token, 'leaver@alpha.example.com');
      const leaver = new Browser(hub.web);
      await leaver.acceptInvite(made.url);
      const connect = await leaver.request('POST', '/web/connect', { redirectUri: EXT, state: 'state-0123456789abcdef', label: 'Chrome on Linux' });
      const token = new URLSearchParams(new URL(connect.body.redirect).hash.slice(1)).get('token')!;
      // Used, so this process has it in its 2-second cache.
      expect((await hub.call(token, 'GET', '/v1/me')).status).toBe(200);
      const off = await admin.request('PATCH', `/web/v1/members/${made.invite.member.id}`, { active: false });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body).toMatchObject({ active: false, activeTokens: 0 });
      expect((await hub.call(token, 'GET', '/v1/me')).status).toBe(401);
      expect((await leaver.request('GET', '/web/v1/me')).status).toBe(401);
      // Turning them back on does not bring old tokens back: they connect again.
      await admin.request('PATCH', `/web/v1/members/${made.invite.member.id}`, { active: true });
      expect((await hub.call(token, 'GET', '/v1/me')).status).toBe(401);
      const log = (await admin.request('GET', '/web/v1/audit')).body.items as { action: string; actor: string; target: string }[];
      expect(log[0]).toMatchObject({ action: 'member.reactivate', actor: 'Alpha Admin <admin@alpha.example.com>' });
      expect(log[1]).toMatchObject({ action: 'member.deactivate', target: 'Person leaver@alpha.example.com <leaver@alpha.example.com>' });
      expect(log.some((e) => e.action === 'token.connect')).toBe(true);
      expect(log.some((e) => e.action === 'invite.create' && e.target.includes('leaver@'))).toBe(true);
      // Nobody locks the team out: not yourself, not the last admin.
      expect((await admin.request('PATCH', `/web/v1/members/${admin.csrf ? (await admin.session()).body.member.id : ''}`, { active: false })).status).toBe(403);
    });

    it('exports the audit log as CSV, formulas defused', async () => {
      const admin = await signedInAdmin();
      await hub.call(hub.a.admin.token, 'POST', '/v1/invites', { name: '=HYPERLINK("x")', email: 'formula@alpha.example.com', department: 'it' });
      const csv = await admin.request('GET', '/web/v1/audit.csv');
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[0]).toBe('id,at,actor,action,target,details');
      expect(csv.text).toContain(`"'=HYPERLINK(""x"") <formula@alpha.example.com>"`);
      expect((await hub.call(hub.a.member.token, 'GET', '/v1/audit.csv')).status).toBe(403);
    });

    it('pushes the team’s never-log lists to every member through /v1/me', async () => {
      const admin = await signedInAdmin();
      const set = await admin.request('PUT', '/web/v1/team/policy', { neverLogDomains: ['LawFirm.example'], neverLogAddresses: ['ceo@bigclient.example'] });
      expect(set.body).toEqual({ neverLogDomains: ['lawfirm.example'], neverLogAddresses: ['ceo@bigclient.example'] });
      const me = await hub.call(hub.a.member.token, 'GET', '/v1/me');
      expect(me.body.policy).toEqual({ neverLogDomains: ['lawfirm.example'], neverLogAddresses: ['ceo@bigclient.example'] });
      expect((await hub.call(hub.b.member.token, 'GET', '/v1/me')).body.policy).toEqual({ neverLogDomains: [], neverLogAddresses: [] });
      expect((await hub.call(hub.a.member.token, 'PUT', '/v1/team/policy', { neverLogDomains: [], neverLogAddresses: [] })).status).toBe(403);
    });

    it('previews an import (first rows, per-row reasons, nothing written) and commits it all or nothing', async () => {
      const admin = await signedInAdmin();
      const csv = ['email,name,company', 'ann@importco.example,Ann Import,ImportCo', 'not-an-address,Bad Row,ImportCo', 'bob@importco.example,Bob Import,ImportCo'].join('\n');
      const count = async () => (await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM contact_emails WHERE email LIKE '%@importco.example'"))[0]!.n;
      const preview = await admin.request('POST', '/web/v1/import', { csv });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ committed: false, rows: 3, imported: 2, header: ['email', 'name', 'company'] });
      expect(preview.body.sample[0]).toEqual(['ann@importco.example', 'Ann Import', 'ImportCo']);
      expect(preview.body.skipped).toEqual([{ row: 3, reason: expect.any(String) }]);
      expect(await count()).toBe(0);
      const strict = await admin.request('POST', '/web/v1/import', { csv, commit: true, strict: true });
      expect(strict.status).toBe(400);
      expect(await count()).toBe(0);
      const committed = await admin.request('POST', '/web/v1/import', { csv, commit: true });
      expect(committed.body).toMatchObject({ committed: true, imported: 2 });
      expect(await count()).toBe(2);
      const log = (await admin.request('GET', '/web/v1/audit')).body.items;
      expect(log[0]).toMatchObject({ action: 'import.commit' });
    });
  });

  describe('connecting the extension', () => {
    it('issues a labelled token only to an extension’s own redirect URL, after the confirm POST', async () => {
      const browser = await signedInAdmin();
      for (const bad of ['https://evil.example/', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org.evil.example/', 'http://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/', 'https://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP.chromiumapp.org/']) {
        const page = await browser.request('GET', `/connect?redirect_uri=${encodeURIComponent(bad)}&state=state-0123456789abcdef`);
        expect(page.status, bad).toBe(400);
        expect(page.text).toContain('data-reason="bad_connect"');
        expect((await browser.request('POST', '/web/connect', { redirectUri: bad, state: 'state-0123456789abcdef' })).status).toBe(400);
      }
      const ok = await browser.request('GET', `/connect?redirect_uri=${encodeURIComponent(EXT)}&state=state-0123456789abcdef&label=Chrome%20on%20Linux`);
      expect(ok.status).toBe(200);
      const res = await browser.request('POST', '/web/connect', { redirectUri: EXT, state: 'state-0123456789abcdef', label: 'Chrome on Linux\u202e' });
      expect(res.status).toBe(200);
      const target = new URL(res.body.redirect);
      expect(target.origin + target.pathname).toBe(EXT.slice(0, -1) + '/');
      const fragment = new URLSearchParams(target.hash.slice(1));
      expect(fragment.get('state')).toBe('state-0123456789abcdef');
      expect(target.search).toBe(''); // never in the query: a fragment does not leave the browser
      const token = fragment.get('token')!;
      expect((await hub.call(token, 'GET', '/v1/me')).body.member.email).toBe('admin@alpha.example.com');
      const mine = (await browser.request('GET', '/web/v1/me/tokens')).body.items;
      expect(mine[0]).toMatchObject({ label: 'Chrome on Linux', revokedAt: null });
      // Without the session's CSRF token (a page elsewhere posting the form): nothing issued.
      expect((await browser.request('POST', '/web/connect', { redirectUri: EXT, state: 'state-0123456789abcdef' }, { 'x-csrf-token': 'nope' })).status).toBe(403);
      // Only listed extensions, when the hub names them.
      const pinned = await webHub({ extensionIds: ['ponmlkjihgfedcbaponmlkjihgfedcba'] });
      try {
        const res2 = await pinned.web.inject({ method: 'GET', url: `/connect?redirect_uri=${encodeURIComponent(EXT)}&state=state-0123456789abcdef` });
        expect(res2.statusCode).toBe(400);
      } finally {
        await pinned.close();
      }
    });

    it('lets a member revoke their own token (a lost laptop) and not anyone else’s', async () => {
      const made = await invite(hub.a.admin.token, 'laptop@alpha.example.com');
      const member = new Browser(hub.web);
      await member.acceptInvite(made.url);
      const c = await member.request('POST', '/web/connect', { redirectUri: EXT, state: 'state-0123456789abcdef', label: 'Firefox on macOS' });
      const token = new URLSearchParams(new URL(c.body.redirect).hash.slice(1)).get('token')!;
      const [own] = (await member.request('GET', '/web/v1/me/tokens')).body.items;
      const [adminToken] = await hub.db.query<{ id: string }>('SELECT id::text AS id FROM tokens WHERE member_id = $1', [hub.a.admin.id]);
      expect((await member.request('DELETE', `/web/v1/tokens/${adminToken!.id}`)).status).toBe(403);
      expect((await member.request('DELETE', `/web/v1/tokens/${own.id}`)).status).toBe(204);
      expect((await hub.call(token, 'GET', '/v1/me')).status).toBe(401);
    });
  });
});
