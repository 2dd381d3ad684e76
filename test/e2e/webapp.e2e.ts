/**
 * Issue 13 end to end: the hub's web app and "Sign in to your hub", in real Chromium against a real hub process
 * (`start`, on embedded PostgreSQL) configured with a real OpenID provider (node-oidc-provider) in this process.
 *
 * The admin signs in through the provider's own login page, invites a colleague, and the colleague — in their own
 * browser with the extension — opens the link, then connects the extension with "Sign in to your hub". That is the
 * real `identity.launchWebAuthFlow`: Chromium opens the hub's connect page in its auth window, this test clicks
 * "Connect Liaison in this browser" there, and Chromium hands the redirect to the extension. Gmail then shows the
 * team's history. The admin revokes that token in the web app; the extension says it is not signed in and offers
 * to sign in again; the audit log lists every step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startProvider, type TestProvider } from '../hub/helpers/oidc-provider.ts';
import { freePort, launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';

const THREAD = '#inbox/18f3a1b2c3d4e5f6'; // Jane Doe of Acme Corp, who has a year of the demo team's history

describe('web app: company sign-in, invite, one-click connect, revoke, audit', () => {
  let idp: TestProvider;
  let hub: Hub;
  let adminBrowser: Browser;
  let colleague: Browser;
  let admin: Page;
  let inviteUrl = '';

  before(async () => {
    const port = await freePort();
    idp = await startProvider({
      redirectUris: [`http://127.0.0.1:${port}/auth/oidc/callback`],
      accounts: { dana: { email: 'dana@northwind-demo.com', email_verified: true, name: 'Dana Reyes' } },
    });
    // The first setup's identity provider comes from the environment (an admin can change it in the web app later).
    hub = await startHub({
      port,
      env: { LIAISON_OIDC_ISSUER: idp.issuer, LIAISON_OIDC_CLIENT_ID: idp.clientId, LIAISON_OIDC_CLIENT_SECRET: idp.clientSecret, LIAISON_OIDC_TEAM: 'Northwind Demo' },
    });
    adminBrowser = await launchBrowser();
    colleague = await launchBrowser();
  });
  after(async () => {
    await colleague?.close();
    await adminBrowser?.close();
    await hub?.dispose();
    await idp?.close();
  });

  it('signs the admin in through the company’s identity provider', async () => {
    admin = await adminBrowser.context.newPage();
    await admin.goto(`${hub.url}/signin`);
    await admin.getByLabel('Work email address').fill('dana@northwind-demo.com');
    await admin.getByRole('button', { name: 'Continue' }).click();
    // The provider's own sign-in page, then its consent page.
    await admin.waitForURL((u) => u.origin === idp.issuer);
    await admin.locator('input[name="login"]').fill('dana');
    await admin.locator('input[name="password"]').fill('anything');
    await admin.locator('button[type="submit"]').click();
    await admin.locator('button[type="submit"]').click();
    await admin.waitForURL((u) => u.origin === hub.url);
    await admin.getByText('Signed in as Dana Reyes · Northwind Demo').waitFor();
    await admin.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
  });

  it('lets the admin invite a colleague and shows the one-time link to copy', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await admin.getByLabel('Name').fill('Mia Jansen');
    await admin.getByLabel('Email address').fill('mia@northwind-demo.com');
    await admin.getByLabel('Department', { exact: true }).selectOption('support');
    await admin.getByRole('button', { name: 'Create invite link' }).click();
    inviteUrl = await admin.getByLabel('Invite link', { exact: true }).inputValue();
    assert.match(inviteUrl, new RegExp(`^${hub.url}/invite/[A-Za-z0-9_-]{43}$`));
    await admin.locator('tr[data-member="mia@northwind-demo.com"]').waitFor();
    await admin.screenshot({ path: screenshotPath('webapp-members.png'), fullPage: true });
  });

  it('signs the colleague in with the link, once', async () => {
    const page = await colleague.context.newPage();
    await page.goto(inviteUrl);
    await page.getByText('Northwind Demo invites you to Liaison as Mia Jansen (mia@northwind-demo.com).').waitFor();
    await page.getByRole('button', { name: 'Continue as Mia Jansen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Install and connect the extension' }).waitFor();
    assert.equal(await page.getByLabel('Hub address').inputValue(), hub.url);
    // Used up: the same link in another browser says so.
    const again = await admin.context().newPage();
    await again.goto(inviteUrl);
    await again.getByText('This invite link was already used.', { exact: false }).waitFor();
    await again.close();
    await page.close();
  });

  it('connects the extension with "Sign in to your hub" and Gmail shows the team’s history', async () => {
    const options = await colleague.optionsPage();
    await options.getByText('Not signed in.').waitFor();
    await options.getByLabel('Hub URL').fill(hub.url);
    const authWindow = colleague.context.waitForEvent('page');
    await options.getByRole('button', { name: 'Sign in to your hub' }).click();
    const connect = await authWindow;
    await connect.getByRole('heading', { level: 1, name: 'Connect Liaison in this browser' }).waitFor();
    await connect.getByText('The Liaison extension (Chrome on Linux) asks to be signed in to your team’s hub as Mia Jansen, Support (Northwind Demo).').waitFor();
    await connect.screenshot({ path: screenshotPath('webapp-connect.png') });
    await connect.getByRole('button', { name: 'Connect Liaison in this browser' }).click();
    await options.locator('[data-liaison="hub-sign-in-status"]').filter({ hasText: 'Signed in as Mia Jansen (Support) · Northwind Demo' }).waitFor();
    await options.screenshot({ path: screenshotPath('options-signed-in.png') });
    assert.equal(await options.getByLabel('Access token').inputValue(), '', 'the page never holds the token');

    const gmail = await colleague.openGmail(THREAD);
    const jane = gmail.getByRole('complementary', { name: 'Liaison' }).getByRole('article', { name: 'Jane Doe' });
    await jane.getByText('VP Operations').first().waitFor();
    await jane.locator('[data-liaison="timeline"] li').first().waitFor();
    assert.ok((await jane.locator('[data-liaison="timeline"] li').count()) >= 3, 'the team’s timeline');
    await gmail.close();
    await options.close();
  });

  it('stops the extension when the admin revokes its token, with a way to sign in again', async () => {
    await admin.reload();
    await admin.getByRole('button', { name: /^Tokens of Mia Jansen \(1\)$/ }).click();
    await admin.getByRole('button', { name: 'Revoke token “Chrome on Linux”' }).click();
    await admin.getByText('Token revoked.').waitFor();

    const options = await colleague.optionsPage();
    await options.locator('[data-liaison="hub-sign-in-status"]').filter({ hasText: /^Not signed in: the hub refused the access token/ }).waitFor();
    assert.ok(await options.getByRole('button', { name: 'Sign in to your hub' }).isEnabled());
    const popup = await colleague.context.newPage();
    await popup.goto(`chrome-extension://${colleague.extensionId}/popup.html`);
    await popup.locator('[data-liaison="connection-status"]').filter({ hasText: /^Not connected: the hub refused the access token/ }).waitFor();
    // The hub agrees: that token is refused.
    const tokens = await hub.api('GET', '/v1/tokens');
    const revoked = (tokens.items as { label: string | null; revokedAt: string | null }[]).find((t) => t.label === 'Chrome on Linux');
    assert.ok(revoked?.revokedAt, 'revoked at the hub');
    await popup.close();
    await options.close();
  });

  it('lists every step in the audit log, and works at phone width', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const table = admin.locator('table[data-liaison="audit"]');
    await table.locator('tbody tr').first().waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    const find = (action: string, who: string) => rows.some((r) => r.includes(action) && r.includes(who));
    assert.ok(find('token.revoke', 'Dana Reyes'), 'revoked by Dana');
    assert.ok(find('token.connect', 'Mia Jansen'), 'connected by Mia');
    assert.ok(find('invite.use', 'Mia Jansen'), 'link used by Mia');
    assert.ok(find('invite.create', 'Dana Reyes'), 'invited by Dana');
    assert.ok(find('member.add', 'Dana Reyes'), 'added by Dana');
    await admin.screenshot({ path: screenshotPath('webapp-audit.png'), fullPage: true });
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team settings' }).click();
    await admin.getByLabel('Redirect URI to register').waitFor();
    assert.equal(await admin.getByLabel('Redirect URI to register').inputValue(), `${hub.url}/auth/oidc/callback`);
    assert.equal(await admin.getByLabel('Issuer URL').inputValue(), idp.issuer, 'the environment’s provider, shown read-only');
    await admin.screenshot({ path: screenshotPath('webapp-team.png'), fullPage: true });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page fits a phone (overflow ${overflow}px; wide tables scroll inside themselves)`);
    await admin.screenshot({ path: screenshotPath('webapp-members-phone.png') });
  });
});
