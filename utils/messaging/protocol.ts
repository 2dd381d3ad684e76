/**
 * The one protocol between the extension's pages (content scripts, popup, options) and the background service
 * worker. Every request is `{ type, ...payload }`; the background validates it (see ./schemas.ts), checks who
 * sent it (content scripts may not touch settings or the token), and answers with the matching response type.
 * Content scripts never talk to the hub and never see the access token: everything goes through here.
 *
 * Names say the direction's subject and verb: `contacts:lookup`, `interactions:log`. Add a message by adding it
 * here, to the schema map, and to the background's handler table; an unknown `type` is rejected.
 */
import type { Interaction, LookupResult, Me, MemberRef, Task, TimelinePage } from '../../shared/wire-types';
import type { AttendanceStatus, Rsvp } from '../../shared/wire-types';
import type { MeetingInvite } from '../adapters/types';
import type { NoReason, PromptMode } from '../prompt/decide-prompt';

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
  kind: 'log-interaction' | 'create-contact' | 'contact-action';
  /** One line for people: "Email · Renewal terms (Acme)". */
  label: string;
  sourceRef: string | null;
  state: OutboxState;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  /** Why the hub refused it (state 'parked') or why the last attempt failed. */
  lastError: string | null;
  /**
   * Still queued and retried, but the hub has answered several attempts in a row with a server error: shown as
   * failing, with the hub's reason in `lastError`, instead of a silent "Queued".
   */
  failing: boolean;
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
  /** When to ask "Log your conversation with …?" (see utils/prompt/decide-prompt.ts). */
  promptMode: PromptMode;
  askAboutUnknown: boolean;
  /** Which settings an administrator fixed through managed storage (the options page shows them read-only). */
  managed: string[];
  /** The team's own domains, from the hub (colleagues, never customers). */
  teamDomains: string[];
  me: Me | null;
  /** Mail accounts a content script reported as signed in (newest first), so the options page can offer them. */
  detectedAccounts?: string[];
  /** Managed policy entries that were ignored, and why, so an administrator's typo is visible. */
  managedProblems?: { key: string; reason: string }[];
  /**
   * Issue 13: `neverLog*` above are what is in force — the person's own lists (or managed policy's) together with
   * the team's from the hub. These say which is which, so the options page edits only the person's own.
   */
  ownNeverLogDomains?: string[];
  ownNeverLogAddresses?: string[];
  teamNeverLogDomains?: string[];
  teamNeverLogAddresses?: string[];
}

export interface SettingsUpdate {
  hubUrl?: string;
  /** Only the options page may send this. */
  token?: string;
  myAddresses?: string[];
  neverLogDomains?: string[];
  neverLogAddresses?: string[];
  includeBody?: boolean;
  promptMode?: PromptMode;
  askAboutUnknown?: boolean;
}

/** `saved`: the test was asked to save what it tested, and did (only ever after the hub said yes). */
export type TestConnectionResult = { ok: true; me: Me; saved?: boolean } | { ok: false; reason: OfflineReason };

/** A conversation the leave/send prompt may ask about, as the content script read it from the page. */
export interface ConversationCandidate {
  /** 'thread': the user is reading (or left) a thread; 'send': the user just sent a message. */
  trigger: 'thread' | 'send';
  /** What "Log" would record (subject, people, time, reference; never the body). */
  draft: InteractionDraft;
}

export interface PromptPerson {
  email: string;
  name: string | null;
  /** From the CRM when it knows the person, else from the address's domain (never from free mail). */
  company: string | null;
}

/** What the prompt shows: "Log your conversation with Jane Doe (Acme)?" */
export interface PromptQuestion {
  ref: string;
  trigger: 'thread' | 'send';
  subject: string | null;
  people: PromptPerson[];
  /** Addresses among `people` the CRM has no contact for: the main button then reads "Add to CRM and log". */
  unknown: string[];
  /** "Never for …" offers: null when not offered (a free-mail domain, or the list is fixed by an administrator). */
  neverAddresses: string[] | null;
  neverDomain: string | null;
}

