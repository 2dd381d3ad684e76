/**
 * Issue 12 in the background: a contact action from the sidebar becomes one hub request in the outbox (stored before
 * the page is told, sent with one idempotency key however often it is retried, parked with the hub's reason when
 * refused), and once the hub answered, the cache the sidebar and the compose heads-up paint from says so. The team's
 * change counter is asked at most once per 20 s for every tab together, by ETag.
 */
import 'fake-indexeddb/auto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { actionRequest, applySentAction } from '../../utils/background/contact-actions';
import { createHandlers } from '../../utils/background/handlers';
import { createHubClient } from '../../utils/hub-client';
import type { ContactAction } from '../../utils/messaging/protocol';
import { createDispatcher, type Dispatch } from '../../utils/messaging/server';
import { createOutbox, type Outbox } from '../../utils/outbox';
import { openDB } from 'idb';
import { readContacts, readFlagged, writeContacts } from '../../utils/storage/cache';
import { openLiaisonDb, type LiaisonDb } from '../../utils/storage/db';
import { TEAM_VERSION_KEY } from '../../utils/storage/keys';
import { SETTINGS_KEY, storeToken } from '../../utils/storage/settings';
import type { ContactSummary, Flag, Task } from '../../shared/wire-types';
import { contact, sam } from './helpers/sidebar-data';
import { DANA, reply, startLocalHub, type LocalHub, type SeenRequest } from './helpers/local-hub';

const ORIGIN = 'chrome-extension://test-extension-id';
const GMAIL_TAB = { id: 'test-extension-id', url: 'https://mail.google.com/mail/u/0/#inbox/18f3a1', tab: { id: 7 } as never };

const jane = contact({ id: '11', emails: ['jane.doe@acme-corp.com'], name: 'Jane Doe', company: { id: '5', name: 'Acme Corp', domains: ['acme-corp.com'] } });
const flag = (over: Partial<Flag> = {}): Flag => ({
  id: '77', kind: 'open-service-issue', note: 'EU outage', open: true, setBy: sam, setAt: '2026-11-20T10:00:00.000Z', closedBy: null, closedAt: null,
  scope: 'contact', contactId: '11', company: null, until: null, resolution: null, ...over,
});
const task = (over: Partial<Task> = {}): Task => ({
  id: '9', title: 'Call Jane', dueAt: '2026-11-25T17:00:00.000Z', assignee: DANA, contactId: '11', interactionId: null, createdBy: DANA,
  createdAt: '2026-11-20T10:00:00.000Z', doneAt: null, doneBy: null, ...over,
});

