/**
 * The same user-facing scenarios on every mail site Liaison supports (issue 6: Outlook on the web at parity with
 * Gmail), run by one piece of test code parameterised by site (test/e2e/sites.ts): the built extension in
 * Chromium against a real hub process on the demo team, each site's stand-in at its real URL under a strict CSP.
 * Site-specific depth (Gmail's keyboard runs, offline queue, teammates) stays in the per-feature files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';
import { SITES } from './sites.ts';

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });
const verdict = (page: Page) => page.locator('[data-liaison="prompt-live"]').getAttribute('data-verdict').catch(() => null);
const prompt = (page: Page) => page.getByRole('region', { name: 'Liaison: log this conversation?' });

async function logged(hub: Hub, ref: string) {
  const res = await hub.api('POST', '/v1/interactions/logged', { refs: [ref] });
  return res.results as { interactionId: string; loggers: { member: { name: string } }[] }[];
}

async function interactionFor(hub: Hub, ref: string) {
  const [found] = await logged(hub, ref);
  return found ? hub.api('GET', `/v1/interactions/${found.interactionId}`) : null;
}

for (const site of SITES) {
  describe(`${site.name}: sidebar, log, prompts and attendance against a real hub`, () => {
    let hub: Hub;
    let browser: Browser;
    before(async () => {
      hub = await startHub();
      browser = await launchBrowser();
      await site.install(browser);
      const page = await browser.optionsPage();
      await page.getByLabel('Hub URL').fill(hub.url);
      await page.getByLabel('Access token').fill(hub.token);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      await page.close();
    });
    after(async () => {
      await browser?.close();
      await hub?.dispose();
    });

    // First: a conversation closed unanswered goes to the Unlogged list and is not asked about again.
    it('asks on leaving the conversation and logs it with one click: exactly one interaction', async () => {
      const page = await site.open(browser, site.renewal);
      await sidebar(page).getByRole('article', { name: 'Jane Doe' }).waitFor();
      // The background has decided to ask about this conversation once the user leaves it (the live region says so).
      await waitFor(async () => (await verdict(page)) === `${site.renewal.ref}:ask`, 20_000, 'the decision to ask');
      await site.toList(page);
      await sidebar(page).waitFor({ state: 'detached' });
      const card = prompt(page);
      await card.waitFor();
      assert.equal(await card.locator('[data-liaison="prompt-question"]').innerText(), 'Log your conversation with Jane Doe (Acme Corp) and 1 more?');
      await card.getByRole('button', { name: 'Log', exact: true }).click();
      await waitFor(async () => (await logged(hub, site.renewal.ref)).length === 1, 15_000, 'the log at the hub');
      const interaction = await interactionFor(hub, site.renewal.ref);
      assert.equal(interaction.subject, site.renewal.subject);
      assert.equal(interaction.loggers[0].sourceSite, site.name, 'logged as from this site');
      assert.equal(interaction.summary, null, 'never the body');
      // Back in: the sidebar says it is logged and offers nothing more to log.
      const again = await site.open(browser, site.renewal);
      await sidebar(again).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();
      assert.equal(await sidebar(again).getByRole('button', { name: /^Log this/ }).count(), 0);
      const results = await logged(hub, site.renewal.ref);
      assert.equal(results.length, 1, 'exactly one interaction');
      assert.equal(results[0]!.loggers.length, 1, 'one logger');
      await again.close();
      await page.close();
    });

    it('shows Jane Doe with the team’s history beside the conversation, colleagues left out', async () => {
      const page = await site.open(browser, site.renewal);
      const jane = sidebar(page).getByRole('article', { name: 'Jane Doe' });
      await jane.getByText('VP Operations').first().waitFor();
      await jane.locator('[data-liaison="flags"]').getByText(/Checkout outage/).waitFor();
      await jane.locator('[data-liaison="timeline"] li').first().waitFor();
      assert.ok((await jane.locator('[data-liaison="timeline"] li').count()) >= 3, 'team timeline listed');
      const people = await sidebar(page).locator('[data-liaison="person"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
      assert.deepEqual(people.sort(), ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com']);
      if (site.screenshot) await page.screenshot({ path: screenshotPath(site.screenshot) });
      await page.close();
    });

    it('logs a conversation from the sidebar in one click: exactly one interaction, logged by you', async () => {
      const page = await site.open(browser, site.invitation);
      const log = sidebar(page).getByRole('button', { name: /^Log this/ });
      await log.click();
      await sidebar(page).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).first().waitFor();
      await waitFor(async () => (await logged(hub, site.invitation.ref)).length === 1, 15_000, 'the log at the hub');
      assert.deepEqual((await logged(hub, site.invitation.ref))[0]!.loggers.map((l) => l.member.name), ['Dana Reyes']);
      await page.close();
    });

    it('asks after Send without holding up the send, and logs the email', async () => {
      const page = await site.open(browser, site.reply);
      await sidebar(page).getByRole('article', { name: 'Jane Doe' }).waitFor();
      await site.sendButton(page).click();
      // The site's own handler ran in the same click, uncancelled: the form is gone before Liaison does anything.
      assert.deepEqual(await page.evaluate(() => (window as any).__liaisonSends), [{ defaultPrevented: false }]);
      assert.equal(await site.composeForms(page).count(), 0);
      const card = prompt(page);
      await card.waitFor();
      assert.equal(await card.locator('[data-liaison="prompt-question"]').innerText(), 'Log this email to Acme Corp?');
      await card.getByRole('button', { name: 'Log', exact: true }).click();
      await waitFor(async () => (await interactionFor(hub, site.reply.ref)) != null, 15_000, 'the sent email at the hub');
      assert.equal((await interactionFor(hub, site.reply.ref)).subject, site.reply.replySubject);
      await page.close();
    });

    it('captures who came to the meeting of an invitation and logs one meeting', async () => {
      const page = await site.open(browser, site.invitation);
      const meeting = sidebar(page).getByRole('region', { name: site.invitation.meeting });
      await meeting.locator('[data-liaison="attendee"]').first().waitFor();
      await waitFor(
        async () =>
          JSON.stringify(await meeting.locator('[data-liaison="attendee"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')))) ===
          JSON.stringify(site.invitation.attendees),
        20_000,
        'every invitee listed',
      );
      const jane = meeting.getByRole('group', { name: 'Attendance of Jane Doe' });
      await jane.getByText('Late', { exact: true }).click();
      assert.equal(await jane.getByRole('radio', { name: 'Late' }).isChecked(), true);
      await meeting.getByRole('button', { name: 'Log meeting' }).click();
      await meeting.locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();
      await waitFor(async () => (await interactionFor(hub, site.invitation.meetingRef)) != null, 20_000, 'the meeting at the hub');
      const m = await interactionFor(hub, site.invitation.meetingRef);
      assert.equal(m.kind, 'meeting');
      assert.equal(m.subject, site.invitation.meeting);
      assert.equal(m.attendance.find((a: any) => a.email === 'jane.doe@acme-corp.com').status, 'late');
      assert.equal((await logged(hub, site.invitation.meetingRef)).length, 1, 'one meeting');
      await page.close();
    });

    it('shows the open calendar event’s attendees with their responses beside it, and leaves with it', { skip: site.calendar == null }, async () => {
      const cal = site.calendar!;
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(cal.url);
      const event = page.getByRole('complementary', { name: 'Liaison: meeting attendance' }).getByRole('region', { name: cal.meeting });
      await event.locator('[data-liaison="attendee"]').first().waitFor();
      const rows = await event.locator('[data-liaison="attendee"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
      assert.deepEqual(rows, cal.attendees);
      await event.getByText('RSVP: declined').first().waitFor();
      // Closing the event's card removes everything Liaison added.
      await page.evaluate(() => document.querySelector('[role="dialog"]')?.remove());
      await page.locator('liaison-calendar').waitFor({ state: 'detached' });
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
