/**
 * Issue 4 end to end: the prompt to log a conversation before it slips away — on leaving a thread, on closing
 * the tab, on Send — in Chromium with the built extension, against a real hub process on the demo team.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';

const THREAD = '18f3a1b2c3d4e5f6'; // Jane Doe and Raj Patel of Acme, with Sam Lee (colleague): "Renewal terms for 2027"
const COLLAPSED = '18f3a1b2c3d4e600'; // Jane Doe and Maria Garcia: "Onboarding schedule"
const LONG = '18f3a1b2c3d4e700'; // many Globex people, unknown to the hub
const INLINE_REPLY = '18f3a1b2c3d4e800'; // Jane's "Pilot feedback" with Dana's reply open below
const HOSTILE = '18f3a1b2c3d4ea00'; // hostile names from evil-example.com
const INTERNAL = '18f3a1b2c3d4ef01'; // only Northwind people (below)
const PRICING = '18f3a1b2c3d4ef02'; // one Initech customer (below)
const SUPPORT = '18f3a1b2c3d4ef03'; // one Umbrella customer (below)

/** A thread between colleagues only (written here: no customer, so no fixture file of its own is needed). */
const INTERNAL_VIEW = `<html><head><title>Team lunch - dana@northwind-demo.com - Gmail</title></head><body>
<div class="nH bkK" role="main">
  <div class="ha"><h2 class="hP" data-legacy-thread-id="${INTERNAL}">Team lunch</h2></div>
  <div class="adn ads h7" data-message-id="#msg-f:1" data-legacy-message-id="${INTERNAL}">
    <table><tr><td class="gF gK"><span class="gD" email="sam@northwind-demo.com" name="Sam Lee">Sam Lee</span></td>
    <td class="gH"><span class="g3" title="Mon, Nov 23, 2026, 9:00 AM">Nov 23</span></td></tr></table>
    <div class="iw ajw"><span class="hb">to <span class="g2" email="dana@northwind-demo.com" name="Dana Reyes">me</span></span></div>
  </div>
</div></body></html>`;

/** A thread with one customer, for the "Esc = Not now" run. */
const PRICING_VIEW = INTERNAL_VIEW.replaceAll(INTERNAL, PRICING)
  .replaceAll('Team lunch', 'Pricing question')
  .replace('email="sam@northwind-demo.com" name="Sam Lee">Sam Lee', 'email="lee.chen@initech.example" name="Lee Chen">Lee Chen');

/** Another one-customer thread, for the "never steals focus while typing" run. */
const SUPPORT_VIEW = INTERNAL_VIEW.replaceAll(INTERNAL, SUPPORT)
  .replaceAll('Team lunch', 'Support follow-up')
  .replace('email="sam@northwind-demo.com" name="Sam Lee">Sam Lee', 'email="kai.moreno@umbrella.example" name="Kai Moreno">Kai Moreno');

const prompt = (page: Page) => page.getByRole('region', { name: 'Liaison: log this conversation?' });
const live = (page: Page) => page.locator('[data-liaison="prompt-live"]');

/** How many answers the background has given this page so far (the live region counts them). */
async function verdictSeq(page: Page): Promise<number> {
  return Number((await live(page).getAttribute('data-verdict-seq').catch(() => null)) ?? 0);
}

/**
 * The background's next answer for a reference ("ref:reason") after `since` answers: how a test knows Liaison
 * decided, and what, without waiting for something not to happen.
 */
async function verdictFor(page: Page, ref: string, since = 0): Promise<string> {
  let seen = '';
  await waitFor(async () => {
    seen = (await live(page).getAttribute('data-verdict').catch(() => null)) ?? '';
    return seen.startsWith(`${ref}:`) && (await verdictSeq(page)) > since;
  }, 20_000, `the verdict for ${ref}`);
  return seen.slice(ref.length + 1);
}

/** Runs a navigation and returns the background's verdict on the thread it left. */
async function leave(page: Page, ref: string, go: () => Promise<unknown>): Promise<string> {
  const since = await verdictSeq(page);
  await go();
  return verdictFor(page, ref, since);
}

async function interactionFor(hub: Hub, ref: string) {
  const res = await hub.api('POST', '/v1/interactions/logged', { refs: [ref] });
  const found = res.results[0];
  return found ? hub.api('GET', `/v1/interactions/${found.interactionId}`) : null;
}

