// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComposeContext, PageContext, ThreadContext } from '../../utils/adapters/types';
import { parseOutlookUrl } from '../../utils/outlook/navigation';
import {
  createOutlookAdapter,
  createOutlookCalendarAdapter,
  detectOutlookEvent,
  detectOutlookPage,
  readOutlookAccount,
} from '../../utils/outlook/outlook-adapter';
import { resetOutlookMismatchReports } from '../../utils/outlook/selectors';

// Vitest runs from the repository root; happy-dom replaces URL, so import.meta.url paths are not used here.
const fixtureHtml = (name: string) => readFileSync(join(process.cwd(), 'test/fixtures/outlook/', name), 'utf8');
const loadFixture = (name: string) => new DOMParser().parseFromString(fixtureHtml(name), 'text/html');

const CONV = 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAJ7sQ1Q4Yk1Ppp7q0a3v5cM=';
const PILOT = 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAPilotFeedback0001=';
const mail = (path: string, host = 'outlook.office.com') => `https://${host}/mail/${path}`;
const convUrl = mail(`inbox/id/${encodeURIComponent(CONV)}`);
const pilotUrl = mail(`inbox/id/${encodeURIComponent(PILOT)}`);

function thread(ctx: PageContext): ThreadContext {
  if (ctx.kind !== 'thread') throw new Error(`expected a thread, got ${ctx.kind}`);
  return ctx.thread;
}

afterEach(() => {
  resetOutlookMismatchReports();
  vi.restoreAllMocks();
});

describe('Outlook URLs', () => {
  it('tells conversations, lists, pop-outs and the calendar apart on every Outlook host', () => {
    expect(parseOutlookUrl(convUrl)).toEqual({ kind: 'thread', id: CONV, folder: 'inbox' });
    expect(parseOutlookUrl(mail(`inbox/id/${encodeURIComponent(CONV)}`, 'outlook.cloud.microsoft'))).toEqual({ kind: 'thread', id: CONV, folder: 'inbox' });
    expect(parseOutlookUrl('https://outlook.cloud.microsoft/calendar/view/week').kind).toBe('calendar');
    expect(parseOutlookUrl('https://outlook.cloud.microsoft.evil.example/mail/inbox').kind).toBe('other');
    expect(parseOutlookUrl(mail(`0/inbox/id/${encodeURIComponent(CONV)}`, 'outlook.live.com')).id).toBe(CONV);
    expect(parseOutlookUrl(mail('inbox', 'outlook.office365.com')).kind).toBe('list');
    expect(parseOutlookUrl(mail('archive')).kind).toBe('list');
    expect(parseOutlookUrl(mail('deeplink/read/AAMkADAwATM0MDAAMS1iNTcw%3D?popoutv2=1')).kind).toBe('thread');
    expect(parseOutlookUrl(mail('deeplink/compose?popoutv2=1')).kind).toBe('compose');
    expect(parseOutlookUrl('https://outlook.office.com/calendar/item/AAMkADAwATM0MDAAMS1iNTcw%3D')).toMatchObject({ kind: 'calendar' });
    expect(parseOutlookUrl(mail('options/general')).kind).toBe('other');
    expect(parseOutlookUrl('https://outlook.example.com/mail/inbox').kind).toBe('other');
  });
});

