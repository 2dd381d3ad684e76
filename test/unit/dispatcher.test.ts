import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../utils/background/handlers';
import { createHubClient } from '../../utils/hub-client';
import { sendMessage } from '../../utils/messaging/client';
import type { InteractionDraft } from '../../utils/messaging/protocol';
import { createDispatcher, listen, type Dispatch } from '../../utils/messaging/server';
import { createOutbox, type Outbox } from '../../utils/outbox';
import { openLiaisonDb, type LiaisonDb } from '../../utils/storage/db';
import { readToken, SETTINGS_KEY, storeToken } from '../../utils/storage/settings';
import { startLocalHub, type LocalHub } from './helpers/local-hub';

const ORIGIN = 'chrome-extension://test-extension-id';
const OPTIONS_PAGE = { id: 'test-extension-id', url: `${ORIGIN}/options.html` };
const GMAIL_TAB = { id: 'test-extension-id', url: 'https://mail.google.com/mail/u/0/#inbox/18f3a1', tab: { id: 7 } as never };

const draft = (ref = 'thread-1'): InteractionDraft => ({
  kind: 'email',
  occurredAt: '2026-11-20T09:58:00Z',
  subject: 'Renewal terms',
  sourceSite: 'gmail',
  sourceRef: ref,
  participants: [
    { email: 'Jo@Acme.example', name: 'Jo Park' },
    { email: 'counsel@lawfirm.example', name: 'Counsel' },
  ],
});

