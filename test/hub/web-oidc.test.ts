/**
 * Sign-in with OpenID Connect (issue 13) against a real OpenID provider (node-oidc-provider) running in this test
 * process: the hub's openid-client does discovery, the code flow with PKCE, state and nonce, and validates the ID
 * token — nothing of our own client is mocked. Where a test needs an ID token the provider would not issue (another
 * audience, expired), the token response is altered in transit and re-signed with the provider's own key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSignIn } from '../../hub/repo/team-settings.ts';
import { forgetOidcConfigs } from '../../hub/web/oidc.ts';
import { engineName } from './helpers/db.ts';
import { startProvider, type TestProvider } from './helpers/oidc-provider.ts';
import { Browser, ORIGIN, webHub } from './helpers/web.ts';

describe(`web sign-in with OpenID Connect (${engineName})`, () => {
  let hub: Awaited<ReturnType<typeof webHub>>;
  let idp: TestProvider;

  beforeAll(async () => {
    idp = await startProvider({
      redirectUris: [`${ORIGIN}/auth/oidc/callback`],
      accounts: {
        'alpha-admin': { email: 'admin@alpha.example.com', email_verified: true, name: 'Alpha Admin' },
        'alpha-unverified': { email: 'support@alpha.example.com', email_verified: false },
        stranger: { email: 'nobody@elsewhere.example', email_verified: true },
        newcomer: { email: 'new.person@alpha.example.com', email_verified: true, name: 'New Person' },
        'beta-admin': { email: 'admin@beta.example.com', email_verified: true },
        'alpha-entra': { email: 'support@alpha.example.com', xms_edov: true },
      },
    });
    forgetOidcConfigs();
    hub = await webHub({ oidcFetch: idp.fetch });
    // Per team, in the database: what an admin sets on the web app's Sign-in page.
    await setSignIn(hub.db, hub.a.id, { oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret }, domainJoin: { enabled: false, department: 'other' } });
  });
  afterAll(async () => {
    await hub?.close();
    await idp?.close();
  });

  /** Starts at the hub, signs in at the provider, and answers the callback URL the provider sends the browser to. */
  async function toCallback(browser: Browser, account: string, email = 'admin@alpha.example.com', next = '/admin') {
    const start = await browser.request('GET', `/auth/oidc/start?email=${encodeURIComponent(email)}&next=${encodeURIComponent(next)}`);
    expect(start.status, start.text).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('login_hint')).toBe(email);
    return idp.signIn(authorize.href, account);
  }

  const callback = (browser: Browser, url: URL) => browser.request('GET', url.pathname + url.search);

  it('signs a verified member in and sends them where they were going', async () => {
    const browser = new Browser(hub.web);
    const url = await toCallback(browser, 'alpha-admin');
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/auth/oidc/callback`);
    const done = await callback(browser, url);
    expect(done.status, done.text).toBe(303);
    expect(done.headers.location).toBe('/admin');
    const session = await browser.session();
    expect(session.status).toBe(200);
    expect(session.body.member.email).toBe('admin@alpha.example.com');
    expect(session.body.team.name).toBe('Alpha');
    expect(session.body.via).toBe('oidc');
    expect(session.headers['set-cookie']).toBeDefined(); // the CSRF secret
  });

  it('refuses a wrong state, and signs nobody in', async () => {
    const browser = new Browser(hub.web);
    const url = await toCallback(browser, 'alpha-admin');
    url.searchParams.set('state', 'forged-state-value-1234567890');
    const res = await callback(browser, url);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="provider_refused"');
    expect((await browser.session()).status).toBe(401);
  });

  it('refuses a replayed code: once with the used sign-in, once inside a fresh one', async () => {
    const browser = new Browser(hub.web);
    const url = await toCallback(browser, 'alpha-admin');
    const attempt = browser.jar.get('liaison-oidc')!;
    expect((await callback(browser, url)).status).toBe(303);
    // The same callback again, with the sign-in cookie it came with: that sign-in is used up.
    browser.jar.set('liaison-oidc', attempt);
    const again = await callback(browser, url);
    expect(again.status).toBe(400);
    expect(again.text).toContain('data-reason="expired_attempt"');
    // The old code inside a new sign-in whose state it is given: the provider refuses the used code (and PKCE differs).
    const other = new Browser(hub.web);
    const fresh = await toCallback(other, 'alpha-admin');
    const replay = new URL(url);
    replay.searchParams.set('state', fresh.searchParams.get('state')!);
    const refused = await callback(other, replay);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('data-reason="provider_refused"');
    expect((await other.session()).status).toBe(401);
  });

  it('refuses an ID token for another audience', async () => {
    const browser = new Browser(hub.web);
    const url = await toCallback(browser, 'alpha-admin');
    idp.tamper((claims) => ({ ...claims, aud: 'some-other-app' }));
    const res = await callback(browser, url);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="provider_refused"');
    expect(res.text).toContain('claim value encountered: aud');
    expect((await browser.session()).status).toBe(401);
  });

  it('refuses an expired ID token', async () => {
    const browser = new Browser(hub.web);
    const url = await toCallback(browser, 'alpha-admin');
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    idp.tamper((claims) => ({ ...claims, iat: hourAgo - 600, exp: hourAgo }));
    const res = await callback(browser, url);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="provider_refused"');
    expect(res.text).toContain('timestamp claim value failed validation: exp');
    expect((await browser.session()).status).toBe(401);
  });

  it('refuses an email address the provider has not verified', async () => {
    const browser = new Browser(hub.web);
    const res = await callback(browser, await toCallback(browser, 'alpha-unverified', 'support@alpha.example.com'));
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="email_unverified"');
    expect(res.text).toContain('support@alpha.example.com');
  });

  it('takes Entra ID’s xms_edov claim as a verified address', async () => {
    const browser = new Browser(hub.web);
    const res = await callback(browser, await toCallback(browser, 'alpha-entra', 'support@alpha.example.com'));
    expect(res.status, res.text).toBe(303);
    expect((await browser.session()).body.member.email).toBe('support@alpha.example.com');
  });

  it('refuses someone who is not a member with a clear page, in English or Dutch', async () => {
    const browser = new Browser(hub.web);
    // The address's domain is Alpha's, so the hub sends them to Alpha's provider; the provider signs in someone else.
    const url = await toCallback(browser, 'stranger', 'someone@alpha.example.com');
    const res = await browser.request('GET', url.pathname + url.search, undefined, { 'accept-language': 'nl-NL,nl;q=0.9' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="not_member"');
    expect(res.text).toContain('<html lang="nl">');
    expect(res.text).toContain('Je bent geen lid van dit team');
    expect(res.text).toContain('nobody@elsewhere.example');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect((await browser.session()).status).toBe(401);
  });

  it('lets a verified address at the team’s domain join as a member of the chosen department, when allowed', async () => {
    const browser = new Browser(hub.web);
    expect((await callback(browser, await toCallback(browser, 'newcomer', 'new.person@alpha.example.com'))).status).toBe(403);
    await setSignIn(hub.db, hub.a.id, { oidc: { issuer: idp.issuer, clientId: idp.clientId }, domainJoin: { enabled: true, department: 'support' } });
    const joined = await callback(browser, await toCallback(browser, 'newcomer', 'new.person@alpha.example.com'));
    expect(joined.status).toBe(303);
    const session = await browser.session();
    expect(session.body.member).toMatchObject({ name: 'New Person', department: 'support', role: 'member' });
    const [entry] = await hub.db.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE team_id = $1 AND action = 'member.join'", [hub.a.id]);
    expect(entry).toMatchObject({ action: 'member.join', actor: 'New Person <new.person@alpha.example.com>' });
  });

  it('refuses a callback from a browser that did not start the sign-in (login CSRF)', async () => {
    const attacker = new Browser(hub.web);
    const url = await toCallback(attacker, 'alpha-admin');
    const victim = new Browser(hub.web);
    const res = await callback(victim, url);
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-reason="expired_attempt"');
    expect((await victim.session()).status).toBe(401);
  });

  it('says so when no team signs the address in with a provider', async () => {
    const res = await new Browser(hub.web).request('GET', '/auth/oidc/start?email=admin%40beta.example.com');
    expect(res.status).toBe(404);
    expect(res.text).toContain('data-reason="no_provider"');
  });
});
