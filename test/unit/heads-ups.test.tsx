// @vitest-environment happy-dom
/**
 * Issue 12 as a user meets it on the card and beside a compose window: raising a heads-up in two clicks (on the
 * person or the whole company), closing one with a resolution, the open tasks with one-click completion, editing
 * title and company, ownership, logging a call — each a request to the background (the outbox), never a page DOM
 * query — and the heads-up at compose: the kinds that matter before writing, "do not contact" first and loudest.
 * All of it with hostile text from the hub: a right-to-left override, a 500-character word, markup.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcement, ComposeHeadsUp, placeBeside, warningsFor } from '../../components/compose/ComposeHeadsUp';
import { MyTasks } from '../../components/popup/MyTasks';
import { PersonCard } from '../../components/sidebar/PersonCard';
import type { ContactSummary, Flag, Interaction, LookupResult, Task } from '../../shared/wire-types';
import type { ComposeContext } from '../../utils/adapters/types';
import type { ContactAction, OutboxItemView, Request } from '../../utils/messaging/protocol';
import { useLocale } from './helpers/i18n';
import { contact, dana, fakeBackground, interaction, sam } from './helpers/sidebar-data';
import { sentence } from './helpers/text';

const HOSTILE = { rlo: '\u202Egnp.exe Mallory', long: 'W'.repeat(500), script: '<script>alert(1)</script>' };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const daysAhead = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

const flag = (over: Partial<Flag> = {}): Flag => ({
  id: 'f1', kind: 'open-service-issue', note: 'Ticket 4711: EU outage', open: true, setBy: sam, setAt: daysAgo(2), closedBy: null, closedAt: null,
  scope: 'contact', contactId: 'c1', company: null, until: null, resolution: null, ...over,
});
const task = (over: Partial<Task> = {}): Task => ({
  id: 't1', title: 'Call Jane about the outage', dueAt: daysAhead(2), assignee: dana, contactId: 'c1', interactionId: null, createdBy: dana,
  createdAt: daysAgo(1), doneAt: null, doneBy: null, ...over,
});
const jane = (over: Partial<ContactSummary> = {}) =>
  contact({ id: 'c1', emails: ['jane.doe@acme-corp.com'], name: 'Jane Doe', title: 'VP Operations', company: { id: 'co1', name: 'Acme Corp', domains: ['acme-corp.com'] }, owner: sam, ...over });
const person = { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' };

function acts(calls: Request[]): ContactAction[] {
  return calls.filter((c): c is Request<'contacts:act'> => c.type === 'contacts:act').map((c) => c.act);
}

/**
 * A card with a background that queues every action as the real one does, and reports the outbox state. Dana is an
 * admin here unless a test says otherwise: most tests act on Sam's contact, which only its owner or an admin changes.
 */
function card(c: ContactSummary, over: Parameters<typeof fakeBackground>[1] = {}, refreshKey = 0, admin = true) {
  let outbox: OutboxItemView[] = [];
  const bg = fakeBackground([{ email: person.email, contact: c, member: null }], {
    'contacts:act': (req) => {
      outbox = [{ id: 'o9', kind: 'contact-action', label: req.act.action, sourceRef: null, state: 'queued', attempts: 0, createdAt: daysAgo(0), nextAttemptAt: null, lastError: null, failing: false }];
      return { outboxId: 'o9', state: 'queued' };
    },
    'outbox:list': () => ({ items: outbox }),
    ...over,
  });
  const view = render(<PersonCard person={person} contact={c} send={bg.send} refreshKey={refreshKey} onChanged={() => undefined} me={dana.id} admin={admin} />);
  return { bg, view, setOutbox: (items: OutboxItemView[]) => (outbox = items) };
}

