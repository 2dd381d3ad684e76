/**
 * Issue 5 end to end: a Gmail thread carrying a Google Calendar invitation, in real Chromium with the built
 * extension, against a real hub process on the demo team. The .ics attachment is served at its Gmail URL, so
 * the content script fetches it from the page's own origin as it would in Gmail. A teammate, in a browser of
 * their own, logs the same meeting: the hub still holds one meeting, with the attendance they corrected.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { GMAIL_HEADERS } from './gmail-shell.ts';
import { launchBrowser, screenshotPath, startHub, type Browser, type Hub } from './harness.ts';

const THREAD = '18f3a1b2c3d4eb00'; // test/fixtures/gmail/2026-11-thread-invitation.html
/** Gmail thread ids are per mailbox: the teammate's copy of the same invitation mail has its own. */
const KIM_THREAD = '18f3a1b2c3d4ed00';
const UID = '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com';
const ICS = readFileSync(path.resolve('test/fixtures/gmail/2026-11-invitation.ics'), 'utf8');

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });
const meeting = (page: Page) => sidebar(page).getByRole('region', { name: 'Acme onboarding kickoff' });
const group = (page: Page, name: string) => meeting(page).getByRole('group', { name: `Attendance of ${name}` });

async function waitFor(check: () => Promise<boolean>, ms = 20_000, what = 'condition') {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A browser as a member uses it: the extension configured through its options page with their token. */
async function browserFor(hub: Hub, token: string, extraViews?: Record<string, string>): Promise<Browser> {
  const browser = await launchBrowser({ extraViews });
  // Gmail's attachment download URL (`view=att`) answers the invitation's .ics; registered after the harness's
  // catch-all route for mail.google.com, so it takes precedence for these URLs only.
  await browser.context.route(
    (url) => url.hostname === 'mail.google.com' && url.searchParams.get('view') === 'att',
    (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/calendar; charset=utf-8' }, body: ICS }),
  );
  const page = await browser.optionsPage();
  await page.getByLabel('Hub URL').fill(hub.url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  await page.close();
  return browser;
}

async function theMeeting(hub: Hub) {
  const logged = await hub.api('POST', '/v1/interactions/logged', { refs: [UID] });
  if (logged.results.length === 0) return null;
  return hub.api('GET', `/v1/interactions/${logged.results[0].interactionId}`);
}

const statuses = (interaction: any) =>
  Object.fromEntries(interaction.attendance.map((a: any) => [a.email, [a.status, a.rsvp]]));

describe('attendance capture from a Gmail invitation against a real hub', () => {
  let hub: Hub;
  let browser: Browser | null = null;
  before(async () => {
    hub = await startHub();
  });
  after(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('lists everyone with their RSVP, captures attendance with clicks and keys, and logs one meeting', async () => {
    browser = await browserFor(hub, hub.token);
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    // The RSVPs come from the .ics, fetched by the content script and parsed by the background.
    await meeting(page).getByText('RSVP: declined').waitFor();
    const rows = await meeting(page).locator('[data-liaison="attendee"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
    assert.deepEqual(rows, ['jane.doe@acme-corp.com', 'dana@northwind-demo.com', 'raj.patel@acme-corp.com', 'ana@northwind-demo.com']);
    // Defaults from the RSVP: accepted → attended, declined → excused, no reply → nothing chosen.
    assert.equal(await group(page, 'Jane Doe').getByRole('radio', { name: 'Attended' }).isChecked(), true);
    assert.equal(await group(page, 'Raj Patel').getByRole('radio', { name: 'Excused' }).isChecked(), true);
    assert.equal(await group(page, 'Ana Costa').getByRole('radio', { checked: true }).count(), 0);

    // Keyboard: Tab into Ana's group, arrow to the next option; a click for Jane, who came late.
    await group(page, 'Ana Costa').getByRole('radio', { name: 'Attended' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    assert.equal(await group(page, 'Ana Costa').getByRole('radio', { name: 'No-show' }).isChecked(), true);
    await group(page, 'Jane Doe').getByText('Late', { exact: true }).click();
    assert.equal(await group(page, 'Jane Doe').getByRole('radio', { name: 'Late' }).isChecked(), true);
    await meeting(page).getByText('2 of 4 attended').waitFor();

    await page.screenshot({ path: screenshotPath('gmail-attendance.png') });
    await meeting(page).getByRole('button', { name: 'Log meeting' }).click();
    await meeting(page).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();
    // Once the hub has it, Jane's timeline shows the meeting with who came (late counts as came).
    await sidebar(page).getByRole('article', { name: 'Jane Doe' }).locator('[data-liaison="timeline-attendance"]').filter({ hasText: '2 of 4 attended' }).waitFor();

    await waitFor(async () => (await theMeeting(hub)) != null, 20_000, 'the meeting at the hub');
    const logged = await theMeeting(hub);
    assert.equal(logged.kind, 'meeting');
    assert.equal(logged.subject, 'Acme onboarding kickoff');
    assert.equal(logged.occurredAt, '2026-11-19T14:00:00.000Z');
    assert.equal(logged.endsAt, '2026-11-19T15:00:00.000Z');
    assert.equal(logged.icalUid, UID);
    assert.deepEqual(statuses(logged), {
      'jane.doe@acme-corp.com': ['late', 'accepted'],
      'dana@northwind-demo.com': ['attended', 'accepted'],
      'raj.patel@acme-corp.com': ['excused', 'declined'],
      'ana@northwind-demo.com': ['no-show', 'needs-action'],
    });
    // Linked to the contact and the colleague the hub knows.
    const jane = logged.attendance.find((a: any) => a.email === 'jane.doe@acme-corp.com');
    const ana = logged.attendance.find((a: any) => a.email === 'ana@northwind-demo.com');
    assert.ok(jane.contactId, 'Jane is linked to her contact');
    assert.ok(ana.memberId, 'Ana is linked to her member');

    // Ana did join after all: a correction changes her, and only her, in the same meeting.
    await meeting(page).getByRole('button', { name: 'Correct attendance' }).click();
    await group(page, 'Ana Costa').getByText('Late', { exact: true }).click();
    await meeting(page).getByRole('button', { name: 'Save corrections' }).click();
    await meeting(page).getByText('Attendance updated.').waitFor();
    await waitFor(async () => statuses(await theMeeting(hub))['ana@northwind-demo.com']?.[0] === 'late', 20_000, 'the correction at the hub');
    const corrected = await theMeeting(hub);
    assert.equal(corrected.id, logged.id, 'still the same meeting');
    assert.deepEqual(statuses(corrected), {
      'jane.doe@acme-corp.com': ['late', 'accepted'],
      'dana@northwind-demo.com': ['attended', 'accepted'],
      'raj.patel@acme-corp.com': ['excused', 'declined'],
      'ana@northwind-demo.com': ['late', 'needs-action'],
    });
    await page.close();
    await browser.close();
    browser = null;
  });

  it('a teammate logging the same meeting from their own browser updates it: still one meeting', async () => {
    const created = await hub.api('POST', '/v1/members', { name: 'Kim Park', email: 'kim@northwind-demo.com', department: 'it' });
    assert.match(created.token, /^lia_/);
    const first = await theMeeting(hub);
    // Kim's own mailbox: the same invitation mail under her thread id, signed in as her.
    const kimsCopy = readFileSync(path.resolve('test/fixtures/gmail/2026-11-thread-invitation.html'), 'utf8')
      .replaceAll(THREAD, KIM_THREAD)
      .replace(' - dana@northwind-demo.com - Gmail', ' - kim@northwind-demo.com - Gmail')
      .replace('Dana Reyes (dana@northwind-demo.com)', 'Kim Park (kim@northwind-demo.com)');
    browser = await browserFor(hub, created.token, { [KIM_THREAD]: kimsCopy });
    const page = await browser.openGmail(`#inbox/${KIM_THREAD}`);
    await meeting(page).getByText('RSVP: declined').waitFor();
    await meeting(page).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by Dana Reyes/ }).waitFor();
    // Kim saw Ana join late after all, and Raj came despite declining.
    await group(page, 'Ana Costa').getByText('Late', { exact: true }).click();
    await group(page, 'Raj Patel').getByText('Attended', { exact: true }).click();
    await meeting(page).getByRole('button', { name: 'Log meeting' }).click();
    await meeting(page).locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();

    await waitFor(async () => (await theMeeting(hub))?.loggers.length === 2, 20_000, 'the teammate’s log at the hub');
    const merged = await theMeeting(hub);
    assert.equal(merged.id, first.id, 'the same meeting');
    assert.deepEqual(merged.loggers.map((l: any) => l.member.name), ['Dana Reyes', 'Kim Park']);
    assert.equal(statuses(merged)['ana@northwind-demo.com'][0], 'late');
    assert.equal(statuses(merged)['raj.patel@acme-corp.com'][0], 'attended');
    // One meeting on Jane's timeline, not two.
    const lookup = await hub.api('POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] });
    const timeline = await hub.api('GET', `/v1/contacts/${lookup.results[0].contact.id}/timeline?limit=100`);
    assert.equal(timeline.items.filter((i: any) => i.icalUid === UID).length, 1);
    await page.close();
  });

  it('Google Calendar: the event bubble shows the same meeting, known by its UID, and the panel leaves with the bubble', async () => {
    assert.ok(browser, 'the teammate’s browser is still open');
    const calendar = readFileSync(path.resolve('test/fixtures/gcal/2026-11-event-dialog.html'), 'utf8');
    const bubble = /<div class="RDlrG"[\s\S]*?<\/div>\n(?=<\/body>)/.exec(calendar)![0];
    // The week without the bubble; the bubble waits in a <template>, as Calendar opens it on a click. Served under
    // the same Trusted Types policy as Gmail: an HTML sink in our code would throw.
    const page = calendar.replace(bubble, `<template id="bubble">${bubble}</template>`);
    await browser.context.route(
      (url) => url.hostname === 'calendar.google.com',
      (route) => route.fulfill({ status: 200, headers: GMAIL_HEADERS, body: page }),
    );
    const tab = await browser.context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto('https://calendar.google.com/calendar/u/0/r/week/2026/11/19');
    const panel = tab.getByRole('complementary', { name: 'Liaison: meeting attendance' });
    await tab.evaluate(() => {
      const template = document.getElementById('bubble') as HTMLTemplateElement;
      document.body.append(template.content.cloneNode(true));
    });
    const event = panel.getByRole('region', { name: 'Acme onboarding kickoff' });
    // Kim logged this meeting from Gmail: Calendar knows it by the same UID, so it says so instead of asking again.
    await event.locator('[data-liaison="log-status"]').filter({ hasText: /Logged by you/ }).waitFor();
    const rows = await event.locator('[data-liaison="attendee"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
    assert.deepEqual(rows, ['jane.doe@acme-corp.com', 'dana@northwind-demo.com', 'raj.patel@acme-corp.com', 'ana@northwind-demo.com']);
    // Closing the bubble removes everything Liaison added.
    await tab.evaluate(() => document.querySelector('[role="dialog"]')?.remove());
    await tab.locator('liaison-calendar').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await tab.close();
  });
});
