/**
 * The leave/send prompt's background: the real dispatcher, handlers, outbox and IndexedDB (fake-indexeddb),
 * talking HTTP to a local stand-in hub. What a user would notice: whether Liaison asks, what one click records,
 * what lands on the Unlogged list and on the badge, and the week's counts.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { refreshBadge } from '../../utils/background/badge';
import { adoptionStats, weekStart } from '../../utils/background/conversations';
import { createHandlers } from '../../utils/background/handlers';
import { createHubClient } from '../../utils/hub-client';
import type { ConversationCandidate, PromptVerdict } from '../../utils/messaging/protocol';
import { createDispatcher, type Dispatch } from '../../utils/messaging/server';
import { createOutbox } from '../../utils/outbox';
import { openLiaisonDb, type LiaisonDb } from '../../utils/storage/db';
import { loadSettings, SETTINGS_KEY, storeToken } from '../../utils/storage/settings';
import type { AdoptionRecord } from '../../utils/storage/types';
import { contact, dana, sam } from './helpers/sidebar-data';
import { reply, startLocalHub, type LocalHub } from './helpers/local-hub';

const ORIGIN = 'chrome-extension://test-extension-id';
const POPUP = { id: 'test-extension-id', url: `${ORIGIN}/popup.html` };
const GMAIL_TAB = { id: 'test-extension-id', url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 } as never };

const JANE = { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' };
const BOB = { email: 'bob@globex.example', name: 'Bob Stone' };
const ME = { email: 'dana@northwind-demo.com', name: 'Dana Reyes' };

const candidate = (ref: string, people = [JANE, ME], trigger: 'thread' | 'send' = 'thread'): ConversationCandidate => ({
  trigger,
  draft: { kind: 'email', occurredAt: '2026-11-20T09:58:00.000Z', subject: `Subject of ${ref}`, sourceSite: 'gmail', sourceRef: ref, participants: people },
});

describe('leave prompt in the background', () => {
  let hub: LocalHub;
  let db: LiaisonDb;
  let dispatch: Dispatch;
  let handlers: ReturnType<typeof createHandlers>;
  let loggedBy: Record<string, typeof sam[]> = {};
  let n = 0;

  async function call<T = any>(message: object, sender: object = GMAIL_TAB): Promise<T> {
    const answer = await dispatch(message, sender as never);
    if (!answer.ok) throw new Error(answer.error);
    return answer.value as T;
  }
  const verdict = async (message: object) => (await call<{ verdict: PromptVerdict }>(message)).verdict;
  const outboxBodies = async () => (await db.getAll('outbox')).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((e) => ({ kind: e.kind, body: e.request.body as any }));
  const badge = () => fakeBrowser.action.getBadgeText({});

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    loggedBy = {};
    // The hub knows Jane (Acme Corp) and nobody else; a thread is logged when `loggedBy` says so.
    hub.override = (req, res) => {
      if (req.path === '/v1/lookup') {
        const emails = (req.body as { emails: string[] }).emails;
        return reply(res, 200, {
          results: emails.map((email) => ({
            email,
            contact: email === JANE.email ? contact({ id: '11', name: 'Jane Doe', emails: [email], company: { id: '3', name: 'Acme Corp', domains: ['acme-corp.com'] } }) : null,
            member: email === ME.email ? dana : null,
          })),
        });
      }
      if (req.path === '/v1/interactions/logged') {
        const refs = (req.body as { refs: string[] }).refs;
        return reply(res, 200, {
          results: refs.filter((r) => loggedBy[r]).map((ref) => ({
            ref,
            interactionId: '99',
            loggers: loggedBy[ref]!.map((member) => ({ member, department: member.department, loggedAt: '2026-11-20T11:00:00.000Z', sourceSite: 'gmail', sourceRef: ref })),
          })),
        });
      }
      return false;
    };
    await fakeBrowser.storage.local.set({
      [SETTINGS_KEY]: { hubUrl: hub.url, teamDomains: ['northwind-demo.com'], myAddresses: [ME.email] },
    });
    await storeToken(hub.token);
    db = await openLiaisonDb(`leave-prompt-test-${++n}`);
    const outbox = createOutbox({ db, hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token }), signal: (w) => refreshBadge(db, w) });
    // kick does nothing: the outbox keeps what it was given, so we can read exactly what would be sent.
    handlers = createHandlers({ db, outbox, kick: () => undefined, changed: () => refreshBadge(db) });
    dispatch = createDispatcher(handlers, ORIGIN);
  });

  it('asks on leaving a customer thread, and one click queues exactly one log with the note and follow-up', async () => {
    const seen = await verdict({ type: 'prompt:seen', candidate: candidate('t-1') });
    expect(seen).toMatchObject({ ask: true, question: { ref: 't-1', people: [{ email: JANE.email, name: 'Jane Doe', company: 'Acme Corp' }], unknown: [] } });
    const left = await verdict({ type: 'prompt:left', ref: 't-1', reason: 'navigation', candidate: candidate('t-1') });
    expect(left).toMatchObject({ ask: true, question: { ref: 't-1', trigger: 'thread', neverAddresses: [JANE.email], neverDomain: 'acme-corp.com' } });
    expect((await db.get('conversations', 't-1'))?.state).toBe('prompted');

    const followUp = { title: 'Call Jane about the quote', dueAt: '2026-11-27T09:00:00.000Z' };
    const answer = await call({ type: 'prompt:answer', ref: 't-1', answer: 'log', note: 'Wants the revised quote', outcome: 'positive', followUp });
    expect(answer).toMatchObject({ ok: true, state: 'queued' });
    const bodies = await outboxBodies();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.body).toMatchObject({ sourceRef: 't-1', subject: 'Subject of t-1', summary: 'Wants the revised quote', outcome: 'positive', followUp });
    expect(await db.get('conversations', 't-1')).toBeUndefined();

    // Leaving it again: it waits in the outbox, so nothing is asked twice.
    expect(await verdict({ type: 'prompt:left', ref: 't-1', reason: 'navigation', candidate: candidate('t-1') })).toEqual({ ask: false, reason: 'pending-in-outbox' });
    const { items, stats } = await call({ type: 'unlogged:list' }, POPUP);
    expect(items).toEqual([]);
    expect(stats).toMatchObject({ conversations: 1, logged: 1, prompted: 1, loggedFromPrompt: 1, listed: 0 });
  });

  it('before Liaison is connected, takes the signed-in account’s domain for the team’s: a colleague is no customer', async () => {
    await fakeBrowser.storage.local.clear();
    await call({ type: 'account:detected', email: ME.email, site: 'gmail' });
    const internal = candidate('t-new', [ME, { email: 'sam@northwind-demo.com', name: 'Sam Lee' }]);
    expect(await verdict({ type: 'prompt:left', ref: 't-new', reason: 'navigation', candidate: internal })).toEqual({ ask: false, reason: 'no-external-people' });
    // A customer is still one.
    const customer = await verdict({ type: 'prompt:left', ref: 't-new2', reason: 'navigation', candidate: candidate('t-new2', [JANE, ME, { email: 'sam@northwind-demo.com', name: 'Sam Lee' }]) });
    expect(customer).toMatchObject({ ask: true, question: { people: [{ email: JANE.email }] } });
  });

  it('does not ask about a thread a teammate logged, an internal thread, or a no-reply sender', async () => {
    loggedBy['t-2'] = [sam];
    expect(await verdict({ type: 'prompt:seen', candidate: candidate('t-2') })).toEqual({ ask: false, reason: 'already-logged' });
    expect(await verdict({ type: 'prompt:left', ref: 't-2', reason: 'navigation', candidate: candidate('t-2') })).toEqual({ ask: false, reason: 'already-logged' });
    const internal = candidate('t-3', [ME, { email: 'sam@northwind-demo.com', name: 'Sam Lee' }]);
    expect(await verdict({ type: 'prompt:left', ref: 't-3', reason: 'navigation', candidate: internal })).toEqual({ ask: false, reason: 'no-external-people' });
    const robot = candidate('t-4', [{ email: 'no-reply@acme-corp.com', name: 'Acme' }, ME]);
    expect(await verdict({ type: 'prompt:left', ref: 't-4', reason: 'navigation', candidate: robot })).toEqual({ ask: false, reason: 'automated-sender' });
    // Logged by a teammate while it was open: the stale "open" record is dropped, nothing lands on the list.
    await verdict({ type: 'prompt:seen', candidate: candidate('t-5') });
    loggedBy['t-5'] = [sam];
    expect(await verdict({ type: 'prompt:left', ref: 't-5', reason: 'navigation', candidate: candidate('t-5') })).toMatchObject({ ask: false, reason: 'already-logged' });
    expect(await db.count('conversations')).toBe(0);
    expect(hub.seen.filter((r) => r.path === '/v1/interactions')).toHaveLength(0);
  });

  it('Not now, a replaced prompt and a closed tab put conversations on the list and the badge', async () => {
    await verdict({ type: 'prompt:seen', candidate: candidate('t-6', [BOB, ME]) });
    const asked = await verdict({ type: 'prompt:left', ref: 't-6', reason: 'navigation', candidate: candidate('t-6', [BOB, ME]) });
    expect(asked).toMatchObject({ ask: true, question: { unknown: [BOB.email], people: [{ name: 'Bob Stone', company: 'Globex' }] } });
    await call({ type: 'prompt:answer', ref: 't-6', answer: 'not-now' });
    expect(await badge()).toBe('1');

    await verdict({ type: 'prompt:seen', candidate: candidate('t-7') });
    await handlers.conversations.tabGone(7); // the tab was closed: the worker saw its port drop
    const { items } = await call({ type: 'unlogged:list' }, POPUP);
    expect(items.map((i: { ref: string }) => i.ref).sort()).toEqual(['t-6', 't-7']);
    expect(await badge()).toBe('2');
    // On the list already: leaving it again does not ask again.
    expect(await verdict({ type: 'prompt:left', ref: 't-7', reason: 'navigation', candidate: candidate('t-7') })).toEqual({ ask: false, reason: 'already-asked' });

    // Logged from the list: Bob is added to the CRM first, then the conversation is logged.
    expect(await call({ type: 'unlogged:log', ref: 't-6' }, POPUP)).toMatchObject({ ok: true });
    const bodies = await outboxBodies();
    expect(bodies.map((b) => b.kind)).toEqual(['create-contact', 'log-interaction']);
    expect(bodies[0]!.body).toMatchObject({ name: 'Bob Stone', company: 'Globex', emails: [BOB.email] });
    expect(await badge()).toBe('3'); // a contact and a log waiting in the outbox + one conversation on the list

    // Only the extension's own pages may drop conversations from the list.
    expect(await dispatch({ type: 'unlogged:clear' }, GMAIL_TAB as never)).toMatchObject({ ok: false });
    expect(await call({ type: 'unlogged:clear' }, POPUP)).toEqual({ cleared: 1 });
    const after = await call({ type: 'unlogged:list' }, POPUP);
    expect(after.items).toEqual([]);
    expect(after.stats).toMatchObject({ conversations: 2, logged: 1, loggedLater: 1, listed: 2, dismissed: 1, prompted: 1 });
  });

  it('a page that goes away lists what it had open; a browser restart lists what no tab reclaimed', async () => {
    await verdict({ type: 'prompt:seen', candidate: candidate('t-8') });
    await verdict({ type: 'prompt:left', ref: 't-8', reason: 'unload' });
    await verdict({ type: 'prompt:seen', candidate: candidate('t-9') });
    await handlers.conversations.sweep(new Set([7])); // tab 7 is still open: its thread stays "open"
    expect((await db.get('conversations', 't-9'))?.state).toBe('viewing');
    await handlers.conversations.sweep(null); // the browser started again: no tab of before survives
    expect((await db.getAll('conversations')).map((r) => [r.ref, r.state])).toEqual([
      ['t-8', 'listed'],
      ['t-9', 'listed'],
    ]);
  });

  it('"Never for anyone at acme-corp.com" goes on the never-log list and silences the prompt', async () => {
    await verdict({ type: 'prompt:left', ref: 't-10', reason: 'navigation', candidate: candidate('t-10') });
    expect(await call({ type: 'prompt:answer', ref: 't-10', answer: 'never-domain' })).toMatchObject({ ok: true });
    expect((await loadSettings()).neverLogDomains).toEqual(['acme-corp.com']);
    expect(await verdict({ type: 'prompt:left', ref: 't-11', reason: 'navigation', candidate: candidate('t-11') })).toEqual({ ask: false, reason: 'never-log' });
    expect(await outboxBodies()).toEqual([]);
  });

  it('honours the settings: off, and known contacts only', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: hub.url, teamDomains: ['northwind-demo.com'], promptMode: 'known-only' } });
    expect(await verdict({ type: 'prompt:left', ref: 't-12', reason: 'navigation', candidate: candidate('t-12', [BOB, ME]) })).toEqual({ ask: false, reason: 'unknown-people-only' });
    expect(await verdict({ type: 'prompt:left', ref: 't-13', reason: 'navigation', candidate: candidate('t-13', [JANE, BOB, ME]) })).toMatchObject({ ask: true, question: { people: [{ email: JANE.email }], unknown: [] } });
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: hub.url, promptMode: 'off' } });
    expect(await verdict({ type: 'prompt:left', ref: 't-14', reason: 'navigation', candidate: candidate('t-14') })).toEqual({ ask: false, reason: 'prompt-off' });
  });

  it('asks after Send with the message as written, and a sidebar log ends the question', async () => {
    const sent = await verdict({ type: 'prompt:left', ref: 'gmail-compose:draft:r-1', reason: 'sent', candidate: candidate('gmail-compose:draft:r-1', [ME, JANE], 'send') });
    expect(sent).toMatchObject({ ask: true, question: { trigger: 'send', subject: 'Subject of gmail-compose:draft:r-1' } });
    // The thread's own "seen" arriving after the Send question does not replace what is being asked about.
    await verdict({ type: 'prompt:seen', candidate: candidate('gmail-compose:draft:r-1') });
    const asked = await db.get('conversations', 'gmail-compose:draft:r-1');
    expect(asked).toMatchObject({ state: 'prompted', trigger: 'send', draft: { participants: [{ email: ME.email }, { email: JANE.email }] } });
    await verdict({ type: 'prompt:seen', candidate: candidate('t-15') });
    await call({ type: 'interactions:log', draft: candidate('t-15').draft });
    expect(await db.get('conversations', 't-15')).toBeUndefined();
    const { stats } = await call({ type: 'unlogged:list' }, POPUP);
    expect(stats).toMatchObject({ conversations: 2, logged: 1, prompted: 1, loggedFromPrompt: 0 });
  });
});

describe('adoption counts', () => {
  it('count this week from Monday, each conversation once by what became of it', () => {
    const wednesday = new Date(2026, 10, 25, 15, 0).getTime();
    const monday = weekStart(wednesday);
    expect(new Date(monday).getDay()).toBe(1);
    expect(new Date(monday).getDate()).toBe(23);
    const rec = (over: Partial<AdoptionRecord>): AdoptionRecord => ({ ref: 'x', seenAt: monday + 1, promptedAt: null, listedAt: null, outcome: null, endedAt: null, ...over });
    const stats = adoptionStats(
      [
        rec({ promptedAt: monday + 2, outcome: 'logged-prompt' }),
        rec({ promptedAt: monday + 2, listedAt: monday + 3, outcome: 'logged-later' }),
        rec({ outcome: 'logged-sidebar' }),
        rec({ listedAt: monday + 3 }),
        rec({ promptedAt: monday + 2, outcome: 'dismissed' }),
        rec({ seenAt: monday - 1, outcome: 'logged-prompt' }), // last week
      ],
      monday,
    );
    expect(stats).toMatchObject({ conversations: 5, logged: 3, prompted: 3, loggedFromPrompt: 1, listed: 2, loggedLater: 1, dismissed: 1 });
  });
});
