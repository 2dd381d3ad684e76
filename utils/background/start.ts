/**
 * Wires the background: database, outbox, handlers, dispatcher, alarm. Listeners are registered synchronously
 * (an MV3 worker woken by an event only delivers it to listeners added in the first turn); the database opens
 * behind them and every event waits for it.
 */
import { browser } from 'wxt/browser';
import { createHubClient } from '../hub-client';
import { createDispatcher, listen } from '../messaging/server';
import { createOutbox, OUTBOX_ALARM, type Outbox } from '../outbox';
import { openLiaisonDb } from '../storage/db';
import { loadSettings, readToken } from '../storage/settings';
import { refreshBadge } from './badge';
import { applySentAction } from './contact-actions';
import { PAGE_PORT } from './page-port';
import { createHandlers } from './handlers';
import { refreshIdentity } from './connect-hub';
import { ADOPTION_ALARM, ADOPTION_PERIOD_MINUTES, createAdoptionUpload } from './adoption-upload';

/** How long a restarted worker waits for open pages to reconnect before it treats their conversations as left. */
const RECONNECT_GRACE_MS = 10_000;

export function startBackground(): void {
  const ready = openLiaisonDb().then((db) => {
    const outbox: Outbox = createOutbox({
      db,
      hub: async () => createHubClient({ hubUrl: (await loadSettings()).hubUrl, token: await readToken() }),
      myMemberId: async () => (await loadSettings()).me?.member.id ?? null,
      signal: (waiting) => refreshBadge(db, waiting),
      actionSent: (entry, response) => applySentAction(db, entry, response),
    });
    const kick = (options?: { force?: boolean }) => {
      void outbox.flush(options).catch((e: unknown) => console.warn('[liaison] outbox flush failed', e));
    };
    const handlers = createHandlers({ db, outbox, kick, changed: () => refreshBadge(db) });
    const dispatch = createDispatcher(handlers);
    // Issue 14: daily adoption counts, sent when the team's setting allows it (see adoption-upload.ts).
    const adoption = createAdoptionUpload({ db, hub: async () => createHubClient({ hubUrl: (await loadSettings()).hubUrl, token: await readToken() }) });
    return { outbox, kick, dispatch, conversations: handlers.conversations, db, adoption };
  });

  // Which tabs have a mail page open right now. A page's port closes when its tab closes, crashes or reloads;
  // then whatever it had open goes on the Unlogged list. (A worker that is killed closes the ports too, from
  // its side only: the pages reconnect to the next worker, so this set is rebuilt within moments.)
  const liveTabs = new Set<number>();
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PAGE_PORT) return;
    const tabId = port.sender?.tab?.id;
    if (tabId == null) return;
    liveTabs.add(tabId);
    port.onDisconnect.addListener(() => {
      liveTabs.delete(tabId);
      void ready.then(({ conversations }) => conversations.tabGone(tabId)).catch((e: unknown) => console.warn('[liaison] tab cleanup failed', e));
    });
  });
  // A browser start means every tab of the last session is gone, crashed or not: list what they had open.
  browser.runtime.onStartup.addListener(() => void ready.then(({ conversations }) => conversations.sweep(null)));
  // A worker that was killed may have missed a tab closing: once open pages had time to reconnect, the rest is gone.
  setTimeout(() => void ready.then(({ conversations }) => conversations.sweep(liveTabs)).catch(() => undefined), RECONNECT_GRACE_MS);
  void ready.then(({ db }) => refreshBadge(db)).catch(() => undefined);

  listen(async (message, sender) => (await ready).dispatch(message, sender));

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void ready.then(({ kick }) => kick());
    if (alarm.name === ADOPTION_ALARM) void ready.then(({ adoption }) => adoption.run()).catch((e: unknown) => console.warn('[liaison] adoption counts not sent', e));
  });
  // The adoption alarm outlives the worker; make it once (an extension update or a new profile has none yet).
  void browser.alarms
    .get(ADOPTION_ALARM)
    .then(async (existing) => {
      if (!existing) await browser.alarms.create(ADOPTION_ALARM, { delayInMinutes: 1, periodInMinutes: ADOPTION_PERIOD_MINUTES });
    })
    .catch(() => undefined);
  // A browser restart or an extension update: whatever waits goes out now.
  browser.runtime.onStartup.addListener(() => void ready.then(({ kick }) => kick()));
  browser.runtime.onInstalled.addListener(() => void ready.then(({ kick }) => kick()));
  // Every time the worker wakes (it may have been killed mid-send): resend anything left behind.
  void ready.then(({ kick }) => kick());
  // …and learn the team's never-log lists and domains again (issue 13), at most every ten minutes.
  void refreshIdentity().catch(() => undefined);
  browser.alarms.onAlarm.addListener(() => void refreshIdentity().catch(() => undefined));
}