describe('conversation with three messages, reading pane on the right', () => {
  const ctx = detectOutlookPage(loadFixture('2026-11-conversation-3-messages.html'), convUrl);

  it('reads the conversation id and the whole subject from the heading title', () => {
    expect(thread(ctx).site).toBe('outlook');
    expect(thread(ctx).threadId).toBe(CONV);
    expect(thread(ctx).subject).toBe('Renewal terms for 2027');
  });

  it('reads every sender, to and cc with names and lower-cased addresses; a collapsed message shows its sender only', () => {
    const messages = thread(ctx).messages;
    expect(messages.map((m) => m.collapsed)).toEqual([true, false, false]);
    expect(messages.map((m) => m.from)).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      { email: 'jane.doe@acme-corp.com', name: 'Doe, Jane' },
    ]);
    expect(messages[0]!.to).toEqual([]);
    expect(messages[1]!.to).toEqual([
      { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
    ]);
    expect(messages[1]!.cc).toEqual([{ email: 'sam@northwind-demo.com', name: 'Sam Lee' }]);
    expect(messages[2]!.cc).toEqual([{ email: 'sam@northwind-demo.com', name: 'Sam Lee' }]);
    expect(messages[2]!.date).toBe('2026-11-10T10:42:00.000Z');
    expect(messages.map((m) => m.messageId.slice(-7))).toEqual(['msg0001', 'msg0002', 'msg0003']);
  });

  it('lists each participant once, never the people of other list rows', () => {
    expect(thread(ctx).participants.map((p) => p.email)).toEqual([
      'jane.doe@acme-corp.com',
      'dana@northwind-demo.com',
      'raj.patel@acme-corp.com',
      'sam@northwind-demo.com',
    ]);
    expect(thread(ctx)).not.toHaveProperty('invites');
  });

  it('reads the signed-in account from the account control', () => {
    const doc = loadFixture('2026-11-conversation-3-messages.html');
    expect(readOutlookAccount(doc)).toBe('dana@northwind-demo.com');
    doc.getElementById('mectrl_currentAccount_secondary')!.remove();
    expect(readOutlookAccount(doc)).toBe('dana@northwind-demo.com'); // the account button's title
    doc.getElementById('O365_MainLink_Me')!.remove();
    expect(readOutlookAccount(doc)).toBeNull();
  });

  it('keys on no class name: the same page with every class removed reads the same', () => {
    const doc = loadFixture('2026-11-conversation-3-messages.html');
    for (const el of Array.from(doc.querySelectorAll('[class]'))) el.removeAttribute('class');
    expect(detectOutlookPage(doc, convUrl)).toEqual(ctx);
  });

  it('with the reading pane off (no reading pane id) the conversation in the main region is read', () => {
    const doc = loadFixture('2026-11-conversation-3-messages.html');
    const pane = doc.getElementById('ReadingPaneContainerId')!;
    doc.querySelector('[role="listbox"]')!.remove();
    pane.replaceWith(...Array.from(pane.childNodes));
    expect(thread(detectOutlookPage(doc, convUrl)).participants).toHaveLength(4);
  });

  it('warns once through console.debug when only the fallback finds the sender, and still reads it', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const doc = loadFixture('2026-11-conversation-3-messages.html');
    for (const el of Array.from(doc.querySelectorAll('[data-testid="SenderPersona"]'))) el.removeAttribute('data-testid');
    const again = detectOutlookPage(doc, convUrl);
    detectOutlookPage(doc, convUrl);
    expect(thread(again).messages[2]!.from).toEqual({ email: 'jane.doe@acme-corp.com', name: 'Doe, Jane' });
    expect(debug.mock.calls.filter((c) => String(c[0]).includes('sender'))).toHaveLength(1);
  });
});

describe('an empty reading pane under a conversation URL (2026)', () => {
  it('is no open conversation: the URL alone does not open one', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const ctx = detectOutlookPage(loadFixture('2026-11-empty-reading-pane.html'), convUrl);
    expect(ctx).toEqual({ kind: 'list', composes: [] });
    // The reading pane's id is there, empty: no markup-change warning either.
    expect(debug.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });

  it('is still "opening" while the list row of the URL\'s conversation is selected and the pane fills', () => {
    const doc = loadFixture('2026-11-empty-reading-pane.html');
    const row = doc.querySelector(`[data-convid="${PILOT}"]`)!;
    row.setAttribute('aria-selected', 'true');
    expect(detectOutlookPage(doc, pilotUrl)).toEqual({ kind: 'none' });
  });
});

describe('pop-out reading window', () => {
  it('takes the conversation id from the page, not the item id in the deeplink', () => {
    const url = mail('deeplink/read/AAMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAAAAmsg0003%3D?popoutv2=1', 'outlook.office365.com');
    const t = thread(detectOutlookPage(loadFixture('2026-11-popout-read.html'), url));
    expect(t.threadId).toBe(CONV);
    expect(t.participants.map((p) => p.email)).toEqual(['jane.doe@acme-corp.com', 'dana@northwind-demo.com']);
  });
});

