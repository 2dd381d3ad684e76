// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComposeContext, PageContext, ThreadContext } from '../../utils/adapters/types';
import { createGmailAdapter, detectGmailPage, readGmailAccount } from '../../utils/gmail/gmail-adapter';
import { resetMismatchReports } from '../../utils/gmail/selectors';
import { gmailInboxHtml, inboxUrl } from '../fixtures/gmail/inbox-500-rows';
import { documentFrom, fixtureHtml, loadFixture } from './helpers/gmail-fixture';

const url = (hash: string, account = 0) => `https://mail.google.com/mail/u/${account}/#${hash}`;

function thread(ctx: PageContext): ThreadContext {
  if (ctx.kind !== 'thread') throw new Error(`expected a thread, got ${ctx.kind}`);
  return ctx.thread;
}

afterEach(() => {
  resetMismatchReports();
  vi.restoreAllMocks();
});

describe('Gmail thread with three messages', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-3-messages.html'), url('inbox/18f3a1b2c3d4e5f6'));

  it('reads the legacy thread id and the subject', () => {
    expect(thread(ctx).threadId).toBe('18f3a1b2c3d4e5f6');
    expect(thread(ctx).subject).toBe('Renewal terms for 2027');
  });

  it('reads every sender and recipient with names, addresses lower-cased', () => {
    const messages = thread(ctx).messages;
    expect(messages.map((m) => m.from)).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
    ]);
    expect(messages[0]!.to).toEqual([
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
    ]);
    expect(messages[1]!.to.map((p) => p.email)).toEqual([
      'jane.doe@acme-corp.com',
      'raj.patel@acme-corp.com',
      'sam@northwind-demo.com',
    ]);
    expect(messages.map((m) => m.messageId)).toEqual(['18f3a1b2c3d4e5f6', '18f3a1b2c3d4e5f7', '18f3a1b2c3d4e5f8']);
    expect(messages.every((m) => !m.collapsed)).toBe(true);
  });

  it('lists each participant once, ignoring people outside the thread (chat roster)', () => {
    expect(thread(ctx).participants).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
      { email: 'sam@northwind-demo.com', name: 'Sam Lee' },
    ]);
  });

  it('reads message dates from the title attribute', () => {
    const last = thread(ctx).messages[2]!;
    const date = new Date(last.date!);
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([
      2026, 10, 10, 10, 42,
    ]);
  });

  it('detects the signed-in account from the title, and from the account button when the title lacks it', () => {
    const doc = loadFixture('2026-11-thread-3-messages.html');
    expect(readGmailAccount(doc)).toBe('dana@northwind-demo.com');
    doc.title = 'Gmail';
    expect(readGmailAccount(doc)).toBe('dana@northwind-demo.com');
    doc.querySelector('header')!.remove();
    expect(readGmailAccount(doc)).toBeNull();
  });
});

describe('collapsed messages', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-collapsed.html'), url('label/Clients/18f3a1b2c3d4e600'));

  it('uses the legacy id when the perm id reads "undefined"', () => {
    expect(thread(ctx).threadId).toBe('18f3a1b2c3d4e600');
  });

  it('marks collapsed messages and still reads their senders', () => {
    const messages = thread(ctx).messages;
    expect(messages.map((m) => m.collapsed)).toEqual([true, true, false, false]);
    expect(messages[0]!.from).toEqual({ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' });
    expect(messages[0]!.to).toEqual([]);
    expect(messages[2]!.from).toEqual({ email: 'maria.garcia@acme-corp.com', name: 'María García' });
    expect(thread(ctx).participants.map((p) => p.email)).toEqual([
      'jane.doe@acme-corp.com',
      'lee.wong@northwind-demo.com',
      'maria.garcia@acme-corp.com',
      'dana@northwind-demo.com',
    ]);
  });

  it('falls back to the URL id when neither DOM id is usable', () => {
    const doc = loadFixture('2026-11-thread-collapsed.html');
    doc.querySelector('h2.hP')!.removeAttribute('data-legacy-thread-id');
    expect(thread(detectGmailPage(doc, url('label/Clients/FMfcgzQXJWDsKmvPzRhFbbnHTcpmRVhx'))).threadId).toBe(
      'FMfcgzQXJWDsKmvPzRhFbbnHTcpmRVhx',
    );
  });
});

describe('long recipient lists and multi-account URLs', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-long-recipients.html'), url('sent/18f3a1b2c3d4e700', 1));

  it('reads all 32 distinct recipients, merging case variants, keeping names with commas', () => {
    const to = thread(ctx).messages[0]!.to;
    expect(to).toHaveLength(32);
    expect(to.filter((p) => p.email === 'ava.brown@globex-industries.com')).toHaveLength(1);
    expect(to).toContainEqual({ email: 'jane.doe@acme-corp.com', name: 'Doe, Jane' });
    expect(to).toContainEqual({ email: 'procurement@globex-industries.com', name: null });
    expect(to.at(-1)).toEqual({ email: 'procurement@globex-industries.com', name: null });
  });
});

