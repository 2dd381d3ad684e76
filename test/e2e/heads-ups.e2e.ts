/**
 * Issue 12 end to end, the story: support's news reaches sales where they work. Tom Becker (support, Outlook on the
 * web) raises a heads-up on Jane Doe; it appears on Dana Reyes's open Gmail sidebar (sales) without a reload, beside
 * her reply as soon as she adds Jane — Send still goes through at once — and beside a reply in Outlook; it leaves
 * when Tom closes it and is then an entry of Jane's timeline; a company heads-up shows on a second Acme contact.
 * Two members, two Chromiums, two tokens, one real hub (test/e2e/two-members.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotPath } from './harness.ts';
import { gmail, outlook } from './sites.ts';
import { card, composeCard, headsUp, JANE, MINUTE, RAJ, twoMembers, type TwoMembers } from './two-members.ts';

/**
 * Sales starts a reply in Gmail: an inline reply form with no one in To yet, built like Gmail's (see the fixture
 * 2026-11-inline-reply.html) with DOM calls — the page's Trusted Types policy refuses HTML strings. Plain JavaScript
 * text: functions compiled by tsx carry helper calls that do not exist inside the page.
 */
const START_GMAIL_REPLY = `(() => {
  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  };
  // Styled a little like Gmail's reply box, so that the screenshot shows where the reply is.
  const form = el('form');
  form.append(
    el('div', { name: 'to', style: 'display:flex;gap:6px;align-items:center;min-height:28px;border-bottom:1px solid #e3e3e3' }),
    el('input', { type: 'hidden', name: 'subjectbox', value: 'Re: Renewal terms for 2027' }),
  );
  const compose = el('div', { class: 'M9', style: 'width:620px;margin:16px 8px;padding:10px 14px;border:1px solid #c4c7c5;border-radius:12px;box-shadow:0 1px 3px rgb(0 0 0 / 20%);font:14px system-ui,sans-serif' });
  compose.append(
    form,
    el('div', { class: 'Am Al editable', role: 'textbox', contenteditable: 'true', 'aria-label': 'Message Body', style: 'min-height:90px;padding:8px 0' }, 'Hi Jane, thanks for your time yesterday. About the renewal…'),
    el('div', { class: 'T-I J-J5-Ji aoO v7 T-I-atl L3', role: 'button', tabindex: '1', style: 'display:inline-block;padding:8px 22px;border-radius:18px;background:#0b57d0;color:#fff;font-weight:600;cursor:pointer' }, 'Send'),
  );
  const wrap = el('div', { class: 'ip iq' });
  wrap.append(compose);
  document.querySelector('[role="main"]').append(wrap);
})()`;

/** The user picks a person in To: Gmail adds a chip with the address and the name. */
const addRecipient = (page: Page, email: string, name: string) =>
  page.evaluate(`(() => {
    const chip = document.createElement('div');
    chip.setAttribute('role', 'option');
    chip.setAttribute('data-hovercard-id', ${JSON.stringify(email)});
    chip.setAttribute('data-name', ${JSON.stringify(name)});
    chip.textContent = ${JSON.stringify(name)};
    chip.setAttribute('style', 'padding:2px 10px;border-radius:12px;background:#e8eaed;font-size:13px');
    document.querySelector('div.M9 div[name="to"]').append(chip);
  })()`);

/** Sales goes back to the inbox and opens the renewal thread again, as a person would. */
async function reopen(page: Page) {
  await page.bringToFront();
  await gmail.toList(page);
  await card(page, 'Jane Doe').waitFor({ state: 'detached' });
  await page.evaluate((hash) => (location.hash = hash), `#inbox/${gmail.renewal.ref}`);
  await card(page, 'Jane Doe').getByText('VP Operations').first().waitFor();
}