describe('compose and reply', () => {
  it('reads a new message over the list as a message of its own, with its chips and subject', () => {
    const ctx = detectOutlookPage(loadFixture('2026-11-compose.html'), mail('inbox'));
    expect(ctx.kind).toBe('list');
    if (ctx.kind !== 'list') return;
    expect(ctx.composes).toHaveLength(1);
    expect(ctx.composes[0]).toMatchObject({
      site: 'outlook',
      kind: 'popup',
      threadId: null,
      subject: 'Intro: Northwind x Acme',
      recipients: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
        { email: 'sam@northwind-demo.com', name: 'Sam Lee' },
      ],
    });
  });

  it('reads the same form in a pop-out compose window', () => {
    const ctx = detectOutlookPage(loadFixture('2026-11-compose.html'), mail('deeplink/compose?popoutv2=1'));
    expect(ctx.kind === 'list' && ctx.composes[0]!.recipients).toHaveLength(3);
  });

  it('reads an inline reply as part of the open conversation', () => {
    const ctx = detectOutlookPage(loadFixture('2026-11-reply.html'), pilotUrl);
    expect(ctx.kind).toBe('thread');
    if (ctx.kind !== 'thread') return;
    expect(ctx.thread.participants.map((p) => p.email)).toEqual(['jane.doe@acme-corp.com', 'dana@northwind-demo.com', 'raj.patel@acme-corp.com']);
    expect(ctx.composes).toEqual([
      expect.objectContaining({
        kind: 'inline',
        threadId: PILOT,
        subject: 'RE: Pilot feedback',
        recipients: [
          { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
          { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
        ],
      }),
    ]);
  });
});

describe('meetings', () => {
  it('maps an invitation in the reading pane into the same invite context as Gmail, with the .ics on Outlook only', () => {
    const url = mail(`inbox/id/${encodeURIComponent('AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAQbrMeeting0001=')}`);
    const t = thread(detectOutlookPage(loadFixture('2026-11-invitation.html'), url));
    expect(t.invites).toEqual([
      {
        site: 'outlook',
        sourceId: 'AAMkADqbrmsg0001',
        icsUrl: 'https://outlook.office.com/owa/service.svc/s/GetFileAttachment?id=AAMkADqbr001',
        invite: {
          uid: null,
          recurrenceId: null,
          sequence: null,
          method: null,
          cancelled: false,
          title: 'Quarterly business review',
          start: '2026-11-19T14:00:00.000Z',
          end: '2026-11-19T15:00:00.000Z',
          organizer: { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
          attendees: [
            { email: 'jane.doe@acme-corp.com', name: 'Jane Doe', rsvp: 'accepted', organizer: true },
            { email: 'raj.patel@acme-corp.com', name: 'Raj Patel', rsvp: 'accepted' },
            { email: 'dana@northwind-demo.com', name: 'Dana Reyes', rsvp: 'needs-action' },
          ],
        },
      },
    ]);
  });

  it('reads the calendar event open in its peek card, with every response, and nothing from the grid', () => {
    const event = detectOutlookEvent(
      loadFixture('2026-11-calendar-event.html'),
      'https://outlook.office.com/calendar/item/AAMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAAAAcal0001%3D',
    );
    expect(event).toMatchObject({
      site: 'outlook',
      sourceId: 'AAMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAAAAcal0001=',
      icsUrl: null,
      invite: {
        title: 'Acme onboarding kickoff',
        start: '2026-11-19T14:00:00.000Z',
        end: '2026-11-19T15:00:00.000Z',
        organizer: { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      },
    });
    expect(event!.invite!.attendees.map((a) => `${a.email}:${a.rsvp}${a.organizer ? ':organizer' : ''}`)).toEqual([
      'dana@northwind-demo.com:accepted:organizer',
      'jane.doe@acme-corp.com:accepted',
      'raj.patel@acme-corp.com:declined',
      'maria.garcia@acme-corp.com:tentative',
      'sam@northwind-demo.com:needs-action',
    ]);
    // The mail adapter says nothing on a calendar route; the calendar adapter says nothing on a mail route.
    expect(detectOutlookPage(loadFixture('2026-11-calendar-event.html'), 'https://outlook.office.com/calendar/view/week')).toEqual({ kind: 'none' });
    expect(detectOutlookEvent(loadFixture('2026-11-calendar-event.html'), mail('inbox'))).toBeNull();
  });

  it('the calendar adapter reports the event, then null when the peek closes', () => {
    document.documentElement.innerHTML = loadFixture('2026-11-calendar-event.html').documentElement.innerHTML;
    const win = Object.assign(new EventTarget(), { location: { href: 'https://outlook.office.com/calendar/view/week' } }) as unknown as Window;
    const queue: (() => void)[] = [];
    const seen: (string | null)[] = [];
    const controller = new AbortController();
    createOutlookCalendarAdapter({ doc: document, win, schedule: (run) => queue.push(run) }).start(controller.signal, (i) =>
      seen.push(i?.invite?.title ?? null),
    );
    document.querySelector('[role="dialog"]')!.remove();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        while (queue.length) queue.shift()!();
        expect(seen).toEqual(['Acme onboarding kickoff', null]);
        controller.abort();
        resolve();
      }, 0),
    );
  });
});

