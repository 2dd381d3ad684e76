/**
 * The one contract between a mail site and Liaison's features. Each site (Gmail now, Outlook on the web next)
 * has one adapter that alone knows its markup; features (sidebar, log button, leave prompt) only see these
 * types. Everything here is plain data, so a context can be kept after the page that produced it is gone
 * (the leave prompt shows a thread the user has already left).
 */

export type SiteId = 'gmail' | 'outlook';

/** A person as seen on the page. `email` is trimmed and lower-cased; `name` is null when the page shows none. */
export interface Person {
  email: string;
  name: string | null;
}

export interface MessageContext {
  /** The site's own message id (Gmail: the legacy hex id), stable across reloads. */
  messageId: string;
  from: Person | null;
  to: Person[];
  /** Empty where the site does not tell cc apart from to in its markup (Gmail's compact header). */
  cc: Person[];
  /** ISO 8601, or null when the page shows no machine-readable date. */
  date: string | null;
  /** Collapsed messages show their sender only; their recipients are not in the page until expanded. */
  collapsed: boolean;
}

export interface ThreadContext {
  site: SiteId;
  /** The reference a log is stored under (`sourceRef`): stable for the conversation, not for one view of it. */
  threadId: string;
  subject: string;
  messages: MessageContext[];
  /** Everyone on the thread once, in order of appearance (senders and recipients of every message read). */
  participants: Person[];
  /** Meeting invitations carried by the thread's messages (issue 5); absent when there are none. */
  invites?: InviteContext[];
}

export interface ComposeContext {
  site: SiteId;
  /** Identifies this compose window while it is open (a draft id when the site has one). */
  composeId: string;
  kind: 'popup' | 'inline';
  /** The conversation an inline reply or a reply popup belongs to, when known. */
  threadId: string | null;
  subject: string;
  /** To, cc and bcc together: everyone the message will reach. */
  recipients: Person[];
}

export type PageContext =
  | { kind: 'thread'; thread: ThreadContext; composes: ComposeContext[] }
  | { kind: 'list'; composes: ComposeContext[] }
  /** Nothing recognised: features stay silent (no sidebar, no error). */
  | { kind: 'none' };

/** Why a thread was left; issue 4's prompt words itself and decides by this. */
export type LeaveReason = 'navigation' | 'unload';

export interface SiteAdapterHandlers {
  /** Called after each detection batch in which the page context changed (and once at start). */
  onChange(context: PageContext): void;
  /** The thread that was open is no longer: another thread, a list, archive/delete, or the tab closing. */
  onThreadLeft?(thread: ThreadContext, reason: LeaveReason): void;
  /** A compose window or inline reply was sent. Must never delay the send: called after it happened. */
  onMessageSent?(compose: ComposeContext): void;
}

export interface SiteAdapter {
  readonly site: SiteId;
  /**
   * Starts watching the page. Everything started here (observers, listeners, frames) stops when `signal`
   * aborts — wire it to WXT's `ctx.signal` so navigation or an extension update tears it down.
   * Never throws into the page: a page it does not understand yields `{ kind: 'none' }`.
   */
  start(signal: AbortSignal, handlers: SiteAdapterHandlers): void;
  /** The signed-in mail account's address (lower-cased), or null when the page does not show it. */
  readAccount(): string | null;
  /** The current context, read now (for "Log this email" on demand). */
  read(): PageContext;
  /**
   * Issue 12: where compose window `composeId` is on screen (viewport pixels), read now; null when it is not on the
   * page or not laid out. Features place things beside a compose window by it, and never touch the form itself.
   * Reads layout: call it only when there is something to place, never on every detection pass.
   */
  composeBox?(composeId: string): Box | null;
}

/** A rectangle on screen, in viewport pixels. */
export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** The box of an element, or null when it takes no space (hidden, detached). */
export function boxOf(el: Element): Box | null {
  const r = el.getBoundingClientRect();
  return r.width > 0 || r.height > 0 ? { top: r.top, left: r.left, width: r.width, height: r.height } : null;
}

// ---- Meeting invitations (issue 5) -------------------------------------------------------------------------
// What a page says about a meeting, as plain data. The adapter reads; the attendance feature decides. A page
// may show the meeting itself (Google's invite card, Google Calendar's event dialog) and/or offer the .ics; the
// .ics, once fetched and parsed, is the better source (it has the UID, SEQUENCE, METHOD and every RSVP).

/** Where an invitation was seen: a mail site, or a calendar site that has no thread of its own. */
export type InviteSite = SiteId | 'gcal';

/** RSVP as on the invitation (iCalendar PARTSTAT, lower-cased); the same values as the hub's `Rsvp`. */
export type InviteRsvp = 'accepted' | 'declined' | 'tentative' | 'needs-action' | 'delegated' | 'unknown';

export interface MeetingAttendee extends Person {
  rsvp: InviteRsvp;
  /** The organizer is listed among the attendees when the invitation lists them there too. */
  organizer?: boolean;
}

/** One meeting as a page or an .ics describes it. Times are ISO 8601 in UTC, or null when unknown. */
export interface MeetingInvite {
  /** iCalendar UID: how a meeting logged by two teammates is recognised as one. Null when the page hides it. */
  uid: string | null;
  /** RECURRENCE-ID of one occurrence of a series; null for a one-off or the series itself. */
  recurrenceId: string | null;
  /** SEQUENCE: a higher one replaces a lower one. Null when the source does not say (a card, a dialog). */
  sequence: number | null;
  /** METHOD: REQUEST, CANCEL, REPLY, PUBLISH… null when unknown. */
  method: string | null;
  cancelled: boolean;
  title: string | null;
  start: string | null;
  end: string | null;
  organizer: Person | null;
  attendees: MeetingAttendee[];
}

export interface InviteContext {
  site: InviteSite;
  /** The message (Gmail legacy id) or calendar event id the invitation was read from. */
  sourceId: string;
  /** What the page itself shows (invite card microdata, event dialog), when it shows enough. */
  invite: MeetingInvite | null;
  /**
   * The .ics the page offers, on the page's own origin, for the content script to fetch with the page's
   * cookies and have the background parse. Null when there is none.
   */
  icsUrl: string | null;
}
