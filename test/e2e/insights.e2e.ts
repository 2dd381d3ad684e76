/**
 * Issue 14 end to end: a leader (Lee Morgan, leadership) signs in to the web app of a real hub process (`start`,
 * on embedded PostgreSQL, with the demo team) in real Chromium and finds what the insights are for: the two IT
 * colleagues who keep skipping the weekly implementation meeting, the customer a salesperson mailed despite an open
 * service issue, and a colleague's adoption trend; a view's filters travel in its URL; a table's CSV export holds
 * what the table shows; customer search forgives a typo. No page breaks the web app's Content-Security-Policy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startHub, type Browser, type Hub } from './harness.ts';

/** The cells of a table as a person reads them (a row's "Repeat no-show" badge is not a cell of its own). */
async function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.locator(`#table-${id}`).evaluate((table) =>
    [...table.querySelectorAll('thead tr, tbody tr')].map((tr) =>
      [...tr.children].map((cell) => {
        const copy = cell.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.badge').forEach((b) => b.remove());
        return (copy.textContent ?? '').trim();
      }),
    ),
  );
}

describe('web app: team insights for a leader', () => {
  let hub: Hub;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('signs in a leader with an invite link', async () => {
    const invite = await hub.api('POST', '/v1/invites', { name: 'Lee Morgan', email: 'lee@northwind-demo.com', department: 'leadership' });
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(invite.url);
    await page.getByRole('button', { name: 'Continue as Lee Morgan' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Meetings' }).waitFor();
  });

  it('finds the IT colleagues who skip the weekly implementation meeting', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Meetings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meetings and attendance' }).waitFor();
    await page.getByLabel('Department').selectOption('it');
    await page.waitForURL(/department=it/);
    const people = page.locator('#table-attendance-members');
    await people.getByRole('rowheader', { name: /Ben Okafor/ }).waitFor();
    for (const name of ['Ana Costa', 'Ben Okafor']) {
      const row = people.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(name) }) });
      assert.match((await row.textContent()) ?? '', /Repeat no-show/, `${name} is marked as a repeat no-show`);
    }
    assert.match((await page.locator('[data-liaison="repeat-no-shows"]').textContent()) ?? '', /Ana Costa.*Ben Okafor|Ben Okafor.*Ana Costa/);
    const meeting = page.locator('#table-meetings').getByRole('row').filter({ hasText: 'Weekly implementation check-in — Initech' }).first();
    const missing = (await meeting.locator('td').nth(3).textContent()) ?? '';
    assert.match(missing, /Ana Costa \(No-show\)/);
    assert.match(missing, /Ben Okafor \(No-show\)/);
    await page.screenshot({ path: screenshotPath('insights-meetings.png'), fullPage: true });

    // The view travels in its URL: opened afresh, it shows the same filter and rows.
    const shared = await browser.context.newPage();
    await shared.goto(page.url());
    assert.equal(await shared.getByLabel('Department').inputValue(), 'it');
    await shared.locator('#table-attendance-members').getByRole('rowheader', { name: /Ana Costa/ }).waitFor();
    await shared.close();
  });

  it('exports a table as CSV holding what the table shows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-liaison="csv-attendance-members"]').click()]);
    assert.equal(download.suggestedFilename(), 'liaison-attendance-by-member.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = parse(csv, { bom: true }) as string[][];
    assert.deepEqual(rows, await tableCells(page, 'attendance-members'));
    assert.ok(rows.length >= 3);
  });

  it('finds the customer a salesperson mailed despite an open service issue', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Needs attention' }).click();
    await page.getByRole('heading', { level: 1, name: 'Needs attention' }).waitFor();
    const table = page.locator('#table-despite');
    const row = table.getByRole('row').filter({ hasText: 'Quick question about next quarter’s order' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Open service issue/);
    assert.match(text, /Sam Lee \(Sales\)/);
    for (const other of await table.getByRole('row').filter({ hasText: 'Open service issue' }).allTextContents()) {
      assert.doesNotMatch(other, /\(Support\)/, 'support working an open service issue is not a warning');
    }
    await page.screenshot({ path: screenshotPath('insights-attention.png'), fullPage: true });
  });

  it("shows a colleague's adoption trend", async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Adoption' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adoption' }).waitFor();
    await page.locator('#table-adoption-members').getByRole('link', { name: 'Sam Lee' }).click();
    await page.waitForURL(/member=\d+/);
    await page.getByRole('heading', { name: /Logged versus seen/ }).waitFor();
    const headline = (await page.locator('[data-liaison="adoption-headline"]').textContent()) ?? '';
    assert.match(headline, /trend \+\d+(\.\d)? points a week/);
    await page.locator('#table-adoption-weeks caption', { hasText: 'By week: Sam Lee' }).waitFor();
    // Sam's share logged rises: the last weeks are above the first ones.
    const shares = (await tableCells(page, 'adoption-weeks')).slice(1).map((r) => Number(r[3]!.replace('%', ''))).filter((n) => !Number.isNaN(n));
    assert.ok(shares.slice(-3).reduce((a, b) => a + b) > shares.slice(0, 3).reduce((a, b) => a + b), `rising: ${shares.join(' ')}`);
    await page.screenshot({ path: screenshotPath('insights-adoption.png'), fullPage: true });
  });

  it('finds a company despite a typo, with its people and heads-ups', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Name, address, company or domain').fill('Acme Crop');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=Acme/);
    await page.locator('#table-companies').getByRole('link', { name: 'Acme Corp' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    await page.locator('#table-people').getByRole('link', { name: 'Jane Doe' }).waitFor();
    assert.match((await page.locator('[data-liaison="heads-ups"]').textContent()) ?? '', /Open service issue.*Jane Doe/);
    await page.locator('[data-liaison="timeline"] li').first().waitFor();
    await page.screenshot({ path: screenshotPath('customers-company.png'), fullPage: true });
  });

  it('reads on a phone, and nothing broke the Content-Security-Policy', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${hub.url}/insights/meetings?department=it`);
    await page.locator('#table-attendance-members').getByRole('rowheader', { name: /Ben Okafor/ }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
    await page.locator('[data-liaison="section-meetings-people"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('insights-meetings-phone.png') });
    assert.deepEqual(cspViolations, []);
  });
});
