/**
 * The outbox: every write the user makes (log an interaction, add a contact) is stored in IndexedDB before the
 * UI is told "queued", then sent to the hub with an idempotency key made once at enqueue and reused on every
 * retry. The MV3 service worker can be killed at any moment, so all state is in IndexedDB; the only thing kept
 * in memory is "a flush is running in this instance", which dies with the instance — and then the next
 * instance treats an entry left in 'sending' as not sent and sends it again under the same key, which the hub
 * recognises. Never lost, never doubled.
 *
 * Retries: network trouble, timeouts, 5xx, 408, 429 and 401/403 (a settings problem, not the entry's) retry
 * with exponential backoff and jitter, driven by `browser.alarms` (Chrome's minimum alarm delay is 30 s, so
 * the schedule starts there). Any other 4xx parks the entry with the hub's reason: retrying cannot help, and
 * the popup shows it with Retry and Discard. A 5xx may pass (a restart, a deploy) or may not (a bug, a full
 * disk): after FAILING_AFTER of them in a row the entry shows as failing with the hub's own reason — in the
 * sidebar and the popup — and is still retried, under the same key, until the hub takes it.
 */
import { browser } from 'wxt/browser';
import type { ContactSummary, Interaction, LogInteractionResponse } from '../shared/wire-types';
import { HubError, type HubClient } from './hub-client';
import type { InteractionDraft, OutboxItemView, OutboxState } from './messaging/protocol';
import type { LiaisonDb } from './storage/db';
import type { OutboxEntry } from './storage/types';

export const OUTBOX_ALARM = 'liaison:outbox';
import { OUTBOX_VERSION_KEY } from './storage/keys';

export { OUTBOX_VERSION_KEY };

export const BACKOFF_MIN_MS = 30_000;
/** Server errors in a row after which a waiting write is shown as failing (one is a blip; three are not). */
export const FAILING_AFTER = 3;
export const BACKOFF_MAX_MS = 30 * 60_000;
/** Sent entries are kept this long so a second click on "Log" stays a no-op; the refs store remembers longer. */
const KEEP_SENT_MS = 7 * 24 * 3600_000;

/**
 * Delay before attempt `attempts + 1`: 30 s, 1 min, 2 min … capped at 30 min, each ±25 % so that many browsers
 * coming back online at once do not hit the hub in lockstep. `random` is in [0, 1).
 */
export function backoffDelayMs(attempts: number, random: number): number {
  const exponential = BACKOFF_MIN_MS * 2 ** Math.max(0, Math.min(attempts - 1, 16));
  const jittered = Math.min(exponential, BACKOFF_MAX_MS) * (0.75 + 0.5 * random);
  return Math.round(Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, jittered)));
}

export interface OutboxDeps {
  db: LiaisonDb;
  /** Built per flush from current settings; throws a not-configured HubError when there is no hub yet. */
  hub: () => Promise<HubClient>;
  /** The member id this browser logs as, to tell "logged by you" from a teammate in the hub's answer. */
  myMemberId?: () => Promise<string | null>;
  now?: () => number;
  random?: () => number;
  uuid?: () => string;
  /** Badge and version bump by default; tests may observe instead. */
  signal?: (waiting: number) => Promise<void>;
  /** When the next attempt is due (epoch ms), or null when nothing waits. Defaults to a browser alarm. */
  schedule?: (when: number | null) => Promise<void>;
  /** Issue 12: after a contact action reached the hub, with the hub's answer (the background updates its cache). */
  actionSent?: (entry: OutboxEntry, response: unknown) => Promise<void>;
}

/** Issue 12: a change to a contact (heads-up, task, edit, owner), as the hub request that makes it. */
export interface ActionRequest {
  method: 'POST' | 'PATCH' | 'PUT';
  path: string;
  body: unknown;
}

