/**
 * A stand-in for Outlook on the web's single-page app, built from our dated fixtures
 * (test/fixtures/outlook/2026-11-*.html): one page at outlook.office.com whose own script shows the view the
 * path names (`/mail/inbox` ↔ `/mail/inbox/id/<conversation id>`) and moves with `history.pushState`, the
 * way Outlook navigates without reloading. Served under a strict CSP with Trusted Types required, so any HTML
 * sink the extension used would throw. Views are <template>s cloned into the page: no HTML parsing at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

const FIXTURES = path.resolve('test/fixtures/outlook');
const NONCE = 'liaison-e2e-outlook-nonce';
export const OUTLOOK_ORIGIN = 'https://outlook.office.com';
export const OUTLOOK_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `require-trusted-types-for 'script'; trusted-types outlook-shell; script-src 'nonce-${NONCE}'; object-src 'none'`,
};

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The list with nothing selected and an empty reading pane (what Outlook shows at /mail/inbox; 2026 markup). */
const LIST_VIEW = `<div id="mectrl_currentAccount_secondary">dana@northwind-demo.com</div>
<div role="main" data-app-section="MailReadCompose"><div role="listbox"><div role="option" aria-selected="false" data-convid="x">Inbox</div></div>
<div id="ReadingPaneContainerId"></div></div>`;

/** Every conversation fixture keyed by its conversation id (the reading pane's data-convid). */
function conversationViews(): [string, string][] {
  const views: [string, string][] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(FIXTURES, file), 'utf8');
    const id = /data-app-section="ConversationContainer" data-convid="([^"]+)"/.exec(html)?.[1];
    // The pop-out fixture shows a conversation that another fixture already serves in the main window.
    if (id && !file.includes('popout')) views.push([id, /<body[^>]*>([\s\S]*)<\/body>/.exec(html)![1]!]);
  }
  return views;
}

/** The calendar week with one event's peek card open (test/fixtures/outlook/2026-11-calendar-event.html). */
function calendarView(): [string, string] {
  const html = readFileSync(path.join(FIXTURES, '2026-11-calendar-event.html'), 'utf8');
  return ['calendar', /<body[^>]*>([\s\S]*)<\/body>/.exec(html)![1]!];
}

export function outlookShell(): string {
  const templates = [['inbox', LIST_VIEW] as [string, string], calendarView(), ...conversationViews()]
    .map(([id, body]) => `<template data-view="${escapeAttr(id)}">${body}</template>`)
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mail - Dana Reyes - Outlook</title></head><body>
<div id="outlook-root"></div>
${templates}
<script nonce="${NONCE}">
  function show() {
    var m = /^\\/mail\\/(?:[^/]+\\/)?id\\/([^/?]+)/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : location.pathname.indexOf('/calendar/') === 0 ? 'calendar' : 'inbox';
    var t = Array.prototype.find.call(document.querySelectorAll('template[data-view]'), function (x) { return x.dataset.view === id; })
      || document.querySelector('template[data-view="inbox"]');
    document.getElementById('outlook-root').replaceChildren(t.content.cloneNode(true));
    window.__liaisonViewShownAt = performance.now();
  }
  // How a click in Outlook's list or folder pane moves: pushState, then the app renders the next view.
  window.__outlookGo = function (path) { history.pushState(null, '', path); show(); };
  addEventListener('popstate', show);
  // Outlook's Send: the form goes away at once and the message is on its way. What the page's own handler saw
  // is recorded, so a test can tell that Liaison neither cancelled nor held up the click.
  window.__liaisonSends = [];
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('[data-testid="ComposeSendButton"]');
    if (!button) return;
    window.__liaisonSends.push({ defaultPrevented: e.defaultPrevented });
    var form = button.closest('[data-app-section="Form_Content"]');
    if (form) form.remove();
  });
  show();
</script>
</body></html>`;
}

/** Serves the stand-in at every Outlook mail and calendar path; attachment downloads (/owa/…) are not there. */
export async function routeOutlook(context: BrowserContext): Promise<void> {
  const shell = outlookShell();
  await context.route(`${OUTLOOK_ORIGIN}/**`, (route) =>
    new URL(route.request().url()).pathname.startsWith('/owa/')
      ? route.fulfill({ status: 404, body: '' })
      : route.fulfill({ status: 200, headers: OUTLOOK_HEADERS, body: shell }),
  );
}
