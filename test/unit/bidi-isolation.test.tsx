// @vitest-environment happy-dom
/**
 * Text stays in its lane (issue 11). Names, subjects, companies, notes, titles and reasons come from pages and
 * the hub, chosen by whoever sent the mail. Wherever one sits inside a sentence or a list — sidebar, prompt,
 * popup, options, attendance — it must be in a bidirectional isolate of its own (<bdi> or dir="auto"), with the
 * sentence's own words outside it: a right-to-left override in a name must not reverse "by … · yesterday".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AttendanceCapture } from '../../components/attendance/AttendanceCapture';
import { OptionsForm } from '../../components/options/OptionsForm';
import { Popup } from '../../components/popup/Popup';
import { LogPrompt } from '../../components/prompt/LogPrompt';
import { promptQuestionText } from '../../components/prompt/wording';
import { Sidebar } from '../../components/sidebar/Sidebar';
import type { Me } from '../../shared/wire-types';
import type { MeetingInvite, PageContext } from '../../utils/adapters/types';
import type { OutboxItemView, PromptQuestion, SettingsView, UnloggedItem } from '../../utils/messaging/protocol';
import { fakeSend } from './helpers/fake-send';
import { useLocale } from './helpers/i18n';
import { ME } from './helpers/local-hub';
import { contact, fakeBackground, interaction, sam, settings } from './helpers/sidebar-data';

/** What a sender can put in a display name, and what the hub may hand back. */
const HOSTILE = {
  rlo: '\u202Egnp.exe', // shows as "exe.png", and reverses what follows when not isolated
  lri: 'Jane \u2066Doe', // an isolate opened and never closed
  pdi: 'Pat\u2069 Smith', // a stray pop that would close our own isolate early
  zeroWidth: 'Ma\u200Bllo\u200Dry',
  long: 'W'.repeat(500),
  script: '<script>alert(1)</script>',
};
const CASES = Object.entries(HOSTILE);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

function textNodes(node: Node): Text[] {
  if (node.nodeType === 3) return [node as Text];
  return Array.from(node.childNodes).flatMap(textNodes);
}

const isolateOf = (node: Node): Element | null => node.parentElement?.closest('bdi, [dir="auto"]') ?? null;

/**
 * Every text node of `root` holding `hostile` is inside a bidi isolate that holds nothing of the sentence's own
 * `words`, and those words are there, outside it.
 */
function expectIsolated(root: Element, hostile: string, words: string[]): void {
  const hits = textNodes(root).filter((n) => n.data.includes(hostile));
  expect(hits.length, `${JSON.stringify(hostile.slice(0, 12))} is shown in ${root.outerHTML.slice(0, 80)}`).toBeGreaterThan(0);
  for (const hit of hits) {
    const isolate = isolateOf(hit);
    expect(isolate, `${JSON.stringify(hostile.slice(0, 12))} is isolated`).not.toBeNull();
    expect(root.contains(isolate) || isolate === root).toBe(true);
    for (const word of words) expect(isolate!.textContent, `"${word}" stays outside the isolate`).not.toContain(word);
  }
  for (const word of words) expect(root.textContent).toContain(word);
  // Text only: hostile markup is never parsed.
  expect(root.querySelector('script, img')).toBeNull();
}

beforeEach(() => {
  fakeBrowser.reset();
  useLocale('en');
});
afterEach(cleanup);