export interface LogBody {
  kind: InteractionDraft['kind'];
  occurredAt: string;
  subject: string | null;
  summary: string | null;
  outcome: string | null;
  sourceSite: string;
  sourceRef: string;
  participants: { email: string; name: string | null }[];
  /** A follow-up task the hub creates with the log, in the same transaction (so a retry never doubles it). */
  followUp?: { title: string; dueAt: string | null };
}

export interface ContactBody {
  name: string | null;
  title: string | null;
  company: string | null;
  emails: string[];
}

export interface FlushReport {
  sent: number;
  retrying: number;
  parked: number;
}

export interface Outbox {
  /** `allowRepeat`: queue even when this reference was logged already (a meeting's attendance correction). */
  enqueueLog(body: LogBody, label: string, options?: { allowRepeat?: boolean }): Promise<{ outboxId: string; state: OutboxState; duplicate: boolean }>;
  enqueueCreateContact(body: ContactBody, label: string): Promise<{ outboxId: string; state: OutboxState }>;
  /**
   * Issue 12: a contact action. The same request still waiting (a second click) is not queued again. `cacheEmails`:
   * the addresses whose cached lookups the hub's answer updates.
   */
  enqueueAction(request: ActionRequest, label: string, cacheEmails: string[]): Promise<{ outboxId: string; state: OutboxState; duplicate: boolean }>;
  /** Sends what is due; `force` also sends what is still backing off (the hub just answered something else). */
  flush(options?: { force?: boolean }): Promise<FlushReport>;
  list(): Promise<OutboxItemView[]>;
  /** Entries not yet at the hub (queued, sending, parked) by sourceRef: merged into "is this thread logged?". */
  pendingByRef(refs: string[]): Promise<Map<string, OutboxItemView>>;
  /** Makes a parked or backing-off entry due now (same key); the caller flushes. */
  retry(id: string): Promise<boolean>;
  discard(id: string): Promise<boolean>;
  /** How many entries wait (queued, sending or parked): the toolbar badge. */
  waitingCount(): Promise<number>;
}

const WAITING: OutboxState[] = ['queued', 'sending', 'parked'];

export function toView(entry: OutboxEntry): OutboxItemView {
  return {
    id: entry.id,
    kind: entry.kind,
    label: entry.label,
    sourceRef: entry.sourceRef,
    state: entry.state,
    attempts: entry.attempts,
    createdAt: entry.createdAt,
    nextAttemptAt: entry.state === 'queued' && entry.nextAttemptAt != null ? new Date(entry.nextAttemptAt).toISOString() : null,
    lastError: entry.lastError,
    failing: entry.state !== 'sent' && entry.state !== 'parked' && (entry.serverFailures ?? 0) >= FAILING_AFTER,
  };
}

/** Entries not yet at the hub (queued, sending or parked). */
export async function countWaiting(db: LiaisonDb): Promise<number> {
  const counts = await Promise.all(WAITING.map((s) => db.countFromIndex('outbox', 'by-state', s)));
  return counts.reduce((a, b) => a + b, 0);
}

/** Sets the toolbar badge to `waiting` and bumps the storage key pages listen to. */
export async function signalOutbox(waiting: number): Promise<void> {
  const current = (await browser.storage.local.get(OUTBOX_VERSION_KEY))[OUTBOX_VERSION_KEY];
  await browser.storage.local.set({ [OUTBOX_VERSION_KEY]: (typeof current === 'number' ? current : 0) + 1 });
  // The Firefox build is MV2, where the toolbar button is `browserAction`; Firefox for Android has neither.
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  try {
    await action?.setBadgeText({ text: waiting > 0 ? String(waiting) : '' });
  } catch {
    // No toolbar button to badge: the popup and the sidebar still show what waits.
  }
}

