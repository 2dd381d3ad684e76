/**
 * The one protocol between the extension's pages (content scripts, popup, options) and the background service
 * worker. Every request is `{ type, ...payload }`; the background validates it (see ./schemas.ts), checks who
 * sent it (content scripts may not touch settings or the token), and answers with the matching response type.
 * Content scripts never talk to the hub and never see the access token: everything goes through here.
 *
 * Names say the direction's subject and verb: `contacts:lookup`, `interactions:log`. Add a message by adding it
 * here, to the schema map, and to the background's handler table; an unknown `type` is rejected.
 */
import type { Interaction, LookupResult, Me, TimelinePage } from '../../hub/types';

/** Where the answer came from: the IndexedDB cache (instant, maybe old) or the hub (fresh). */
export type DataSource = 'cache' | 'hub';

/** Why fresh data could not be had: shown to the user next to cached data. */
export interface OfflineReason {
  code: 'not-configured' | 'unreachable' | 'unauthorized' | 'server-error' | 'timeout';
  message: string;
}

export interface ParticipantDraft {
  email: string;
  name?: string | null;
}

/** What the user asks to record; the background turns it into an outbox entry and a hub request. */
export interface InteractionDraft {
  kind: 'email' | 'meeting' | 'call' | 'note' | 'support' | 'marketing';
  occurredAt: string;
  subject?: string | null;
  summary?: string | null;
  outcome?: string | null;
  /** 'gmail' | 'outlook' | 'gcal' … */
  sourceSite: string;
  /** Thread id, conversation id or iCalendar UID: how "already logged?" is answered. */
  sourceRef: string;
  participants: ParticipantDraft[];
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'parked';

export interface OutboxItemView {
  id: string;
  kind: 'log-interaction' | 'create-contact';
  /** One line for people: "Email · Renewal terms (Acme)". */
  label: string;
  sourceRef: string | null;
  state: OutboxState;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  /** Why the hub refused it (state 'parked') or why the last attempt failed. */
  lastError: string | null;
}

/** Whether a thread is logged, by whom, or waiting in the outbox. */
export interface RefStatus {
  ref: string;
  loggedBy: { name: string; isMe: boolean; loggedAt: string }[];
  /** Logged by me but still in the outbox (not yet at the hub). */
  pending: OutboxItemView | null;
}

/** Settings as pages may see them: never the token itself. */
export interface SettingsView {
  hubUrl: string;
  hasToken: boolean;
  myAddresses: string[];
  neverLogDomains: string[];
  neverLogAddresses: string[];
  /** Send the message body with a log (off unless the user turns it on). */
  includeBody: boolean;
  /** Which settings an administrator fixed through managed storage (the options page shows them read-only). */
  managed: string[];
  /** The team's own domains, from the hub (colleagues, never customers). */
  teamDomains: string[];
  me: Me | null;
  /** Mail accounts a content script reported as signed in (newest first), so the options page can offer them. */
  detectedAccounts?: string[];
  /** Managed policy entries that were ignored, and why, so an administrator's typo is visible. */
  managedProblems?: { key: string; reason: string }[];
}

export interface SettingsUpdate {
  hubUrl?: string;
  /** Only the options page may send this. */
  token?: string;
  myAddresses?: string[];
  neverLogDomains?: string[];
  neverLogAddresses?: string[];
  includeBody?: boolean;
}

export type TestConnectionResult = { ok: true; me: Me } | { ok: false; reason: OfflineReason };

/**
 * The payload of a request that carries nothing but its `type`. (`Record<string, never>` would also forbid
 * `type` itself once intersected in `Request<T>`, so no caller could build one without a cast.)
 */
export type EmptyPayload = Record<never, never>;

/** request type → [request payload, response] */
export interface ProtocolMap {
  'contacts:lookup': [
    { emails: string[]; mode: 'cache' | 'fresh' },
    { results: LookupResult[]; source: DataSource; fetchedAt: string | null; offline: OfflineReason | null },
  ];
  'contacts:timeline': [
    { contactId: string; cursor?: string | null; mode: 'cache' | 'fresh' },
    { page: TimelinePage | null; source: DataSource; offline: OfflineReason | null },
  ];
  'contacts:create': [
    { name: string | null; email: string; company: string | null; title: string | null },
    { outboxId: string; state: OutboxState },
  ];
  'interactions:log': [{ draft: InteractionDraft }, { outboxId: string; state: OutboxState; duplicate: boolean }];
  'interactions:status': [{ refs: string[]; mode: 'cache' | 'fresh' }, { results: RefStatus[]; offline: OfflineReason | null }];
  'outbox:list': [EmptyPayload, { items: OutboxItemView[] }];
  'outbox:retry': [{ id: string }, { ok: boolean }];
  'outbox:discard': [{ id: string }, { ok: boolean }];
  'settings:get': [EmptyPayload, SettingsView];
  'settings:save': [SettingsUpdate, SettingsView];
  'settings:test': [{ hubUrl?: string; token?: string }, TestConnectionResult];
  /** A content script reports the signed-in mail account, so "my addresses" fill themselves in. */
  'account:detected': [{ email: string; site: string }, { ok: true }];
}

export type RequestType = keyof ProtocolMap;
export type Request<T extends RequestType = RequestType> = { type: T } & ProtocolMap[T][0];
export type Response<T extends RequestType> = ProtocolMap[T][1];

/** Every response travels wrapped, so a handler's failure reaches the caller as data, never as a lost promise. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

/** Unused at runtime; keeps Interaction imported for consumers that re-export it. */
export type { Interaction };
