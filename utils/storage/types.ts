/**
 * What the background keeps in IndexedDB. Everything the service worker needs to carry on after being killed
 * lives here (never only in memory): the cache the sidebar paints from, and the outbox of writes.
 */
import type { Logger, LookupResult, TimelinePage } from '../../shared/wire-types';
import type { InteractionDraft, OutboxItemView, OutboxState } from '../messaging/protocol';

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
  request: { method: 'POST' | 'PATCH' | 'PUT'; path: string; body: unknown };
  /** Issue 12 (contact actions): the cached lookups of these addresses are updated once the hub took the change. */
  cacheEmails?: string[];
  state: OutboxState;
  attempts: number;
  createdAt: string;
  /** Epoch ms; when the next attempt is due (queued entries only). */
  nextAttemptAt: number | null;
  lastError: string | null;
  /**
   * Attempts in a row the hub answered with a server error (5xx). From FAILING_AFTER on the entry shows as
   * failing, with the hub's reason, while it is still retried. Absent in entries written before it existed.
   */
  serverFailures?: number;
  /** Which attempt owns a 'sending' entry: a late answer from an older attempt must not overwrite a newer one. */
  attemptId: string | null;
  sentAt: string | null;
}

/**
 * A customer conversation Liaison would ask about (the leave/send prompt), from the moment it is seen until it
 * is logged or dismissed. Kept in IndexedDB so a closed tab, a killed worker or a crashed browser cannot lose it:
 *   viewing  — open in a tab now; asked about when the user leaves it
 *   prompted — the prompt is showing
 *   listed   — on the "Unlogged conversations" list (Not now, ignored prompt, closed tab, crash)
 * Logged or dismissed conversations are deleted from this store (the adoption store remembers the outcome).
 */
export type ConversationState = 'viewing' | 'prompted' | 'listed';

export interface ConversationRecord {
  /** The thread reference (or compose reference for a new message): the key, the same as the log's sourceRef. */
  ref: string;
  state: ConversationState;
  /** What "Log" sends: subject, people, time and reference, never the body (built by the content script). */
  draft: InteractionDraft;
  /** External people the prompt names, in order; `unknown` are those the CRM has no contact for. */
  people: { email: string; name: string | null; company: string | null }[];
  unknown: string[];
  trigger: 'thread' | 'send';
  /** The tab it is open in while viewing or prompted: a closed tab moves it to the list. */
  tabId: number | null;
  firstSeenAt: string;
  updatedAt: string;
}

/** Local-only adoption counts: one record per conversation, what became of it. Never sent anywhere. */
export interface AdoptionRecord {
  ref: string;
  /** When Liaison first saw it as a customer conversation worth logging (epoch ms, indexed for "this week"). */
  seenAt: number;
  promptedAt: number | null;
  listedAt: number | null;
  /** How it ended, if it has: logged from the prompt, logged later (from the list or the sidebar after a prompt
   * or listing), logged from the sidebar before any prompt, or dismissed without logging. */
  outcome: 'logged-prompt' | 'logged-later' | 'logged-sidebar' | 'dismissed' | null;
  endedAt: number | null;
}