describe('compose windows', () => {
  it('reads both popups on a list: new-UI chips and classic RFC 5322 inputs', () => {
    const ctx = detectGmailPage(loadFixture('2026-11-compose-popup.html'), url('inbox'));
    expect(ctx.kind).toBe('list');
    if (ctx.kind !== 'list') return;
    const [modern, classic] = ctx.composes;
    expect(modern).toMatchObject({
      kind: 'popup',
      composeId: 'draft:msg-a:r-4242424242',
      threadId: null,
      subject: 'Intro: Northwind x Acme',
      recipients: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
        { email: 'sam@northwind-demo.com', name: 'Sam Lee' },
      ],
    });
    expect(classic!.kind).toBe('popup');
    expect(classic!.composeId).toMatch(/^local:/);
    expect(classic!.recipients).toEqual([
      { email: 'bob.smith@gmail.com', name: 'Bob Smith' },
      { email: 'jane.doe@acme-corp.com', name: 'Doe, Jane' },
    ]);
  });

  it('keeps the same id for the same compose form across reads', () => {
    const doc = loadFixture('2026-11-compose-popup.html');
    const first = detectGmailPage(doc, url('inbox'));
    const second = detectGmailPage(doc, url('inbox'));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('reads an inline reply as part of the open thread', () => {
    const ctx = detectGmailPage(loadFixture('2026-11-inline-reply.html'), url('inbox/18f3a1b2c3d4e800'));
    expect(ctx.kind).toBe('thread');
    if (ctx.kind !== 'thread') return;
    expect(ctx.composes).toHaveLength(1);
    expect(ctx.composes[0]).toMatchObject({
      kind: 'inline',
      threadId: '18f3a1b2c3d4e800',
      subject: 'Re: Pilot feedback',
      recipients: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
      ],
    });
  });
});

describe('pages that are not a thread', () => {
  it('reads a 500-row inbox as a list without reading its people', () => {
    const ctx = detectGmailPage(documentFrom(gmailInboxHtml(500)), inboxUrl);
    expect(ctx).toEqual({ kind: 'list', composes: [] });
  });

  it('stays silent on markup it does not recognise, and reports the change once', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const doc = loadFixture('2026-11-unrecognised.html');
    expect(() => detectGmailPage(doc, url('inbox/18f3a1b2c3d4e900'))).not.toThrow();
    expect(detectGmailPage(doc, url('inbox/18f3a1b2c3d4e900'))).toEqual({ kind: 'none' });
    expect(detectGmailPage(doc, url('settings/general'))).toEqual({ kind: 'none' });
    expect(detectGmailPage(doc, 'https://accounts.google.com/')).toEqual({ kind: 'none' });
    expect(debug).not.toHaveBeenCalledWith(expect.stringContaining('Error'));
  });

  it('warns once through console.debug when only the fallback selector finds the subject', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const doc = loadFixture('2026-11-thread-3-messages.html');
    doc.querySelector('h2.hP')!.classList.remove('hP');
    const ctx = detectGmailPage(doc, url('inbox/18f3a1b2c3d4e5f6'));
    detectGmailPage(doc, url('inbox/18f3a1b2c3d4e5f6'));
    expect(thread(ctx).subject).toBe('Renewal terms for 2027');
    const warnings = debug.mock.calls.filter((c) => String(c[0]).includes('threadSubject'));
    expect(warnings).toHaveLength(1);
  });
});

