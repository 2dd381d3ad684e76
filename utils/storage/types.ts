/**
 * What the background keeps in IndexedDB. Everything the service worker needs to carry on after being killed
 * lives here (never only in memory): the cache the sidebar paints from, and the outbox of writes.
 */
import type { Logger, LookupResult, TimelinePage } from '../../hub/types';
import type { OutboxItemView, OutboxState } from '../messaging/protocol';

export interface CachedContact {
  /** Normalised address (trimmed, lower-cased): the key. */
  email: string;
  result: LookupResult;
  fetchedAt: string;
}

export interface CachedTimeline {
  contactId: string;
  /** '' for the first (newest) page: IndexedDB keys cannot be null. */
  cursor: string;
  page: TimelinePage;
  fetchedAt: string;
}

/** Who logged a thread, as last heard from the hub or recorded when our own log went through. */
export interface RefRecord {
  ref: string;
  interactionId: string | null;
  loggers: Logger[];
  /** Set when our own log was accepted: "Logged by you · 10:42" must not wait for the hub to be asked. */
  mine: { loggedAt: string; memberId?: string | null } | null;
  fetchedAt: string;
}

export type OutboxKind = OutboxItemView['kind'];

export interface OutboxEntry {
  id: string;
  /** Created once at enqueue and sent unchanged on every retry, so the hub writes the log at most once. */
  idempotencyKey: string;
  kind: OutboxKind;
  label: string;
  sourceRef: string | null;
  /** The exact request, fixed at enqueue: the hub treats the same key with another body as a conflict. */
  request: { method: 'POST'; path: string; body: unknown };
  state: OutboxState;
  attempts: number;
  createdAt: string;
  /** Epoch ms; when the next attempt is due (queued entries only). */
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Which attempt owns a 'sending' entry: a late answer from an older attempt must not overwrite a newer one. */
  attemptId: string | null;
  sentAt: string | null;
}
