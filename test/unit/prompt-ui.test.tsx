// @vitest-environment happy-dom
/**
 * The prompt as a user meets it: its wording, one-click Log, Log with note (outcome, follow-up task), Not now by
 * Esc, Never…, the controller that turns adapter events into questions, and the popup's Unlogged list.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LogPrompt, type LogPromptProps } from '../../components/prompt/LogPrompt';
import { Popup } from '../../components/popup/Popup';
import type { PageContext, ThreadContext } from '../../utils/adapters/types';
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';
import type { PromptQuestion, Request, UnloggedItem } from '../../utils/messaging/protocol';
import { createLeavePrompt } from '../../utils/prompt/leave-prompt';
import { loadFixture } from './helpers/gmail-fixture';
import { useLocale } from './helpers/i18n';
import { sentence } from './helpers/text';
import { settings } from './helpers/sidebar-data';
import { fakeSend } from './helpers/fake-send';

const question = (over: Partial<PromptQuestion> = {}): PromptQuestion => ({
  ref: 't-1',
  trigger: 'thread',
  subject: 'Renewal terms for 2027',
  people: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', company: 'Acme Corp' }],
  unknown: [],
  neverAddresses: ['jane.doe@acme-corp.com'],
  neverDomain: 'acme-corp.com',
  ...over,
});

function renderPrompt(q: PromptQuestion, answer: LogPromptProps['answer'] = async () => ({ ok: true, state: 'queued' })) {
  const spy = vi.fn(answer);
  const onClose = vi.fn();
  render(<LogPrompt question={q} answer={spy} onClose={onClose} today={new Date(2026, 10, 24, 10)} />);
  return { answer: spy, onClose };
}

describe('the prompt card', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useLocale('en');
  });
  afterEach(cleanup);

  it('asks about the person and company, and logs in one click', async () => {
    const { answer } = renderPrompt(question());
    expect(screen.getByRole('region', { name: 'Liaison: log this conversation?' })).toBeTruthy();
    expect(screen.getByText(sentence('Log your conversation with Jane Doe (Acme Corp)?'))).toBeTruthy();
    expect(screen.getByText(sentence('Subject: Renewal terms for 2027'))).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Log' }));
    await screen.findByText('Saved — it goes to the hub as soon as it can be reached.');
    expect(answer).toHaveBeenCalledTimes(1);
    expect(answer).toHaveBeenCalledWith('log', undefined);
  });

  it('words several people and a sent message', () => {
    renderPrompt(question({ people: [...question().people, { email: 'raj@acme-corp.com', name: null, company: 'Acme Corp' }] }));
    expect(screen.getByText(sentence('Log your conversation with Jane Doe (Acme Corp) and 1 more?'))).toBeTruthy();
    cleanup();
    renderPrompt(question({ trigger: 'send' }));
    expect(screen.getByText(sentence('Log this email to Acme Corp?'))).toBeTruthy();
  });

  it('offers "Add to CRM and log" for people the CRM does not know', () => {
    renderPrompt(question({ people: [{ email: 'bob@globex.example', name: 'Bob Stone', company: 'Globex' }], unknown: ['bob@globex.example'] }));
    expect(screen.getByRole('button', { name: 'Add to CRM and log' })).toBeTruthy();
    expect(screen.getByText(sentence('Not in the CRM yet: Bob Stone (Globex)'))).toBeTruthy();
  });

  it('logs with a note, an outcome and a follow-up task with its due date', async () => {
    const { answer } = renderPrompt(question());
    fireEvent.click(screen.getByRole('button', { name: 'Log with note…' }));
    fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Wants the revised quote' } });
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'positive' } });
    fireEvent.click(screen.getByLabelText('Add a follow-up task'));
    expect((screen.getByLabelText('Task') as HTMLInputElement).value).toBe('Follow up with Jane Doe');
    expect((screen.getByLabelText('Due') as HTMLInputElement).value).toBe('2026-11-27');
    fireEvent.submit(screen.getByRole('button', { name: 'Log' }).closest('form')!);
    await waitFor(() => expect(answer).toHaveBeenCalledTimes(1));
    const [kind, extras] = answer.mock.calls[0]!;
    expect(kind).toBe('log');
    expect(extras).toMatchObject({ note: 'Wants the revised quote', outcome: 'positive', followUp: { title: 'Follow up with Jane Doe' } });
    expect(new Date(extras!.followUp!.dueAt!).getDate()).toBe(27);
  });

  it('Esc means Not now; Never… offers the address and the domain', async () => {
    const { answer } = renderPrompt(question());
    fireEvent.keyDown(screen.getByRole('button', { name: 'Log' }), { key: 'Escape' });
    await screen.findByText('On your Unlogged conversations list (toolbar button).');
    expect(answer).toHaveBeenCalledWith('not-now', undefined);
    cleanup();
    const second = renderPrompt(question());
    fireEvent.click(screen.getByRole('button', { name: 'Never…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Never for anyone at acme-corp.com' }));
    await screen.findByText('Liaison will not ask about or log these addresses again.');
    expect(second.answer).toHaveBeenCalledWith('never-domain', undefined);
  });

  it('shows why an answer failed and lets the user try again; hostile text stays text', async () => {
    let fail = true;
    renderPrompt(question({ subject: '<img src=x onerror=alert(1)>', people: [{ email: 'x@evil.example', name: '<b>Eve</b>', company: null }] }), async () =>
      fail ? { ok: false, error: 'the hub is away' } : { ok: true, state: 'sent' },
    );
    expect(screen.getByText(sentence('Log your conversation with <b>Eve</b>?'))).toBeTruthy();
    expect(document.querySelector('img, b')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Log' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not do that: the hub is away');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Log' }));
    await screen.findByText('Logged.');
  });
});


describe('the prompt controller', () => {
  const page = detectGmailPage(loadFixture('2026-11-thread-3-messages.html'), 'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4e5f6');
  const thread = (page as Extract<PageContext, { kind: 'thread' }>).thread as ThreadContext;
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('tells the background about an open thread once, asks when it is left, and lists an unanswered question it replaces', async () => {
    const shown: (string | null)[] = [];
    const { send, sent } = fakeSend({
      'settings:get': () => settings(),
      'prompt:seen': () => ({ verdict: { ask: false, reason: 'never-log' } }),
      'prompt:left': (r) => ({ verdict: { ask: true, question: question({ ref: r.ref }) } }),
      'prompt:answer': () => ({ ok: true, outboxId: null, state: null }),
    });
    const verdicts: string[] = [];
    const prompt = createLeavePrompt({ send, show: (q) => shown.push(q?.ref ?? null), onVerdict: (ref, v) => verdicts.push(`${ref}:${v.ask ? 'ask' : v.reason}`), defer: (run) => run() });
    prompt.onChange(page);
    prompt.onChange(page); // the same thread, the same people: not again
    await flush();
    expect(sent.filter((r) => r.type === 'prompt:seen')).toHaveLength(1);
    expect(verdicts).toEqual(['18f3a1b2c3d4e5f6:never-log']);
    const seen = sent.find((r) => r.type === 'prompt:seen') as Request<'prompt:seen'>;
    expect(seen.candidate.draft).toMatchObject({ sourceRef: '18f3a1b2c3d4e5f6', subject: 'Renewal terms for 2027', summary: null });

    prompt.onThreadLeft(thread, 'navigation');
    await flush();
    await flush();
    expect(shown).toEqual(['18f3a1b2c3d4e5f6']);
    prompt.onThreadLeft({ ...thread, threadId: 'other-thread' }, 'navigation');
    await flush();
    await flush();
    expect(shown).toEqual(['18f3a1b2c3d4e5f6', 'other-thread']);
    expect(sent.filter((r) => r.type === 'prompt:answer')).toEqual([{ type: 'prompt:answer', ref: '18f3a1b2c3d4e5f6', answer: 'dismissed' }]);

    // The tab closing: the thread goes on the list without any UI or settings round trip first.
    prompt.onThreadLeft(thread, 'unload');
    expect(sent.at(-2)).toEqual({ type: 'prompt:left', ref: '18f3a1b2c3d4e5f6', reason: 'unload' });
  });

  it('asks after a message is sent, with the compose form as it was', async () => {
    const shown: (PromptQuestion | null)[] = [];
    const { send, sent } = fakeSend({
      'settings:get': () => settings(),
      'prompt:left': (r) => ({ verdict: { ask: true, question: question({ ref: r.ref, trigger: 'send' }) } }),
    });
    const prompt = createLeavePrompt({ send, show: (q) => shown.push(q) });
    prompt.onMessageSent({ site: 'gmail', composeId: 'draft:r-1', kind: 'popup', threadId: null, subject: 'Intro', recipients: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }] });
    await flush();
    await flush();
    const left = sent.find((r) => r.type === 'prompt:left') as Request<'prompt:left'>;
    expect(left).toMatchObject({ reason: 'sent', ref: 'gmail-compose:draft:r-1', candidate: { trigger: 'send', draft: { subject: 'Intro' } } });
    // Me first, then the recipient: the log names who wrote to whom.
    expect(left.candidate!.draft.participants.map((p) => p.email)).toEqual(['dana@northwind-demo.com', 'jane.doe@acme-corp.com']);
    expect(shown.map((q) => q?.trigger)).toEqual(['send']);
  });
});

describe('the popup’s Unlogged conversations', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useLocale('en');
  });
  afterEach(cleanup);

  const item = (ref: string, over: Partial<UnloggedItem> = {}): UnloggedItem => ({
    ref,
    subject: `Subject ${ref}`,
    people: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', company: 'Acme Corp' }],
    unknown: [],
    site: 'gmail',
    occurredAt: '2026-11-20T10:00:00.000Z',
    listedAt: '2026-11-20T11:00:00.000Z',
    ...over,
  });
  const stats = { since: '2026-11-23T00:00:00.000Z', conversations: 21, logged: 18, prompted: 12, loggedFromPrompt: 9, dismissed: 1, listed: 4, loggedLater: 2 };

  it('shows the week’s count and each waiting conversation, logs, dismisses and clears them', async () => {
    let items = [item('a'), item('b', { unknown: ['bob@globex.example'], people: [{ email: 'bob@globex.example', name: 'Bob Stone', company: 'Globex' }] })];
    const confirm = vi.fn(() => true);
    const { send, sent } = fakeSend({
      'outbox:list': () => ({ items: [] }),
      'settings:test': () => ({ ok: false, reason: { code: 'unreachable', message: 'the hub cannot be reached' } }),
      'unlogged:list': () => ({ items, stats }),
      'tasks:list': () => ({ items: [], offline: null }),
      'unlogged:log': (r) => {
        items = items.filter((i) => i.ref !== r.ref);
        return { ok: true, outboxId: 'o1', state: 'queued' };
      },
      'unlogged:dismiss': (r) => {
        items = items.filter((i) => i.ref !== r.ref);
        return { ok: true };
      },
      'unlogged:clear': () => {
        const cleared = items.length;
        items = [];
        return { cleared };
      },
    });
    render(<Popup send={send} version={0} openOptions={() => undefined} confirm={confirm} />);
    await screen.findByText('You logged 18 of 21 customer conversations this week.');
    expect(screen.getByText('Unlogged conversations')).toBeTruthy();
    expect(screen.getByText(sentence(/^with Jane Doe \(Acme Corp\)/))).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add to CRM and log: Subject b' }));
    await waitFor(() => expect(screen.queryByText('Subject b')).toBeNull());
    expect(sent).toContainEqual({ type: 'unlogged:log', ref: 'b' });
    items = [item('a'), item('c')];
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss: Subject a' }));
    await waitFor(() => expect(screen.queryByText('Subject a')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Clear the list' }));
    expect(confirm).toHaveBeenCalledWith('Remove every conversation from the list without logging it?');
    await screen.findByText('Nothing waiting: every customer conversation Liaison saw is logged or dismissed.');
  });
});