describe('the sidebar', () => {
  const page = (name: string): PageContext => ({
    kind: 'thread',
    thread: {
      site: 'gmail',
      threadId: '18f3a1b2c3d4ea00',
      subject: name,
      messages: [],
      participants: [{ email: 'mallory@evil-example.com', name }],
    },
    composes: [
      { site: 'gmail', composeId: 'local:1', kind: 'popup', threadId: null, subject: name, recipients: [{ email: 'mallory@evil-example.com', name }, { email: 'kim@evil-example.com', name: 'Kim' }] },
    ],
  });

  it.each(CASES)('isolates a hostile %s name, company, title, owner, flag, last touch and timeline', async (_, hostile) => {
    const teammate = { ...sam, name: hostile };
    const person = contact({
      id: 'c-evil',
      emails: ['mallory@evil-example.com'],
      name: hostile,
      title: hostile,
      company: { id: 'co', name: hostile, domains: [] },
      owner: teammate,
      openFlags: [{ id: 'f', kind: 'open-service-issue', note: hostile, open: true, setBy: teammate, setAt: daysAgo(1), closedBy: null, closedAt: null }],
      lastInteraction: { id: 'i', kind: 'email', occurredAt: daysAgo(1), subject: hostile, department: 'support', loggedBy: teammate },
    });
    const bg = fakeBackground([{ email: 'mallory@evil-example.com', contact: person, member: null }], {
      'contacts:timeline': () => ({ page: { items: [interaction('t', daysAgo(2), teammate, hostile)], nextCursor: null }, source: 'hub', offline: null }),
      'interactions:status': (req) => ({
        results: req.refs.map((ref) => ({ ref, loggedBy: [{ name: hostile, isMe: false, loggedAt: daysAgo(0) }], pending: null })),
        offline: null,
      }),
    });
    const { container } = render(<Sidebar context={page(hostile)} send={bg.send} refreshKey={0} />);
    await screen.findAllByText(/^Logged by/);
    const card = container.querySelector('[data-liaison="person"]')!;
    await within(card as HTMLElement).findByText('Team timeline');
    await screen.findByText((_, el) => el?.classList.contains('timeline__by') === true);

    expectIsolated(card.querySelector('.person__name')!, hostile, []);
    expectIsolated(card.querySelector('.person__meta')!, hostile, ['mallory@evil-example.com']);
    expectIsolated(card.querySelector('.person__owner')!, hostile, ['Owner:']);
    expectIsolated(card.querySelector('.last-touch')!, hostile, ['Last touch:', ' by ', ' · ']);
    expectIsolated(card.querySelector('.flag')!, hostile, ['Support:', ' · ']);
    expectIsolated(card.querySelector('.timeline__item')!, hostile, ['Support', 'Logged by ', ' · ']);
    for (const status of Array.from(container.querySelectorAll('[data-liaison="log-status"]'))) {
      expectIsolated(status, hostile, ['Logged by ', ' · ']);
    }
    const compose = container.querySelector('[data-liaison="compose"]')!;
    expectIsolated(compose.querySelector('.compose__subject')!, hostile, []);
    expectIsolated(compose.querySelector('.compose__to')!, hostile, ['To: ', ', ', 'Kim']);
  });

  it('isolates the hub’s reason for a refused or failing log', async () => {
    for (const [state, failing, words] of [
      ['parked', false, ['Not logged: ']],
      ['queued', true, ['Not logged yet — the hub keeps answering with an error: ', '. Liaison keeps trying.']],
    ] as const) {
      const bg = fakeBackground([], {
        'interactions:status': (req) => ({
          results: req.refs.map((ref) => ({
            ref,
            loggedBy: [],
            pending: { id: 'o', kind: 'log-interaction' as const, label: 'Email', sourceRef: ref, state, attempts: 3, createdAt: daysAgo(0), nextAttemptAt: null, lastError: HOSTILE.rlo, failing },
          })),
          offline: null,
        }),
      });
      const { container } = render(<Sidebar context={page('Renewal')} send={bg.send} refreshKey={0} />);
      await screen.findAllByText((_, el) => el?.getAttribute('data-liaison') === 'log-status');
      expectIsolated(container.querySelector('[data-liaison="log-status"]')!, HOSTILE.rlo, [...words]);
      cleanup();
    }
  });
});