/** Every text node holding `hostile` sits in a bidi isolate, and the card never parsed markup. */
function expectIsolated(root: Element, hostile: string) {
  const walker = root.ownerDocument.createTreeWalker(root, 4);
  let hits = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n as Text).data.includes(hostile)) continue;
    hits++;
    expect(n.parentElement?.closest('bdi, [dir="auto"]'), `${JSON.stringify(hostile.slice(0, 10))} isolated`).not.toBeNull();
  }
  expect(hits).toBeGreaterThan(0);
  expect(root.querySelector('script, img')).toBeNull();
}

beforeEach(() => useLocale('en'));
afterEach(cleanup);

describe('heads-ups on the card', () => {
  it('shows open heads-ups at the top: what, who raised it, their department and when, the note, until', () => {
    const until = daysAhead(10);
    card(jane({ openFlags: [flag({ until }), flag({ id: 'f2', kind: 'churn-risk', scope: 'company', contactId: null, company: { id: 'co1', name: 'Acme Corp' }, setBy: dana, setAt: daysAgo(1) })] }));
    const list = screen.getByRole('list', { name: 'Heads-ups' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['churn-risk', 'open-service-issue']);
    expect(within(items[0]!).getByText(sentence('Sales: churn risk · yesterday'))).toBeTruthy();
    expect(within(items[0]!).getByText(sentence('Everyone at Acme Corp'))).toBeTruthy();
    expect(within(items[1]!).getByText(sentence('Raised by Sam Lee'))).toBeTruthy();
    expect(within(items[1]!).getByText('Ticket 4711: EU outage')).toBeTruthy();
    expect(within(items[1]!).getByText(sentence(/^Until /))).toBeTruthy();
    // The warning precedes everything else about the person.
    const title = screen.getByText('VP Operations');
    expect(list.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('puts "do not contact" first, and leaves out a heads-up whose until date has passed', () => {
    card(jane({ openFlags: [flag({ id: 'a', setAt: daysAgo(0) }), flag({ id: 'b', kind: 'do-not-contact', setAt: daysAgo(9) }), flag({ id: 'c', until: daysAgo(1) })] }));
    const kinds = screen.getAllByRole('listitem').filter((li) => li.dataset.liaison === 'heads-up').map((li) => li.dataset.kind);
    expect(kinds).toEqual(['do-not-contact', 'open-service-issue']);
  });

  it('raises a heads-up in two clicks with the defaults, and says it is on its way', async () => {
    const { bg } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Raise a heads-up…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Raise a heads-up' }));
    await waitFor(() => expect(acts(bg.calls)).toHaveLength(1));
    expect(acts(bg.calls)[0]).toEqual({ action: 'raise-heads-up', contactId: 'c1', companyId: null, kind: 'open-service-issue', note: null, until: null });
    expect(bg.calls.find((c) => c.type === 'contacts:act')).toMatchObject({ about: { name: 'Jane Doe', emails: ['jane.doe@acme-corp.com'] } });
    expect(await screen.findByText('Sending…')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Raise a heads-up' })).toBeNull();
  });

  it('raises one on the whole company, with kind, note and until date', async () => {
    const { bg } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Raise a heads-up…' }));
    const form = screen.getByRole('form', { name: 'Raise a heads-up' });
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'billing-issue' } });
    fireEvent.click(within(form).getByRole('radio', { name: 'Everyone at Acme Corp' }));
    fireEvent.input(within(form).getByLabelText('Note for colleagues'), { target: { value: HOSTILE.script } });
    fireEvent.input(within(form).getByLabelText('Until (optional)'), { target: { value: '2026-12-31' } });
    fireEvent.submit(form);
    await waitFor(() => expect(acts(bg.calls)).toHaveLength(1));
    const sent = acts(bg.calls)[0] as Extract<ContactAction, { action: 'raise-heads-up' }>;
    expect(sent).toMatchObject({ companyId: 'co1', kind: 'billing-issue', note: HOSTILE.script });
    expect(new Date(sent.until!).getDate()).toBe(31);
  });

  it('closes a heads-up with a resolution note', async () => {
    const { bg } = card(jane({ openFlags: [flag()] }));
    fireEvent.click(screen.getByRole('button', { name: 'Close heads-up: open service issue (Sam Lee)' }));
    const form = screen.getByRole('form', { name: 'Close heads-up' });
    fireEvent.input(within(form).getByLabelText('What resolved it'), { target: { value: 'Fixed in 4.2' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Close heads-up' }));
    await waitFor(() => expect(acts(bg.calls)).toEqual([{ action: 'close-heads-up', flagId: 'f1', resolution: 'Fixed in 4.2' }]));
  });

  it('is operable from the keyboard: Esc closes an open form without sending anything', () => {
    const { bg } = card(jane({ openFlags: [flag()] }));
    fireEvent.click(screen.getByRole('button', { name: 'Raise a heads-up…' }));
    const form = screen.getByRole('form', { name: 'Raise a heads-up' });
    fireEvent.keyDown(within(form).getByLabelText('Note for colleagues'), { key: 'Escape' });
    expect(screen.queryByRole('form', { name: 'Raise a heads-up' })).toBeNull();
    expect(acts(bg.calls)).toEqual([]);
    expect(screen.getByRole('button', { name: 'Raise a heads-up…' }).getAttribute('aria-expanded')).toBe('false');
  });

  it.each(Object.entries(HOSTILE))('isolates a hostile %s in the raiser’s name, the note, the company and the resolution', (_, hostile) => {
    const teammate = { ...sam, name: hostile };
    const { view } = card(jane({ openFlags: [flag({ note: hostile, setBy: teammate }), flag({ id: 'f2', scope: 'company', company: { id: 'co1', name: hostile } })] }));
    const list = view.container.querySelector('[data-liaison="flags"]')!;
    expectIsolated(list, hostile);
    expect(list.querySelector('.flag')!.textContent).toContain('Raised by ');
  });

  it('says why the hub refused a change, in its own words, isolated', async () => {
    const { bg, view, setOutbox } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Make me the owner' }));
    await screen.findByText('Sending…');
    const reason = `${HOSTILE.rlo} owns this contact now`;
    setOutbox([{ id: 'o9', kind: 'contact-action', label: 'Owner', sourceRef: null, state: 'parked', attempts: 1, createdAt: daysAgo(0), nextAttemptAt: null, lastError: reason, failing: false }]);
    // The outbox moved: the page bumps its refresh key, and the status line asks again.
    view.rerender(<PersonCard person={person} contact={jane()} send={bg.send} refreshKey={1} onChanged={() => undefined} me={dana.id} />);
    const status = await screen.findByText(sentence(`Not saved: ${reason}`));
    expectIsolated(status, HOSTILE.rlo);
    setOutbox([]);
    view.rerender(<PersonCard person={person} contact={jane()} send={bg.send} refreshKey={2} onChanged={() => undefined} me={dana.id} />);
    expect(await screen.findByText('Saved for the team.')).toBeTruthy();
  });
});

describe('acting on the contact', () => {
  it('claims ownership with the owner the user saw, and hands the contact to a colleague', async () => {
    const { bg } = card(jane());
    expect(screen.getByText(sentence('Owner: Sam Lee'))).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Make me the owner' }));
    await waitFor(() => expect(acts(bg.calls)).toEqual([{ action: 'set-owner', contactId: 'c1', ownerId: '1', expectedOwnerId: '2' }]));
    fireEvent.click(screen.getByRole('button', { name: 'Hand over…' }));
    const form = screen.getByRole('form', { name: 'Hand this contact over' });
    await within(form).findByRole('option', { name: 'Dana Reyes' });
    fireEvent.change(within(form).getByLabelText('Hand over to'), { target: { value: '1' } });
    fireEvent.submit(form);
    await waitFor(() => expect(acts(bg.calls)[1]).toEqual({ action: 'set-owner', contactId: 'c1', ownerId: '1', expectedOwnerId: '2' }));
  });

  it('leaves a colleague’s contact to them: no Edit…, Hand over… or Make me the owner unless I own it, nobody does, or I am an admin', () => {
    const buttons = () => ['Edit…', 'Hand over…', 'Make me the owner'].filter((name) => screen.queryByRole('button', { name }));
    card(jane(), {}, 0, false);
    expect(buttons()).toEqual([]);
    // Logging and heads-ups stay open to everyone.
    expect(screen.getByRole('button', { name: 'Raise a heads-up…' })).toBeTruthy();
    cleanup();
    card(jane({ owner: null }), {}, 0, false);
    expect(buttons()).toEqual(['Edit…', 'Hand over…', 'Make me the owner']);
    cleanup();
    card(jane({ owner: dana }), {}, 0, false);
    expect(buttons()).toEqual(['Edit…', 'Hand over…']);
    cleanup();
    card(jane(), {}, 0, true);
    expect(buttons()).toEqual(['Edit…', 'Hand over…', 'Make me the owner']);
  });

  it('says "Owner: you" and offers no claim when I own the contact; "No owner yet" otherwise', () => {
    card(jane({ owner: dana }));
    expect(screen.getByText(sentence('Owner: you'))).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Make me the owner' })).toBeNull();
    cleanup();
    card(jane({ owner: null }));
    expect(screen.getByText('No owner yet')).toBeTruthy();
  });

  it('edits title and company, prefilled with what the hub knows', async () => {
    const { bg } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Edit…' }));
    const form = screen.getByRole('form', { name: 'Edit title and company' });
    expect((within(form).getByLabelText('Company') as HTMLInputElement).value).toBe('Acme Corp');
    fireEvent.input(within(form).getByLabelText('Job title'), { target: { value: ` ${HOSTILE.rlo} ` } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(acts(bg.calls)).toEqual([{ action: 'edit-contact', contactId: 'c1', title: HOSTILE.rlo, company: 'Acme Corp' }]));
  });

  it('logs a call with its outcome as an interaction of its own; submitting twice is one reference', async () => {
    const { bg } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Log a call…' }));
    const form = screen.getByRole('form', { name: 'Log a call' });
    fireEvent.input(within(form).getByLabelText('Note'), { target: { value: 'Promised credits' } });
    fireEvent.change(within(form).getByLabelText('Outcome'), { target: { value: 'positive' } });
    fireEvent.submit(form);
    await waitFor(() => expect(bg.calls.filter((c) => c.type === 'interactions:log')).toHaveLength(1));
    const draft = (bg.calls.find((c) => c.type === 'interactions:log') as Request<'interactions:log'>).draft;
    expect(draft).toMatchObject({ kind: 'call', summary: 'Promised credits', outcome: 'positive', sourceSite: 'liaison', participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }] });
    expect(draft.sourceRef).toMatch(/^liaison-call:[0-9a-f-]{36}$/);
    expect(draft.subject).toBeUndefined();
  });

  it('lists open tasks, overdue first, with due date and assignee, and completes one in one click', async () => {
    const tasks = [task({ id: 'later', title: 'Later', dueAt: daysAhead(5) }), task({ id: 'late', title: HOSTILE.rlo, dueAt: daysAgo(3), assignee: sam }), task({ id: 'undated', title: 'Someday', dueAt: null })];
    const { bg, view } = card(jane(), { 'tasks:list': () => ({ items: tasks, offline: null }) });
    const list = await screen.findByRole('region', { name: 'Open tasks' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.querySelector('.task__title')!.textContent)).toEqual([HOSTILE.rlo, 'Later', 'Someday']);
    expect(rows[0]!.querySelector('.task__meta--overdue')!.textContent).toMatch(/^overdue since .* · for Sam Lee$/);
    expectIsolated(rows[0]!, HOSTILE.rlo);
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Complete: Later' }));
    await waitFor(() => expect(acts(bg.calls)).toEqual([{ action: 'complete-task', taskId: 'later' }]));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(view.container.textContent).not.toContain('Later');
  });

  it('adds a task with a due date for a colleague the hub knows', async () => {
    const { bg } = card(jane());
    fireEvent.click(screen.getByRole('button', { name: 'Add a task…' }));
    const form = screen.getByRole('form', { name: 'Add a follow-up task' });
    await within(form).findByRole('option', { name: 'Sam Lee' });
    expect(within(form).queryByRole('option', { name: 'Dana Reyes' })).toBeNull();
    fireEvent.input(within(form).getByLabelText('Task'), { target: { value: 'Send the credit note' } });
    fireEvent.input(within(form).getByLabelText('Due (optional)'), { target: { value: '2026-12-03' } });
    fireEvent.change(within(form).getByLabelText('For'), { target: { value: '2' } });
    fireEvent.submit(form);
    await waitFor(() => expect(acts(bg.calls)).toHaveLength(1));
    expect(acts(bg.calls)[0]).toMatchObject({ action: 'create-task', contactId: 'c1', title: 'Send the credit note', assigneeId: '2' });
    expect(new Date((acts(bg.calls)[0] as { dueAt: string }).dueAt).getDate()).toBe(3);
  });

  it('shows a closed heads-up on the timeline among the interactions, with who closed it and the resolution', async () => {
    const closed = flag({ id: 'f9', open: false, closedBy: dana, closedAt: daysAgo(1), resolution: HOSTILE.script, setAt: daysAgo(5) });
    const items: Interaction[] = [interaction('i1', daysAgo(0), sam, 'Newest'), interaction('i2', daysAgo(3), sam, 'Older')];
    card(jane(), { 'contacts:timeline': () => ({ page: { items, nextCursor: null, endedFlags: [closed] }, source: 'hub', offline: null }) });
    const entry = await screen.findByText(sentence('Heads-up closed: open service issue'));
    const list = entry.closest('ol')!;
    const order = Array.from(list.children).map((li) => li.textContent);
    expect(order[0]).toContain('Newest');
    expect(order[1]).toContain('Heads-up closed');
    expect(order[2]).toContain('Older');
    expect(order[1]).toMatch(/Raised by Sam Lee, closed by Dana Reyes · /);
    expectIsolated(list.children[1]!, HOSTILE.script);
  });
});

describe('the heads-up beside a compose window', () => {
  const compose = (emails: string[]): ComposeContext => ({
    site: 'gmail', composeId: 'local:1', kind: 'inline', threadId: 't', subject: 'Re: Outage', recipients: emails.map((email) => ({ email, name: null })),
  });
  const known = (results: LookupResult[]) => (email: string) => results.find((r) => r.email === email);
  const raj = contact({ id: 'c2', emails: ['raj@acme-corp.com'], name: 'Raj Patel' });

  it('warns only about the kinds that matter before writing, open ones, a company’s once, "do not contact" first', () => {
    const company = flag({ id: 'co', kind: 'churn-risk', scope: 'company', company: { id: 'co1', name: 'Acme Corp' }, setAt: daysAgo(0) });
    const results: LookupResult[] = [
      { email: 'jane.doe@acme-corp.com', contact: jane({ openFlags: [flag(), flag({ id: 'k', kind: 'key-account' }), flag({ id: 'old', until: daysAgo(1) }), company] }), member: null },
      { email: 'raj@acme-corp.com', contact: { ...raj, openFlags: [flag({ id: 'dnc', kind: 'do-not-contact', setAt: daysAgo(30) }), company] }, member: null },
    ];
    const warnings = warningsFor(compose(['jane.doe@acme-corp.com', 'raj@acme-corp.com', 'new@acme-corp.com']), known(results));
    expect(warnings.map((w) => [w.flag.id, w.names])).toEqual([
      ['dnc', ['Raj Patel']],
      ['co', ['Jane Doe', 'Raj Patel']],
      ['f1', ['Jane Doe']],
    ]);
    expect(announcement(warnings[2]!)).toBe('Heads-up for Jane Doe: open service issue, raised by Sam Lee (Support) 2 days ago. Ticket 4711: EU outage');
    expect(warningsFor(compose(['jane.doe@acme-corp.com']), known([{ email: 'jane.doe@acme-corp.com', contact: jane({ openFlags: [flag({ kind: 'key-account' })] }), member: null }]))).toEqual([]);
  });

  it('shows who raised it, when and the note; "do not contact" is the loudest; Hide is a button', () => {
    const hidden: string[] = [];
    const warnings = [
      { flag: flag({ id: 'dnc', kind: 'do-not-contact', note: HOSTILE.rlo, setBy: { ...sam, name: HOSTILE.long } }), names: [HOSTILE.script] },
      { flag: flag(), names: ['Jane Doe'] },
    ];
    const { container } = render(<ComposeHeadsUp warnings={warnings} place={{ left: '10px', bottom: '10px' }} onHide={() => hidden.push('x')} />);
    const card = screen.getByRole('region', { name: 'Liaison: heads-up before you write' });
    expect(card.className).toContain('chu--dnc');
    expect(within(card).getByRole('heading').textContent).toBe('Do not contact');
    expect(card.querySelector('.flag')!.className).toContain('flag--do-not-contact');
    expect(within(card).getByText(sentence('To Jane Doe'))).toBeTruthy();
    expect(within(card).getAllByText(sentence('Support: open service issue · 2 days ago'))).toHaveLength(1);
    for (const hostile of Object.values(HOSTILE)) expectIsolated(card, hostile);
    expect(container.querySelector('b, script')).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Hide' }));
    expect(hidden).toEqual(['x']);
  });

  it('sits beside the window: left of a popup docked at the bottom right, under or above an inline reply, inside the viewport', () => {
    const viewport = { width: 1400, height: 900 };
    expect(placeBeside({ top: 400, left: 900, width: 500, height: 500 }, viewport)).toEqual({ left: '592px', bottom: '8px' });
    expect(placeBeside({ top: 500, left: 120, width: 700, height: 300 }, viewport)).toEqual({ left: '120px', bottom: '408px' });
    expect(placeBeside({ top: 20, left: -50, width: 700, height: 300 }, viewport)).toEqual({ left: '8px', top: '328px' });
    // An inline reply with the page empty below it: the card goes under it, covering none of the thread.
    expect(placeBeside({ top: 300, left: 40, width: 900, height: 200 }, viewport)).toEqual({ left: '40px', top: '508px' });
  });

  it('reads the same in Dutch', () => {
    useLocale('nl');
    render(<ComposeHeadsUp warnings={[{ flag: flag({ kind: 'do-not-contact' }), names: ['Jane Doe'] }]} place={{}} onHide={() => undefined} />);
    expect(screen.getByRole('region', { name: 'Liaison: waarschuwing voordat je schrijft' })).toBeTruthy();
    expect(screen.getByRole('heading').textContent).toBe('Geen contact opnemen');
    expect(screen.getByText(sentence('Gemeld door Sam Lee'))).toBeTruthy();
  });
});

describe('my open tasks in the popup', () => {
  it('lists my open tasks, overdue first, with the contact each is about', async () => {
    const items = [task({ id: 'a', title: 'Later', dueAt: daysAhead(3) }), task({ id: 'b', title: 'Overdue', dueAt: daysAgo(2), contact: { id: 'c1', name: HOSTILE.rlo, email: 'jane.doe@acme-corp.com' } })];
    const bg = fakeBackground([], { 'tasks:list': (req) => ({ items: req.mine ? items : [], offline: null }) });
    render(<MyTasks send={bg.send} version={0} />);
    const list = await screen.findByRole('list');
    await waitFor(() => expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.label')!.textContent)).toEqual(['Overdue', 'Later']));
    expectIsolated(list, HOSTILE.rlo);
    expect(list.querySelector('.task__meta--overdue')).not.toBeNull();
    expect(bg.calls.filter((c) => c.type === 'tasks:list').every((c) => (c as Request<'tasks:list'>).mine === true)).toBe(true);
  });
});
