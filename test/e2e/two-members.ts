/**
 * Two members of the demo team, each in a Chromium of their own with their own token, against one real hub process
 * (issue 12's end-to-end files): Tom Becker (support) on Outlook on the web, Dana Reyes (sales) on Gmail. The
 * demo's own open heads-up on Jane Doe is resolved first, so every heads-up a test sees is its own.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, startHub, type Browser, type Hub } from './harness.ts';
import { gmail, outlook } from './sites.ts';

export const JANE = 'jane.doe@acme-corp.com';
export const RAJ = 'raj.patel@acme-corp.com';
/** What "within a minute" allows: pages poll every 30 s, the background asks the hub at most every 20 s. */
export const MINUTE = 65_000;

export const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Liaison' });
export const card = (page: Page, name: string) => sidebar(page).getByRole('article', { name });
export const headsUp = (page: Page, name: string, text: string | RegExp) => card(page, name).locator('[data-liaison="heads-up"]').filter({ hasText: text });
export const composeCard = (page: Page) => page.locator('liaison-compose [data-liaison="compose-heads-up"]');

async function connect(browser: Browser, hub: Hub, token: string): Promise<void> {
  const page = await browser.optionsPage();
  await page.getByLabel('Hub URL').fill(hub.url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByText(/^Saved: Liaison is connected/).waitFor();
  await page.close();
}

export interface TwoMembers {
  hub: Hub;
  /** Tom Becker, support, on Outlook. */
  support: Browser;
  supportToken: string;
  /** Dana Reyes, sales, on Gmail (the demo's admin token). */
  sales: Browser;
  janeId: string;
  contactOf(email: string): Promise<any>;
  timeline(contactId: string): Promise<{ items: any[]; endedFlags: any[] }>;
  tasksTitled(title: string): Promise<any[]>;
  close(): Promise<void>;
}

export async function twoMembers(): Promise<TwoMembers> {
  const hub = await startHub();
  const contactOf = async (email: string) => (await hub.api('POST', '/v1/lookup', { emails: [email] })).results[0].contact;
  const members = (await hub.api('GET', '/v1/members')).items as { id: string; name: string }[];
  const tom = members.find((m) => m.name === 'Tom Becker')!;
  const supportToken = (await hub.api('POST', `/v1/members/${tom.id}/tokens`)).token as string;
  assert.match(supportToken, /^lia_/);
  const jane = await contactOf(JANE);
  for (const f of jane.openFlags) await hub.api('POST', `/v1/flags/${f.id}/close`, { resolution: 'credits paid' }, supportToken);
  let support: Browser | null = null;
  let sales: Browser | null = null;
  try {
    support = await launchBrowser();
    await outlook.install(support);
    sales = await launchBrowser();
    await gmail.install(sales);
    await connect(support, hub, supportToken);
    await connect(sales, hub, hub.token);
  } catch (error) {
    await support?.close();
    await sales?.close();
    await hub.dispose();
    throw error;
  }
  return {
    hub,
    support,
    supportToken,
    sales,
    janeId: jane.id,
    contactOf,
    timeline: async (id) => hub.api('GET', `/v1/contacts/${id}/timeline?limit=100`),
    tasksTitled: async (title) => ((await hub.api('GET', '/v1/tasks?status=all')).items as any[]).filter((t) => t.title === title),
    async close() {
      await support!.close();
      await sales!.close();
      await hub.dispose();
    },
  };
}
