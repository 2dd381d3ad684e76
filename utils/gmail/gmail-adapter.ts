import { normalizeEmail } from '../adapters/person';
import type { PageContext, SiteAdapter, SiteAdapterHandlers } from '../adapters/types';
import { scheduleFrame, watchMailPage, type MailPage, type Schedule } from '../adapters/watch-page';
import { parseGmailUrl } from './navigation';
import { composeBox, composeRootOf, readCompose, readComposes } from './read-compose';
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
      const thread = readThread(doc, location.threadId, readGmailAccount(doc));
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
  return found ? normalizeEmail(found) : null;
}

export interface GmailAdapterOptions {
  doc?: Document;
  win?: Window;
  /**
   * How a batch of mutations is coalesced into one detection pass. Default: the next animation frame, so a
   * burst of Gmail's DOM writes costs one pass, and none while the tab is hidden.
   */
  schedule?: Schedule;
}

export function createGmailAdapter(options: GmailAdapterOptions = {}): SiteAdapter {
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  const page: MailPage = {
    doc,
    win,
    schedule: options.schedule ?? scheduleFrame,
    // Gmail fills thread ids and recipient chips in place; it navigates by the hash.
    attributeFilter: ['data-legacy-thread-id', 'data-thread-perm-id', 'data-hovercard-id'],
    navigationEvent: 'hashchange',
    detect: (href) => detectGmailPage(doc, href),
    isThreadUrl: (href) => parseGmailUrl(href).kind === 'thread',
    sendButton: S.composeSend,
    composeAt(el, thread) {
      const root = composeRootOf(el);
      return root ? { root, compose: readCompose(root, thread?.threadId ?? null, thread?.subject ?? null) } : null;
    },
    confirmSendOnUnload: false,
  };
  return {
    site: 'gmail',
    readAccount: () => readGmailAccount(doc),
    read: () => detectGmailPage(doc, win.location.href),
    composeBox: (composeId) => composeBox(doc, composeId),
    start: (signal: AbortSignal, handlers: SiteAdapterHandlers) => watchMailPage(page, signal, handlers),
  };
}
