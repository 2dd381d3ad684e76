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
}