describe('the adapter over time', () => {
  it('reports changes once per batch, and "left this thread" on navigation; stops on abort', async () => {
    document.documentElement.innerHTML = documentFrom(fixtureHtml('2026-11-thread-3-messages.html')).documentElement.innerHTML;
    const loc = { href: url('inbox/18f3a1b2c3d4e5f6') };
    const win = Object.assign(new EventTarget(), { location: loc }) as unknown as Window;
    const queue: (() => void)[] = [];
    const adapter = createGmailAdapter({ doc: document, win, schedule: (run) => queue.push(run) });
    const changes: PageContext[] = [];
    const left: string[] = [];
    const controller = new AbortController();
    adapter.start(controller.signal, {
      onChange: (c) => changes.push(c),
      onThreadLeft: (t, reason) => left.push(`${t.threadId}:${reason}`),
    });
    expect(changes.map((c) => c.kind)).toEqual(['thread']);

    // Several DOM writes in one burst → one scheduled detection pass.
    loc.href = url('inbox');
    document.querySelector('.ha')!.remove();
    document.querySelector('.adn')!.remove();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(queue).toHaveLength(1);
    queue.shift()!();
    expect(changes.map((c) => c.kind)).toEqual(['thread', 'list']);
    expect(left).toEqual(['18f3a1b2c3d4e5f6:navigation']);

    controller.abort();
    document.body.append(document.createElement('div'));
    await new Promise((r) => setTimeout(r, 0));
    expect(queue).toHaveLength(0);
  });

  it('reports the open thread as left when the page goes away', () => {
    document.documentElement.innerHTML = documentFrom(fixtureHtml('2026-11-inline-reply.html')).documentElement.innerHTML;
    const win = Object.assign(new EventTarget(), { location: { href: url('inbox/18f3a1b2c3d4e800') } }) as unknown as Window;
    const left: string[] = [];
    const controller = new AbortController();
    createGmailAdapter({ doc: document, win, schedule: () => {} }).start(controller.signal, {
      onChange: () => {},
      onThreadLeft: (t, reason) => left.push(`${t.threadId}:${reason}`),
    });
    win.dispatchEvent(new Event('pagehide'));
    expect(left).toEqual(['18f3a1b2c3d4e800:unload']);
    controller.abort();
    win.dispatchEvent(new Event('pagehide'));
    expect(left).toHaveLength(1);
  });

  describe('sending', () => {
    function startOn(fixture: string, hash: string) {
      document.documentElement.innerHTML = documentFrom(fixtureHtml(fixture)).documentElement.innerHTML;
      const win = Object.assign(new EventTarget(), { location: { href: url(hash) } }) as unknown as Window;
      const queue: (() => void)[] = [];
      const sent: ComposeContext[] = [];
      const controller = new AbortController();
      createGmailAdapter({ doc: document, win, schedule: (run) => queue.push(run) }).start(controller.signal, {
        onChange: () => {},
        onMessageSent: (c) => sent.push(c),
      });
      const settle = async () => {
        await new Promise((r) => setTimeout(r, 0));
        while (queue.length) queue.shift()!();
      };
      return { sent, settle, controller };
    }

    it('reports an inline reply as sent once Gmail has taken the form away, never cancelling the click', async () => {
      const { sent, settle, controller } = startOn('2026-11-inline-reply.html', 'inbox/18f3a1b2c3d4e800');
      const button = document.querySelector<HTMLElement>('div.aoO')!;
      const click = new MouseEvent('click', { bubbles: true, cancelable: true });
      let reachedGmail = false;
      button.addEventListener('click', () => (reachedGmail = true));
      button.dispatchEvent(click);
      expect(reachedGmail).toBe(true);
      expect(click.defaultPrevented).toBe(false);
      await settle();
      expect(sent).toEqual([]); // the form is still there: not sent (yet)
      document.querySelector('.M9')!.remove();
      await settle();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ kind: 'inline', threadId: '18f3a1b2c3d4e800', subject: 'Re: Pilot feedback' });
      expect(sent[0]!.recipients.map((p) => p.email)).toEqual(['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com']);
      controller.abort();
    });

    it('takes Ctrl+Enter in the editor as Send, and a form that stays (e.g. no recipient) as not sent', async () => {
      const { sent, settle, controller } = startOn('2026-11-inline-reply.html', 'inbox/18f3a1b2c3d4e800');
      const editor = document.querySelector<HTMLElement>('[role="textbox"]')!;
      editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
      document.body.append(document.createElement('div')); // some other DOM change
      await settle();
      expect(sent).toEqual([]);
      document.querySelector('.M9')!.remove();
      await settle();
      expect(sent).toHaveLength(1);
      controller.abort();
    });

    it('reads a popup at the moment of Send: its own subject and recipients, no thread', async () => {
      const { sent, settle, controller } = startOn('2026-11-compose-popup.html', 'inbox');
      document.querySelector<HTMLElement>('div.aoO')!.click();
      document.querySelector('.AD')!.remove();
      await settle();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ kind: 'popup', threadId: null, subject: 'Intro: Northwind x Acme', composeId: 'draft:msg-a:r-4242424242' });
      controller.abort();
    });

    it('ignores clicks elsewhere, the "more send options" arrow, and everything after it is stopped', async () => {
      const { sent, settle, controller } = startOn('2026-11-inline-reply.html', 'inbox/18f3a1b2c3d4e800');
      document.querySelector<HTMLElement>('[aria-haspopup="true"]')!.click();
      document.querySelector<HTMLElement>('.gD')!.click();
      document.querySelector('.M9')!.remove();
      await settle();
      expect(sent).toEqual([]);
      controller.abort();
    });
  });
});
