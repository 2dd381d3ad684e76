/**
 * Issue 11 end to end ("field hardening"), in one browser against one real hub, in the order a newcomer meets it:
 * what `npm start` prints; Gmail before Liaison is connected (one line and a Connect… button, no endless
 * "Loading…", colleagues not shown as customers); connecting with Test connection alone; then a thread whose
 * sender chose hostile names (right-to-left override, 300 unbroken characters, markup, a look-alike address),
 * with the hub's own records about that sender just as hostile — every piece isolated, nothing widening a panel.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startHub, waitFor, type Browser, type Hub } from './harness.ts';

const THREAD = '18f3a1b2c3d4e5f6'; // Jane Doe and Raj Patel of Acme, with Sam Lee (colleague)
const HOSTILE = '18f3a1b2c3d4ea00'; // test/fixtures/gmail/2026-11-thread-hostile.html
const RLO_NAME = '\u202Egnp.exe'; // the sender's display name in the hostile fixture
const EVIL_MEMBER = '\u202EMallory from support';
const EVIL_COMPANY = '<script>alert(1)</script> Evil Example';
const LONG_TITLE = 'W'.repeat(200);

const messages = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>;
const NOT_CONNECTED = messages.sidebar_not_connected!.message;
const CONNECT = messages.sidebar_connect!.message;
const TEST = messages.options_test!.message;

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });
const people = (page: Page) =>
  sidebar(page).locator('[data-liaison="person"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));

/** Text nodes holding `text` inside `root`, each with whether it sits in a bidi isolate that holds none of `words`. */
function isolation(page: Page, rootSelector: string, text: string, words: string[]) {
  return page.evaluate(
    ({ rootSelector, text, words }) => {
      const host = document.querySelector('liaison-sidebar')?.shadowRoot ?? document;
      const roots = Array.from(host.querySelectorAll(rootSelector));
      const found: { isolated: boolean; wordsOutside: boolean; overflow: boolean }[] = [];
      for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!(n as Text).data.includes(text)) continue;
          const isolate = n.parentElement?.closest('bdi, [dir="auto"]');
          found.push({
            isolated: isolate != null,
            wordsOutside: isolate != null && words.every((w) => !isolate.textContent!.includes(w) && root.textContent!.includes(w)),
            overflow: (root as HTMLElement).scrollWidth > (root as HTMLElement).clientWidth + 1,
          });
        }
      }
      return found;
    },
    { rootSelector, text, words },
  );
}

