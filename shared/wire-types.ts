/**
 * The wire types: what the hub's `/v1` answers. The hub, the extension and the web app all import this neutral
 * module (it imports nothing), so a change here is a change to the protocol between them — keep it additive.
 * Ids are strings (PostgreSQL bigint), times are ISO 8601 strings in UTC.
 */

export const DEPARTMENTS = ['sales', 'marketing', 'support', 'it', 'leadership', 'other'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const INTERACTION_KINDS = ['email', 'meeting', 'call', 'note', 'support', 'marketing'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const ATTENDANCE_STATUSES = ['attended', 'no-show', 'late', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** RSVP as seen on the invitation (iCalendar PARTSTAT, lower-cased; anything non-standard becomes 'unknown'). */
export const RSVPS = ['accepted', 'declined', 'tentative', 'needs-action', 'delegated', 'unknown'] as const;
export type Rsvp = (typeof RSVPS)[number];

/** Well-known flag kinds; teams may use others (free text, lower-case, dashes). */
export const FLAG_KINDS = ['open-service-issue', 'do-not-contact', 'key-account', 'billing-issue', 'churn-risk'] as const;

export interface MemberRef {
  id: string;
  name: string;
  email: string;
  department: Department;
}

export interface Member extends MemberRef {
  role: Role;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  /** The team's own email domains: addresses there are colleagues, never customers. */
  domains: string[];
}

export interface Me {
  member: Member;
  team: Team;
  /**
   * The team's never-log lists an admin set in the web app (issue 13); the extension adds them to the user's own
   * and to managed policy. Absent from hubs older than issue 13.
   */
  policy?: { neverLogDomains: string[]; neverLogAddresses: string[] };
}

export interface Company {
  id: string;
  name: string;
  domains: string[];
}

export interface Flag {
  id: string;
  kind: string;
  note: string | null;
  open: boolean;
  setBy: MemberRef;
  setAt: string;
  closedBy: MemberRef | null;
  closedAt: string | null;
}

export interface InteractionBrief {
  id: string;
  kind: InteractionKind;
  occurredAt: string;
  subject: string | null;
  department: Department;
  loggedBy: MemberRef;
}

export interface AttendanceSummary {
  /** Meetings this person was recorded for. */
  meetings: number;
  attended: number;
  late: number;
  noShow: number;
  excused: number;
  lastNoShowAt: string | null;
}

export interface ContactSummary {
  id: string;
  name: string | null;
  title: string | null;
  emails: string[];
  company: Company | null;
  owner: MemberRef | null;
  openFlags: Flag[];
  lastInteraction: InteractionBrief | null;
  /** Interactions involving this contact, by the department of whoever first logged them. */
  countsByDepartment: Record<Department, number>;
  totalInteractions: number;
  attendance: AttendanceSummary;
  createdAt: string;
  updatedAt: string;
  /** This contact's record in the team's CRM (one entry per connected CRM), or why it has none yet. */
  external?: ExternalRef[];
}

export interface LookupResult {
  /** The address as asked, normalised (trimmed, lower-cased). */
  email: string;
  contact: ContactSummary | null;
  /** The member this address belongs to, when it is a colleague's. */
  member: MemberRef | null;
}

export interface LookupResponse {
  results: LookupResult[];
}

export interface Participant {
  email: string;
  name: string | null;
  contactId: string | null;
  memberId: string | null;
}

export interface Logger {
  member: MemberRef;
  department: Department;
  loggedAt: string;
  sourceSite: string | null;
  sourceRef: string | null;
}

export interface AttendanceEntry {
  email: string;
  name: string | null;
  contactId: string | null;
  memberId: string | null;
  status: AttendanceStatus | null;
  rsvp: Rsvp | null;
  recordedBy: MemberRef | null;
  updatedAt: string;
}

export interface Interaction {
  id: string;
  kind: InteractionKind;
  occurredAt: string;
  endsAt: string | null;
  subject: string | null;
  summary: string | null;
  outcome: string | null;
  department: Department;
  /** Everyone on the team who logged this conversation, first logger first. */
  loggers: Logger[];
  participants: Participant[];
  /** Meetings only: the iCalendar UID and recurrence id the meeting is matched by. */
  icalUid: string | null;
  recurrenceId: string | null;
  attendance: AttendanceEntry[];
  createdAt: string;
  /** Where it was first recorded: `liaison`, or the CRM it was imported from (`hubspot`). Absent from older hubs. */
  source?: 'liaison' | CrmProvider;
  /** Its copy in the team's CRM (the engagement a log became), or why there is none. */
  external?: ExternalRef[];
}

export interface TimelinePage {
  items: Interaction[];
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface LogInteractionResponse {
  interaction: Interaction;
  /**
   * `created`: a new conversation; `merged`: the same conversation was already logged (by source reference,
   * iCalendar UID or matching subject and participants) and this member was added as a logger; `unchanged`:
   * this member had already logged it.
   */
  outcome: 'created' | 'merged' | 'unchanged';
  /** The follow-up task created with this log, when the request asked for one. */
  followUp?: Task;
}

export interface LoggedRef {
  ref: string;
  interactionId: string;
  loggers: Logger[];
}

export interface LoggedRefsResponse {
  /** Only the references that are logged; a reference missing here is not logged by anyone on the team. */
  results: LoggedRef[];
}

export interface Task {
  id: string;
  title: string;
  dueAt: string | null;
  assignee: MemberRef | null;
  contactId: string | null;
  interactionId: string | null;
  createdBy: MemberRef;
  createdAt: string;
  doneAt: string | null;
  doneBy: MemberRef | null;
}

export interface ApiError {
  error: {
    /** Stable machine-readable code, e.g. `invalid_body`, `unauthorized`, `not_found`, `conflict`. */
    code: string;
    message: string;
    /** The offending field as a path (`emails[3]`, `participants[0].email`), when one is to blame. */
    field?: string;
  };
}

/** CRMs a hub can connect to (hub/connectors). */
export const CRM_PROVIDERS = ['hubspot'] as const;
export type CrmProvider = (typeof CRM_PROVIDERS)[number];

/**
 * A Liaison record's copy in a connected CRM. `synced`: `url` opens it; `pending`/`creating`: on its way;
 * `failed`/`skipped`: not there, `reason` says why; `deleted`: removed in the CRM (not sent again).
 */
export interface ExternalRef {
  provider: CrmProvider;
  state: 'pending' | 'creating' | 'synced' | 'failed' | 'skipped' | 'deleted';
  id: string | null;
  url: string | null;
  reason: string | null;
  syncedAt: string | null;
}

export interface ConnectorStream {
  /** contacts, companies, owners, emails, meetings, calls, notes, tasks. */
  stream: string;
  /** Records taken in so far. */
  imported: number;
  firstImportDone: boolean;
  /** Incremental sync: records modified at or after this time are asked for next. */
  since: string | null;
  lastRunAt: string | null;
  lastError: string | null;
}

/** GET /v1/connectors/:provider — what an admin sees of a connection (never its token). */
export interface ConnectorStatus {
  provider: CrmProvider;
  state: 'not-connected' | 'active' | 'paused' | 'disconnected';
  /** Paused by whom: an admin, or the connector itself because the CRM refused the token. */
  pausedBy: 'admin' | 'unauthorized' | null;
  /** What the admin should know or do, e.g. "HubSpot refused the access token (401): connect again". */
  message: string | null;
  account: { id: string; uiDomain: string | null } | null;
  connectedBy: MemberRef | null;
  connectedAt: string | null;
  phase: 'first-import' | 'incremental' | null;
  lastSyncAt: string | null;
  streams: ConnectorStream[];
  /** Writes going out, by state (history included). */
  outbound: { pending: number; creating: number; synced: number; failed: number; skipped: number };
  /**
   * What goes out of the past (recorded before connecting, or while disconnected): the window chosen — the last
   * `days` days from `from`, 0 for nothing, null for everything — and how far it has got. `minSecondsLeft` is the
   * least the rest can take at the account's request rate (one request per record; a record whose contact HubSpot
   * does not have yet takes more). Null when not connected.
   */
  history: {
    days: number | null;
    from: string | null;
    queued: number;
    sent: number;
    waiting: number;
    failed: number;
    skipped: number;
    minSecondsLeft: number;
  } | null;
  /** The request budget the connector keeps to, and today's use. */
  limits: { requestsPer10s: number; searchPerSecond: number; daily: number; usedToday: number; rejected429: number };
}

/** One write that did not reach the CRM, with the reason; POST …/failures/retry sends it again. */
export interface ConnectorFailure {
  entity: 'contact' | 'company' | 'member' | 'interaction' | 'flag' | 'task';
  localId: string;
  state: 'failed' | 'skipped';
  reason: string | null;
  attempts: number;
  updatedAt: string;
}

export interface ConnectorFailurePage {
  items: ConnectorFailure[];
}

// ---- Issue 12: heads-ups on a contact or a whole company, tasks per contact, the team's change counter ---------
// Additive only: interface declarations below merge into the ones above, every new field is optional, so an older
// hub or extension on the other end keeps working.

/** Heads-ups a writer must see before writing to the person: shown beside a compose window (the rest on the card). */
export const FLAG_KINDS_BEFORE_WRITING = ['do-not-contact', 'open-service-issue', 'billing-issue', 'churn-risk'] as const;

export interface Flag {
  /** `contact`: on this person; `company`: on everyone at `company`. Hubs before issue 12 leave it out (contact). */
  scope?: 'contact' | 'company';
  contactId?: string | null;
  /** The company a company heads-up is on; null for a heads-up on one person. */
  company?: { id: string; name: string } | null;
  /** The heads-up lapses at this time and no longer shows as open; null: until someone closes it. */
  until?: string | null;
  /** What the person who closed it wrote. */
  resolution?: string | null;
}

export interface TimelinePage {
  /**
   * Heads-ups on this contact or its company that ended (closed, or lapsed at their `until`) within the span of time
   * this page covers, newest first: a closed heads-up is an entry of the timeline. Each appears on one page only.
   */
  endedFlags?: Flag[];
}

export interface Task {
  /** The contact a task is about, for lists that show tasks of many contacts (the popup). */
  contact?: { id: string; name: string | null; email: string | null } | null;
}

/** GET /v1/changes: the team's change counter (also the answer's ETag). Opaque: compare, never parse. */
export interface TeamChanges {
  version: string;
  changedAt: string | null;
}
