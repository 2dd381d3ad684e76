/**
 * How every site adapter watches its page, in one place: DOM mutation bursts coalesced into one read per frame,
 * changes reported only when what was read changed, "left this thread" and "sent this message" derived the same
 * way on every mail site. A site supplies what only it knows (how to read its page, which attributes matter,
 * where Send is); the mechanism — and its rules about never cancelling the page's events and never throwing
 * into the page — is shared, so a fix here is a fix for Gmail, Outlook and the calendars alike.
 */
import type { ComposeContext, PageContext, SiteAdapterHandlers, ThreadContext } from './types';

export type Schedule = (run: () => void, signal: AbortSignal) => void;

/** The default: the next animation frame, so a burst of DOM writes costs one pass, and none while the tab is hidden. */
export function scheduleFrame(run: () => void, signal: AbortSignal): void {
  const handle = requestAnimationFrame(run);
  signal.addEventListener('abort', () => cancelAnimationFrame(handle), { once: true });
}

export interface WatchOptions {
  doc: Document;
  win: Window;
  schedule: Schedule;
  /**
   * Attribute writes that matter (ids filled in place, chips added). Never `class`: hovering list rows rewrites
   * classes all the time, and inserting nodes is observed anyway.
   */
  attributeFilter: string[];
  /** How the site navigates without a mutation: Gmail by the hash, Outlook and Calendar by the History API. */
  navigationEvent: 'hashchange' | 'popstate';
}

/** Calls `pass` once per scheduled frame after any mutation or navigation; returns the way to ask for a pass. */
function watchMutations(options: WatchOptions, signal: AbortSignal, pass: () => void): () => void {
  let pending = false;
  const run = () => {
    pending = false;
    if (!signal.aborted) pass();
  };
  const request = () => {
    if (pending || signal.aborted) return;
    pending = true;
    options.schedule(run, signal);
  };
  const observer = new MutationObserver(request);
  const { doc, win } = options;
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: options.attributeFilter });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  win.addEventListener(options.navigationEvent, request, { signal });
  return request;
}

/** A feature's bug must not become an error on the mail site's page. */
function safely(call: () => void): void {
  try {
    call();
  } catch (error) {
    console.debug('[liaison] handler failed', error);
  }
}

/**
 * Reads `read()` after every change of the page and reports it when it differs from the last report (by value).
 * For pages with one thing to follow, such as a calendar's open event.
 */
export function watchValue<T>(options: WatchOptions, signal: AbortSignal, read: () => T, onChange: (value: T) => void, initialKey = 'null'): void {
  if (signal.aborted) return;
  let lastKey = initialKey;
  const pass = () => {
    const value = read();
    const key = JSON.stringify(value);
    if (key === lastKey) return;
    lastKey = key;
    safely(() => onChange(value));
  };
  watchMutations(options, signal, pass);
  pass();
}

/** How long after Send the compose form may take to go away before we conclude the message was not sent. */
const SEND_CONFIRM_MS = 60_000;

export interface MailPage extends WatchOptions {
  /** One detection pass over the page at `href`; never throws. */
  detect(href: string): PageContext;
  /** The URL names a thread: a 'none' read then means "still rendering it", not "left it". */
  isThreadUrl(href: string): boolean;
  /** The Send button of a compose form, found two ways. */
  sendButton: { primary: string; fallback: string | null };
  /** The compose form `el` is in, read now (at Send, while the form is still there), or null. */
  composeAt(el: Element, openThread: ThreadContext | null): { root: Element; compose: ComposeContext } | null;
  /** A pop-out compose window closes itself right after Send: its page going away confirms the send. */
  confirmSendOnUnload: boolean;
}

/**
 * Starts watching a mail page: `onChange` after each pass in which the context changed, `onThreadLeft` when the
 * open thread is gone (another thread, a list, the page going away), `onMessageSent` once the site has taken a
 * sent form away. Send and Ctrl/Cmd+Enter are observed in the capture phase, passive, never cancelled: the
 * site's own handler runs exactly as without us.
 */
export function watchMailPage(page: MailPage, signal: AbortSignal, handlers: SiteAdapterHandlers): void {
  if (signal.aborted) return;
  const { doc, win } = page;
  let lastKey = '';
  let openThread: ThreadContext | null = null;

  // Sends seen whose form has not gone yet. The site removes the form once the message is on its way; a form
  // that stays (no recipient, an error) was not sent.
  const sends = new Map<Element, { compose: ComposeContext; at: number }>();
  const settleSends = (unloading: boolean) => {
    for (const [root, send] of sends) {
      const expired = Date.now() - send.at > SEND_CONFIRM_MS;
      if (expired) sends.delete(root);
      else if (!root.isConnected || unloading) {
        sends.delete(root);
        safely(() => handlers.onMessageSent?.(send.compose));
      }
    }
  };
  const noteSend = (target: EventTarget | null) => {
    if (!(target instanceof Element) || signal.aborted) return;
    safely(() => {
      const found = page.composeAt(target, openThread);
      if (found) sends.set(found.root, { compose: found.compose, at: Date.now() });
    });
  };
  doc.addEventListener(
    'click',
    (event) => {
      const el = event.target instanceof Element ? event.target : null;
      const button = el?.closest(page.sendButton.primary) ?? (page.sendButton.fallback ? el?.closest(page.sendButton.fallback) : null);
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

  const pass = () => {
    if (sends.size > 0) settleSends(false);
    const href = win.location.href;
    const context = page.detect(href);
    const key = JSON.stringify(context);
    if (key === lastKey) return;
    lastKey = key;
    // The URL changes a moment before the site renders the next thread; that gap is not "leaving".
    const loadingThread = context.kind === 'none' && page.isThreadUrl(href);
    const nextThreadId = context.kind === 'thread' ? context.thread.threadId : null;
    if (openThread && !loadingThread && nextThreadId !== openThread.threadId) {
      const left = openThread;
      safely(() => handlers.onThreadLeft?.(left, 'navigation'));
    }
    if (context.kind === 'thread') openThread = context.thread;
    else if (!loadingThread) openThread = null;
    safely(() => handlers.onChange(context));
  };
  watchMutations(page, signal, pass);
  win.addEventListener(
    'pagehide',
    () => {
      if (page.confirmSendOnUnload && sends.size > 0) settleSends(true);
      if (openThread) {
        const left = openThread;
        safely(() => handlers.onThreadLeft?.(left, 'unload'));
      }
    },
    { signal },
  );
  pass();
}
