import { normaliseEmail, looksLikeEmail } from '../adapters/person';
import type { ComposeContext, InviteContext, PageContext, SiteAdapter, SiteAdapterHandlers, ThreadContext } from '../adapters/types';
import { parseOutlookUrl } from './navigation';
import { composeRootOf, composeRoots, readCompose } from './read-compose';
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
      // The URL changes before Outlook renders the conversation: until its subject is there, say nothing.
      if (!thread) return { kind: 'none' };
      return { kind: 'thread', thread, composes: readComposes(doc, thread) };
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

/** The signed-in address, from the account control (its text, or a `title` holding the address). */
export function readOutlookAccount(doc: Document): string | null {
  const el = outlookQuery(doc, S.account);
  const text = (el?.textContent ?? '').trim();
  const candidate = looksLikeEmail(text) ? text : /[^\s<>"]+@[^\s<>"]+\.[^\s<>"]+/.exec(el?.getAttribute('title') ?? '')?.[0];
  return candidate && looksLikeEmail(candidate) ? normaliseEmail(candidate) : null;
}

/** How long after Send the compose form may take to go away before we conclude the message was not sent. */
const SEND_CONFIRM_MS = 60_000;

export interface OutlookAdapterOptions {
  doc?: Document;
  win?: Window;
  /** How a burst of mutations is coalesced into one pass. Default: the next animation frame. */
  schedule?: (run: () => void, signal: AbortSignal) => void;
}

function scheduleFrame(run: () => void, signal: AbortSignal): void {
  const handle = requestAnimationFrame(run);
  signal.addEventListener('abort', () => cancelAnimationFrame(handle), { once: true });
}

/** Outlook fills ids, expands messages and adds recipient chips in place; these attribute writes matter. */
const WATCHED_ATTRIBUTES = ['data-convid', 'aria-expanded', 'data-selection-index', 'data-response', 'title'];

function watch(doc: Document, win: Window, signal: AbortSignal, request: () => void): void {
  const observer = new MutationObserver(request);
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  // Outlook moves with pushState (no event); its DOM changes follow. Back and forward do fire popstate.
  win.addEventListener('popstate', request, { signal });
}

export function createOutlookAdapter(options: OutlookAdapterOptions = {}): SiteAdapter {
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  const schedule = options.schedule ?? scheduleFrame;

  return {
    site: 'outlook',
    readAccount: () => readOutlookAccount(doc),
    read: () => detectOutlookPage(doc, win.location.href),
    start(signal: AbortSignal, handlers: SiteAdapterHandlers): void {
      if (signal.aborted) return;
      let pending = false;
      let lastKey = '';
      let openThread: ThreadContext | null = null;

      const safely = (call: () => void) => {
        try {
          call();
        } catch (error) {
          // A feature's bug must not become an error on Outlook's page.
          console.debug('[liaison] handler failed', error);
        }
      };

      // Sends seen (Send clicked, Ctrl+Enter) whose form has not gone yet. Outlook removes the form once the
      // message is on its way (a pop-out compose window closes itself); a form that stays was not sent.
      const sends = new Map<Element, { compose: ComposeContext; at: number }>();
      const settleSends = (unloading: boolean) => {
        for (const [root, send] of sends) {
          const expired = Date.now() - send.at > SEND_CONFIRM_MS;
          if (!expired && (!root.isConnected || unloading)) {
            sends.delete(root);
            safely(() => handlers.onMessageSent?.(send.compose));
          } else if (expired) sends.delete(root);
        }
      };
      const noteSend = (target: EventTarget | null) => {
        const el = target instanceof Element ? target : null;
        const root = el ? composeRootOf(el, doc) : null;
        if (!root || signal.aborted) return;
        // Read now, while the form is still there; reported only once Outlook has taken it away.
        const thread = openThread;
        const inConversation = thread != null && conversationScope(doc) !== doc && (conversationScope(doc) as Node).contains(root);
        safely(() => sends.set(root, { compose: readCompose(root, inConversation, thread?.threadId ?? null, thread?.subject ?? null), at: Date.now() }));
      };
      // Capture phase, passive, never cancelled: Outlook's own handler runs exactly as without us.
      doc.addEventListener(
        'click',
        (event) => {
          const el = event.target instanceof Element ? event.target : null;
          const button = el?.closest(S.composeSend.primary) ?? el?.closest(S.composeSend.fallback);
          if (button) noteSend(button);
        },
        { capture: true, passive: true, signal },
      );
      doc.addEventListener(
        'keydown',
        (event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) noteSend(event.target);
        },
        { capture: true, passive: true, signal },
      );

      const detect = () => {
        pending = false;
        if (signal.aborted) return;
        if (sends.size > 0) settleSends(false);
        const href = win.location.href;
        const context = detectOutlookPage(doc, href);
        const key = JSON.stringify(context);
        if (key === lastKey) return;
        lastKey = key;
        // The URL changes a moment before Outlook renders the next conversation; that gap is not "leaving".
        const loadingThread = context.kind === 'none' && parseOutlookUrl(href).kind === 'thread';
        const nextThreadId = context.kind === 'thread' ? context.thread.threadId : null;
        if (openThread && !loadingThread && nextThreadId !== openThread.threadId) {
          const left = openThread;
          safely(() => handlers.onThreadLeft?.(left, 'navigation'));
        }
        if (context.kind === 'thread') openThread = context.thread;
        else if (!loadingThread) openThread = null;
        safely(() => handlers.onChange(context));
      };
      const request = () => {
        if (pending || signal.aborted) return;
        pending = true;
        schedule(detect, signal);
      };
      watch(doc, win, signal, request);
      win.addEventListener(
        'pagehide',
        () => {
          // A pop-out compose window closes itself right after Send: that closing is the confirmation.
          if (sends.size > 0) settleSends(true);
          if (openThread) {
            const left = openThread;
            safely(() => handlers.onThreadLeft?.(left, 'unload'));
          }
        },
        { signal },
      );
      detect();
    },
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
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  const schedule = options.schedule ?? scheduleFrame;
  const read = () => detectOutlookEvent(doc, win.location.href);
  return {
    site: 'outlook',
    read,
    start(signal, onChange) {
      if (signal.aborted) return;
      let pending = false;
      let lastKey = 'null';
      const detect = () => {
        pending = false;
        if (signal.aborted) return;
        const invite = read();
        const key = JSON.stringify(invite);
        if (key === lastKey) return;
        lastKey = key;
        try {
          onChange(invite);
        } catch (error) {
          console.debug('[liaison] calendar handler failed', error);
        }
      };
      watch(doc, win, signal, () => {
        if (pending || signal.aborted) return;
        pending = true;
        schedule(detect, signal);
      });
      detect();
    },
  };
}
