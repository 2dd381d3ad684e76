/**
 * The background's side of the protocol: validate what arrived (./schemas.ts), check who sent it, run the
 * handler, answer with an `Envelope`. A handler's failure becomes `{ok:false, error}` so the caller always gets
 * an answer instead of a port closing under it.
 *
 * Who may do what: a content script runs inside a mail page, so it is the least trusted sender we have. It may
 * read and log, but it may not change settings, and it may not run a connection test with a token or a hub URL
 * of its choosing (with a URL of its choosing it could make us send the stored token anywhere). Only extension
 * pages — sender.url on the extension's own origin — may.
 */
import { browser, type Browser } from 'wxt/browser';
import type { Envelope, Request, RequestType, Response } from './protocol';
import { parseRequest } from './schemas';

export type SenderKind = 'extension-page' | 'content-script';

export interface HandlerContext {
  sender: SenderKind;
  /** The tab a content script runs in, when it said. */
  tabId: number | null;
}

export type Handler<T extends RequestType> = (request: Request<T>, context: HandlerContext) => Promise<Response<T>>;
export type Handlers = { [T in RequestType]: Handler<T> };

type Sender = Pick<Browser.runtime.MessageSender, 'id' | 'url' | 'tab'>;

/** The extension's own origin, e.g. `chrome-extension://<id>` or `moz-extension://<uuid>`. */
export function extensionOrigin(): string {
  return new URL(browser.runtime.getURL('/')).origin;
}

/**
 * Anything not provably an extension page gets content-script rights: a sender with a tab on a mail host, a
 * sender without a URL, a URL we do not recognise. Least privilege is the default, not a list of bad cases.
 */
export function classifySender(sender: Sender, origin: string): SenderKind | 'foreign' {
  if (sender.id !== undefined && sender.id !== browser.runtime.id) return 'foreign';
  const url = sender.url ?? '';
  return url.startsWith(origin + '/') ? 'extension-page' : 'content-script';
}

/** Requests only an extension page may make, with the reason given back to anyone else. */
function privilegeError(request: Request): string | null {
  if (request.type === 'settings:save') return 'settings:save is only accepted from the extension’s own pages';
  if (request.type === 'settings:test') {
    const test = request as Request<'settings:test'>;
    if (test.token !== undefined || test.hubUrl !== undefined || test.save !== undefined) {
      return 'settings:test with a token, a hub URL or saving is only accepted from the extension’s own pages';
    }
  }
  if (request.type === 'outbox:discard') return 'outbox:discard is only accepted from the extension’s own pages';
  if (request.type === 'hub:connect') return 'hub:connect is only accepted from the extension’s own pages';
  // Dropping conversations from the Unlogged list is the popup's; a page may only answer its own prompt.
  if (request.type === 'unlogged:dismiss' || request.type === 'unlogged:clear') {
    return `${request.type} is only accepted from the extension’s own pages`;
  }
  return null;
}

const fail = (error: string): Envelope<never> => ({ ok: false, error });

export type Dispatch = (message: unknown, sender: Sender) => Promise<Envelope<unknown>>;

export function createDispatcher(handlers: Handlers, origin: string = extensionOrigin()): Dispatch {
  return async (message, sender) => {
    const kind = classifySender(sender, origin);
    if (kind === 'foreign') return fail('messages from other extensions are not accepted');
    const parsed = parseRequest(message);
    if (!parsed.ok) return fail(parsed.error);
    const request = parsed.request;
    if (kind === 'content-script') {
      const refused = privilegeError(request);
      if (refused) return fail(refused);
    }
    const handler = handlers[request.type] as Handler<RequestType>;
    try {
      const value = await handler(request, { sender: kind, tabId: sender.tab?.id ?? null });
      return { ok: true, value };
    } catch (error) {
      // The message is ours (handlers throw plain Errors with user-facing text); stacks stay in the worker.
      console.warn(`[liaison] ${request.type} failed`, error);
      return fail(error instanceof Error ? error.message : String(error));
    }
  };
}

/**
 * Registers the dispatcher on runtime.onMessage. `handle(msg).then(sendResponse); return true;` is the shape
 * that works in Chromium and through the polyfill; a returned Promise is not honoured by Chromium's callback API.
 */
export function listen(dispatch: Dispatch): () => void {
  const listener = (message: unknown, sender: Sender, sendResponse?: (response: unknown) => void) => {
    const reply = dispatch(message, sender);
    // WXT's fake browser (unit tests) passes no sendResponse and awaits what the listener returns instead.
    if (typeof sendResponse !== 'function') return reply;
    void reply.then(sendResponse);
    return true as const;
  };
  const onMessage = browser.runtime.onMessage as unknown as {
    addListener(l: typeof listener): void;
    removeListener(l: typeof listener): void;
  };
  onMessage.addListener(listener);
  return () => onMessage.removeListener(listener);
}
