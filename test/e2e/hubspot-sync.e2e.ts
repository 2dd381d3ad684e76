/**
 * Issue 15 end to end: the demo team's hub connected to HubSpot (the stand-in, test/fakes/hubspot.ts, running in
 * this process at HUBSPOT_API_BASE), a thread logged from Gmail's sidebar in real Chromium, and the log arriving in
 * HubSpot as one email engagement associated with Jane Doe and Acme Corp — after which the sidebar says so, with
 * a link to Jane's record in HubSpot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FakeHubSpot } from '../fakes/hubspot.ts';
import { launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';

const THREAD = '18f3a1b2c3d4e5f6'; // "Renewal terms for 2027": Jane Doe and Raj Patel of Acme, with Sam Lee (colleague)

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });

describe('Gmail → hub → HubSpot', () => {
  let fake: FakeHubSpot;
  let hub: Hub;
  let browser: Browser;
  let jane: { id: string };
  let raj: { id: string };
  let acme: { id: string };

  before(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    // HubSpot already knows Acme and the two people in the thread (as the demo team's Liaison does).
    acme = fake.create('companies', { name: 'Acme Corp', domain: 'acme-corp.com' });
    jane = fake.create('contacts', { email: 'jane.doe@acme-corp.com', firstname: 'Jane', lastname: 'Doe', jobtitle: 'VP Operations', associatedcompanyid: acme.id });
    raj = fake.create('contacts', { email: 'raj.patel@acme-corp.com', firstname: 'Raj', lastname: 'Patel', associatedcompanyid: acme.id });
    hub = await startHub({ env: { HUBSPOT_API_BASE: fake.url } });
    browser = await launchBrowser();
    const options = await browser.optionsPage();
    await options.getByLabel('Hub URL').fill(hub.url);
    await options.getByLabel('Access token').fill(hub.token);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    await options.close();
  });
  after(async () => {
    await browser?.close();
    await hub?.dispose();
    await fake?.stop();
  });

  it('an admin connects HubSpot in the web app, sending none of the seeded past, and watches the first import', async () => {
    // Dana, the demo team's admin, signs in to the web app with a one-time link (what npm start prints).
    const invite = await hub.api('POST', '/v1/invites', { name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales', role: 'admin' });
    const web = await browser.context.newPage();
    await web.goto(invite.url);
    await web.getByRole('button', { name: 'Continue as Dana Reyes' }).click();
    await web.getByRole('navigation').getByRole('link', { name: 'CRM' }).click();
    await web.getByRole('heading', { name: 'Your CRM: HubSpot' }).waitFor();
    await web.getByLabel('Access token of the private app').fill(fake.token);
    await web.getByLabel('HubSpot subscription').selectOption('professional');
    // The demo team's year of seeded history stays out of HubSpot, so what arrives there is this test's.
    await web.getByLabel('What Liaison already holds goes to HubSpot from').selectOption({ label: 'nothing of the past' });
    await web.getByRole('button', { name: 'Connect HubSpot' }).click();
    await web.getByText('HubSpot is connected: the first import has begun.').waitFor();
    // The token field is gone and nothing on the page shows the token.
    assert.equal(await web.getByLabel('Access token of the private app').count(), 0);
    assert.ok(!(await web.content()).includes(fake.token), 'the token is never shown back');

    const connected = await hub.api('GET', '/v1/connectors/hubspot');
    assert.equal(connected.state, 'active', JSON.stringify(connected));
    assert.equal(connected.history.days, 0);
    await waitFor(async () => (await hub.api('GET', '/v1/connectors/hubspot')).phase === 'incremental', 60_000, 'the first import');
    const [found] = (await hub.api('POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] })).results;
    assert.equal(found.contact.external[0].state, 'synced', 'Jane is linked to her HubSpot record');
    assert.equal(found.contact.external[0].id, jane.id);
    // The page follows the connector by itself (every 10 s).
    await web.locator('[data-liaison="crm-state"]').getByText('Keeping up with changes').waitFor({ timeout: 20_000 });
    await web.getByRole('button', { name: 'Test the token' }).click();
    await web.getByText('The token can read and write everything Liaison needs.').waitFor();
    await web.screenshot({ path: screenshotPath('webapp-crm.png'), fullPage: true });
    await web.close();
  });

  it('logs the thread from the sidebar: HubSpot holds one email engagement with Jane Doe and Acme, and the sidebar says so with its link', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    const bar = sidebar(page);
    const janeCard = bar.getByRole('article', { name: 'Jane Doe' });
    await janeCard.waitFor();
    await bar.getByRole('button', { name: 'Log this conversation' }).click();
    await bar.locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();

    await waitFor(async () => fake.objects('emails').length > 0, 30_000, 'the engagement in HubSpot');
    // A moment more: a second create (a retry gone wrong) would show now.
    await new Promise((r) => setTimeout(r, 1_500));
    const emails = fake.objects('emails');
    assert.equal(emails.length, 1, 'exactly one email engagement');
    const [engagement] = emails;
    assert.equal(engagement!.properties.hs_email_subject, 'Renewal terms for 2027');
    assert.match(engagement!.properties.hs_email_text ?? '', /Logged in Liaison by Dana Reyes \(sales\) · liaison:i:\d+/);
    assert.deepEqual(fake.associated('emails', engagement!.id, 'contacts').sort(), [jane.id, raj.id].sort());
    assert.deepEqual(fake.associated('emails', engagement!.id, 'companies'), [acme.id]);
    assert.equal(fake.objects('contacts').length, 2, 'no contact made twice');
    assert.deepEqual(fake.unexpected, [], 'every request followed HubSpot’s reference');

    const [logged] = (await hub.api('POST', '/v1/interactions/logged', { refs: [THREAD] })).results;
    await waitFor(async () => (await hub.api('GET', `/v1/interactions/${logged.interactionId}`)).external?.[0]?.state === 'synced', 15_000, 'the hub to record it as synced');

    // The sidebar shows it on the next look at the thread.
    await page.reload();
    const item = janeCard.locator('[data-liaison="timeline"] li').filter({ has: page.locator('[data-liaison="crm-sync"][data-state="synced"]') }).filter({ hasText: 'Renewal terms for 2027' });
    await item.waitFor({ timeout: 20_000 });
    const sync = item.locator('[data-liaison="crm-sync"]');
    assert.equal((await sync.innerText()).replace(/\s+/g, ' ').trim(), 'Synced to HubSpot · Open in HubSpot');
    const link = sync.getByRole('link', { name: 'Open in HubSpot' });
    assert.equal(await link.getAttribute('href'), `https://${fake.uiDomain}/contacts/${fake.portalId}/record/0-1/${jane.id}`);
    assert.equal(await link.getAttribute('target'), '_blank');
    // Jane herself is linked too, under her name.
    await janeCard.locator('.person__crm [data-liaison="crm-sync"][data-state="synced"]').waitFor();
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('gmail-hubspot-synced.png') });
    await page.close();
  });
});
