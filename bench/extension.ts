/**
 * Extension figures, measured in Debian's Chromium (playwright-core):
 * - the Gmail content script's size, raw and gzip;
 * - Gmail adapter detection per mutation batch on a 500-row inbox (the real adapter code, bundled into a page);
 * - IndexedDB cache lookups with 100,000 contacts cached (the background's real cache code);
 * - thread DOM ready → sidebar painted from cache, and → fresh hub data painted, with the built extension and a
 *   real hub on loopback.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { gmailInboxHtml } from '../test/fixtures/gmail/inbox-500-rows.ts';
import { CHROMIUM, launchBrowser, startHub } from '../test/e2e/harness.ts';
import { OUTLOOK_ORIGIN, routeOutlook } from '../test/e2e/outlook-shell.ts';
import { outlook } from '../test/e2e/sites.ts';

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, median: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const VISITS = 200;
const RELOADS = 30;
const ms = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(1));
/** Every timing budget is judged by its p99 (DESIGN.md); the median is reported beside it, never instead of it. */
const timing = (s: { n: number; median: number; p99: number }) => `p99 ${ms(s.p99)} ms, median ${ms(s.median)} ms (n=${s.n})`;

async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', write: false, minify: true, platform: 'browser', target: 'chrome120' });
  return out.outputFiles[0]!.text;
}

async function inPage<T>(html: string, script: string, run: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext();
    await context.route('https://mail.google.com/**', (route) => {
      if (route.request().url().endsWith('/bench.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', body: script });
      return route.fulfill({ status: 200, contentType: 'text/html', body: html.replace('</body>', '<script src="/bench.js"></script></body>') });
    });
    const page = await context.newPage();
    await page.goto('https://mail.google.com/mail/u/0/#inbox');
    return await run(page);
  } finally {
    await browser.close();
  }
}

/** How the paint figures reach a site's stand-in: its list page, and the page's own way to open a conversation. */
interface PaintSite {
  name: string;
  open(browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<import('playwright-core').Page>;
  /** JavaScript run in the page to show conversation `id` (a variable there), as the site navigates. */
  go: string;
  toList: string;
  /** Two conversations with Jane Doe (VP Operations), visited in turn. */
  ids: [string, string];
}

const GMAIL_PAINT: PaintSite = {
  name: 'Gmail',
  open: (browser) => browser.openGmail('#inbox'),
  go: "location.hash = '#inbox/' + id",
  toList: "location.hash = '#inbox'",
  ids: ['18f3a1b2c3d4e5f6', '18f3a1b2c3d4e600'],
};

const OUTLOOK_PAINT: PaintSite = {
  name: 'Outlook',
  async open(browser) {
    await routeOutlook(browser.context);
    const page = await browser.context.newPage();
    await page.goto(`${OUTLOOK_ORIGIN}/mail/inbox`);
    return page;
  },
  // pushState, as Outlook moves between conversations.
  go: "window.__outlookGo('/mail/inbox/id/' + encodeURIComponent(id))",
  toList: "window.__outlookGo('/mail/inbox')",
  ids: [outlook.renewal.ref, outlook.reply.ref],
};

async function paintTimings(log: (s: string) => void, site: PaintSite = GMAIL_PAINT) {
  // Hundreds of threads opened in two minutes is no person's pace: the per-token limit (600 requests a minute) would
  // answer 429 and the sidebar would, rightly, stay on its cached data.
  const hub = await startHub({ env: { HUB_TOKEN_REQUESTS_PER_MINUTE: '0' } });
  const browser = await launchBrowser();
  try {
    const options = await browser.optionsPage();
    await options.getByLabel('Hub URL').fill(hub.url);
    await options.getByLabel('Access token').fill(hub.token);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    await options.close();
    const page = await site.open(browser);
    // In the page: from the view being inserted to the first person card painted, and to the hub's data painted.
    // Plain JavaScript text: functions compiled by tsx carry helper calls that do not exist inside the page.
    const VISIT = `(id) => new Promise((resolve, reject) => {
      let firstPaint = -1, firstSource = '';
      const check = () => {
        const bar = document.querySelector('liaison-sidebar')?.shadowRoot?.querySelector('[data-liaison="sidebar"]');
        if (!bar) return;
        const now = performance.now();
        if (firstPaint < 0 && bar.querySelector('[data-liaison="person"]')?.textContent?.includes('VP Operations')) {
          firstPaint = now - window.__liaisonViewShownAt;
          firstSource = bar.getAttribute('data-source') || '';
        }
        if (firstPaint >= 0 && bar.getAttribute('data-source') === 'hub') {
          observer.disconnect();
          resolve({ firstPaint, fresh: now - window.__liaisonViewShownAt, firstSource });
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      // The shadow root is outside document.body's observation: watch it as soon as the host exists.
      const hostWatch = setInterval(() => {
        const root = document.querySelector('liaison-sidebar')?.shadowRoot;
        if (root) { clearInterval(hostWatch); observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true }); check(); }
      }, 1);
      setTimeout(() => reject(new Error('sidebar did not paint within 10 s')), 10000);
      ${site.go};
    })`;
    const visit = (threadId: string) =>
      page.evaluate(`(${VISIT})(${JSON.stringify(threadId)})`) as Promise<{ firstPaint: number; fresh: number; firstSource: string }>;
    const toInbox = async () => {
      await page.evaluate(site.toList);
      // Polled from here: waitForFunction evaluates a string, which Gmail's CSP (no unsafe-eval) refuses.
      while (await page.evaluate("!!document.querySelector('liaison-sidebar')")) await new Promise((r) => setTimeout(r, 20));
    };
    const first = await visit(site.ids[0]);
    log(`  ${site.name}, first visit (empty cache): hub data painted after ${ms(first.fresh)} ms`);
    const cache: number[] = [];
    const fresh: number[] = [first.fresh];
    // 200 visits: with 20, the p99 was the slowest visit and one hiccup of the shared cores decided the verdict.
    for (let i = 0; i < VISITS; i++) {
      await toInbox();
      const v = await visit(site.ids[(i + 1) % 2]!);
      if (v.firstSource === 'cache') cache.push(v.firstPaint);
      fresh.push(v.fresh);
    }
    // A thread opened in a newly loaded page: the page has seen nobody yet, so its first paint is the IndexedDB
    // cache's answer through the service worker.
    const newPage: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      await new Promise((r) => setTimeout(r, 1500)); // the content script starts at document_idle
      const v = await visit(site.ids[i % 2]!);
      if (v.firstSource === 'cache') newPage.push(v.firstPaint);
      await toInbox();
    }
    return { cache: stats(cache), fresh: stats(fresh), newPage: stats(newPage) };
  } finally {
    await browser.close();
    await hub.dispose();
  }
}

