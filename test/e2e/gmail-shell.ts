/**
 * A stand-in for Gmail's single-page app, built from our dated fixtures: one page at mail.google.com whose
 * own script swaps the view when the URL hash changes (`#inbox` ↔ `#inbox/<thread id>`), the way Gmail
 * navigates without reloading. It is served with Gmail's Trusted Types policy, so any HTML sink the extension
 * used would throw. Views are <template>s cloned into #gmail-root — no HTML parsing at run time, which is
 * exactly what Trusted Types forbids.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gmailInboxHtml } from '../fixtures/gmail/inbox-500-rows.ts';

const FIXTURES = path.resolve('test/fixtures/gmail');
export const NONCE = 'liaison-e2e-nonce';
export const GMAIL_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // Gmail's policy since 2024: DOM sinks take TrustedHTML only; scripts need the nonce.
  'content-security-policy': `require-trusted-types-for 'script'; trusted-types gmail-shell; script-src 'nonce-${NONCE}'; object-src 'none'`,
};

interface View {
  id: string;
  title: string;
  body: string;
}

function viewFromHtml(id: string, html: string): View {
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? 'Gmail';
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  return { id, title, body };
}

/** Every thread fixture, keyed by its thread id (from data-legacy-thread-id), plus extra views by id (which take precedence). */
export function loadViews(extra: Record<string, string> = {}): View[] {
  const views: View[] = [viewFromHtml('inbox', gmailInboxHtml(50))];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(FIXTURES, file), 'utf8');
    // The open thread's id is on its subject heading; list rows behind it carry other threads' ids.
    const id = (/<h2[^>]*data-legacy-thread-id="([0-9a-f]+)"/.exec(html) ?? /data-legacy-thread-id="([0-9a-f]+)"/.exec(html))?.[1];
    // A test's own view of the same id wins: two templates with one id would show whichever comes first.
    if (id && !(id in extra)) views.push(viewFromHtml(id, html));
  }
  for (const [id, html] of Object.entries(extra)) views.push(viewFromHtml(id, html));
  return views;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function gmailShell(views: View[]): string {
  const templates = views.map((v) => `<template id="view-${v.id}" data-title="${escapeAttr(v.title)}">${v.body}</template>`).join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Gmail</title></head><body>
<header><input type="search" aria-label="Search mail"><div role="button" tabindex="0" aria-label="Refresh" id="gmail-refresh">⟳</div></header>
<div id="gmail-root"></div>
${templates}
<script nonce="${NONCE}">
  function show() {
    var m = /^#(?:inbox|sent|all|starred|label\\/[^/]+)\\/([0-9a-f]+)/.exec(location.hash);
    var t = document.getElementById('view-' + (m ? m[1] : 'inbox')) || document.getElementById('view-inbox');
    document.title = t.dataset.title;
    document.getElementById('gmail-root').replaceChildren(t.content.cloneNode(true));
    // "Thread DOM ready": the moment the view is in the page, which the paint benchmark measures from.
    window.__liaisonViewShownAt = performance.now();
  }
  addEventListener('hashchange', show);
  // Gmail's keyboard shortcut "u": back to the list, except while typing.
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    if (e.key === 'u' && !typing && !e.ctrlKey && !e.altKey && !e.metaKey) location.hash = '#inbox';
  });
  // Gmail's Send: the form goes away at once and the message is on its way. What the page's own handler saw is
  // recorded, so a test can tell that Liaison neither cancelled nor held up the click.
  window.__liaisonSends = [];
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('div.aoO[role="button"]');
    if (!button) return;
    window.__liaisonSends.push({ defaultPrevented: e.defaultPrevented });
    var form = button.closest('div.AD') || button.closest('div.M9');
    if (form) form.remove();
  });
  show();
</script>
</body></html>`;
}
