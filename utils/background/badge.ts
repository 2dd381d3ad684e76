/**
 * The toolbar badge counts what needs the user: logs still waiting to reach the hub plus conversations on the
 * "Unlogged conversations" list. Every change also bumps OUTBOX_VERSION_KEY, which the sidebar and the popup
 * watch to refresh (the background cannot message pages it does not know).
 */
import { browser } from 'wxt/browser';
import { OUTBOX_VERSION_KEY } from '../outbox';
import type { LiaisonDb } from '../storage/db';

export async function waitingInOutbox(db: LiaisonDb): Promise<number> {
  const counts = await Promise.all((['queued', 'sending', 'parked'] as const).map((s) => db.countFromIndex('outbox', 'by-state', s)));
  return counts.reduce((a, b) => a + b, 0);
}

export async function refreshBadge(db: LiaisonDb, outboxWaiting?: number): Promise<void> {
  const waiting = outboxWaiting ?? (await waitingInOutbox(db));
  const listed = await db.countFromIndex('conversations', 'by-state', 'listed');
  const current = (await browser.storage.local.get(OUTBOX_VERSION_KEY))[OUTBOX_VERSION_KEY];
  await browser.storage.local.set({ [OUTBOX_VERSION_KEY]: (typeof current === 'number' ? current : 0) + 1 });
  // The Firefox build is MV2, where the toolbar button is `browserAction`; Firefox for Android has neither.
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  const total = waiting + listed;
  try {
    await action?.setBadgeText({ text: total > 0 ? String(total) : '' });
  } catch {
    // No toolbar button to badge: the popup and the sidebar still show what waits.
  }
}
