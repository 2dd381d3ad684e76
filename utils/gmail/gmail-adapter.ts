import { normaliseEmail } from '../adapters/person';
import type { ComposeContext, PageContext, SiteAdapter, SiteAdapterHandlers, ThreadContext } from '../adapters/types';
import { parseGmailUrl } from './navigation';
import { composeRootOf, readCompose, readComposes } from './read-compose';
import { readThread } from './read-thread';
import { gmailSelectors as S, gmailTitleAccount } from './selectors';

/**
 * One detection pass: what the page shows now. Exported on its own so the benchmark can time exactly the work
 * done per mutation batch (budget: ≤ 1 ms on a 500-row inbox). Reads attributes and text only — never layout
 * (no offsetWidth/getBoundingClientRect), which would force Gmail to reflow on every batch (InboxSDK #1098).
 * Never throws: a page it does not understand is `{ kind: 'none' }`.
 */
export function detectGmailPage(doc: Document, href: string): PageContext {
  try {
    const location = parseGmailUrl(href);
    if (location.kind === 'other') return { kind: 'none' };
    if (location.kind === 'thread') {
      const thread = readThread(doc, location.threadId);
      // The URL changes before Gmail renders the thread: until the subject is there, say nothing.
      if (!thread) return { kind: 'none' };
      return { kind: 'thread', thread, composes: readComposes(doc, thread.threadId, thread.subject) };
    }
    // A list view: the 500 rows are not touched, only compose forms (a popup can be open over a list).
    if (!doc.querySelector(S.main.primary)) return { kind: 'none' };
    return { kind: 'list', composes: readComposes(doc, null, null) };
  } catch (error) {
    console.debug('[liaison] Gmail page not understood', error);
    return { kind: 'none' };
  }
}

/** The signed-in address: `document.title` first, the account button's label as the second way. */
export function readGmailAccount(doc: Document): string | null {
  const fromTitle = gmailTitleAccount.exec(doc.title)?.[1] ?? null;
  const button = doc.querySelector(S.accountButton.primary) ?? doc.querySelector(S.accountButton.fallback!);
  const fromButton = /\(([^\s()@]+@[^\s()@]+\.[^\s()@]+)\)/.exec(button?.getAttribute('aria-label') ?? '')?.[1] ?? null;
  const found = fromTitle ?? fromButton;
  return found ? normaliseEmail(found) : null;
}

/** How long after Send the compose form may take to go away before we conclude the message was not sent. */
const SEND_CONFIRM_MS = 60_000;

export interface GmailAdapterOptions {
  doc?: Document;
  win?: Window;
  /**
   * How a batch of mutations is coalesced into one detection pass. Default: the next animation frame, so a
   * burst of Gmail's DOM writes costs one pass, and none while the tab is hidden.
   */
  schedule?: (run: () => void, signal: AbortSignal) => void;
}

function scheduleFrame(run: () => void, signal: AbortSignal): void {
  const handle = requestAnimationFrame(run);
  signal.addEventListener('abort', () => cancelAnimationFrame(handle), { once: true });
}

export function createGmailAdapter(options: GmailAdapterOptions = {}): SiteAdapter {
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  const schedule = options.schedule ?? scheduleFrame;

  return {
    site: 'gmail',
    readAccount: () => readGmailAccount(doc),
    read: () => detectGmailPage(doc, win.location.href),
    start(signal: AbortSignal, handlers: SiteAdapterHandlers): void {
      if (signal.aborted) return;
      let pending = false;
      let lastKey = '';
      let openThread: ThreadContext | null = null;

      const safely = (call: () => void) => {
        try {
          call();
        } catch (error) {
          // A feature's bug must not become an error on Gmail's page.
          console.debug('[liaison] handler failed', error);
        }
      };

      // Sends seen (a click on Send, Ctrl/Cmd+Enter) whose compose form has not gone yet. Gmail removes the form
      // once the message is on its way; a form that stays (no recipient, an error) was not sent.
      const sends = new Map<Element, { compose: ComposeContext; at: number }>();
      const settleSends = () => {
        for (const [root, send] of sends) {
          if (!root.isConnected) {
            sends.delete(root);
            safely(() => handlers.onMessageSent?.(send.compose));
          } else if (Date.now() - send.at > SEND_CONFIRM_MS) sends.delete(root);
        }
      };
      const noteSend = (target: EventTarget | null) => {
        const el = target instanceof Element ? target : null;
        const root = el ? composeRootOf(el) : null;
        if (!root || signal.aborted) return;
        // Read now, while the form is still there; reported only once Gmail has taken it away.
        const thread = openThread;
        safely(() => sends.set(root, { compose: readCompose(root, thread?.threadId ?? null, thread?.subject ?? null), at: Date.now() }));
      };
      // Listened to in the capture phase and never cancelled: Gmail's own handler runs exactly as without us.
      doc.addEventListener(
        'click',
        (event) => {
          const el = event.target instanceof Element ? event.target : null;
          const button = el?.closest(S.composeSend.primary) ?? el?.closest(S.composeSend.fallback!);
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
        if (sends.size > 0) settleSends();
        const href = win.location.href;
        const context = detectGmailPage(doc, href);
        const key = JSON.stringify(context);
        if (key === lastKey) return;
        lastKey = key;
        // The URL changes a moment before Gmail renders the next thread; that gap is not "leaving".
        const loadingThread = context.kind === 'none' && parseGmailUrl(href).kind === 'thread';
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

      const observer = new MutationObserver(request);
      observer.observe(doc.body ?? doc.documentElement, {
        childList: true,
        subtree: true,
        // Gmail fills thread ids and recipient chips in place. Not `class`: hovering list rows rewrites classes
        // all the time, and expanding a message inserts nodes anyway.
        attributes: true,
        attributeFilter: ['data-legacy-thread-id', 'data-thread-perm-id', 'data-hovercard-id'],
      });
      signal.addEventListener('abort', () => observer.disconnect(), { once: true });
      win.addEventListener('hashchange', request, { signal });
      win.addEventListener(
        'pagehide',
        () => {
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
