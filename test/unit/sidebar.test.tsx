// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sidebar } from '../../components/sidebar/Sidebar';
import type { LookupResult } from '../../shared/wire-types';
import type { PageContext, ThreadContext } from '../../utils/adapters/types';
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';
import type { InteractionDraft, Request } from '../../utils/messaging/protocol';
import { loadFixture } from './helpers/gmail-fixture';
import { useLocale } from './helpers/i18n';
import { sentence } from './helpers/text';
import { contact, dana, fakeBackground, interaction, sam, settings } from './helpers/sidebar-data';

const threadPage = detectGmailPage(
  loadFixture('2026-11-thread-3-messages.html'),
  'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4e5f6',
);
const thread = (threadPage as Extract<PageContext, { kind: 'thread' }>).thread;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

const jane = contact({
  id: 'c-jane',
  emails: ['jane.doe@acme-corp.com'],
  name: 'Jane Doe',
  title: 'VP Operations',
  company: { id: 'co-1', name: 'Acme Corp', domains: ['acme-corp.com'] },
  owner: dana,
  openFlags: [
    { id: 'f1', kind: 'open-service-issue', note: 'Outage on the 3rd', open: true, setBy: sam, setAt: daysAgo(2), closedBy: null, closedAt: null },
  ],
  lastInteraction: { id: 'i9', kind: 'call', occurredAt: daysAgo(3), subject: null, department: 'support', loggedBy: sam },
  countsByDepartment: { sales: 4, marketing: 0, support: 2, it: 0, leadership: 0, other: 0 },
  totalInteractions: 6,
  attendance: { meetings: 5, attended: 3, late: 1, noShow: 1, excused: 0, lastNoShowAt: '2026-03-12T10:00:00.000Z' },
});

const results: LookupResult[] = [
  { email: 'jane.doe@acme-corp.com', contact: jane, member: null },
  { email: 'raj.patel@acme-corp.com', contact: null, member: null },
  { email: 'sam@northwind-demo.com', contact: null, member: sam },
  { email: 'dana@northwind-demo.com', contact: null, member: dana },
];

function logCalls(calls: Request[]): InteractionDraft[] {
  return calls.filter((c): c is Request<'interactions:log'> => c.type === 'interactions:log').map((c) => c.draft);
}

beforeEach(() => useLocale('en'));
afterEach(cleanup);