describe('the fixtures', () => {
  it('are found both ways wherever a selector has two: no markup-change warning on any of them', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const pages: [string, string][] = [
      ['2026-11-conversation-3-messages.html', convUrl],
      ['2026-11-reply.html', pilotUrl],
      ['2026-11-compose.html', mail('inbox')],
      ['2026-11-popout-read.html', mail('deeplink/read/AAMkADAwATM0MDAAMS1iNTcw%3D')],
      ['2026-11-invitation.html', mail('inbox/id/AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAQbrMeeting0001%3D')],
    ];
    for (const [name, url] of pages) {
      const doc = loadFixture(name);
      expect(detectOutlookPage(doc, url).kind).not.toBe('none');
      readOutlookAccount(doc);
    }
    expect(detectOutlookEvent(loadFixture('2026-11-calendar-event.html'), 'https://outlook.office.com/calendar/view/week')).not.toBeNull();
    expect(debug.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });
});

describe('a page where nothing matches', () => {
  it('is silent: no context, no event, no error, for mail and calendar URLs', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const doc = loadFixture('2026-11-unrecognised.html');
    expect(detectOutlookPage(doc, convUrl)).toEqual({ kind: 'none' });
    expect(detectOutlookPage(doc, mail('inbox'))).toEqual({ kind: 'none' });
    expect(detectOutlookEvent(doc, 'https://outlook.office.com/calendar/view/week')).toBeNull();
    expect(readOutlookAccount(doc)).toBeNull();
    expect(debug).not.toHaveBeenCalledWith(expect.stringContaining('not understood'), expect.anything());
  });
});

