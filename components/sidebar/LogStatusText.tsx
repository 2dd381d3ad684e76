import type { ComponentChild } from 'preact';
import type { OutboxState, RefStatus } from '../../utils/messaging/protocol';
import { clockTime } from './format';
import { tx } from './isolate';
import { t } from './t';

/** What the user just did, before the background's status catches up. */
export interface LocalLog {
  state: OutboxState;
  at: string;
}

/** `failing`: still queued and retried, but the hub keeps answering with a server error (its reason is shown). */
export type LogState = 'logged-by-me' | 'logged-by-teammate' | 'queued' | 'failing' | 'parked' | 'none';

export interface LogView {
  state: LogState;
  /** A teammate's name and the hub's reason are isolated inside the sentence. */
  text: ComponentChild | null;
}

/** One rule for every surface (thread, compose): mine first, then the outbox, then a teammate's. */
export function logView(status: RefStatus | undefined, local: LocalLog | null, now = new Date()): LogView {
  const mine = status?.loggedBy.find((l) => l.isMe);
  if (mine) return { state: 'logged-by-me', text: tx('sidebar_logged_by_you', clockTime(mine.loggedAt, now)) };
  const pending = status?.pending;
  if (pending?.state === 'parked') return { state: 'parked', text: tx('sidebar_parked', pending.lastError ?? '') };
  if (pending?.failing) return { state: 'failing', text: tx('sidebar_failing', pending.lastError ?? '') };
  if (pending) return { state: 'queued', text: t('sidebar_queued') };
  if (local?.state === 'sent') return { state: 'logged-by-me', text: tx('sidebar_logged_by_you', clockTime(local.at, now)) };
  if (local) return { state: local.state === 'parked' ? 'parked' : 'queued', text: t('sidebar_queued') };
  const teammate = status?.loggedBy[0];
  if (teammate) {
    return { state: 'logged-by-teammate', text: tx('sidebar_logged_by', teammate.name, clockTime(teammate.loggedAt, now)) };
  }
  return { state: 'none', text: null };
}

export function LogStatusText({ view }: { view: LogView }) {
  if (!view.text) return null;
  return (
    <p class={`log-status log-status--${view.state}`} role="status" data-liaison="log-status" data-state={view.state}>
      {view.text}
    </p>
  );
}