/** Ask, or why not (the sidebar says why it stayed quiet). */
export type PromptVerdict = { ask: true; question: PromptQuestion } | { ask: false; reason: NoReason };

export type PromptAnswer = 'log' | 'not-now' | 'dismissed' | 'never-address' | 'never-domain';

export interface FollowUpDraft {
  title: string;
  /** ISO 8601 timestamp, or null for no due date. */
  dueAt: string | null;
}

/** One entry of the popup's "Unlogged conversations" list. */
export interface UnloggedItem {
  ref: string;
  subject: string | null;
  people: PromptPerson[];
  unknown: string[];
  site: string;
  /** When the conversation happened (the draft's time) and when it went on the list. */
  occurredAt: string;
  listedAt: string;
}

/** Local adoption counts for the current week (Monday 00:00 local time onwards); daily counts go to the hub only when the team's setting says so. */
export interface AdoptionStats {
  since: string;
  /** Customer conversations Liaison saw this week, and how many of them were logged (any way). */
  conversations: number;
  logged: number;
  prompted: number;
  loggedFromPrompt: number;
  /** Dismissed without logging (Never…, or removed from the list). */
  dismissed: number;
  /** Put on the Unlogged list (Not now, an ignored prompt, a closed tab or a crash). */
  listed: number;
  /** Logged after being prompted or listed: from the list, or from the sidebar later. */
  loggedLater: number;
  /**
   * Issue 14: whether the team's hub collects daily counts of these figures (`counts`) or not (`off`), as the hub
   * last said; null before it was asked. Only counts and dates are ever sent.
   */
  sharing?: 'off' | 'counts' | null;
}

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
  /**
   * `correction`: a meeting the user logged already, with only the attendance they changed. It is sent again
   * (the hub merges it into the same meeting by UID), where an ordinary second log of a reference is a no-op.
   */
  'interactions:log': [{ draft: InteractionDraft; correction?: boolean }, { outboxId: string; state: OutboxState; duplicate: boolean }];
  'interactions:status': [{ refs: string[]; mode: 'cache' | 'fresh' }, { results: RefStatus[]; offline: OfflineReason | null }];
  'outbox:list': [EmptyPayload, { items: OutboxItemView[] }];
  'outbox:retry': [{ id: string }, { ok: boolean }];
  'outbox:discard': [{ id: string }, { ok: boolean }];
  'settings:get': [EmptyPayload, SettingsView];
  'settings:save': [SettingsUpdate, SettingsView];
  /**
   * Tests a hub URL and token (the saved ones where not given). `save`: when the hub accepts them, they are
   * saved at once — a newcomer's "Test connection" is also their connecting (the options page's Save is below
   * the fold). Only extension pages may send a URL, a token or `save`.
   */
  'settings:test': [{ hubUrl?: string; token?: string; save?: boolean }, TestConnectionResult];
  /** Opens the options page (the sidebar's "Connect…" while Liaison is not connected to a hub). */
  'options:open': [EmptyPayload, { ok: true }];
  /**
   * "Sign in to your hub" (issue 13): the background opens the hub's connect page through the browser's identity
   * flow and keeps the token it answers; the page only learns who is now signed in. Extension pages only.
   */
  'hub:connect': [{ hubUrl?: string }, TestConnectionResult];
  /** A customer conversation is open in the page: remember it, and say whether leaving it will ask. */
  'prompt:seen': [{ candidate: ConversationCandidate }, { verdict: PromptVerdict }];
  /** The user left a thread, closed the tab, or sent a message: ask now (navigation, sent) or list it (unload). */
  'prompt:left': [
    { ref: string; reason: 'navigation' | 'unload' | 'sent'; candidate?: ConversationCandidate },
    { verdict: PromptVerdict },
  ];
  'prompt:answer': [
    { ref: string; answer: PromptAnswer; note?: string | null; outcome?: string | null; followUp?: FollowUpDraft | null },
    { ok: boolean; outboxId: string | null; state: OutboxState | null },
  ];
  'unlogged:list': [EmptyPayload, { items: UnloggedItem[]; stats: AdoptionStats }];
  'unlogged:log': [{ ref: string }, { ok: boolean; outboxId: string | null; state: OutboxState | null }];
  'unlogged:dismiss': [{ ref: string }, { ok: boolean }];
  'unlogged:clear': [EmptyPayload, { cleared: number }];
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