describe('contact actions through the outbox', () => {
  let hub: LocalHub;
  let db: LiaisonDb;
  let outbox: Outbox;
  let dispatch: Dispatch;
  let kicks = 0;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  let n = 0;
  const act = (a: ContactAction, emails = ['jane.doe@acme-corp.com']) => dispatch({ type: 'contacts:act', act: a, about: { name: 'Jane Doe', emails } }, GMAIL_TAB);
  const writes = () => hub.seen.filter((r) => r.method !== 'GET' && r.path !== '/v1/lookup');
  /** The hub's answers to the writes issue 12 sends (the stand-in knows only logs and lookups). */
  const answerActions = (req: SeenRequest, res: ServerResponse): boolean => {
    if (req.path === '/v1/contacts/11/flags' || req.path === '/v1/companies/5/flags') return reply(res, 201, flag({ kind: (req.body as { kind: string }).kind }));
    if (req.path === '/v1/flags/77/close') return reply(res, 200, flag({ open: false, closedBy: DANA, closedAt: '2026-11-20T11:00:00.000Z', resolution: 'fixed' }));
    if (req.path === '/v1/contacts/11' && req.method === 'PATCH') return reply(res, 200, { ...jane, title: 'COO' });
    if (req.path === '/v1/tasks' && req.method === 'POST') return reply(res, 201, task());
    if (req.path === '/v1/tasks/9/complete') return reply(res, 200, task({ doneAt: '2026-11-20T12:00:00.000Z', doneBy: DANA }));
    return false;
  };

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    hub.override = answerActions;
    hub.seen.length = 0;
    kicks = 0;
    await fakeBrowser.storage.local.set({
      [SETTINGS_KEY]: { hubUrl: hub.url, neverLogAddresses: ['secret@acme-corp.com'] },
    });
    await storeToken(hub.token);
    db = await openLiaisonDb(`contact-actions-${++n}`);
    outbox = createOutbox({
      db,
      hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token }),
      now: () => clock,
      random: () => 0.5,
      actionSent: (entry, response) => applySentAction(db, entry, response, () => clock),
    });
    dispatch = createDispatcher(createHandlers({ db, outbox, kick: () => void kicks++, now: () => clock }), ORIGIN);
    await writeContacts(db, [{ email: 'jane.doe@acme-corp.com', contact: jane, member: null }], '2026-11-20T09:00:00.000Z');
  });

  it('maps each action to the one hub request that makes it', () => {
    expect(actionRequest({ action: 'raise-heads-up', contactId: '11', companyId: null, kind: 'churn-risk', note: 'x', until: null })).toEqual({
      method: 'POST', path: '/v1/contacts/11/flags', body: { kind: 'churn-risk', note: 'x', until: null },
    });
    expect(actionRequest({ action: 'raise-heads-up', contactId: '11', companyId: '5', kind: 'churn-risk', note: null, until: '2026-12-31T22:59:00.000Z' }).path).toBe('/v1/companies/5/flags');
    expect(actionRequest({ action: 'close-heads-up', flagId: '77', resolution: 'fixed' })).toEqual({ method: 'POST', path: '/v1/flags/77/close', body: { resolution: 'fixed' } });
    expect(actionRequest({ action: 'create-task', contactId: '11', title: 'Call', dueAt: null, assigneeId: null })).toEqual({
      method: 'POST', path: '/v1/tasks', body: { title: 'Call', dueAt: null, contactId: '11' },
    });
    expect(actionRequest({ action: 'complete-task', taskId: '9' })).toEqual({ method: 'POST', path: '/v1/tasks/9/complete', body: undefined });
    expect(actionRequest({ action: 'edit-contact', contactId: '11', title: 'COO', company: '' })).toEqual({ method: 'PATCH', path: '/v1/contacts/11', body: { title: 'COO', company: null } });
    expect(actionRequest({ action: 'set-owner', contactId: '11', ownerId: '1', expectedOwnerId: null })).toEqual({
      method: 'PUT', path: '/v1/contacts/11/owner', body: { ownerId: '1', expectedOwnerId: null },
    });
  });

  it('queues a heads-up in IndexedDB before answering, sends it once with one key, and the cached card shows it', async () => {
    const answer = await act({ action: 'raise-heads-up', contactId: '11', companyId: null, kind: 'open-service-issue', note: 'EU outage', until: null });
    expect(answer).toMatchObject({ ok: true, value: { state: 'queued' } });
    expect(kicks).toBe(1);
    const [item] = await outbox.list();
    expect(item).toMatchObject({ kind: 'contact-action', label: 'Heads-up · open service issue (Jane Doe)', state: 'queued' });
    // A second click on the same thing while it waits is the same entry.
    expect((await act({ action: 'raise-heads-up', contactId: '11', companyId: null, kind: 'open-service-issue', note: 'EU outage', until: null })).ok).toBe(true);
    expect(await outbox.list()).toHaveLength(1);
    expect(await outbox.flush()).toEqual({ sent: 1, retrying: 0, parked: 0 });
    expect(writes()).toHaveLength(1);
    expect(writes()[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const cached = (await readContacts(db, ['jane.doe@acme-corp.com'])).get('jane.doe@acme-corp.com')!;
    expect(cached.result.contact!.openFlags.map((f) => f.id)).toEqual(['77']);
    // Closing it takes it off the cached card.
    await act({ action: 'close-heads-up', flagId: '77', resolution: 'fixed' });
    await outbox.flush();
    expect((await readContacts(db, ['jane.doe@acme-corp.com'])).get('jane.doe@acme-corp.com')!.result.contact!.openFlags).toEqual([]);
  });

  it('keeps a change queued while the hub is down and the worker is gone, then delivers it exactly once under the same key', async () => {
    let down = true;
    hub.override = (req, res) => (down ? reply(res, 503, { error: { code: 'database_unavailable', message: 'down' } }) : answerActions(req, res));
    await act({ action: 'create-task', contactId: '11', title: 'Call Jane', dueAt: '2026-11-25T17:00:00.000Z', assigneeId: null });
    expect(await outbox.flush()).toEqual({ sent: 0, retrying: 1, parked: 0 });
    // A new worker: a new outbox over the same database.
    const next = createOutbox({ db, hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token }), now: () => clock, random: () => 0.5 });
    down = false;
    clock += 31 * 60_000;
    expect(await next.flush()).toEqual({ sent: 1, retrying: 0, parked: 0 });
    const posts = hub.seen.filter((r) => r.path === '/v1/tasks');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    expect(posts[1]!.body).toEqual({ title: 'Call Jane', dueAt: '2026-11-25T17:00:00.000Z', contactId: '11' });
  });

  it('parks an ownership change the hub refuses because someone else took the contact, with the hub’s reason', async () => {
    hub.override = (req, res) =>
      req.path === '/v1/contacts/11/owner'
        ? reply(res, 409, { error: { code: 'owner_changed', message: 'the owner changed meanwhile: Sam Lee owns this contact now', field: 'expectedOwnerId' } })
        : false;
    await act({ action: 'set-owner', contactId: '11', ownerId: '1', expectedOwnerId: null });
    expect(await outbox.flush()).toEqual({ sent: 0, retrying: 0, parked: 1 });
    expect((await outbox.list())[0]).toMatchObject({ state: 'parked', lastError: expect.stringContaining('Sam Lee owns this contact now') });
    expect(hub.seen.find((r) => r.path === '/v1/contacts/11/owner')!.method).toBe('PUT');
  });

  it('writes an edited contact into the cache, and keeps task lists in step', async () => {
    await act({ action: 'edit-contact', contactId: '11', title: 'COO', company: 'Acme Corp' });
    await outbox.flush();
    expect(hub.seen.find((r) => r.path === '/v1/contacts/11')!.method).toBe('PATCH');
    expect((await readContacts(db, ['jane.doe@acme-corp.com'])).get('jane.doe@acme-corp.com')!.result.contact!.title).toBe('COO');

    await db.put('meta', { items: [] }, 'tasks:contact:11');
    await db.put('meta', { items: [task()] }, 'tasks:mine');
    await act({ action: 'create-task', contactId: '11', title: 'Call Jane', dueAt: null, assigneeId: null });
    await outbox.flush();
    expect(((await db.get('meta', 'tasks:contact:11')) as { items: Task[] }).items.map((t) => t.id)).toEqual(['9']);
    await act({ action: 'complete-task', taskId: '9' });
    await outbox.flush();
    expect(((await db.get('meta', 'tasks:contact:11')) as { items: Task[] }).items).toEqual([]);
    expect(((await db.get('meta', 'tasks:mine')) as { items: Task[] }).items).toEqual([]);
  });

  it('never names or caches a never-log address', async () => {
    await act({ action: 'create-task', contactId: '11', title: 'Call', dueAt: null, assigneeId: null }, ['secret@acme-corp.com']);
    const [entry] = await db.getAll('outbox');
    expect(entry!.label).toBe('Task · Call');
    expect(entry!.cacheEmails).toEqual([]);
  });

  it('refuses a malformed action at the door, naming the field', async () => {
    const bad = await dispatch({ type: 'contacts:act', act: { action: 'raise-heads-up', contactId: '11', companyId: null, kind: 'DROP TABLE', note: null, until: null }, about: { name: null, emails: [] } }, GMAIL_TAB);
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('act.kind') });
    const unknown = await dispatch({ type: 'contacts:act', act: { action: 'delete-everything', contactId: '11' }, about: { name: null, emails: [] } }, GMAIL_TAB);
    expect(unknown.ok).toBe(false);
  });

  it('lists a contact’s tasks and mine from the hub, and from the cache when it is away', async () => {
    hub.override = (req, res) => (req.path.startsWith('/v1/tasks?') ? reply(res, 200, { items: [task()] }) : false);
    const fresh = await dispatch({ type: 'tasks:list', contactId: '11', mode: 'fresh' }, GMAIL_TAB);
    expect(fresh).toMatchObject({ ok: true, value: { items: [{ id: '9' }], offline: null } });
    expect(hub.seen.at(-1)!.path).toBe('/v1/tasks?status=open&assignee=all&contactId=11');
    await dispatch({ type: 'tasks:list', mine: true, mode: 'fresh' }, GMAIL_TAB);
    expect(hub.seen.at(-1)!.path).toBe('/v1/tasks?status=open&assignee=me');
    hub.override = (_req, res) => reply(res, 503, { error: { code: 'down', message: 'down' } });
    const offline = await dispatch({ type: 'tasks:list', contactId: '11', mode: 'fresh' }, GMAIL_TAB);
    expect(offline).toMatchObject({ ok: true, value: { items: [{ id: '9' }], offline: { code: 'server-error' } } });
  });

  it('asks the change counter at most once per 20 s, by ETag, and tells pages only when it moved', async () => {
    let version = '1.4';
    hub.override = (req, res) => {
      if (req.path !== '/v1/changes') return false;
      if (req.ifNoneMatch === `"${version}"`) {
        res.writeHead(304, { etag: `"${version}"` });
        res.end();
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${version}"` });
      res.end(JSON.stringify({ version, changedAt: null }));
      return true;
    };
    const check = async () => ((await dispatch({ type: 'changes:check' }, GMAIL_TAB)) as { value: { changed: boolean } }).value.changed;
    const asked = () => hub.seen.filter((r) => r.path === '/v1/changes');
    // The first answer is remembered, not news.
    expect(await check()).toBe(false);
    expect((await fakeBrowser.storage.local.get(TEAM_VERSION_KEY))[TEAM_VERSION_KEY]).toMatchObject({ version: '1.4', etag: '"1.4"' });
    clock += 5_000;
    expect(await check()).toBe(false);
    expect(asked()).toHaveLength(1);
    clock += 20_000;
    expect(await check()).toBe(false);
    expect(asked()).toHaveLength(2);
    expect(asked()[1]!.ifNoneMatch).toBe('"1.4"');
    version = '1.5';
    clock += 20_000;
    expect(await check()).toBe(true);
    expect((await fakeBrowser.storage.local.get(TEAM_VERSION_KEY))[TEAM_VERSION_KEY]).toMatchObject({ version: '1.5' });
  });

  it('offers the team’s members for owners and assignees, from the cache when the hub is away', async () => {
    hub.override = (req, res) =>
      req.path === '/v1/members' ? reply(res, 200, { items: [{ ...DANA, role: 'admin', createdAt: '2026-01-01T00:00:00Z' }, sam] }) : false;
    const first = await dispatch({ type: 'team:members' }, GMAIL_TAB);
    expect(first).toMatchObject({ ok: true, value: { items: [DANA, sam] } });
    expect(JSON.stringify(first)).not.toContain('admin');
    hub.override = (_req, res) => reply(res, 503, { error: { code: 'down', message: 'down' } });
    expect(await dispatch({ type: 'team:members' }, GMAIL_TAB)).toMatchObject({ ok: true, value: { items: [DANA, sam] } });
  });

  it('patches only the contact the answer is about', async () => {
    const other: ContactSummary = contact({ id: '12', emails: ['raj@acme-corp.com'], openFlags: [flag({ id: '1' })] });
    await writeContacts(db, [{ email: 'raj@acme-corp.com', contact: other, member: null }], '2026-11-20T09:00:00.000Z');
    await applySentAction(db, { cacheEmails: ['jane.doe@acme-corp.com'] } as never, flag({ id: '2', scope: 'company', contactId: null, company: { id: '5', name: 'Acme Corp' } }));
    const both = await readContacts(db, ['jane.doe@acme-corp.com', 'raj@acme-corp.com']);
    expect(both.get('jane.doe@acme-corp.com')!.result.contact!.openFlags.map((f) => f.id)).toEqual(['2']);
    expect(both.get('raj@acme-corp.com')!.result.contact!.openFlags.map((f) => f.id)).toEqual(['1']);
  });
});