describe('the adapter over time', () => {
  function startOn(fixture: string, href: string) {
    document.documentElement.innerHTML = loadFixture(fixture).documentElement.innerHTML;
    const loc = { href };
    const win = Object.assign(new EventTarget(), { location: loc }) as unknown as Window;
    const queue: (() => void)[] = [];
    const changes: PageContext[] = [];
    const left: string[] = [];
    const sent: ComposeContext[] = [];
    const controller = new AbortController();
    createOutlookAdapter({ doc: document, win, schedule: (run) => queue.push(run) }).start(controller.signal, {
      onChange: (c) => changes.push(c),
      onThreadLeft: (t, reason) => left.push(`${t.threadId}:${reason}`),
      onMessageSent: (c) => sent.push(c),
    });
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 0));
      while (queue.length) queue.shift()!();
    };
    return { loc, win, queue, changes, left, sent, settle, controller };
  }

  it('reports "left" when the user goes to another folder, once per batch, and stops on abort', async () => {
    const { loc, queue, changes, left, settle, controller } = startOn('2026-11-conversation-3-messages.html', convUrl);
    expect(changes.map((c) => c.kind)).toEqual(['thread']);
    loc.href = mail('archive');
    document.querySelector('[data-app-section="ConversationContainer"]')!.remove();
    document.querySelector('[role="option"]')!.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(queue).toHaveLength(1);
    await settle();
    expect(changes.map((c) => c.kind)).toEqual(['thread', 'list']);
    expect(left).toEqual([`${CONV}:navigation`]);
    controller.abort();
    document.body.append(document.createElement('div'));
    await new Promise((r) => setTimeout(r, 0));
    expect(queue).toHaveLength(0);
  });

  it('does not count the moment between the URL change and the next conversation as leaving twice', async () => {
    const { loc, changes, left, settle, controller } = startOn('2026-11-conversation-3-messages.html', convUrl);
    loc.href = pilotUrl;
    // A click on the row: Outlook selects it, then clears the pane and renders the conversation.
    const selected = document.querySelector('[role="option"][aria-selected="true"]')!;
    selected.setAttribute('aria-selected', 'false');
    selected.insertAdjacentHTML('afterend', `<div role="option" aria-selected="true" data-convid="${PILOT}">Pilot feedback</div>`);
    document.getElementById('ReadingPaneContainerId')!.replaceChildren(); // Outlook clears the pane first
    await settle();
    expect(left).toEqual([]);
    document.getElementById('ReadingPaneContainerId')!.innerHTML = loadFixture('2026-11-reply.html').getElementById('ReadingPaneContainerId')!.innerHTML;
    await settle();
    expect(left).toEqual([`${CONV}:navigation`]);
    expect(thread(changes.at(-1)!).threadId).toBe(PILOT);
    controller.abort();
  });

  it('reports the conversation as left when the reading pane empties and the URL stays (2026)', async () => {
    const { changes, left, settle, controller } = startOn('2026-11-conversation-3-messages.html', convUrl);
    // The conversation is moved away: Outlook deselects it and empties the pane, leaving the URL as it was.
    document.querySelector('[role="option"][aria-selected="true"]')!.setAttribute('aria-selected', 'false');
    document.getElementById('ReadingPaneContainerId')!.replaceChildren();
    await settle();
    expect(left).toEqual([`${CONV}:navigation`]);
    expect(changes.map((c) => c.kind)).toEqual(['thread', 'list']);
    controller.abort();
  });

  it('reports the open conversation as left when the tab goes away', () => {
    const { win, left, controller } = startOn('2026-11-reply.html', pilotUrl);
    win.dispatchEvent(new Event('pagehide'));
    expect(left).toEqual([`${PILOT}:unload`]);
    controller.abort();
  });

  it('reports a reply as sent once Outlook has taken the form away, never cancelling the click', async () => {
    const { sent, settle, controller } = startOn('2026-11-reply.html', pilotUrl);
    const button = document.querySelector<HTMLElement>('[data-testid="ComposeSendButton"]')!;
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    let reachedOutlook = false;
    button.addEventListener('click', () => (reachedOutlook = true));
    button.dispatchEvent(click);
    expect(reachedOutlook).toBe(true);
    expect(click.defaultPrevented).toBe(false);
    await settle();
    expect(sent).toEqual([]); // the form is still there: not sent (yet)
    document.querySelector('[data-app-section="Form_Content"]')!.remove();
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ site: 'outlook', kind: 'inline', threadId: PILOT, subject: 'RE: Pilot feedback' });
    expect(sent[0]!.recipients.map((p) => p.email)).toEqual(['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com']);
    controller.abort();
  });

  it('takes Ctrl+Enter as Send; a form that stays was not sent; the options arrow is not Send', async () => {
    const { sent, settle, controller } = startOn('2026-11-reply.html', pilotUrl);
    document.querySelector<HTMLElement>('[aria-haspopup="true"]')!.click();
    document.querySelector<HTMLElement>('[role="textbox"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    document.body.append(document.createElement('div'));
    await settle();
    expect(sent).toEqual([]);
    document.querySelector('[data-app-section="Form_Content"]')!.remove();
    await settle();
    expect(sent).toHaveLength(1);
    controller.abort();
  });

  it('in a pop-out compose window, the window closing after Send is the confirmation', async () => {
    const { win, sent, controller } = startOn('2026-11-compose.html', mail('deeplink/compose?popoutv2=1'));
    document.querySelector<HTMLElement>('[data-testid="ComposeSendButton"]')!.click();
    win.dispatchEvent(new Event('pagehide'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'popup', threadId: null, subject: 'Intro: Northwind x Acme' });
    controller.abort();
  });
});
