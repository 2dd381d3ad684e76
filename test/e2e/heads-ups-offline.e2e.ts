/**
 * Issue 12 end to end, acting on a contact with two members on one hub (test/e2e/two-members.ts): a task Dana Reyes
 * (sales, Gmail) adds with a due date shows in her popup and is completed from the sidebar; and with the hub stopped
 * in the middle, a task, a call and Tom Becker's closing of a company heads-up (support, Outlook) are queued, survive
 * both service workers being killed, and arrive exactly once when the hub is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from './harness.ts';
import { gmail, outlook } from './sites.ts';
import { card, RAJ, twoMembers, MINUTE, type TwoMembers } from './two-members.ts';

describe('Tasks, calls and heads-ups through the outbox, with two members', () => {
  let m: TwoMembers;
  let salesPage: Page;
  let supportPage: Page;
  before(async () => {
    m = await twoMembers();
    // A company heads-up support will close while the hub is away.
    const acme = (await m.contactOf(RAJ)).company.id;
    await m.hub.api('POST', `/v1/companies/${acme}/flags`, { kind: 'churn-risk', note: 'Acme is reviewing vendors' }, m.supportToken);
    salesPage = await gmail.open(m.sales, gmail.renewal);
    supportPage = await outlook.open(m.support, outlook.renewal);
    await card(salesPage, 'Jane Doe').getByText('VP Operations').first().waitFor();
    await card(supportPage, 'Raj Patel').locator('[data-liaison="heads-up"]').first().waitFor();
  });
  after(async () => {
    await m?.close();
  });

  it('a task sales adds with a due date shows in the popup and is completed from the sidebar', async () => {
    await salesPage.bringToFront();
    const jane = card(salesPage, 'Jane Doe');
    await jane.getByRole('button', { name: 'Add a task…' }).click();
    const form = jane.getByRole('form', { name: 'Add a follow-up task' });
    await form.getByLabel('Task').fill('Call Jane about the outage credits');
    const due = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Due (optional)').fill(due);
    await form.getByRole('button', { name: 'Add task' }).click();
    const row = jane.locator('[data-liaison="task"]').filter({ hasText: 'Call Jane about the outage credits' });
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), /due .* · for Dana Reyes/);

    const popup = await m.sales.context.newPage();
    await popup.goto(`chrome-extension://${m.sales.extensionId}/popup.html`);
    const mine = popup.locator('[data-liaison="my-tasks"] li').filter({ hasText: 'Call Jane about the outage credits' });
    await mine.waitFor({ timeout: 15_000 });
    assert.match(await mine.innerText(), /Jane Doe/);
    await popup.close();

    await salesPage.bringToFront();
    await row.getByRole('button', { name: 'Complete: Call Jane about the outage credits' }).click();
    await row.waitFor({ state: 'detached' });
    await waitFor(async () => (await m.tasksTitled('Call Jane about the outage credits'))[0]?.doneAt != null, 20_000, 'the task done at the hub');
    assert.equal((await m.tasksTitled('Call Jane about the outage credits')).length, 1);
  });

  it('with the hub stopped in the middle, every change is queued, survives killed workers, and arrives exactly once', async () => {
    const companyFlag = (await m.contactOf(RAJ)).openFlags.find((f: any) => f.scope === 'company');
    assert.ok(companyFlag, 'the company heads-up raised for this test');
    await m.hub.stop();

    // Sales: a task and a call; support: closes the company heads-up. The hub is away for all three.
    await salesPage.bringToFront();
    const jane = card(salesPage, 'Jane Doe');
    await jane.getByRole('button', { name: 'Add a task…' }).click();
    let form = jane.getByRole('form', { name: 'Add a follow-up task' });
    await form.getByLabel('Task').fill('Send Jane the credit note');
    await form.getByLabel('Due (optional)').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await form.getByRole('button', { name: 'Add task' }).click();
    await jane.locator('[data-liaison="act-status"]').filter({ hasText: /^Queued — will send when the hub is reachable/ }).waitFor({ timeout: 20_000 });
    await jane.getByRole('button', { name: 'Log a call…' }).click();
    form = jane.getByRole('form', { name: 'Log a call' });
    await form.getByLabel('Note').fill('Promised the credit note by Friday');
    await form.getByLabel('Outcome').selectOption('positive');
    await form.getByRole('button', { name: 'Log call' }).click();
    await form.waitFor({ state: 'detached' });

    await supportPage.bringToFront();
    const raj = card(supportPage, 'Raj Patel');
    await raj.getByRole('button', { name: /^Close heads-up: churn risk/ }).click();
    const close = raj.getByRole('form', { name: 'Close heads-up' });
    await close.getByLabel('What resolved it').fill('Renewal signed');
    await close.getByRole('button', { name: 'Close heads-up' }).click();
    await raj.locator('[data-liaison="act-status"]').filter({ hasText: /^Queued/ }).waitFor({ timeout: 20_000 });

    // The popups say what waits.
    for (const [browser, label] of [[m.sales, /Task · Send Jane the credit note/], [m.sales, /^Call · Jane Doe$/], [m.support, /Close heads-up \(Raj Patel\)/]] as const) {
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
      await popup.locator('[data-liaison="outbox"] li .label').filter({ hasText: label }).waitFor({ timeout: 15_000 });
      await popup.close();
    }
    // Both service workers die while the changes wait: they are in IndexedDB, not in memory.
    await m.sales.killServiceWorker();
    await m.support.killServiceWorker();
    await m.hub.start();
    await salesPage.bringToFront();

    const calls = async () => (await m.timeline(m.janeId)).items.filter((i) => i.kind === 'call' && i.summary === 'Promised the credit note by Friday');
    await waitFor(async () => (await m.tasksTitled('Send Jane the credit note')).length > 0, 120_000, 'the queued task at the hub');
    await waitFor(async () => (await calls()).length > 0, 120_000, 'the queued call at the hub');
    await waitFor(async () => !(await m.contactOf(RAJ)).openFlags.some((f: any) => f.id === companyFlag.id), 120_000, 'the queued close at the hub');
    // Give any duplicate a moment to show up, then count.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal((await m.tasksTitled('Send Jane the credit note')).length, 1, 'one task');
    const [call] = await calls();
    assert.equal((await calls()).length, 1, 'one call');
    assert.equal(call.outcome, 'positive');
    assert.deepEqual(call.loggers.map((l: any) => l.member.name), ['Dana Reyes']);
    const ended = (await m.timeline(m.janeId)).endedFlags.filter((f) => f.id === companyFlag.id);
    assert.equal(ended.length, 1);
    assert.equal(ended[0].resolution, 'Renewal signed');
    assert.equal(ended[0].closedBy.name, 'Tom Becker');
    // And sales' open sidebar catches up by itself.
    await card(salesPage, 'Jane Doe').locator('[data-liaison="task"]').filter({ hasText: 'Send Jane the credit note' }).waitFor({ timeout: MINUTE });
  });
});