describe('the prompt', () => {
  const question = (hostile: string, over: Partial<PromptQuestion> = {}): PromptQuestion => ({
    ref: 't-1',
    trigger: 'thread',
    subject: hostile,
    people: [
      { email: 'mallory@evil-example.com', name: hostile, company: hostile },
      { email: 'kim@evil-example.com', name: 'Kim', company: 'Evil' },
    ],
    unknown: ['mallory@evil-example.com', 'kim@evil-example.com'],
    neverAddresses: ['mallory@evil-example.com'],
    neverDomain: 'evil-example.com',
    ...over,
  });

  it.each(CASES)('isolates a hostile %s name and company in the question, the subject and "Not in the CRM yet"', (_, hostile) => {
    const { container } = render(<LogPrompt question={question(hostile)} answer={async () => ({ ok: true, state: 'queued' })} onClose={() => {}} />);
    expectIsolated(container.querySelector('[data-liaison="prompt-question"]')!, hostile, ['Log your conversation with ', ' (', ') and 1 more?']);
    expectIsolated(container.querySelector('.prompt__subject')!, hostile, ['Subject: ']);
    expectIsolated(container.querySelector('.prompt__unknown')!, hostile, ['Not in the CRM yet: ', ', ', 'Kim']);
    cleanup();
    const sent = render(<LogPrompt question={question(hostile, { trigger: 'send', people: [question(hostile).people[0]!] })} answer={async () => ({ ok: true, state: 'queued' })} onClose={() => {}} />);
    expectIsolated(sent.container.querySelector('[data-liaison="prompt-question"]')!, hostile, ['Log this email to ', '?']);
  });

  it('keeps the screen reader’s announcement as it was: plain text in a visually hidden live region', () => {
    expect(promptQuestionText(question('Jane Doe', { subject: 'x' }))).toBe('Log your conversation with Jane Doe (Jane Doe) and 1 more?');
  });
});

describe('the popup', () => {
  const me = (hostile: string): Me => ({ member: { ...ME.member, name: hostile }, team: { ...ME.team, name: hostile } });

  it.each(CASES)('isolates a hostile %s team, member, conversation and outbox entry, and wraps it', async (_, hostile) => {
    const unlogged: UnloggedItem = {
      ref: 'r1',
      subject: hostile,
      people: [
        { email: 'mallory@evil-example.com', name: hostile, company: hostile },
        { email: 'kim@evil-example.com', name: 'Kim', company: null },
      ],
      unknown: [],
      site: 'gmail',
      occurredAt: daysAgo(1),
      listedAt: daysAgo(1),
    };
    const waiting: OutboxItemView = {
      id: 'o1', kind: 'log-interaction', label: `Email · ${hostile}`, sourceRef: 'r2', state: 'parked', attempts: 1,
      createdAt: daysAgo(0), nextAttemptAt: null, lastError: hostile, failing: false,
    };
    const task = {
      id: 't1', title: hostile, dueAt: daysAgo(1), assignee: { ...sam, name: hostile }, contactId: 'c1', interactionId: null,
      createdBy: { ...sam, name: hostile }, createdAt: daysAgo(2), doneAt: null, doneBy: null,
      contact: { id: 'c1', name: hostile, email: 'mallory@evil-example.com' },
    };
    const { send } = fakeSend({
      'outbox:list': () => ({ items: [waiting] }),
      'tasks:list': () => ({ items: [task], offline: null }),
      'unlogged:list': () => ({ items: [unlogged], stats: { since: daysAgo(3), conversations: 0, logged: 0, prompted: 0, loggedFromPrompt: 0, dismissed: 0, listed: 0, loggedLater: 0 } }),
      'settings:test': () => ({ ok: true, me: me(hostile) }),
    });
    const { container } = render(<Popup send={send} version={0} openOptions={() => {}} confirm={() => true} />);
    await screen.findByText(/^Connected to/);
    await screen.findAllByText((_, el) => el?.classList.contains('reason') === true);
    expectIsolated(container.querySelector('[data-liaison="connection-status"]')!, hostile, ['Connected to ', ' as ']);
    const item = container.querySelector('[data-liaison="unlogged"] li')!;
    expectIsolated(item.querySelector('.label')!, hostile, []);
    expectIsolated(item.querySelector('.state')!, hostile, ['with ', ' (', '), ', 'Kim', ' · ']);
    const entry = container.querySelector('[data-liaison="outbox"] li')!;
    expectIsolated(entry.querySelector('.label')!, hostile, []);
    expectIsolated(entry.querySelector('.reason')!, hostile, ['Reason: ']);
    // My open tasks: the title, the contact it is about and the assignee, each in its own isolate.
    const mine = (await screen.findAllByText((_, el) => el?.getAttribute('data-liaison') === 'my-tasks'))[0]!.querySelector('li')!;
    expectIsolated(mine.querySelector('.label')!, hostile, []);
    expectIsolated(mine.querySelector('.state')!, hostile, []);
    expectIsolated(mine.querySelector('.task__meta')!, hostile, ['overdue since ', ' · ', 'for ']);
  });

  it('says why it is not connected with the reason isolated', async () => {
    const { send } = fakeSend({
      'outbox:list': () => ({ items: [] }),
      'tasks:list': () => ({ items: [], offline: null }),
      'unlogged:list': () => ({ items: [], stats: { since: daysAgo(3), conversations: 0, logged: 0, prompted: 0, loggedFromPrompt: 0, dismissed: 0, listed: 0, loggedLater: 0 } }),
      'settings:test': () => ({ ok: false, reason: { code: 'server-error', message: HOSTILE.rlo } }),
    });
    const { container } = render(<Popup send={send} version={0} openOptions={() => {}} confirm={() => true} />);
    await screen.findByText(/^Not connected/);
    expectIsolated(container.querySelector('[data-liaison="connection-status"]')!, HOSTILE.rlo, ['Not connected: ']);
  });
});

