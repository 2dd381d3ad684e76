import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type Browser } from './harness.ts';

describe('harness', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser.close());
  it('loads the extension and serves Gmail fixtures with Trusted Types', async () => {
    assert.match(browser.extensionId, /^[a-p]{32}$/);
    const page = await browser.openGmail('#inbox/18f3a1b2c3d4e5f6');
    assert.equal(await page.title(), 'Renewal terms for 2027 - dana@northwind-demo.com - Gmail');
    const blocked = await page.evaluate(() => {
      try {
        document.body.innerHTML = '<b>x</b>';
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(blocked, true, 'Trusted Types must block innerHTML on the Gmail stand-in');
    await page.goto('https://mail.google.com/mail/u/0/#inbox');
    assert.match(await page.title(), /^Inbox/);
  });
});