export async function benchExtension({ today, machine }: { today: string; machine: string }): Promise<string> {
  const log = (s: string) => console.log(s);
  if (!existsSync('.output/chrome-mv3/manifest.json') || process.env.LIAISON_BENCH_BUILD !== '0') {
    execFileSync(path.resolve('node_modules/.bin/wxt'), ['build'], { stdio: 'inherit' });
  }
  const script = readFileSync('.output/chrome-mv3/content-scripts/gmail.js');
  const gz = gzipSync(script, { level: 9 }).length;
  log(`gmail content script: ${script.length} B raw, ${gz} B gzip`);

  const detect = await inPage(gmailInboxHtml(500), await bundle('bench/browser/detect-entry.ts'), async (page) => {
    await page.evaluate('window.__detectBench(50)');
    return page.evaluate('window.__detectBench(1000)') as Promise<{ times: number[]; kind: string }>;
  });
  if (detect.kind !== 'list') throw new Error(`detection read the inbox as ${detect.kind}`);
  const d = stats(detect.times);
  log(`detection per batch: median ${ms(d.median)} ms, p99 ${ms(d.p99)} ms, mean ${ms(d.mean)} ms`);

  const idb = await inPage('<!DOCTYPE html><html><body></body></html>', await bundle('bench/browser/cache-entry.ts'), async (page) => {
    await page.evaluate('window.__cacheBench.fill(100000)');
    await page.evaluate('window.__cacheBench.lookups(100000, 50)');
    return page.evaluate('window.__cacheBench.lookups(100000, 500)') as Promise<number[]>;
  });
  const c = stats(idb);
  log(`IndexedDB lookup (10 addresses, 100k cached): median ${ms(c.median)} ms, p99 ${ms(c.p99)} ms`);

  const paint = await paintTimings(log);
  log(`paint from cache: ${timing(paint.cache)}; new page: ${timing(paint.newPage)}; fresh: ${timing(paint.fresh)}`);

  const outlookScript = readFileSync('.output/chrome-mv3/content-scripts/outlook.js');
  const outlookGz = gzipSync(outlookScript, { level: 9 }).length;
  log(`outlook content script: ${outlookScript.length} B raw, ${outlookGz} B gzip`);
  const outlookPaint = await paintTimings(log, OUTLOOK_PAINT);
  log(`Outlook paint from cache: ${timing(outlookPaint.cache)}; new page: ${timing(outlookPaint.newPage)}; fresh: ${timing(outlookPaint.fresh)}`);

  const row = (name: string, value: string, budget: string, ok: boolean) => `| ${name} | ${value} | ${budget} | ${ok ? 'yes' : '**no**'} |`;
  return `## Extension (${today})

Command: \`npm run bench -- --only extension\`. Machine: ${machine}; Chromium ${chromiumVersion()} headless.

| figure | measured | budget (p99 for timings) | within |
|---|---|---|---|
${row('Gmail content script, gzip -9', `${(gz / 1024).toFixed(1)} KB (${(script.length / 1024).toFixed(1)} KB raw)`, '≤ 40 KB', gz <= 40 * 1024)}
${row('thread DOM ready → sidebar painted from cache', timing(paint.cache), '≤ 50 ms', paint.cache.p99 <= 50)}
${row('thread DOM ready → sidebar painted from cache, in a newly loaded page (IndexedDB through the service worker)', timing(paint.newPage), '≤ 50 ms', paint.newPage.p99 <= 50)}
${row('thread DOM ready → fresh hub data painted (loopback)', timing(paint.fresh), '≤ 150 ms', paint.fresh.p99 <= 150)}
${row('detection per mutation batch, 500-row inbox', `${timing(d)}, mean ${ms(d.mean)} ms`, '≤ 1 ms', d.p99 <= 1)}
${row('Outlook content script, gzip -9', `${(outlookGz / 1024).toFixed(1)} KB (${(outlookScript.length / 1024).toFixed(1)} KB raw)`, '≤ 40 KB', outlookGz <= 40 * 1024)}
${row('Outlook: conversation DOM ready → sidebar painted from cache', timing(outlookPaint.cache), '≤ 50 ms', outlookPaint.cache.p99 <= 50)}
${row('Outlook: … painted from cache, in a newly loaded page', timing(outlookPaint.newPage), '≤ 50 ms', outlookPaint.newPage.p99 <= 50)}
${row('Outlook: conversation DOM ready → fresh hub data painted (loopback)', timing(outlookPaint.fresh), '≤ 150 ms', outlookPaint.fresh.p99 <= 150)}
${row('IndexedDB cache lookup, 10 addresses, 100k contacts cached', timing(c), '≤ 2 ms', c.p99 <= 2)}

How: the content script size is the built \`.output/chrome-mv3/content-scripts/gmail.js\`. Detection runs the real
adapter code (\`detectGmailPage\`, bundled with esbuild) in a page holding the 500-row inbox fixture, after moving a row
to the top as Gmail does when mail arrives; Chromium's timer resolution is 0.1 ms, so sub-0.1 ms samples read as 0.
The cache figure runs the background's own \`readContacts\` over a real IndexedDB holding 100,000 contacts. The paint
figures load the built extension into Chromium, configured against a real hub process (embedded PostgreSQL, demo team)
on loopback, and time in the page from the thread view being inserted (hash navigation, as Gmail does) to the first
person card being painted and to the card showing the hub's answer. The first visit has an empty cache and counts
only towards the fresh figure; the ${VISITS} visits after it alternate between two conversations with the same person
on one page, which paints them from what it already knows of her (the page's memory of the sidebar's answers); the
${RELOADS} "newly loaded page" visits reload the page first, so the first paint is the IndexedDB cache's answer
through the service worker. Outlook's figures are the same measurement on
the Outlook stand-in (test/e2e/outlook-shell.ts: our Outlook fixtures at outlook.office.com, moving with pushState as
Outlook does) with \`.output/chrome-mv3/content-scripts/outlook.js\`. Every timing is judged by its p99, the median
beside it (DESIGN.md); with ${VISITS} visits the p99 is the second or third slowest.
`;
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).replace(/^Chromium\s*/, '').split(' ')[0]!.trim();
  } catch {
    return '?';
  }
}