describe('the options page', () => {
  it.each(CASES)('isolates a hostile %s member, team, domain and reason', async (_, hostile) => {
    const view: SettingsView = {
      ...settings({ me: { member: { ...ME.member, name: hostile }, team: { ...ME.team, name: hostile } }, teamDomains: [hostile, 'northwind-demo.com'] }),
      detectedAccounts: [hostile],
    };
    const { send } = fakeSend({ 'settings:get': () => view });
    const { container } = render(<OptionsForm send={send} />);
    await screen.findByText(/^Signed in as/);
    expectIsolated(container.querySelector('[data-liaison="connection-status"]')!, hostile, ['Signed in as ', ' (Sales) · ']);
    expectIsolated(screen.getByText(/^Detected mail account:/), hostile, ['Detected mail account: ']);
    expectIsolated(screen.getByText(/^Your team's domains/), hostile, ["Your team's domains (from the hub): ", ', ', 'northwind-demo.com']);
  });
});

describe('the attendance panel', () => {
  const meeting = (hostile: string): MeetingInvite => ({
    uid: 'm-1@example.com',
    recurrenceId: null,
    sequence: 0,
    method: 'REQUEST',
    cancelled: false,
    title: hostile,
    start: '2026-11-19T14:00:00.000Z',
    end: '2026-11-19T15:00:00.000Z',
    organizer: { email: 'mallory@evil-example.com', name: hostile },
    attendees: [
      { email: 'mallory@evil-example.com', name: hostile, rsvp: 'accepted', organizer: true },
      { email: 'dana@northwind-demo.com', name: 'Dana Reyes', rsvp: 'accepted' },
    ],
  });

  it.each(CASES)('isolates a hostile %s title and attendee, also in the radio group’s name', (_, hostile) => {
    const { container } = render(
      <AttendanceCapture
        meeting={meeting(hostile)}
        source={{ site: 'gmail', sourceId: 'm1' }}
        send={fakeBackground([]).send}
        status={undefined}
        now={new Date('2026-11-19T14:05:00Z')}
        onLogged={() => {}}
      />,
    );
    expectIsolated(container.querySelector('.meeting__title')!, hostile, []);
    const row = container.querySelector('[data-liaison="attendee"]')!;
    expectIsolated(row.querySelector('.attendee__name')!, hostile, [' · organizer']);
    expectIsolated(row.querySelector('legend')!, hostile, ['Attendance of ']);
  });
});

describe('long unbroken text wraps instead of widening a panel', () => {
  const css = (file: string) => readFileSync(join(process.cwd(), file), 'utf8');
  it('every panel that shows page or hub text breaks words anywhere', () => {
    expect(css('components/sidebar/sidebar.css')).toMatch(/\.sidebar \* \{ overflow-wrap: anywhere; \}/);
    expect(css('components/prompt/prompt.css')).toMatch(/\.prompt \{[^}]*overflow-wrap: anywhere;/);
    expect(css('components/popup/popup.css')).toMatch(/\.popup \{[^}]*overflow-wrap: anywhere;/);
    expect(css('components/options/options.css')).toMatch(/form \{[^}]*overflow-wrap: anywhere;/);
    expect(css('components/attendance/attendance.css')).toMatch(/\.calendar-panel \{[^}]*overflow-wrap: anywhere;/);
  });
});