describe('Heads-ups from support reach sales where they work', () => {
  let m: TwoMembers;
  let salesPage: Page;
  let supportPage: Page;
  before(async () => {
    m = await twoMembers();
  });
  after(async () => {
    await m?.close();
  });

  it('support raises an open service issue on Jane from Outlook; it appears at the top of her card in sales’ open Gmail sidebar without a reload', async () => {
    salesPage = await gmail.open(m.sales, gmail.renewal);
    await card(salesPage, 'Jane Doe').getByText('VP Operations').first().waitFor();
    assert.equal(await card(salesPage, 'Jane Doe').locator('[data-liaison="heads-up"]').count(), 0);

    supportPage = await outlook.open(m.support, outlook.renewal);
    const jane = card(supportPage, 'Jane Doe');
    await jane.getByText('VP Operations').first().waitFor();
    await jane.getByRole('button', { name: 'Raise a heads-up…' }).click();
    const form = jane.getByRole('form', { name: 'Raise a heads-up' });
    await form.getByLabel('Note for colleagues').fill('Ticket 4711: EU outage since Monday, credits promised');
    await form.getByRole('button', { name: 'Raise a heads-up' }).click();
    await jane.getByText('Saved for the team.').waitFor({ timeout: 20_000 });
    await headsUp(supportPage, 'Jane Doe', /Ticket 4711/).waitFor();

    const raisedAt = Date.now();
    await salesPage.bringToFront();
    const seen = headsUp(salesPage, 'Jane Doe', /Ticket 4711/);
    await seen.waitFor({ timeout: MINUTE });
    console.log(`  the heads-up reached sales' open sidebar after ${Math.round((Date.now() - raisedAt) / 1000)} s`);
    assert.match(await seen.innerText(), /Support: open service issue/);
    assert.match(await seen.innerText(), /Raised by Tom Becker/);
    // At the top of her card: before her title, company and history.
    assert.ok(
      await card(salesPage, 'Jane Doe').evaluate((el) => {
        const flags = el.querySelector('[data-liaison="flags"]');
        const meta = el.querySelector('.person__meta');
        return !!flags && !!meta && (flags.compareDocumentPosition(meta) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      }),
      'the heads-up leads the card',
    );
    await salesPage.screenshot({ path: screenshotPath('gmail-heads-up-sidebar.png') });
  });

  it('shows it beside sales’ reply as soon as Jane is added, and Send still goes through at once', async () => {
    await salesPage.evaluate(START_GMAIL_REPLY);
    assert.equal(await composeCard(salesPage).count(), 0, 'nothing before anyone is in To');
    await addRecipient(salesPage, JANE, 'Jane Doe');
    const beside = composeCard(salesPage);
    await beside.waitFor({ timeout: 5_000 });
    assert.match(await beside.innerText(), /Heads-up before you write/);
    assert.match(await beside.innerText(), /To Jane Doe/);
    assert.match(await beside.innerText(), /Ticket 4711/);
    assert.match(await beside.innerText(), /Raised by Tom Becker/);
    assert.match(await salesPage.locator('liaison-compose [data-liaison="compose-live"]').innerText(), /^Heads-up for Jane Doe: open service issue, raised by Tom Becker \(Support\)/);
    // Beside the window, never over the text being written.
    const [cardBox, formBox] = [await beside.boundingBox(), await salesPage.locator('div.M9').boundingBox()];
    assert.ok(cardBox && formBox);
    const overlaps = cardBox.x < formBox.x + formBox.width && formBox.x < cardBox.x + cardBox.width && cardBox.y < formBox.y + formBox.height && formBox.y < cardBox.y + cardBox.height;
    assert.equal(overlaps, false, 'the card does not cover the compose form');
    await salesPage.screenshot({ path: screenshotPath('gmail-heads-up-compose.png') });

    await salesPage.locator('div.M9 div.aoO[role="button"]').click();
    assert.deepEqual(await salesPage.evaluate(() => (window as any).__liaisonSends), [{ defaultPrevented: false }]);
    assert.equal(await salesPage.locator('div.M9').count(), 0, 'the form went at once, as Gmail takes it');
    await beside.waitFor({ state: 'detached' });
  });

  it('shows it beside a reply in Outlook too', async () => {
    const page = await outlook.open(m.support, outlook.reply);
    const beside = composeCard(page);
    await beside.waitFor({ timeout: 20_000 });
    assert.match(await beside.innerText(), /To Jane Doe/);
    assert.match(await beside.innerText(), /Ticket 4711/);
    await page.close();
  });

  it('support closes it: it leaves sales’ card as soon as sales opens the conversation again, and is on the timeline with its resolution', async () => {
    await supportPage.bringToFront();
    const jane = card(supportPage, 'Jane Doe');
    await jane.getByRole('button', { name: /^Close heads-up: open service issue/ }).click();
    const form = jane.getByRole('form', { name: 'Close heads-up' });
    await form.getByLabel('What resolved it').fill('Fixed in release 4.2');
    await form.getByRole('button', { name: 'Close heads-up' }).click();
    await headsUp(supportPage, 'Jane Doe', /Ticket 4711/).waitFor({ state: 'detached', timeout: 20_000 });

    // The live update within a minute is the first test's; here, the next conversation opened asks the hub at once.
    await reopen(salesPage);
    await headsUp(salesPage, 'Jane Doe', /Ticket 4711/).waitFor({ state: 'detached', timeout: 20_000 });
    const entry = card(salesPage, 'Jane Doe').locator('[data-liaison="timeline-heads-up"]').filter({ hasText: /Ticket 4711/ });
    await entry.waitFor({ timeout: 20_000 });
    assert.match(await entry.innerText(), /Heads-up closed: open service issue/);
    assert.match(await entry.innerText(), /Resolved: Fixed in release 4\.2/);
    assert.match(await entry.innerText(), /Raised by Tom Becker, closed by Tom Becker/);
    const closed = (await m.timeline(m.janeId)).endedFlags.filter((f) => f.note?.startsWith('Ticket 4711'));
    assert.equal(closed.length, 1);
    assert.equal(closed[0].resolution, 'Fixed in release 4.2');
  });

  it('a company heads-up raised on Jane shows on a second Acme contact, Raj Patel, when sales next opens the conversation', async () => {
    await supportPage.bringToFront();
    const jane = card(supportPage, 'Jane Doe');
    await jane.getByRole('button', { name: 'Raise a heads-up…' }).click();
    const form = jane.getByRole('form', { name: 'Raise a heads-up' });
    await form.getByLabel('Kind').selectOption('churn-risk');
    await form.getByRole('radio', { name: 'Everyone at Acme Corp' }).check();
    await form.getByLabel('Note for colleagues').fill('Acme is reviewing vendors after the outage');
    await form.getByRole('button', { name: 'Raise a heads-up' }).click();
    await headsUp(supportPage, 'Raj Patel', /reviewing vendors/).waitFor({ timeout: 20_000 });

    await reopen(salesPage);
    const raj = headsUp(salesPage, 'Raj Patel', /reviewing vendors/);
    await raj.waitFor({ timeout: 20_000 });
    assert.match(await raj.innerText(), /Everyone at Acme Corp/);
    assert.match(await raj.innerText(), /Support: churn risk/);
    const flags = (await m.contactOf(RAJ)).openFlags.filter((f: any) => f.scope === 'company');
    assert.equal(flags.length, 1);
  });

});