describe('the cached contacts with a heads-up that matters before writing', () => {
  let n = 0;
  const flagged = (email: string, kind: string, over: Partial<Flag> = {}) => ({
    email,
    contact: contact({ id: email, emails: [email], openFlags: [flag({ kind, ...over })] }),
    member: null,
  });

  it('follow every cache write: in when one is raised, out when it closes, never for a key account', async () => {
    const db = await openLiaisonDb(`flagged-${++n}`);
    await writeContacts(db, [flagged('a@x.example', 'do-not-contact'), flagged('b@x.example', 'key-account'), flagged('c@x.example', 'churn-risk', { until: '2020-01-01T00:00:00.000Z' })], '2026-11-20T10:00:00.000Z');
    expect((await readFlagged(db)).map((c) => c.email)).toEqual(['a@x.example']);
    await writeContacts(db, [{ email: 'a@x.example', contact: contact({ id: 'a', emails: ['a@x.example'] }), member: null }], '2026-11-20T11:00:00.000Z');
    expect(await readFlagged(db)).toEqual([]);
  });

  it('are answered to a page without the never-log addresses', async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: 'http://127.0.0.1:9', neverLogDomains: ['secret.example'] } });
    const db = await openLiaisonDb(`flagged-${++n}`);
    await writeContacts(db, [flagged('a@x.example', 'open-service-issue'), flagged('b@secret.example', 'do-not-contact')], '2026-11-20T10:00:00.000Z');
    const outbox = createOutbox({ db, hub: async () => createHubClient({ hubUrl: 'http://127.0.0.1:9', token: 't' }) });
    const dispatch = createDispatcher(createHandlers({ db, outbox, kick: () => undefined }), ORIGIN);
    const answer = await dispatch({ type: 'contacts:flagged' }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: true });
    expect((answer as { value: { results: { email: string }[] } }).value.results.map((r) => r.email)).toEqual(['a@x.example']);
  });

  it('are filled from what the cache already holds when an older database is upgraded', async () => {
    const name = `flagged-upgrade-${++n}`;
    const old = await openDB(name, 2, { upgrade: (d) => void d.createObjectStore('contacts', { keyPath: 'email' }) });
    await old.put('contacts', { email: 'a@x.example', result: flagged('a@x.example', 'billing-issue'), fetchedAt: '2026-11-20T10:00:00.000Z' });
    await old.put('contacts', { email: 'b@x.example', result: flagged('b@x.example', 'key-account'), fetchedAt: '2026-11-20T10:00:00.000Z' });
    old.close();
    const db = await openLiaisonDb(name);
    expect((await readFlagged(db)).map((c) => c.email)).toEqual(['a@x.example']);
  });
});