describe('Prompt to log before a conversation slips away', () => {
  let hub: Hub;
  let browser: Browser;
  let teammateToken = '';

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ extraViews: { [INTERNAL]: INTERNAL_VIEW, [PRICING]: PRICING_VIEW, [SUPPORT]: SUPPORT_VIEW } });
    const page = await browser.optionsPage();
    await page.getByLabel('Hub URL').fill(hub.url);
    await page.getByLabel('Access token').fill(hub.token);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.close();
    const added = await hub.api('POST', '/v1/members', { name: 'Priya Shah', email: 'priya.shah.e2e@northwind-demo.com', department: 'support' });
    teammateToken = added.token;
    assert.match(teammateToken ?? '', /^lia_/, JSON.stringify(added));
  });
  after(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('asks on going back to the inbox, logs exactly once with one click, and does not ask again', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    await page.getByRole('complementary', { name: 'Liaison' }).getByRole('article', { name: 'Jane Doe' }).waitFor();
    assert.equal(await verdictFor(page, THREAD), 'ask');
    await page.evaluate(() => (location.hash = '#inbox'));
    const card = prompt(page);
    await card.waitFor();
    assert.equal(await card.locator('[data-liaison="prompt-question"]').innerText(), 'Log your conversation with Jane Doe (Acme Corp) and 1 more?');
    assert.match(await live(page).innerText(), /Log your conversation with Jane Doe.*Alt\+Shift\+L/);
    await page.screenshot({ path: screenshotPath('gmail-leave-prompt.png') });
    await card.getByRole('button', { name: 'Log', exact: true }).click();
    await card.locator('[data-liaison="prompt-done"]').waitFor();
    await waitFor(async () => (await interactionFor(hub, THREAD)) != null, 15_000, 'the log at the hub');
    const logged = await interactionFor(hub, THREAD);
    assert.equal(logged.subject, 'Renewal terms for 2027');
    assert.deepEqual(logged.loggers.map((l: any) => l.member.name), ['Dana Reyes']);
    assert.deepEqual(logged.participants.map((p: any) => p.email).sort(), ['dana@northwind-demo.com', 'jane.doe@acme-corp.com', 'raj.patel@acme-corp.com', 'sam@northwind-demo.com']);

    // Back into the thread and out again: it is logged, so nothing is asked.
    await page.evaluate((id) => (location.hash = `#inbox/${id}`), THREAD);
    await page.getByRole('complementary', { name: 'Liaison' }).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();
    assert.match(await leave(page, THREAD, () => page.evaluate(() => (location.hash = '#inbox'))), /^(already-logged|pending-in-outbox)$/);
    await card.waitFor({ state: 'detached' });
    const again = await hub.api('POST', '/v1/interactions/logged', { refs: [THREAD] });
    assert.equal(again.results.length, 1, 'still exactly one interaction');
    assert.equal(again.results[0].loggers.length, 1, 'and one logger');
    await page.close();
  });

  it('does not ask about a thread between colleagues only', async () => {
    const page = await browser.openGmail(`#inbox/${INTERNAL}`);
    await page.getByText('Team lunch').first().waitFor();
    assert.equal(await leave(page, INTERNAL, () => page.evaluate(() => (location.hash = '#inbox'))), 'no-external-people');
    assert.equal(await prompt(page).count(), 0);
    await page.close();
  });

  it('does not ask about a thread a teammate already logged', async () => {
    const res = await fetch(`${hub.url}/v1/interactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${teammateToken}`, 'content-type': 'application/json', 'idempotency-key': `e2e-teammate-${Date.now()}` },
      body: JSON.stringify({
        kind: 'email',
        occurredAt: '2026-11-12T10:00:00.000Z',
        subject: 'Onboarding schedule',
        sourceSite: 'gmail',
        sourceRef: COLLAPSED,
        participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }],
      }),
    });
    assert.equal(res.status, 201);
    const page = await browser.openGmail(`#inbox/${COLLAPSED}`);
    await page.getByRole('complementary', { name: 'Liaison' }).locator('[data-liaison="log-status"]').filter({ hasText: /Priya Shah/ }).waitFor();
    assert.equal(await leave(page, COLLAPSED, () => page.evaluate(() => (location.hash = '#inbox'))), 'already-logged');
    assert.equal(await prompt(page).count(), 0);
    await page.close();
  });

  it('puts a thread whose tab was closed on the popup’s Unlogged list, and logs it from there', async () => {
    const page = await browser.openGmail(`#inbox/${LONG}`);
    await page.getByRole('complementary', { name: 'Liaison' }).locator('[data-liaison="add-to-crm"]').first().waitFor();
    assert.equal(await verdictFor(page, LONG), 'ask');
    await page.close();
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const item = popup.locator('[data-liaison="unlogged"] li', { hasText: 'Q1 product update' });
    await item.waitFor({ timeout: 15_000 });
    const sw = await browser.serviceWorker();
    assert.equal(await sw.evaluate('chrome.action.getBadgeText({})'), String(await popup.locator('[data-liaison="unlogged"] li').count()));
    await popup.getByRole('button', { name: /^Add to CRM and log: / }).first().click();
    await item.waitFor({ state: 'detached' });
    await waitFor(async () => (await interactionFor(hub, LONG)) != null, 90_000, 'the log from the list at the hub');
    const logged = await interactionFor(hub, LONG);
    assert.ok(logged.participants.some((p: any) => p.contactId != null && /globex/.test(p.email)), 'unknown people were added to the CRM and linked');
    await popup.close();
  });

  it('asks after Send in a reply without holding up the send, and logs the email', async () => {
    const page = await browser.openGmail(`#inbox/${INLINE_REPLY}`);
    await page.getByRole('complementary', { name: 'Liaison' }).getByRole('article', { name: 'Jane Doe' }).waitFor();
    await page.locator('div.aoO[role="button"]').click();
    // Gmail's own handler ran in the same click, uncancelled: the form is gone before Liaison does anything.
    assert.deepEqual(await page.evaluate(() => (window as any).__liaisonSends), [{ defaultPrevented: false }]);
    assert.equal(await page.locator('div.M9').count(), 0);
    const card = prompt(page);
    await card.waitFor();
    assert.equal(await card.locator('[data-liaison="prompt-question"]').innerText(), 'Log this email to Acme Corp?');
    await card.getByRole('button', { name: 'Log', exact: true }).click();
    await waitFor(async () => (await interactionFor(hub, INLINE_REPLY)) != null, 15_000, 'the sent email at the hub');
    assert.equal((await interactionFor(hub, INLINE_REPLY)).subject, 'Re: Pilot feedback');
    // The same conversation, left afterwards: already logged, no second question.
    assert.match(await leave(page, INLINE_REPLY, () => page.evaluate(() => (location.hash = '#inbox'))), /^(already-logged|pending-in-outbox)$/);
    await page.close();
  });

  it('is answered from the keyboard alone: shortcut in, note with outcome and follow-up, Esc, and focus comes back', async () => {
    const page = await browser.openGmail(`#inbox/${HOSTILE}`);
    await page.getByRole('complementary', { name: 'Liaison' }).waitFor();
    assert.equal(await verdictFor(page, HOSTILE), 'ask');
    // Focus on a page control (Gmail's refresh button), then "u" goes back to the list.
    await page.locator('#gmail-refresh').focus();
    await page.keyboard.press('u');
    const card = prompt(page);
    await card.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gmail-refresh', 'the prompt did not take focus');
    await page.keyboard.press('Alt+Shift+L');
    const focused = () => page.evaluate(() => {
      const el = document.querySelector('liaison-prompt')?.shadowRoot?.activeElement as HTMLElement | null;
      return el ? `${el.tagName}:${el.getAttribute('data-liaison') ?? el.textContent?.trim() ?? ''}` : null;
    });
    assert.equal(await focused(), 'BUTTON:prompt-log');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'BUTTON:Log with note…');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await focused()) === 'TEXTAREA:', 5_000, 'focus in the note');
    await page.keyboard.type('Asked for a security review before signing');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // outcome: Positive
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // follow-up task
    // Task title and due date keep their defaults; Tab on past them (a date field has a stop per part).
    for (let i = 0; i < 8 && (await focused()) !== 'BUTTON:prompt-save'; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'BUTTON:prompt-save');
    await page.keyboard.press('Enter');
    await card.locator('[data-liaison="prompt-done"]').waitFor();
    await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'gmail-refresh', 5_000, 'focus back where it was');
    await waitFor(async () => (await interactionFor(hub, HOSTILE)) != null, 15_000, 'the keyboard log at the hub');
    const logged = await interactionFor(hub, HOSTILE);
    assert.equal(logged.summary, 'Asked for a security review before signing');
    assert.equal(logged.outcome, 'positive');
    const tasks = await hub.api('GET', '/v1/tasks?assignee=me');
    assert.ok(tasks.items.some((task: any) => task.interactionId === logged.id && task.dueAt != null), 'the follow-up task is at the hub, due');

    // Esc = Not now: the conversation goes on the list and focus comes back.
    await page.evaluate((id) => (location.hash = `#inbox/${id}`), PRICING);
    assert.equal(await verdictFor(page, PRICING), 'ask');
    await page.locator('#gmail-refresh').focus();
    await page.keyboard.press('u');
    await card.filter({ hasText: 'Lee Chen' }).waitFor();
    await page.keyboard.press('Alt+Shift+L');
    assert.equal(await focused(), 'BUTTON:prompt-log');
    await page.keyboard.press('Escape');
    await card.getByText('On your Unlogged conversations list (toolbar button).').waitFor();
    await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'gmail-refresh', 5_000, 'focus back after Esc');
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-liaison="unlogged"] li', { hasText: 'Pricing question' }).waitFor();
    assert.match(await popup.locator('[data-liaison="adoption"]').innerText(), /You logged \d+ of \d+ customer conversations this week/);
    await popup.close();
    assert.equal(await interactionFor(hub, PRICING), null, 'Not now logs nothing');

    // While the user types in the search box, a question that appears meanwhile never takes the focus away.
    await page.evaluate((id) => (location.hash = `#inbox/${id}`), SUPPORT);
    assert.equal(await verdictFor(page, SUPPORT), 'ask');
    await page.locator('input[type="search"]').focus();
    await page.keyboard.type('umb');
    await page.evaluate(() => (location.hash = '#inbox'));
    await card.filter({ hasText: 'Kai Moreno' }).waitFor();
    await page.keyboard.type('rella');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value), 'umbrella');
    await page.close();
  });
});