describe('background dispatcher', () => {
  let hub: LocalHub;
  let db: LiaisonDb;
  let outbox: Outbox;
  let dispatch: Dispatch;
  let n = 0;

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    hub.override = null;
    hub.seen.length = 0;
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: hub.url, neverLogDomains: ['lawfirm.example'] } });
    await storeToken(hub.token);
    db = await openLiaisonDb(`dispatcher-test-${++n}`);
    outbox = createOutbox({ db, hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token }) });
    // kick does nothing: as if the worker were killed right after answering.
    dispatch = createDispatcher(createHandlers({ db, outbox, kick: () => undefined }), ORIGIN);
  });

  it('rejects an unknown message type', async () => {
    expect(await dispatch({ type: 'token:get' }, GMAIL_TAB)).toEqual({ ok: false, error: 'unknown message type: token:get' });
    expect(await dispatch('settings:get', GMAIL_TAB)).toMatchObject({ ok: false });
  });

  it('rejects an invalid payload and names the field', async () => {
    const answer = await dispatch({ type: 'contacts:lookup', emails: ['jo@acme.example', 'not an address'], mode: 'cache' }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: false });
    expect(!answer.ok && answer.error).toContain('emails.1');
    const noMode = await dispatch({ type: 'contacts:lookup', emails: ['jo@acme.example'] }, GMAIL_TAB);
    expect(!noMode.ok && noMode.error).toContain('mode');
  });

  it('refuses settings changes from a content script and leaves settings as they were', async () => {
    const answer = await dispatch({ type: 'settings:save', hubUrl: 'https://evil.example', token: 'x' }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: false, error: expect.stringContaining('settings:save') });
    expect(await readToken()).toBe(hub.token);
    const stored = await fakeBrowser.storage.local.get(SETTINGS_KEY);
    expect((stored[SETTINGS_KEY] as { hubUrl: string }).hubUrl).toBe(hub.url);
  });

  it('refuses a connection test against another hub from a content script (it would carry the stored token there)', async () => {
    const answer = await dispatch({ type: 'settings:test', hubUrl: 'https://evil.example' }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: false });
    expect(await dispatch({ type: 'settings:test', token: 'guess' }, GMAIL_TAB)).toMatchObject({ ok: false });
    // A sender without a URL gets no more rights than a content script.
    expect(await dispatch({ type: 'settings:save', includeBody: true }, {})).toMatchObject({ ok: false });
    // A page on another extension's origin that merely starts like ours is not ours.
    expect(await dispatch({ type: 'settings:save', includeBody: true }, { url: `${ORIGIN}x/options.html` })).toMatchObject({ ok: false });
  });

  it('lets the options page save settings and test the connection; pages never see the token', async () => {
    const saved = await dispatch({ type: 'settings:save', myAddresses: ['Dana@Northwind-Demo.com'], includeBody: false }, OPTIONS_PAGE);
    expect(saved).toMatchObject({ ok: true, value: { hasToken: true } });
    expect(JSON.stringify(saved)).not.toContain(hub.token);
    const tested = await dispatch({ type: 'settings:test' }, OPTIONS_PAGE);
    expect(tested).toMatchObject({ ok: true, value: { ok: true, me: { member: { name: 'Dana Reyes' }, team: { name: 'Northwind Demo' } } } });
    const view = await dispatch({ type: 'settings:get' }, GMAIL_TAB);
    expect(view).toMatchObject({ ok: true, value: { teamDomains: ['northwind-demo.com'], hasToken: true } });
    expect(JSON.stringify(view)).not.toContain(hub.token);
  });

  it('saves what a successful connection test tested, when the options page asks; a failed test saves nothing', async () => {
    await fakeBrowser.storage.local.clear();
    await storeToken(null);
    // A newcomer: nothing saved yet. A wrong token first: refused, nothing stored.
    const refused = await dispatch({ type: 'settings:test', hubUrl: hub.url, token: 'lia_wrong', save: true }, OPTIONS_PAGE);
    expect(refused).toMatchObject({ ok: true, value: { ok: false, reason: { code: 'unauthorized' } } });
    expect(await readToken()).toBeNull();
    expect(await dispatch({ type: 'settings:get' }, OPTIONS_PAGE)).toMatchObject({ value: { hubUrl: '', hasToken: false, me: null } });

    const tested = await dispatch({ type: 'settings:test', hubUrl: `${hub.url}/`, token: hub.token, save: true }, OPTIONS_PAGE);
    expect(tested).toMatchObject({ ok: true, value: { ok: true, saved: true, me: { member: { name: 'Dana Reyes' } } } });
    expect(await readToken()).toBe(hub.token);
    const view = await dispatch({ type: 'settings:get' }, GMAIL_TAB);
    expect(view).toMatchObject({ ok: true, value: { hubUrl: hub.url, hasToken: true, teamDomains: ['northwind-demo.com'], me: { member: { name: 'Dana Reyes' } } } });
    expect(JSON.stringify(tested)).not.toContain(hub.token);
  });

  it('refuses "save what you test" from a content script', async () => {
    expect(await dispatch({ type: 'settings:test', save: true }, GMAIL_TAB)).toMatchObject({ ok: false, error: expect.stringContaining('settings:test') });
  });

  it('opens the options page for a content script (the sidebar’s "Connect…")', async () => {
    let opened = 0;
    fakeBrowser.runtime.openOptionsPage = async () => {
      opened += 1;
    };
    expect(await dispatch({ type: 'options:open' }, GMAIL_TAB)).toEqual({ ok: true, value: { ok: true } });
    expect(opened).toBe(1);
  });

  it('writes a log to IndexedDB before answering "queued", without never-log addresses', async () => {
    const answer = await dispatch({ type: 'interactions:log', draft: draft() }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: true, value: { state: 'queued', duplicate: false } });
    // Another connection (another worker instance) sees it at once: it is on disk, not in memory.
    const other = await openLiaisonDb(db.name);
    const [entry] = await other.getAll('outbox');
    expect(entry).toMatchObject({ state: 'queued', sourceRef: 'thread-1', attempts: 0 });
    expect(entry?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((entry?.request.body as { participants: unknown[] }).participants).toEqual([{ email: 'jo@acme.example', name: 'Jo Park' }]);
    expect(hub.seen).toHaveLength(0);
    // And the thread already reads as waiting.
    const status = await dispatch({ type: 'interactions:status', refs: ['thread-1'], mode: 'cache' }, GMAIL_TAB);
    expect(status).toMatchObject({ ok: true, value: { results: [{ ref: 'thread-1', pending: { state: 'queued' } }] } });
  });

  it('answers "not queued" when the write cannot be stored', async () => {
    db.close();
    const answer = await dispatch({ type: 'interactions:log', draft: draft() }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: false });
  });

  it('answers from cache with the reason when the hub is away, and reads "logged by you" after a sent log', async () => {
    await dispatch({ type: 'interactions:log', draft: draft() }, GMAIL_TAB);
    await outbox.flush();
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: 'http://127.0.0.1:9', neverLogDomains: [] } });
    const status = await dispatch({ type: 'interactions:status', refs: ['thread-1'], mode: 'fresh' }, GMAIL_TAB);
    expect(status).toMatchObject({
      ok: true,
      value: { offline: { code: 'unreachable' }, results: [{ ref: 'thread-1', pending: null, loggedBy: [{ isMe: true, name: 'Dana Reyes', loggedAt: '2026-11-20T10:42:00.000Z' }] }] },
    });
    const lookup = await dispatch({ type: 'contacts:lookup', emails: ['jo@acme.example'], mode: 'fresh' }, GMAIL_TAB);
    expect(lookup).toMatchObject({ ok: true, value: { source: 'cache', offline: { code: 'unreachable' } } });
  });

  it('never sends a never-log address to the hub for lookup', async () => {
    const answer = await dispatch(
      { type: 'contacts:lookup', emails: ['jo@acme.example', 'counsel@lawfirm.example'], mode: 'fresh' },
      GMAIL_TAB,
    );
    expect(answer).toMatchObject({ ok: true, value: { source: 'hub' } });
    expect(hub.seen.map((r) => r.body)).toEqual([{ emails: ['jo@acme.example'] }]);
  });

  it('unwraps answers for callers and turns a refusal into an Error with its message', async () => {
    const stop = listen(dispatch);
    const view = await sendMessage({ type: 'settings:get' });
    expect(view.hubUrl).toBe(hub.url);
    await expect(sendMessage({ type: 'outbox:retry', id: 'nope' })).resolves.toEqual({ ok: false });
    await expect(sendMessage({ type: 'settings:save', includeBody: true })).rejects.toThrow(/only accepted from the extension/);
    stop();
  });
});
