// @vitest-environment happy-dom
/**
 * Gmail without its class names (issue 11): with every class on the page renamed — what a Gmail release that
 * re-minifies its CSS does — and its stable facts kept (email/name/data-hovercard-id attributes, the data-* ids,
 * roles, structure), every fixture must read exactly as before: the same thread (id, subject, messages,
 * participants), the same account, the same compose forms and invitations. The class-based way stays the first
 * one; when only the class-free one matches, the change is reported once.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageContext } from '../../utils/adapters/types';
import { createGmailAdapter, detectGmailPage, readGmailAccount } from '../../utils/gmail/gmail-adapter';
import { resetMismatchReports } from '../../utils/gmail/selectors';
import { gmailInboxHtml, inboxUrl } from '../fixtures/gmail/inbox-500-rows';
import { documentFrom, fixtureHtml, loadFixture } from './helpers/gmail-fixture';
import { renameClasses } from './helpers/rename-classes';

const FIXTURES = readdirSync(join(process.cwd(), 'test/fixtures/gmail')).filter((f) => f.endsWith('.html')).sort();

/** The fixture's own URL: its thread (the id on the subject heading), else the inbox. */
function urlOf(name: string): string {
  const id = /<h2[^>]*data-legacy-thread-id="([0-9a-f]+)"/.exec(fixtureHtml(name))?.[1];
  return `https://mail.google.com/mail/u/0/#inbox${id ? `/${id}` : ''}`;
}

/** Compose forms without a saved draft get a per-element id ("local:7"): the same form, another element. */
function comparable(context: PageContext): PageContext {
  return JSON.parse(JSON.stringify(context).replace(/"local:\d+"/g, '"local"')) as PageContext;
}

function read(doc: Document, url: string) {
  return { context: comparable(detectGmailPage(doc, url)), account: readGmailAccount(doc) };
}

afterEach(() => {
  resetMismatchReports();
  vi.restoreAllMocks();
});

describe('every Gmail fixture with its class names renamed', () => {
  for (const name of FIXTURES) {
    it(`${name}: reads the same thread, account, compose forms and invitations`, () => {
      const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
      const original = read(loadFixture(name), urlOf(name));
      // The fixtures are found both ways: no early warning on Gmail's current markup.
      expect(debug.mock.calls.map((c) => String(c[0]))).toEqual([]);

      for (const seed of [1, 2, 3]) {
        const renamed = loadFixture(name);
        const mapping = renameClasses(renamed, seed);
        expect(mapping.size).toBeGreaterThan(0);
        expect(read(renamed, urlOf(name))).toEqual(original);
      }
      if (original.context.kind === 'thread') {
        expect(original.context.thread.participants.length).toBeGreaterThan(0);
        // Only the class-free way found the thread: Gmail has changed, and we said so.
        expect(debug.mock.calls.some((c) => String(c[0]).includes('Gmail markup changed? threadSubject'))).toBe(true);
      }
    });
  }

  it('reads the 500-row inbox as a list without reading its people', () => {
    const doc = documentFrom(gmailInboxHtml(500));
    renameClasses(doc);
    expect(detectGmailPage(doc, inboxUrl)).toEqual({ kind: 'list', composes: [] });
  });

  it('takes neither the list behind the thread, quoted text, mailto links nor the chat panel for participants', () => {
    const doc = loadFixture('2026-11-thread-list-behind.html');
    renameClasses(doc, 7);
    const ctx = detectGmailPage(doc, urlOf('2026-11-thread-list-behind.html'));
    if (ctx.kind !== 'thread') throw new Error(`expected a thread, got ${ctx.kind}`);
    expect(ctx.thread.threadId).toBe('18f3a1b2c3d4f100');
    expect(ctx.thread.subject).toBe('Quarterly pricing');
    expect(ctx.thread.participants).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      // Gmail names the user "me" in the recipients; the user's real name comes from their own message.
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
    ]);
    expect(ctx.thread.messages.map((m) => m.messageId)).toEqual(['18f3a1b2c3d4f100', 'msg-a:r-5512345678901234567']);
    expect(ctx.thread.messages.map((m) => m.collapsed)).toEqual([false, false]);
    expect(ctx.thread.messages[1]!.date).not.toBeNull();
  });

  it('finds the compose form a Send or Ctrl+Enter came from by its subject box, and reports it sent when it goes', async () => {
    document.documentElement.innerHTML = documentFrom(fixtureHtml('2026-11-inline-reply.html')).documentElement.innerHTML;
    renameClasses(document, 5);
    const win = Object.assign(new EventTarget(), { location: { href: urlOf('2026-11-inline-reply.html') } }) as unknown as Window;
    const queue: (() => void)[] = [];
    const sent: string[] = [];
    const controller = new AbortController();
    createGmailAdapter({ doc: document, win, schedule: (run) => queue.push(run) }).start(controller.signal, {
      onChange: () => {},
      onMessageSent: (c) => sent.push(`${c.kind}:${c.subject}:${c.recipients.map((p) => p.email).join(',')}`),
    });
    document.querySelector<HTMLElement>('[role="textbox"]')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }),
    );
    document.querySelector('input[name="subjectbox"]')!.closest('form')!.parentElement!.remove();
    await new Promise((r) => setTimeout(r, 0));
    while (queue.length) queue.shift()!();
    expect(sent).toEqual(['inline:Re: Pilot feedback:jane.doe@acme-corp.com,raj.patel@acme-corp.com']);
    controller.abort();
  });
});