export async function scheduleOutboxAlarm(when: number | null): Promise<void> {
  if (when == null) await browser.alarms.clear(OUTBOX_ALARM);
  else browser.alarms.create(OUTBOX_ALARM, { when });
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const uuid = deps.uuid ?? (() => crypto.randomUUID());
  const signal = deps.signal ?? signalOutbox;
  const schedule = deps.schedule ?? scheduleOutboxAlarm;
  // The one piece of memory: stops two flushes of this instance sending the same entry at once.
  let running: Promise<FlushReport> | null = null;

  const waitingCount = () => countWaiting(db);

  async function changed(): Promise<void> {
    await signal(await waitingCount());
  }

  /**
   * Entries are sent in the order they were made (a contact before the log that needs it, a correction after the
   * log it corrects), so two entries made in one millisecond must not share a creation time: each is stamped at
   * least a millisecond after the previous one.
   */
  let lastCreated = 0;
  function newEntry(kind: OutboxEntry['kind'], label: string, sourceRef: string | null, path: string, body: unknown, method: OutboxEntry['request']['method'] = 'POST'): OutboxEntry {
    lastCreated = Math.max(now(), lastCreated + 1);
    return {
      id: uuid(),
      idempotencyKey: uuid(),
      kind,
      label,
      sourceRef,
      request: { method, path, body },
      state: 'queued',
      attempts: 0,
      createdAt: new Date(lastCreated).toISOString(),
      nextAttemptAt: now(),
      lastError: null,
      attemptId: null,
      sentAt: null,
    };
  }

  async function enqueueLog(body: LogBody, label: string, options: { allowRepeat?: boolean } = {}) {
    // Check and insert in one transaction: two quick clicks cannot both find "nothing queued yet".
    const tx = db.transaction('outbox', 'readwrite');
    const existing = await tx.store.index('by-sourceRef').getAll(body.sourceRef);
    // A correction follows the first log in the outbox's order (by creation time), so it lands after it.
    const live = options.allowRepeat ? undefined : existing.find((e) => e.kind === 'log-interaction' && e.state !== 'parked');
    if (live) {
      await tx.done;
      return { outboxId: live.id, state: live.state, duplicate: true };
    }
    const entry = newEntry('log-interaction', label, body.sourceRef, '/v1/interactions', body);
    await tx.store.add(entry);
    await tx.done;
    await changed();
    return { outboxId: entry.id, state: entry.state, duplicate: false };
  }

  async function enqueueCreateContact(body: ContactBody, label: string) {
    const entry = newEntry('create-contact', label, null, '/v1/contacts', body);
    await db.add('outbox', entry);
    await changed();
    return { outboxId: entry.id, state: entry.state };
  }

  async function enqueueAction(request: ActionRequest, label: string, cacheEmails: string[]) {
    const same = JSON.stringify(request);
    const tx = db.transaction('outbox', 'readwrite');
    const waiting = [...(await tx.store.index('by-state').getAll('queued')), ...(await tx.store.index('by-state').getAll('sending'))];
    const live = waiting.find((e) => e.kind === 'contact-action' && JSON.stringify(e.request) === same);
    if (live) {
      await tx.done;
      return { outboxId: live.id, state: live.state, duplicate: true };
    }
    const entry: OutboxEntry = { ...newEntry('contact-action', label, null, request.path, request.body, request.method), cacheEmails };
    await tx.store.add(entry);
    await tx.done;
    await changed();
    return { outboxId: entry.id, state: entry.state, duplicate: false };
  }

  /** Writes an attempt's outcome unless a newer attempt owns the entry (success always counts). */
  async function settle(id: string, attemptId: string, update: (e: OutboxEntry) => OutboxEntry | null, always = false) {
    const tx = db.transaction('outbox', 'readwrite');
    const current = await tx.store.get(id);
    if (current && (always || (current.state === 'sending' && current.attemptId === attemptId))) {
      const next = update(current);
      if (next) await tx.store.put(next);
    }
    await tx.done;
  }

  async function recordSuccess(entry: OutboxEntry, attemptId: string, response: unknown): Promise<void> {
    const at = new Date(now()).toISOString();
    await settle(entry.id, attemptId, (e) => ({ ...e, state: 'sent', sentAt: at, nextAttemptAt: null, lastError: null, attemptId: null }), true);
    if (entry.kind === 'log-interaction' && entry.sourceRef) {
      const answer = response as LogInteractionResponse | null;
      const interaction = answer?.interaction as Interaction | undefined;
      const loggers = interaction?.loggers ?? [];
      const myId = (await deps.myMemberId?.()) ?? null;
      // Which logger is us: by member id when we know it; otherwise the first logger of a conversation we
      // created, or the newest one we were just added as.
      const newest = [...loggers].sort((a, b) => b.loggedAt.localeCompare(a.loggedAt))[0];
      const mine = myId ? loggers.find((l) => l.member.id === myId) : answer?.outcome === 'created' ? loggers[0] : newest;
      await db.put('refs', {
        ref: entry.sourceRef,
        interactionId: interaction?.id ?? null,
        loggers,
        mine: { loggedAt: mine?.loggedAt ?? at, memberId: mine?.member.id ?? null },
        fetchedAt: at,
      });
    }
    if (entry.kind === 'contact-action') {
      // The hub has it: a cache that cannot be updated now is revalidated on the next read, never a reason to resend.
      await deps.actionSent?.(entry, response).catch((e: unknown) => console.warn('[liaison] cache update failed', e));
    }
    if (entry.kind === 'create-contact' && response && typeof response === 'object' && 'id' in response) {
      const contact = response as ContactSummary;
      const tx = db.transaction('contacts', 'readwrite');
      await Promise.all([
        ...contact.emails.map((email) => tx.store.put({ email, result: { email, contact, member: null }, fetchedAt: at })),
        tx.done,
      ]);
    }
  }

  async function sendOne(hub: HubClient, entry: OutboxEntry): Promise<'sent' | 'retrying' | 'parked' | 'hub-down'> {
    const attemptId = uuid();
    let claimed: OutboxEntry | null = null;
    {
      const tx = db.transaction('outbox', 'readwrite');
      const current = await tx.store.get(entry.id);
      // Discarded or sent meanwhile (the popup, or another flush before this instance was born).
      if (current && (current.state === 'queued' || current.state === 'sending')) {
        claimed = { ...current, state: 'sending', attemptId, attempts: current.attempts + 1 };
        await tx.store.put(claimed);
      }
      await tx.done;
    }
    if (!claimed) return 'sent';
    const attempts = claimed.attempts;
    try {
      const { method, path, body } = claimed.request;
      const response = await (method === 'POST' ? hub.post<unknown>(path, body, claimed.idempotencyKey) : hub.send<unknown>(method, path, body, claimed.idempotencyKey));
      await recordSuccess(claimed, attemptId, response);
      return 'sent';
    } catch (error) {
      const failure = error instanceof HubError ? error.failure : null;
      // Adding a contact that (by now) exists: the user's intent is met; most likely our own earlier attempt.
      if (failure?.kind === 'rejected' && claimed.kind === 'create-contact' && failure.code === 'email_taken') {
        await recordSuccess(claimed, attemptId, null);
        return 'sent';
      }
      if (failure?.kind === 'rejected') {
        const reason = failure.field ? `${failure.message} (${failure.field})` : failure.message;
        await settle(claimed.id, attemptId, (e) => ({ ...e, state: 'parked', nextAttemptAt: null, lastError: reason, attemptId: null }));
        return 'parked';
      }
      const message = failure?.kind === 'offline' ? failure.reason.message : error instanceof Error ? error.message : String(error);
      const nextAttemptAt = now() + backoffDelayMs(attempts, random());
      // A server error counts towards "failing" and keeps the hub's own reason; anything else starts the count again.
      const serverError = failure?.kind === 'offline' && failure.status != null && failure.status >= 500;
      await settle(claimed.id, attemptId, (e) => ({
        ...e,
        state: 'queued',
        nextAttemptAt,
        lastError: serverError ? (failure.detail ?? message) : message,
        serverFailures: serverError ? (e.serverFailures ?? 0) + 1 : 0,
        attemptId: null,
      }));
      const code = failure?.kind === 'offline' ? failure.reason.code : null;
      return code === 'unreachable' || code === 'timeout' || code === 'not-configured' || code === 'unauthorized'
        ? 'hub-down'
        : 'retrying';
    }
  }

  async function nextDue(): Promise<number | null> {
    const queued = await db.getAllFromIndex('outbox', 'by-state', 'queued');
    const times = queued.map((e) => e.nextAttemptAt ?? now());
    return times.length ? Math.min(...times) : null;
  }

  async function pruneSent(): Promise<void> {
    const sent = await db.getAllFromIndex('outbox', 'by-state', 'sent');
    const old = sent.filter((e) => e.sentAt && Date.parse(e.sentAt) < now() - KEEP_SENT_MS);
    if (old.length === 0) return;
    const tx = db.transaction('outbox', 'readwrite');
    await Promise.all([...old.map((e) => tx.store.delete(e.id)), tx.done]);
  }

  async function runFlush(force: boolean): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, retrying: 0, parked: 0 };
    const [queued, sending] = await Promise.all([
      db.getAllFromIndex('outbox', 'by-state', 'queued'),
      // Only a dead instance leaves 'sending' behind (this one is not flushing): its answer is lost, resend.
      db.getAllFromIndex('outbox', 'by-state', 'sending'),
    ]);
    const due = [...sending, ...queued.filter((e) => force || (e.nextAttemptAt ?? 0) <= now())].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    if (due.length > 0) {
      // A safety net in case this worker is killed mid-flush: the alarm brings the next instance back.
      await schedule(now() + BACKOFF_MIN_MS);
      let hub: HubClient | null = null;
      try {
        hub = await deps.hub();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        for (const entry of due) {
          const delay = backoffDelayMs(entry.attempts + 1, random());
          await db.put('outbox', { ...entry, state: 'queued', nextAttemptAt: now() + delay, lastError: message, attemptId: null });
          report.retrying += 1;
        }
      }
      for (const entry of hub ? due : []) {
        const outcome = await sendOne(hub!, entry);
        if (outcome === 'sent') report.sent += 1;
        else if (outcome === 'parked') report.parked += 1;
        else report.retrying += 1;
        // The hub is down or refuses our token: the rest would fail the same way; they keep their own schedule.
        if (outcome === 'hub-down') break;
      }
      await changed();
    }
    await pruneSent();
    await schedule(await nextDue());
    return report;
  }

  async function flush(options: { force?: boolean } = {}): Promise<FlushReport> {
    while (running) await running.catch(() => undefined);
    running = runFlush(options.force ?? false);
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  async function list(): Promise<OutboxItemView[]> {
    const all = await db.getAll('outbox');
    return all
      .filter((e) => e.state !== 'sent')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(toView);
  }

  async function pendingByRef(refs: string[]): Promise<Map<string, OutboxItemView>> {
    const map = new Map<string, OutboxItemView>();
    const tx = db.transaction('outbox', 'readonly');
    const found = await Promise.all(refs.map((ref) => tx.store.index('by-sourceRef').getAll(ref)));
    await tx.done;
    refs.forEach((ref, i) => {
      const waiting = (found[i] ?? []).filter((e) => e.kind === 'log-interaction' && e.state !== 'sent');
      const newest = waiting.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      if (newest) map.set(ref, toView(newest));
    });
    return map;
  }

  async function retry(id: string): Promise<boolean> {
    const entry = await db.get('outbox', id);
    if (!entry || (entry.state !== 'parked' && entry.state !== 'queued')) return false;
    // Same entry, same idempotency key: a retry is the same write, never a second one.
    await db.put('outbox', { ...entry, state: 'queued', nextAttemptAt: now(), attemptId: null });
    await changed();
    return true;
  }

  async function discard(id: string): Promise<boolean> {
    const entry = await db.get('outbox', id);
    if (!entry || entry.state === 'sent') return false;
    await db.delete('outbox', id);
    await changed();
    await schedule(await nextDue());
    return true;
  }

  return { enqueueLog, enqueueCreateContact, enqueueAction, flush, list, pendingByRef, retry, discard, waitingCount };
}
