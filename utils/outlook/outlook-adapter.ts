import { looksLikeEmail, normalizeEmail } from '../adapters/person';
import type { ComposeContext, InviteContext, PageContext, SiteAdapter, SiteAdapterHandlers, ThreadContext } from '../adapters/types';
import { scheduleFrame, watchMailPage, watchValue, type MailPage, type Schedule, type WatchOptions } from '../adapters/watch-page';
import { parseOutlookUrl } from './navigation';
import { composeBox, composeRootOf, composeRoots, readCompose } from './read-compose';
import { readCalendarEvent } from './read-event';
import { conversationScope, readThread } from './read-thread';
import { outlookQuery, outlookSelectors as S } from './selectors';

function originOf(href: string): string {
  try {
    return new URL(href).origin;
  } catch {
    return '';
  }
}

function readComposes(doc: Document, thread: ThreadContext | null): ComposeContext[] {
  const scope = thread ? conversationScope(doc) : null;
  return composeRoots(doc).map((root) =>
    readCompose(root, scope != null && scope !== doc && (scope as Node).contains(root), thread?.threadId ?? null, thread?.subject ?? null),
  );
}

/**
 * One detection pass: what the page shows now (exported for the benchmark). Attributes and text only — never
 * layout, which would force Outlook to reflow on every batch. Never throws: a page it does not understand, and
 * the calendar (read by the calendar adapter below), are `{ kind: 'none' }`.
 */
export function detectOutlookPage(doc: Document, href: string): PageContext {
  try {
    const location = parseOutlookUrl(href);
    if (location.kind === 'thread') {
      const thread = readThread(doc, location.id, originOf(href));
      if (thread) return { kind: 'thread', thread, composes: readComposes(doc, thread) };
      // A URL ending in /id/<conversation> may show an empty reading pane (the conversation was moved away, the
      // pane closed): then no conversation is open, and the one that was has been left.
      if (showsNoConversation(doc, location.id)) return { kind: 'list', composes: readComposes(doc, null) };
      // The URL changes before Outlook renders the conversation: until its subject is there, say nothing.
      return { kind: 'none' };
    }
    if (location.kind === 'list' || location.kind === 'compose') {
      // The message list's rows are not read, only compose forms (a new message opens over the list).
      if (!doc.querySelector(S.main.primary) && location.kind === 'list') return { kind: 'none' };
      return { kind: 'list', composes: readComposes(doc, null) };
    }
    return { kind: 'none' };
  } catch (error) {
    console.debug('[liaison] Outlook page not understood', error);
    return { kind: 'none' };
  }
}

/**
 * The page is rendered (its reading pane is there) and shows no conversation, nor is one being opened: Outlook
 * selects a conversation's list row before it renders the conversation, so a selected row for the URL's id
 * means "still opening".
 */
function showsNoConversation(doc: Document, urlId: string | null): boolean {
  if (!outlookQuery(doc, S.readingPane)) return false;
  const opening = Array.from(doc.querySelectorAll(S.selectedRow.primary)).some((row) => row.getAttribute('data-convid') === urlId);
  return !opening;
}

/** The signed-in address, from the account control (its text, or a `title` holding the address). */
export function readOutlookAccount(doc: Document): string | null {
  const el = outlookQuery(doc, S.account);
  const text = (el?.textContent ?? '').trim();
  const candidate = looksLikeEmail(text) ? text : /[^\s<>"]+@[^\s<>"]+\.[^\s<>"]+/.exec(el?.getAttribute('title') ?? '')?.[0];
  return candidate ? normalizeEmail(candidate) : null;
}

export interface OutlookAdapterOptions {
  doc?: Document;
  win?: Window;
  /** How a burst of mutations is coalesced into one pass. Default: the next animation frame. */
  schedule?: Schedule;
}

/**
 * How Outlook's page is watched: it fills ids, expands messages and adds recipient chips in place (these
 * attribute writes matter), and moves with pushState (no event; its DOM changes follow) — back and forward
 * do fire popstate.
 */
function watchOptions(options: OutlookAdapterOptions): WatchOptions {
  return {
    doc: options.doc ?? document,
    win: options.win ?? window,
    schedule: options.schedule ?? scheduleFrame,
    attributeFilter: ['data-convid', 'aria-expanded', 'data-selection-index', 'data-response', 'title'],
    navigationEvent: 'popstate',
  };
}

export function createOutlookAdapter(options: OutlookAdapterOptions = {}): SiteAdapter {
  const watch = watchOptions(options);
  const { doc, win } = watch;
  const page: MailPage = {
    ...watch,
    detect: (href) => detectOutlookPage(doc, href),
    isThreadUrl: (href) => parseOutlookUrl(href).kind === 'thread',
    sendButton: S.composeSend,
    composeAt(el, thread) {
      const root = composeRootOf(el, doc);
      if (!root) return null;
      const scope = thread ? conversationScope(doc) : null;
      const inConversation = scope != null && scope !== doc && (scope as Node).contains(root);
      return { root, compose: readCompose(root, inConversation, thread?.threadId ?? null, thread?.subject ?? null) };
    },
    // A pop-out compose window closes itself right after Send: that closing is the confirmation.
    confirmSendOnUnload: true,
  };
  return {
    site: 'outlook',
    readAccount: () => readOutlookAccount(doc),
    read: () => detectOutlookPage(doc, win.location.href),
    composeBox: (composeId) => composeBox(doc, composeId),
    start: (signal: AbortSignal, handlers: SiteAdapterHandlers) => watchMailPage(page, signal, handlers),
  };
}

/**
 * The Outlook calendar has no threads: what Liaison reads there is the open event (peek card or full view),
 * for the attendance panel — null when none is open, so the feature can remove itself.
 */
export interface OutlookCalendarAdapter {
  readonly site: 'outlook';
  start(signal: AbortSignal, onChange: (invite: InviteContext | null) => void): void;
  read(): InviteContext | null;
}

export function detectOutlookEvent(doc: Document, href: string): InviteContext | null {
  const location = parseOutlookUrl(href);
  return location.kind === 'calendar' ? readCalendarEvent(doc, location.id) : null;
}

export function createOutlookCalendarAdapter(options: OutlookAdapterOptions = {}): OutlookCalendarAdapter {
  const watch = watchOptions(options);
  const read = () => detectOutlookEvent(watch.doc, watch.win.location.href);
  return {
    site: 'outlook',
    read,
    start: (signal, onChange) => watchValue(watch, signal, read, onChange),
  };
}