// ---- Meetings and attendance (issue 5) ---------------------------------------------------------------------
// Declaration merging keeps these additions in one block: InteractionDraft gains the meeting fields, the map
// gains `invites:parse` (the content script fetches an invitation's .ics from the mail page's own origin; the
// background parses it, because ical.js is too big for the content scripts' size budget).

/** One person's attendance as the user captured it; `status` null = not recorded (only the RSVP is sent). */
export interface AttendanceDraft {
  email: string;
  name?: string | null;
  status: AttendanceStatus | null;
  rsvp?: Rsvp | null;
}

export interface InteractionDraft {
  /** Meetings: when it ended (ISO 8601). */
  endsAt?: string | null;
  /** Meetings: the iCalendar UID the hub matches teammates' logs by (with the recurrence id). */
  icalUid?: string | null;
  recurrenceId?: string | null;
  /** Meetings: the invitation's SEQUENCE, so an older version never overwrites a newer one at the hub. */
  sequence?: number | null;
  attendance?: AttendanceDraft[];
}

export interface ProtocolMap {
  'invites:parse': [{ icsText: string }, { invites: MeetingInvite[]; error: string | null }];
}

// ---- Heads-ups, tasks, contact edits and ownership (issue 12) ----------------------------------------------------
// Every change a user makes to a contact from the sidebar is one `contacts:act`: the background turns it into an
// outbox entry (a hub request with an idempotency key), so offline and killed workers lose nothing and a retry never
// doubles it. `changes:check` asks the hub's change counter; when it moved, the background bumps a storage key open
// pages watch (utils/storage/keys.ts) and they revalidate what they show.

export type ContactAction =
  /** On the contact, or on its whole company when `companyId` is set. `until`: ISO 8601, or null. */
  | { action: 'raise-heads-up'; contactId: string; companyId: string | null; kind: string; note: string | null; until: string | null }
  | { action: 'close-heads-up'; flagId: string; resolution: string | null }
  | { action: 'create-task'; contactId: string; title: string; dueAt: string | null; assigneeId: string | null }
  | { action: 'complete-task'; taskId: string }
  | { action: 'edit-contact'; contactId: string; title: string | null; company: string | null }
  /** `expectedOwnerId`: the owner the user saw; the hub refuses the change (parked with its reason) if it moved. */
  | { action: 'set-owner'; contactId: string; ownerId: string | null; expectedOwnerId: string | null };

/** Who the action is about: the outbox's label, and the cached lookups to update once the hub has it. */
export interface ActionSubject {
  name: string | null;
  emails: string[];
}

export interface ProtocolMap {
  'contacts:act': [{ act: ContactAction; about: ActionSubject }, { outboxId: string; state: OutboxState }];
  /** A contact's tasks (open, the team's), or `mine` (my open tasks, overdue first): cache, then the hub. */
  'tasks:list': [{ contactId?: string | null; mine?: boolean; mode: 'cache' | 'fresh' }, { items: Task[] | null; offline: OfflineReason | null }];
  /** The team's members (owners and assignees to choose from); `me` is this browser's member id. */
  'team:members': [EmptyPayload, { items: MemberRef[]; me: string | null }];
  /**
   * The cached contacts with an open heads-up that matters before writing (at most 500, from IndexedDB only): a mail
   * page asks once, so the heads-up beside a compose window needs no round trip when a recipient is added.
   */
  'contacts:flagged': [EmptyPayload, { results: LookupResult[] }];
  /** Has anything changed at the hub? At most one hub request per 20 s, however many tabs ask. */
  'changes:check': [EmptyPayload, { changed: boolean }];
}
