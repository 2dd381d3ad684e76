// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsForm } from '../../components/options/OptionsForm';
import { Popup } from '../../components/popup/Popup';
import type { OutboxItemView, Request, SettingsView } from '../../utils/messaging/protocol';
import { useLocale } from './helpers/i18n';
import { sentence } from './helpers/text';
import { ME } from './helpers/local-hub';
import { type Answers, fakeSend } from './helpers/fake-send';

const VIEW: SettingsView = {
  hubUrl: 'http://127.0.0.1:8787',
  hasToken: false,
  myAddresses: [],
  neverLogDomains: ['lawfirm.example'],
  neverLogAddresses: [],
  includeBody: false,
  promptMode: 'all',
  askAboutUnknown: true,
  managed: [],
  teamDomains: [],
  me: null,
  detectedAccounts: ['dana@northwind-demo.com'],
};


describe('options page', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useLocale('en');
  });
  afterEach(cleanup);

  it('tests the typed hub URL and token, says who you are signed in as, and saves them: no separate Save', async () => {
    let view = VIEW;
    const { send, sent } = fakeSend({
      'settings:get': () => view,
      'settings:test': (r) => {
        view = { ...VIEW, hubUrl: r.hubUrl!, hasToken: true, me: ME, teamDomains: ['northwind-demo.com'] };
        return { ok: true, me: ME, saved: true };
      },
    });
    render(<OptionsForm send={send} />);
    const url = await screen.findByLabelText('Hub URL');
    // Something else being edited is not lost by the test's save.
    fireEvent.input(screen.getByLabelText('Never-log domains (one per line)'), { target: { value: 'lawfirm.example\nbank.example' } });
    fireEvent.input(url, { target: { value: 'http://localhost:8787' } });
    fireEvent.input(screen.getByLabelText('Access token'), { target: { value: 'demo-token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await screen.findByText(sentence('Signed in as Dana Reyes (Sales) · Northwind Demo'));
    expect(sent.find((r) => r.type === 'settings:test')).toEqual({ type: 'settings:test', hubUrl: 'http://localhost:8787', token: 'demo-token', save: true });
    await screen.findByText("Saved: Liaison is connected to this hub. Open Gmail or Outlook to see your team's history.");
    expect(sent.some((r) => r.type === 'settings:save')).toBe(false);
    expect((screen.getByLabelText('Access token') as HTMLInputElement).value).toBe('');
    expect(screen.getByText('A token is saved. Type a new one to replace it.')).toBeTruthy();
    expect((screen.getByLabelText('Hub URL') as HTMLInputElement).value).toBe('http://localhost:8787');
    expect((screen.getByLabelText('Never-log domains (one per line)') as HTMLTextAreaElement).value).toBe('lawfirm.example\nbank.example');
    expect(screen.getByText(sentence('Detected mail account: dana@northwind-demo.com'))).toBeTruthy();
  });

  it('shows why the connection failed', async () => {
    const { send } = fakeSend({
      'settings:get': () => VIEW,
      'settings:test': () => ({ ok: false, reason: { code: 'unauthorized', message: 'the hub refused the access token' } }),
    });
    render(<OptionsForm send={send} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Test connection' }));
    await screen.findByText(sentence('Could not connect: the hub refused the access token'));
    expect(screen.queryByText(/^Saved/)).toBeNull();
  });

  it('shows managed settings read-only and does not send them on save', async () => {
    const { send, sent } = fakeSend({
      'settings:get': () => ({ ...VIEW, managed: ['hubUrl', 'includeBody'] }),
      'settings:save': () => VIEW,
    });
    render(<OptionsForm send={send} />);
    const url = (await screen.findByLabelText('Hub URL')) as HTMLInputElement;
    expect(url.readOnly).toBe(true);
    expect((screen.getByLabelText('Include the message body when logging') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getAllByText('Set by your administrator')).toHaveLength(2);
    fireEvent.input(screen.getByLabelText('Never-log addresses (one per line)'), { target: { value: 'Boss@Corp.example\n\n ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const save = sent.find((r) => r.type === 'settings:save') as Request<'settings:save'>;
    expect(save).not.toHaveProperty('hubUrl');
    expect(save).not.toHaveProperty('includeBody');
    expect(save).not.toHaveProperty('token');
    expect(save.neverLogAddresses).toEqual(['boss@corp.example']);
  });
});

/** The popup's other lists, empty: these tests are about the outbox. */
const EMPTY_LISTS: Answers = {
  'tasks:list': () => ({ items: [], offline: null }),
  'unlogged:list': () => ({
    items: [],
    stats: { since: '2026-11-23T00:00:00.000Z', conversations: 0, logged: 0, prompted: 0, loggedFromPrompt: 0, dismissed: 0, listed: 0, loggedLater: 0 },
  }),
};

describe('popup', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useLocale('en');
  });
  afterEach(cleanup);

  const parked: OutboxItemView = {
    id: 'a',
    kind: 'log-interaction',
    label: 'Email · <img src=x onerror=alert(1)>',
    sourceRef: 't1',
    state: 'parked',
    attempts: 1,
    createdAt: '2026-11-20T10:00:00Z',
    nextAttemptAt: null,
    lastError: 'not a valid email address (participants[0].email)',
    failing: false,
  };

  it('lists what waits with the hub’s reason, as text, and retries or discards it', async () => {
    let items = [parked];
    const { send, sent } = fakeSend({
      'outbox:list': () => ({ items }),
      ...EMPTY_LISTS,
      'settings:test': () => ({ ok: false, reason: { code: 'unreachable', message: 'the hub cannot be reached' } }),
      'outbox:retry': () => ({ ok: true }),
      'outbox:discard': () => {
        items = [];
        return { ok: true };
      },
    });
    const { container } = render(<Popup send={send} version={0} openOptions={() => undefined} confirm={() => true} />);
    await screen.findByText(sentence('Reason: not a valid email address (participants[0].email)'));
    await screen.findByText(sentence('Not connected: the hub cannot be reached'));
    expect(screen.getByText('Email · <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Retry/ }));
    await waitFor(() => expect(sent.some((r) => r.type === 'outbox:retry')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: /^Discard/ }));
    await screen.findByText('Nothing waiting: everything you logged has reached the hub.');
  });

  it('shows a write the hub keeps failing with a server error as failing, with its reason and the next try', async () => {
    const failing: OutboxItemView = {
      ...parked,
      id: 'b',
      label: 'Email · Renewal terms',
      state: 'queued',
      attempts: 4,
      nextAttemptAt: '2026-11-20T10:04:00Z',
      lastError: 'database is read-only',
      failing: true,
    };
    const { send } = fakeSend({
      'outbox:list': () => ({ items: [failing] }),
      ...EMPTY_LISTS,
      'settings:test': () => ({ ok: true, me: { member: { id: '1', name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales', role: 'admin', createdAt: '2026-01-01T00:00:00Z' }, team: { id: '1', name: 'Northwind Demo', domains: [] } } }),
    });
    const { container } = render(<Popup send={send} version={0} openOptions={() => undefined} confirm={() => true} />);
    await screen.findByText(sentence('Reason: database is read-only'));
    const item = container.querySelector('[data-liaison="outbox"] li')!;
    expect(item.getAttribute('data-state')).toBe('failing');
    expect(item.textContent).toMatch(/Failing — the hub keeps answering with an error; still retrying · next try at/);
    expect(item.textContent).not.toMatch(/Queued/);
    // Still retried by itself; the user may also retry now.
    expect(screen.getByRole('button', { name: /^Retry/ })).toBeTruthy();
  });
});
