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
import { createHandlers } from './handlers';

export function startBackground(): void {
  const ready = openLiaisonDb().then((db) => {
    const outbox: Outbox = createOutbox({
      db,
      hub: async () => createHubClient({ hubUrl: (await loadSettings()).hubUrl, token: await readToken() }),
      myMemberId: async () => (await loadSettings()).me?.member.id ?? null,
    });
    const kick = (options?: { force?: boolean }) => {
      void outbox.flush(options).catch((e: unknown) => console.warn('[liaison] outbox flush failed', e));
    };
    const dispatch = createDispatcher(createHandlers({ db, outbox, kick }));
    return { outbox, kick, dispatch };
  });

  listen(async (message, sender) => (await ready).dispatch(message, sender));

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void ready.then(({ kick }) => kick());
  });
  // A browser restart or an extension update: whatever waits goes out now.
  browser.runtime.onStartup.addListener(() => void ready.then(({ kick }) => kick()));
  browser.runtime.onInstalled.addListener(() => void ready.then(({ kick }) => kick()));
  // Every time the worker wakes (it may have been killed mid-send): resend anything left behind.
  void ready.then(({ kick }) => kick());
}