describe('Field hardening (issue 11) against a real hub', () => {
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

  it('npm start prints the steps in the screens’ own words', () => {
    const out = hub.output;
    for (const words of [NOT_CONNECTED, CONNECT, TEST, 'Signed in as Dana Reyes (Sales) · Northwind Demo', hub.url.replace('127.0.0.1', 'localhost')]) {
      assert.ok(out.replace(/\s+/g, ' ').includes(words), `npm start mentions ${JSON.stringify(words)}:\n${out}`);
    }
    assert.doesNotMatch(out, /\bSave\b/, 'no separate Save step');
    // The README's "Try it" quotes the same lines.
    const readme = readFileSync('README.md', 'utf8').replace(/\s+/g, ' ');
    for (const line of out.split('\n').filter((l) => /^(Extension|Connect|\s{13})/.test(l) && !l.includes('/'))) {
      assert.ok(readme.includes(line.trim().replace(/\s+/g, ' ')), `README quotes: ${line.trim()}`);
    }
  });

  it('a newcomer: Gmail says "not connected" in one line, Connect… opens the options, Test connection alone connects', async () => {
    const page = await browser.openGmail(`#inbox/${THREAD}`);
    const bar = sidebar(page);
    const line = bar.locator('[data-liaison="not-connected"]');
    await line.getByText(NOT_CONNECTED).waitFor();
    assert.equal(await bar.getByText(/^Offline/).count(), 0, 'not an "offline" notice');
    // Nothing keeps saying "Loading…" for a hub that is not there.
    await waitFor(async () => (await bar.getByText('Loading…').count()) === 0, 10_000, 'no "Loading…" left');
    // Sam Lee shares Dana's domain: a colleague, not a customer, even before the hub has said so.
    assert.deepEqual((await people(page)).sort(), ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com']);
    await page.screenshot({ path: screenshotPath('gmail-not-connected.png') });

    const opened = browser.context.waitForEvent('page');
    await line.getByRole('button', { name: CONNECT }).click();
    const options = await opened;
    await options.waitForLoadState();
    assert.equal(new URL(options.url()).pathname, '/options.html');
    await options.getByLabel('Hub URL').fill(hub.url);
    await options.getByLabel('Access token').fill(hub.token);
    await options.getByRole('button', { name: TEST }).click();
    await options.getByText('Signed in as Dana Reyes (Sales) · Northwind Demo').waitFor();
    await options.getByText(messages.options_test_saved!.message).waitFor();
    await options.screenshot({ path: screenshotPath('options-connected.png') });
    await options.close();

    // No Save pressed: the open Gmail tab turns to the team's history by itself.
    await bar.getByRole('article', { name: 'Jane Doe' }).getByText('VP Operations').first().waitFor({ timeout: 20_000 });
    assert.equal(await line.count(), 0);
    await page.reload();
    await sidebar(page).getByRole('article', { name: 'Jane Doe' }).locator('[data-liaison="timeline"] li').first().waitFor();
    await page.close();
  });

  it('hostile names stay in their lane: isolated in every sentence, wrapped, never doubled by a look-alike address', async () => {
    // The hub's side of the story, as hostile as the page's: a member and a contact named by an attacker.
    const member = await hub.api('POST', '/v1/members', { name: EVIL_MEMBER, email: 'mallory.support@northwind-demo.com', department: 'support' });
    assert.match(member.token ?? '', /^lia_/, JSON.stringify(member));
    const created = await hub.api('POST', '/v1/contacts', { name: RLO_NAME, title: LONG_TITLE, company: EVIL_COMPANY, emails: ['mallory@evil-example.com'], ownerId: member.member.id });
    assert.ok(created.id, JSON.stringify(created));
    await hub.api('POST', `/v1/contacts/${created.id}/flags`, { kind: 'open-service-issue', note: `${RLO_NAME} says the invoice is wrong` }, member.token);
    const logged = await hub.api(
      'POST',
      '/v1/interactions',
      { kind: 'email', occurredAt: new Date(Date.now() - 86_400_000).toISOString(), subject: `${RLO_NAME} invoice`, sourceSite: 'gmail', sourceRef: 'evil-earlier', participants: [{ email: 'mallory@evil-example.com' }] },
      member.token,
      { 'idempotency-key': 'e2e-hostile-earlier-0001' },
    );
    assert.ok(logged.interaction?.id, JSON.stringify(logged));

    const page = await browser.openGmail(`#inbox/${HOSTILE}`);
    const bar = sidebar(page);
    const card = bar.locator('[data-liaison="person"][data-email="mallory@evil-example.com"]');
    await card.locator('.last-touch').waitFor();
    await card.locator('[data-liaison="timeline"] li').first().waitFor();
    // The look-alike recipient (zero-width space, right-to-left mark) is the same person: one card.
    assert.deepEqual((await people(page)).sort(), ['long@evil-example.com', 'mallory@evil-example.com']);

    for (const [selector, text, words] of [
      ['.person__name', RLO_NAME, []],
      ['.last-touch', EVIL_MEMBER, ['Last touch:', ' by ', ' · ']],
      ['.person__owner', EVIL_MEMBER, ['Owner:']],
      ['.flag', RLO_NAME, ['Support:']],
      ['.person__meta', EVIL_COMPANY, ['mallory@evil-example.com']],
      ['.timeline__by', EVIL_MEMBER, ['Logged by ', ' · ']],
      ['.timeline__subject', RLO_NAME, []],
    ] as const) {
      const found = await isolation(page, selector, text, [...words]);
      assert.ok(found.length > 0, `${selector} shows the hostile text`);
      for (const f of found) {
        assert.ok(f.isolated, `${selector}: isolated`);
        assert.ok(f.wordsOutside, `${selector}: the sentence's words stay outside the isolate`);
      }
    }
    // Nothing widens the panel: the 200-character title and 300-character name wrap.
    const widths = await page.evaluate(() => {
      const body = document.querySelector('liaison-sidebar')!.shadowRoot!.querySelector('.sidebar__body') as HTMLElement;
      return { scroll: body.scrollWidth, client: body.clientWidth, scripts: body.querySelectorAll('script, img').length };
    });
    assert.ok(widths.scroll <= widths.client + 1, `the sidebar does not scroll sideways (${widths.scroll} > ${widths.client})`);
    assert.equal(widths.scripts, 0, 'markup stays text');
    await page.screenshot({ path: screenshotPath('gmail-hostile-names.png') });

    // Leaving it: the prompt words the hostile name in its own isolate, and "Not now" puts it on the popup's list.
    await page.evaluate(() => (location.hash = '#inbox'));
    const prompt = page.getByRole('region', { name: 'Liaison: log this conversation?' });
    await prompt.waitFor({ timeout: 20_000 });
    const question = await page.evaluate(() => {
      const q = Array.from(document.querySelectorAll('*'))
        .map((h) => h.shadowRoot?.querySelector('[data-liaison="prompt-question"]'))
        .find((x) => x != null)!;
      return { text: q.textContent, isolates: Array.from(q.querySelectorAll('bdi')).map((b) => b.textContent) };
    });
    assert.ok(question.isolates.includes(RLO_NAME), JSON.stringify(question));
    assert.match(question.text ?? '', /^Log your conversation with .* and 1 more\?$/s);
    await page.screenshot({ path: screenshotPath('gmail-hostile-prompt.png') });
    await prompt.getByRole('button', { name: 'Not now' }).click();

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 700 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const item = popup.locator('[data-liaison="unlogged"] li').first();
    await item.waitFor();
    assert.ok((await item.locator('bdi').allTextContents()).includes(RLO_NAME));
    const overflow = await popup.evaluate(() => ({ scroll: document.body.scrollWidth, client: document.body.clientWidth }));
    assert.ok(overflow.scroll <= overflow.client + 1, `the popup does not scroll sideways (${overflow.scroll} > ${overflow.client})`);
    await popup.screenshot({ path: screenshotPath('popup-hostile-names.png') });
    await popup.close();
    await page.close();
  });
});
