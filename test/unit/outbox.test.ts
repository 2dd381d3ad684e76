import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHubClient } from '../../utils/hub-client';
import {
  BACKOFF_MAX_MS,
  BACKOFF_MIN_MS,
  backoffDelayMs,
  createOutbox,
  OUTBOX_ALARM,
  OUTBOX_VERSION_KEY,
  type LogBody,
  type Outbox,
} from '../../utils/outbox';
import { openLiaisonDb, type LiaisonDb } from '../../utils/storage/db';
import { reply, startLocalHub, type LocalHub } from './helpers/local-hub';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function logBody(ref = 'thread-18f3a1'): LogBody {
  return {
    kind: 'email',
    occurredAt: '2026-11-20T09:58:00.000Z',
    subject: 'Renewal terms for 2027',
    summary: null,
    outcome: null,
    sourceSite: 'gmail',
    sourceRef: ref,
    participants: [{ email: 'jo@acme.example', name: 'Jo Park' }],
  };
}

describe('outbox', () => {
  let hub: LocalHub;
  let db: LiaisonDb;
  let dbName: string;
  let clock: number;
  let outbox: Outbox;
  let n = 0;

  const hubClient = async () => createHubClient({ hubUrl: hub.url, token: hub.token, timeoutMs: 5000 });
  const make = (database: LiaisonDb) =>
    createOutbox({ db: database, hub: hubClient, now: () => clock, random: () => 0.5, myMemberId: async () => '1' });
  const posts = () => hub.seen.filter((r) => r.method === 'POST' && r.path === '/v1/interactions');

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    hub.override = null;
    hub.seen.length = 0;
    hub.interactions.clear();
    clock = T0;
    dbName = `outbox-test-${++n}`;
    db = await openLiaisonDb(dbName);
    outbox = make(db);
  });

  it('sends a queued log once, and the thread then reads as logged by me', async () => {
    const queued = await outbox.enqueueLog(logBody(), 'Email · Renewal terms for 2027');
    expect(queued).toMatchObject({ state: 'queued', duplicate: false });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    expect(await outbox.flush()).toEqual({ sent: 1, retrying: 0, parked: 0 });
    expect(hub.interactions.size).toBe(1);
    expect((await db.get('outbox', queued.outboxId))?.state).toBe('sent');
    expect(await db.get('refs', 'thread-18f3a1')).toMatchObject({ interactionId: '1', mine: { loggedAt: '2026-11-20T10:42:00.000Z' } });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await outbox.list()).toEqual([]);
  });

  it('sends entries in the order they were made, even when made in the same millisecond', async () => {
    // The clock does not move: a contact and the logs after it are made "at once", as the Unlogged list does.
    await outbox.enqueueCreateContact({ name: 'Jo Park', emails: ['jo@acme.example'] } as never, 'Jo Park');
    for (let i = 0; i < 5; i++) await outbox.enqueueLog(logBody(`thread-same-ms-${i}`), `Email ${i}`);
    await outbox.flush();
    const sent = hub.seen.filter((r) => r.method === 'POST').map((r) => (r.path === '/v1/contacts' ? 'contact' : (r.body as LogBody).sourceRef));
    expect(sent).toEqual(['contact', ...Array.from({ length: 5 }, (_, i) => `thread-same-ms-${i}`)]);
  });

  it('retries after network failures and 5xx with the same idempotency key, on the backoff schedule', async () => {
    let failures = 3;
    hub.override = (req, res) => {
      if (req.path !== '/v1/interactions' || failures === 0) return false;
      failures -= 1;
      if (failures === 1) {
        res.socket?.destroy(); // the connection drops: a network error, not an HTTP answer
        return true;
      }
      return reply(res, 503, { error: { code: 'unavailable', message: 'restarting' } });
    };
    const { outboxId } = await outbox.enqueueLog(logBody(), 'Email · Renewal');

    const expectedDelays = [30_000, 60_000, 120_000];
    for (const delay of expectedDelays) {
      await outbox.flush();
      const entry = await db.get('outbox', outboxId);
      expect(entry?.state).toBe('queued');
      expect(entry?.nextAttemptAt).toBe(clock + delay);
      expect((await fakeBrowser.alarms.get(OUTBOX_ALARM))?.scheduledTime).toBe(clock + delay);
      // Not due yet: a flush (another message arriving) does not jump the queue.
      const before = posts().length;
      clock += delay - 1;
      await outbox.flush();
      expect(posts()).toHaveLength(before);
      clock += 1;
    }
    await outbox.flush();
    expect((await db.get('outbox', outboxId))?.state).toBe('sent');
    const keys = posts().map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(UUID);
    expect(hub.interactions.size).toBe(1);
    // Same key and the same body every time: the hub would call another body under the same key a conflict.
    expect(new Set(posts().map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('shows a write that keeps failing with a server error as failing, with the hub’s reason, and still retries it with the same key', async () => {
    let failing = true;
    hub.override = (req, res) =>
      failing && req.path === '/v1/interactions' && reply(res, 500, { error: { code: 'internal', message: 'database is read-only' } });
    const { outboxId } = await outbox.enqueueLog(logBody(), 'Email · Renewal');
    const views: { state: string; failing: boolean; lastError: string | null }[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await outbox.flush({ force: true });
      const [item] = await outbox.list();
      views.push({ state: item!.state, failing: item!.failing, lastError: item!.lastError });
      const entry = await db.get('outbox', outboxId);
      // Still retried on the backoff schedule, never parked.
      expect(entry?.state).toBe('queued');
      expect(entry?.nextAttemptAt).toBe(clock + backoffDelayMs(attempt, 0.5));
    }
    // A blip is not failing; a few attempts in a row are, and say the hub's own reason.
    expect(views.map((v) => v.failing)).toEqual([false, false, true, true, true]);
    expect(views.every((v) => v.state === 'queued' && v.lastError === 'database is read-only')).toBe(true);
    expect((await outbox.pendingByRef(['thread-18f3a1'])).get('thread-18f3a1')).toMatchObject({ failing: true, lastError: 'database is read-only' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    failing = false;
    await outbox.flush({ force: true });
    expect((await db.get('outbox', outboxId))?.state).toBe('sent');
    expect(hub.interactions.size).toBe(1);
    const keys = posts().map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(1);
  });

  it('counts only server errors in a row as failing: a network drop or a 429 in between starts again', async () => {
    const answers: (number | 'drop')[] = [503, 503, 'drop', 503, 429, 502, 502, 502];
    hub.override = (req, res) => {
      if (req.path !== '/v1/interactions') return false;
      const next = answers.shift() ?? 503;
      if (next === 'drop') {
        res.socket?.destroy();
        return true;
      }
      return reply(res, next, { error: { code: 'x', message: `answer ${next}` } });
    };
    await outbox.enqueueLog(logBody(), 'Email');
    const failing: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      await outbox.flush({ force: true });
      failing.push((await outbox.list())[0]!.failing);
    }
    expect(failing).toEqual([false, false, false, false, false, false, false, true]);
  });

  it('backs off exponentially from 30 s to a 30 min cap, with bounded jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelayMs(a, 0.5))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000,
    ]);
    for (const attempt of [1, 3, 6, 20]) {
      for (const r of [0, 0.25, 0.999]) {
        const d = backoffDelayMs(attempt, r);
        expect(d).toBeGreaterThanOrEqual(BACKOFF_MIN_MS); // Chrome will not fire an alarm sooner anyway
        expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
      }
    }
    expect(backoffDelayMs(3, 0)).toBeLessThan(backoffDelayMs(3, 0.999));
  });

  it('parks a log the hub refuses (4xx) with the hub’s reason and does not retry it', async () => {
    hub.override = (req, res) =>
      req.path === '/v1/interactions' &&
      reply(res, 400, { error: { code: 'invalid_body', message: 'not a valid email address', field: 'participants[0].email' } });
    const { outboxId } = await outbox.enqueueLog(logBody(), 'Email · Renewal');
    expect(await outbox.flush()).toEqual({ sent: 0, retrying: 0, parked: 1 });

    const [item] = await outbox.list();
    expect(item).toMatchObject({ id: outboxId, state: 'parked', lastError: 'not a valid email address (participants[0].email)' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    clock += BACKOFF_MAX_MS * 10;
    await outbox.flush({ force: true });
    expect(posts()).toHaveLength(1);
    expect(await fakeBrowser.alarms.get(OUTBOX_ALARM)).toBeUndefined();

    // The user fixes the cause and retries: the same entry and key go out again.
    hub.override = null;
    expect(await outbox.retry(outboxId)).toBe(true);
    await outbox.flush();
    expect(posts().map((r) => r.idempotencyKey)).toEqual([posts()[0]!.idempotencyKey, posts()[0]!.idempotencyKey]);
    expect((await db.get('outbox', outboxId))?.state).toBe('sent');
  });

  it('treats 429 and 401 as "try later", not as a refusal', async () => {
    for (const status of [429, 401]) {
      hub.override = (req, res) => req.path === '/v1/interactions' && reply(res, status, { error: { code: 'x', message: 'later' } });
      const { outboxId } = await outbox.enqueueLog(logBody(`ref-${status}`), 'Email');
      await outbox.flush();
      expect((await db.get('outbox', outboxId))?.state, `status ${status}`).toBe('queued');
    }
  });

  it('makes logging the same thread again a no-op while queued and after it was sent', async () => {
    const first = await outbox.enqueueLog(logBody(), 'Email');
    const again = await outbox.enqueueLog(logBody(), 'Email');
    expect(again).toEqual({ outboxId: first.outboxId, state: 'queued', duplicate: true });
    await outbox.flush();
    expect(await outbox.enqueueLog(logBody(), 'Email')).toEqual({ outboxId: first.outboxId, state: 'sent', duplicate: true });
    await outbox.flush();
    expect(posts()).toHaveLength(1);
    expect(await db.count('outbox')).toBe(1);
  });

  it('bumps the storage version pages watch whenever the outbox changes', async () => {
    const seen: unknown[] = [];
    fakeBrowser.storage.local.onChanged.addListener((changes) => {
      if (OUTBOX_VERSION_KEY in changes) seen.push(changes[OUTBOX_VERSION_KEY]?.newValue);
    });
    await outbox.enqueueLog(logBody(), 'Email');
    await outbox.flush();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('survives the worker being killed mid-send: the next instance resends the same key and the hub keeps one', async () => {
    let held: { destroy(): void } | null = null;
    // The hub commits the first request, but its answer never reaches the worker (the worker is killed).
    hub.override = (req, res) => {
      if (req.path !== '/v1/interactions' || held) return false;
      hub.interactions.set(req.idempotencyKey ?? '', { id: '1', body: req.body });
      held = res.socket!;
      return true;
    };
    const { outboxId } = await outbox.enqueueLog(logBody(), 'Email · Renewal');
    const dying = outbox.flush();
    await vi.waitFor(() => expect(held).not.toBeNull());
    expect((await db.get('outbox', outboxId))?.state).toBe('sending');

    // A new worker: fresh modules, a fresh connection to the same IndexedDB, nothing carried over in memory.
    vi.resetModules();
    const { createOutbox: createOutboxAgain } = await import('../../utils/outbox');
    const { openLiaisonDb: openAgain } = await import('../../utils/storage/db');
    const reborn = createOutboxAgain({ db: await openAgain(dbName), hub: hubClient, now: () => clock, random: () => 0.5 });
    expect(await reborn.flush()).toEqual({ sent: 1, retrying: 0, parked: 0 });

    // The old instance's request finally fails; its late failure must not undo the newer success.
    held!.destroy();
    await dying;
    const keys = posts().map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(hub.interactions.size).toBe(1);
    expect((await db.get('outbox', outboxId))?.state).toBe('sent');
    expect(await reborn.list()).toEqual([]);
  });

  it('keeps a queued log across a restart while the hub is down, and sends it when it is back', async () => {
    hub.override = (req, res) => {
      res.socket?.destroy();
      return true;
    };
    const { outboxId } = await outbox.enqueueLog(logBody(), 'Email');
    await outbox.flush();
    vi.resetModules();
    const { createOutbox: again } = await import('../../utils/outbox');
    const { openLiaisonDb: openAgain } = await import('../../utils/storage/db');
    const reborn = again({ db: await openAgain(dbName), hub: hubClient, now: () => clock, random: () => 0.5 });
    expect((await reborn.list()).map((i) => [i.id, i.state])).toEqual([[outboxId, 'queued']]);
    hub.override = null;
    // The hub answered something else: `force` sends without waiting out the backoff.
    expect(await reborn.flush({ force: true })).toEqual({ sent: 1, retrying: 0, parked: 0 });
    expect(new Set(posts().map((r) => r.idempotencyKey)).size).toBe(1);
  });
});