describe('the sidebar on a thread', () => {
  it('is a landmark named Liaison showing only external participants, flagged people and flags first', async () => {
    const bg = fakeBackground(results);
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const sidebar = screen.getByRole('complementary', { name: 'Liaison' });
    await within(sidebar).findByRole('article', { name: 'Jane Doe' });
    const cards = within(sidebar).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['Jane Doe', 'Raj Patel']);
    expect(within(sidebar).queryByRole('article', { name: 'Sam Lee' })).toBeNull();
    expect(within(sidebar).queryByRole('article', { name: 'Dana Reyes' })).toBeNull();

    const janeCard = cards[0]!;
    const flag = within(janeCard).getByText(sentence('Support: open service issue · 2 days ago'));
    const lastTouch = within(janeCard).getByText(sentence(/^Last touch: Call by Sam Lee · 3 days ago$/));
    // The warning precedes everything else about the person.
    expect(flag.compareDocumentPosition(lastTouch) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(janeCard).getByText('VP Operations')).toBeTruthy();
    expect(within(janeCard).getByText('Acme Corp')).toBeTruthy();
    expect(within(janeCard).getByText(sentence('Owner: Dana Reyes'))).toBeTruthy();
    expect(within(janeCard).getByText('Sales 4')).toBeTruthy();
    expect(within(janeCard).getByText('Support 2')).toBeTruthy();
    expect(within(janeCard).queryByText(/^Marketing/)).toBeNull();
    expect(within(janeCard).getByText('Meetings attended: 4 of 5; late 1×; no-show Mar 12')).toBeTruthy();
  });

  it('paints cached data at once, then replaces it with fresh data', async () => {
    let releaseFresh!: () => void;
    const freshGate = new Promise<void>((r) => (releaseFresh = r));
    const bg = fakeBackground(results, {
      'contacts:lookup': async (req) => {
        if (req.mode === 'fresh') await freshGate;
        const title = req.mode === 'cache' ? 'Old title' : 'New title';
        return {
          results: [{ email: 'jane.doe@acme-corp.com', contact: { ...jane, title }, member: null }],
          source: req.mode === 'cache' ? 'cache' : 'hub',
          fetchedAt: null,
          offline: null,
        };
      },
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    expect(await screen.findByText('Old title')).toBeTruthy();
    releaseFresh();
    expect(await screen.findByText('New title')).toBeTruthy();
    expect(screen.queryByText('Old title')).toBeNull();
  });

  it('paints a thread whose people the page has seen in its first render, before the background answers', async () => {
    const bg = fakeBackground(results);
    const first = render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    await waitFor(() => expect(first.container.querySelector('[data-liaison="sidebar"]')!.getAttribute('data-source')).toBe('hub'));
    // The page shows the inbox (the sidebar goes away), then the thread again, while the service worker is asleep.
    first.unmount();
    const never = () => new Promise<never>(() => {});
    bg.handlers['settings:get'] = never;
    bg.handlers['contacts:lookup'] = never;
    bg.handlers['interactions:status'] = never;
    const again = render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const bar = again.container.querySelector('[data-liaison="sidebar"]')!;
    expect(bar.getAttribute('data-source')).toBe('cache');
    const card = within(bar as HTMLElement).getByRole('article', { name: 'Jane Doe' });
    expect(within(card).getByText(sentence('Support: open service issue · 2 days ago'))).toBeTruthy();
    expect(within(bar as HTMLElement).queryByRole('article', { name: 'Sam Lee' })).toBeNull(); // still a colleague
    again.unmount();
    // Another page (another background connection) has seen nobody yet.
    const other = fakeBackground(results, { 'settings:get': never, 'contacts:lookup': never });
    const fresh = render(<Sidebar context={threadPage} send={other.send} refreshKey={0} />);
    expect(within(fresh.container as HTMLElement).queryByRole('article', { name: 'Jane Doe' })).toBeNull();
  });

  it('marks cached data as offline, with the reason', async () => {
    const bg = fakeBackground(results, {
      'contacts:lookup': (req) => ({
        results,
        source: 'cache',
        fetchedAt: '2026-11-10T08:00:00.000Z',
        offline: req.mode === 'fresh' ? { code: 'unreachable', message: 'fetch failed' } : null,
      }),
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    expect(await screen.findByText(sentence('Offline — showing saved data: the hub cannot be reached'))).toBeTruthy();
    expect(screen.getByRole('article', { name: 'Jane Doe' })).toBeTruthy();
  });

  it('shows the team timeline newest first with departments and who logged, and pages with "Show more"', async () => {
    const bg = fakeBackground(results, {
      'contacts:timeline': (req) =>
        req.cursor === 'page-2'
          ? { page: { items: [interaction('t1', '2026-10-01T10:00:00.000Z', dana, 'First contact')], nextCursor: null }, source: 'hub', offline: null }
          : {
              page: {
                items: [
                  interaction('t2', '2026-11-01T10:00:00.000Z', dana, 'Proposal sent'),
                  interaction('t3', '2026-11-08T10:00:00.000Z', sam, 'Outage follow-up'),
                ],
                nextCursor: 'page-2',
              },
              source: 'hub',
              offline: null,
            },
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const timeline = await screen.findByRole('region', { name: 'Team timeline' });
    await within(timeline).findByText('Outage follow-up');
    const items = () => within(timeline).getAllByRole('listitem').map((li) => li.textContent);
    expect(items()[0]).toContain('Support');
    expect(items()[0]).toContain('Outage follow-up');
    expect(items()[0]).toContain('Logged by Sam Lee');
    expect(items()[1]).toContain('Proposal sent');
    fireEvent.click(within(timeline).getByRole('button', { name: 'Show more' }));
    await within(timeline).findByText('First contact');
    expect(items()).toHaveLength(3);
    expect(items()[2]).toContain('First contact');
    expect(within(timeline).queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('collapses to a tab and expands again, by keyboard-reachable button with aria-expanded', async () => {
    const bg = fakeBackground(results);
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const toggle = screen.getByRole('button', { name: 'Liaison' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.getElementById('liaison-sidebar-body')!.hidden).toBe(true);
    fireEvent.click(toggle);
    expect(document.getElementById('liaison-sidebar-body')!.hidden).toBe(false);
  });

  it('stays out of the way over a list whose only compose form is to colleagues', async () => {
    const bg = fakeBackground([]);
    const internal: PageContext = {
      kind: 'list',
      composes: [{ site: 'gmail', composeId: 'local:9', kind: 'popup', threadId: null, subject: 'Lunch', recipients: [{ email: 'sam@northwind-demo.com', name: 'Sam Lee' }] }],
    };
    const { container } = render(<Sidebar context={internal} send={bg.send} refreshKey={0} />);
    await waitFor(() => expect(bg.calls.some((c) => c.type === 'settings:get')).toBe(true));
    await new Promise((r) => setTimeout(r, 0));
    expect(container.innerHTML).toBe('');
  });

  it('renders nothing on a page it does not understand', () => {
    const bg = fakeBackground(results);
    const { container } = render(<Sidebar context={{ kind: 'none' }} send={bg.send} refreshKey={0} />);
    expect(container.innerHTML).toBe('');
    expect(bg.calls).toHaveLength(0);
  });
});

describe('a newcomer, not connected to a hub yet', () => {
  const notConfigured = { code: 'not-configured' as const, message: 'no hub URL or access token is set (see the options page)' };
  const newcomer = () =>
    fakeBackground([], {
      'settings:get': () => settings({ hubUrl: '', hasToken: false, me: null, teamDomains: [], myAddresses: [] }),
      'contacts:lookup': (req) => ({ results: [], source: 'cache', fetchedAt: null, offline: req.mode === 'fresh' ? notConfigured : null }),
      'interactions:status': (req) => ({
        results: req.refs.map((ref) => ({ ref, loggedBy: [], pending: null })),
        offline: req.mode === 'fresh' ? notConfigured : null,
      }),
      'options:open': () => ({ ok: true }),
    });

  it('says so in one line with a button that opens the options page through the background', async () => {
    const bg = newcomer();
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} account="dana@northwind-demo.com" />);
    const line = await screen.findByText('Not connected to a hub yet.');
    expect(line.closest('[data-liaison="not-connected"]')).toBeTruthy();
    expect(screen.queryByText(/^Offline/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Connect…' }));
    await waitFor(() => expect(bg.calls.some((c) => c.type === 'options:open')).toBe(true));
  });

  it('shows no "Loading…" that could never finish, and never a colleague as a customer', async () => {
    const bg = newcomer();
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} account="dana@northwind-demo.com" />);
    await screen.findByText('Not connected to a hub yet.');
    // Both lookups have answered (the fresh one: not configured): nothing is loading any more.
    await waitFor(() => expect(bg.calls.filter((c) => c.type === 'contacts:lookup')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
    // Sam Lee shares the signed-in account's domain: a colleague, even before the hub has said which domains are the team's.
    const people = screen.getAllByRole('article').map((a) => a.getAttribute('aria-label'));
    expect(people).toEqual(['Jane Doe', 'Raj Patel']);
  });

  it('does not take a free-mail account’s domain for the team’s', async () => {
    const bg = newcomer();
    const page = structuredClone(threadPage) as Extract<PageContext, { kind: 'thread' }>;
    page.thread.participants.push({ email: 'friend@gmail.com', name: 'A Friend' });
    render(<Sidebar context={page} send={bg.send} refreshKey={0} account="dana.private@gmail.com" />);
    await screen.findByRole('article', { name: 'A Friend' });
  });
});

describe('Add to CRM', () => {
  it('prefills name and company from the address for someone the hub does not know', async () => {
    const bg = fakeBackground(results);
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const raj = await screen.findByRole('article', { name: 'Raj Patel' });
    const form = await within(raj).findByRole('button', { name: 'Add to CRM' });
    expect((within(raj).getByLabelText('Name') as HTMLInputElement).value).toBe('Raj Patel');
    expect((within(raj).getByLabelText('Company') as HTMLInputElement).value).toBe('Acme Corp');
    fireEvent.input(within(raj).getByLabelText('Job title'), { target: { value: 'CTO' } });
    fireEvent.click(form);
    await within(raj).findByText('Saved — will be added when the hub is reachable');
    expect(bg.calls.filter((c) => c.type === 'contacts:create')).toEqual([
      { type: 'contacts:create', email: 'raj.patel@acme-corp.com', name: 'Raj Patel', company: 'Acme Corp', title: 'CTO' },
    ]);
  });

  it('leaves the company empty for free-mail addresses', async () => {
    const freeMailThread: ThreadContext = {
      ...thread,
      participants: [{ email: 'bob.smith@gmail.com', name: 'Bob Smith' }],
    };
    const bg = fakeBackground([{ email: 'bob.smith@gmail.com', contact: null, member: null }]);
    render(<Sidebar context={{ kind: 'thread', thread: freeMailThread, composes: [] }} send={bg.send} refreshKey={0} />);
    const bob = await screen.findByRole('article', { name: 'Bob Smith' });
    await within(bob).findByRole('button', { name: 'Add to CRM' });
    expect((within(bob).getByLabelText('Company') as HTMLInputElement).value).toBe('');
  });

  it('does not offer Add to CRM before the lookup has answered', async () => {
    const bg = fakeBackground(results, { 'contacts:lookup': () => new Promise(() => {}) });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const raj = await screen.findByRole('article', { name: 'Raj Patel' });
    expect(within(raj).queryByRole('button', { name: 'Add to CRM' })).toBeNull();
    expect(within(raj).getByText('Loading…')).toBeTruthy();
  });
});

describe('one-click logging', () => {
  it('logs the thread (no body) and then reads "Logged by you · HH:MM"; a second log is impossible', async () => {
    const bg = fakeBackground(results);
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const button = await screen.findByRole('button', { name: /^Log this/ });
    expect(button.textContent).toBe('Log this conversation');
    fireEvent.click(button);
    fireEvent.click(button);
    const status = await screen.findByText(sentence(/^Logged by you · \d{2}:\d{2}$/));
    expect(status.getAttribute('data-state')).toBe('logged-by-me');
    expect(screen.queryByRole('button', { name: /^Log this/ })).toBeNull();
    const drafts = logCalls(bg.calls);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toEqual({
      kind: 'email',
      occurredAt: thread.messages[2]!.date,
      subject: 'Renewal terms for 2027',
      summary: null,
      outcome: null,
      sourceSite: 'gmail',
      sourceRef: '18f3a1b2c3d4e5f6',
      participants: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
        { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel' },
        { email: 'sam@northwind-demo.com', name: 'Sam Lee' },
      ],
    });
    expect(JSON.stringify(drafts[0])).not.toContain('never leaves the browser');
  });

  it('sends the optional note and outcome from the expandable form', async () => {
    const bg = fakeBackground(results);
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const more = await screen.findByRole('button', { name: 'Add a note' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Wants a 2-year deal' } });
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'positive' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log this conversation' }));
    await screen.findByText(/^Logged by you/);
    expect(logCalls(bg.calls)[0]).toMatchObject({ summary: 'Wants a 2-year deal', outcome: 'positive' });
  });

  it('says "Queued" while the log waits in the outbox', async () => {
    const bg = fakeBackground(results, { 'interactions:log': () => ({ outboxId: 'o1', state: 'queued', duplicate: false }) });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    fireEvent.click(await screen.findByRole('button', { name: /^Log this/ }));
    expect(await screen.findByText('Queued — will send when the hub is reachable')).toBeTruthy();
  });

  it('shows a teammate’s earlier log and offers no second one', async () => {
    const at = new Date();
    at.setHours(9, 15, 0, 0);
    const bg = fakeBackground(results, {
      'interactions:status': (req) => ({
        results: req.refs.map((ref) => ({ ref, loggedBy: [{ name: 'Sam Lee', isMe: false, loggedAt: at.toISOString() }], pending: null })),
        offline: null,
      }),
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    expect(await screen.findByText(sentence('Logged by Sam Lee · 09:15'))).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Log this/ })).toBeNull();
  });

  it('shows why a parked log was refused', async () => {
    const bg = fakeBackground(results, {
      'interactions:status': (req) => ({
        results: req.refs.map((ref) => ({
          ref,
          loggedBy: [],
          pending: {
            id: 'o1', kind: 'log-interaction' as const, label: 'Email', sourceRef: ref, state: 'parked' as const,
            attempts: 1, createdAt: daysAgo(0), nextAttemptAt: null, lastError: 'participants[0].email is not an address', failing: false,
          },
        })),
        offline: null,
      }),
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    expect(await screen.findByText(sentence('Not logged: participants[0].email is not an address'))).toBeTruthy();
  });

  it('shows a log the hub keeps failing with a server error as failing, with the hub’s reason, not as "Queued"', async () => {
    const bg = fakeBackground(results, {
      'interactions:status': (req) => ({
        results: req.refs.map((ref) => ({
          ref,
          loggedBy: [],
          pending: {
            id: 'o1', kind: 'log-interaction' as const, label: 'Email', sourceRef: ref, state: 'queued' as const,
            attempts: 4, createdAt: daysAgo(0), nextAttemptAt: daysAgo(0), lastError: 'database is read-only', failing: true,
          },
        })),
        offline: null,
      }),
    });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    const status = await screen.findByText(sentence(/keeps answering with an error/));
    expect(status.textContent).toBe('Not logged yet — the hub keeps answering with an error: database is read-only. Liaison keeps trying.');
    expect(status.closest('[data-liaison="log-status"]')?.getAttribute('data-state')).toBe('failing');
    expect(screen.queryByText(/^Queued/)).toBeNull();
    expect(screen.queryByRole('button', { name: /^Log this/ })).toBeNull();
  });

  it('leaves out never-log addresses and domains', async () => {
    const bg = fakeBackground(results, { 'settings:get': () => settings({ neverLogAddresses: ['raj.patel@acme-corp.com'] }) });
    render(<Sidebar context={threadPage} send={bg.send} refreshKey={0} />);
    fireEvent.click(await screen.findByRole('button', { name: /^Log this/ }));
    await screen.findByText(/^Logged by you/);
    expect(logCalls(bg.calls)[0]!.participants.map((p) => p.email)).not.toContain('raj.patel@acme-corp.com');
  });

  it('offers "Log this email" for a compose popup and logs its recipients', async () => {
    const composePage = detectGmailPage(loadFixture('2026-11-compose-popup.html'), 'https://mail.google.com/mail/u/0/#inbox');
    const bg = fakeBackground([]);
    render(<Sidebar context={composePage} send={bg.send} refreshKey={0} readNow={() => composePage} />);
    const buttons = await screen.findAllByRole('button', { name: 'Log this email' });
    expect(buttons).toHaveLength(2);
    fireEvent.click(buttons[0]!);
    await screen.findByText(/^Logged by you/);
    const draft = logCalls(bg.calls)[0]!;
    expect(draft).toMatchObject({ kind: 'email', subject: 'Intro: Northwind x Acme', sourceSite: 'gmail', sourceRef: 'gmail-compose:draft:msg-a:r-4242424242' });
    expect(draft.participants.map((p) => p.email)).toEqual([
      'dana@northwind-demo.com',
      'jane.doe@acme-corp.com',
      'raj.patel@acme-corp.com',
      'sam@northwind-demo.com',
    ]);
  });
});
