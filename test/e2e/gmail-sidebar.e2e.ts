/**
 * Issue 3 end to end: the built extension in Chromium, configured through its options page, against a real
 * hub process on the demo team; Gmail threads from our fixtures at their real URLs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';

const THREAD = '18f3a1b2c3d4e5f6'; // Jane Doe and Raj Patel of Acme, with Sam Lee (colleague)
const COLLAPSED = '18f3a1b2c3d4e600'; // Jane Doe and Maria Garcia
const LONG = '18f3a1b2c3d4e700'; // many Globex people, unknown to the hub
const HHMM = /\d{1,2}[:.]\d{2}/;

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });
const logStatus = (page: Page) => sidebar(page).locator('[data-liaison="log-status"]');

async function loggers(hub: Hub, ref: string) {
  const res = await hub.api('POST', '/v1/interactions/logged', { refs: [ref] });
  return res.results.flatMap((r: any) => r.loggers.map((l: any) => l.member.name));
}

describe('Gmail sidebar against a real hub', () => {
  let hub: Hub;
  let browser: Browser;
  before(async () => {
    hub = await startHub();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('is configured through the options page, which says who you are signed in as', async () => {
    const page = await browser.optionsPage();
    await page.getByLabel('Hub URL').fill(hub.url);
    await page.getByLabel('Access token').fill(hub.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Signed in as Dana Reyes (Sales) · Northwind Demo').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.close();
  });

  it('shows the external people of a thread with the team history, flags first', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    const bar = sidebar(page);
    await bar.waitFor();
    const jane = bar.getByRole('article', { name: 'Jane Doe' });
    await jane.waitFor();
    await jane.getByText('VP Operations').first().waitFor();
    await bar.getByRole('article', { name: 'Raj Patel' }).waitFor();
    const people = await bar.locator('[data-liaison="person"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
    assert.deepEqual(people.sort(), ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com'], 'colleagues and I are not listed');
    const flags = jane.locator('[data-liaison="flags"]');
    await flags.getByText(/Checkout outage/).waitFor();
    assert.match(await jane.innerText(), /Acme Corp/);
    assert.match(await jane.innerText(), /Sam Lee/, 'owner shown');
    await jane.locator('[data-liaison="timeline"] li').first().waitFor();
    assert.ok((await jane.locator('[data-liaison="timeline"] li').count()) >= 3, 'team timeline listed');
    await page.screenshot({ path: screenshotPath('gmail-sidebar.png') });
    await page.close();
  });

  it('logs the thread in one click: exactly one interaction, shown as logged by you, also after a reload', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    const log = sidebar(page).getByRole('button', { name: /^Log this/ });
    await log.click();
    await logStatus(page).filter({ hasText: /Logged by you/ }).waitFor();
    assert.match(await logStatus(page).innerText(), HHMM);
    await waitFor(async () => (await loggers(hub, THREAD)).length === 1, 10_000, 'the log at the hub');
    assert.deepEqual(await loggers(hub, THREAD), ['Dana Reyes']);
    const res = await hub.api('POST', '/v1/interactions/logged', { refs: [THREAD] });
    const interaction = await hub.api('GET', `/v1/interactions/${res.results[0].interactionId}`);
    assert.equal(interaction.kind, 'email');
    assert.equal(interaction.subject, 'Renewal terms for 2027');
    assert.equal(interaction.summary, null, 'never the body');
    await page.reload();
    await logStatus(page).filter({ hasText: /Logged by you/ }).waitFor();
    assert.equal(await sidebar(page).getByRole('button', { name: /^Log this/ }).count(), 0, 'nothing left to log');
    assert.deepEqual(await loggers(hub, THREAD), ['Dana Reyes']);
    await page.close();
  });

  it('offers "Add to CRM" for people the hub does not know, prefilled from the address', async () => {
    const page = await browser.openGmail(`#inbox/${LONG}`);
    const form = sidebar(page).locator('[data-liaison="add-to-crm"]').first();
    await form.waitFor();
    assert.match(await form.locator('input').first().inputValue(), /\S/);
    assert.ok((await form.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).some((v) => /Globex/i.test(v)));
    await page.close();
  });

  it('queues a log while the hub is down, says so, and delivers it exactly once when the hub is back', async () => {
    await hub.stop();
    const page = await browser.openGmail(`#inbox/${COLLAPSED}`);
    const bar = sidebar(page);
    await bar.locator('[data-liaison="offline"]').waitFor();
    await bar.getByRole('button', { name: /^Log this/ }).click();
    await logStatus(page).filter({ hasText: /Queued/ }).waitFor();
    // The popup shows what waits, and the toolbar badge counts it: the queued log plus any conversation on
    // the Unlogged list (the Globex thread of an earlier test was closed unlogged).
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-liaison="outbox"]').getByText(/Onboarding schedule/).waitFor();
    assert.equal(await popup.locator('[data-liaison="outbox"] li').count(), 1);
    const unlogged = await popup.locator('[data-liaison="unlogged"] li').count();
    const sw = await browser.serviceWorker();
    assert.equal(await sw.evaluate('chrome.action.getBadgeText({})'), String(1 + unlogged));
    await popup.close();
    // The service worker dies while the log waits: it is in IndexedDB, not in memory.
    await browser.killServiceWorker();
    await hub.start();
    // Moving to another thread talks to the hub again, which sends what waits; the alarm would within a minute.
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${THREAD}`);
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${COLLAPSED}`);
    await waitFor(async () => (await loggers(hub, COLLAPSED)).length > 0, 90_000, 'the queued log to reach the hub');
    await logStatus(page).filter({ hasText: /Logged by you/ }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await loggers(hub, COLLAPSED), ['Dana Reyes']);
    await page.close();
  });

  it('follows navigation between threads and lists without a reload', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    await sidebar(page).getByRole('article', { name: 'Raj Patel' }).waitFor();
    await page.evaluate(() => (location.hash = '#inbox'));
    await sidebar(page).waitFor({ state: 'detached' });
    await page.evaluate((id) => (location.hash = `#inbox/${id}`), COLLAPSED);
    await sidebar(page).getByRole('article', { name: 'Jane Doe' }).waitFor();
    assert.equal(await sidebar(page).getByRole('article', { name: 'Raj Patel' }).count(), 0);
    await page.close();
  });

  it('is operable from the keyboard alone: collapse, expand, and log with Enter', async () => {
    const page = await browser.openGmail(`#inbox/${LONG}`);
    const toggle = sidebar(page).locator('[data-liaison="toggle"]');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Space');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    // Tab from the toggle reaches the log button first: the main action is one key away.
    await page.keyboard.press('Tab');
    const focused = await sidebar(page).evaluate(() => (document.querySelector('liaison-sidebar')?.shadowRoot?.activeElement as HTMLElement | null)?.dataset.liaison ?? null);
    assert.equal(focused, 'log-thread');
    await page.keyboard.press('Enter');
    await logStatus(page).filter({ hasText: /Logged by you/ }).waitFor();
    await waitFor(async () => (await loggers(hub, LONG)).length === 1, 10_000, 'the keyboard log at the hub');
    await page.close();
  });
});
