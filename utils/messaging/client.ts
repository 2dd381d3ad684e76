/**
 * How content scripts, the popup and the options page ask the background something. The background always
 * answers with an `Envelope` (see ./server.ts); this unwraps it, so callers get the typed response or an Error
 * carrying the background's message — never a silently `undefined` answer.
 *
 * Deliberately tiny and free of valibot: it ships inside the Gmail content script (budget: 40 KB gzip).
 */
import { browser } from 'wxt/browser';
import type { Envelope, Request, RequestType, Response } from './protocol';

export async function sendMessage<T extends RequestType>(request: Request<T>): Promise<Response<T>> {
  const envelope = (await browser.runtime.sendMessage(request)) as Envelope<Response<T>> | undefined;
  // No answer at all: the background was not listening (extension reloading, or a test without a dispatcher).
  if (envelope == null || typeof envelope !== 'object' || !('ok' in envelope)) {
    throw new Error(`no answer from the background to ${request.type}`);
  }
  if (!envelope.ok) throw new Error(envelope.error);
  return envelope.value;
}
