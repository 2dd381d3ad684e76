/**
 * "Sign in to your hub" from the extension (issue 13): the extension opens `/connect` through the browser's
 * extension identity flow (`identity.launchWebAuthFlow`), the person confirms "Connect Liaison in this browser",
 * and the hub sends the browser to the extension's own redirect URL with a fresh personal token in the fragment.
 *
 * Guarding where the token goes: only an extension's identity redirect URL is accepted — Chrome's
 * `https://<id>.chromiumapp.org/` and Firefox's `https://<hash>.extensions.allizom.org/` — which the browser hands
 * to the extension that launched the flow and never loads from the network; with HUB_EXTENSION_IDS set, only
 * those ids. The token travels in the fragment, which no server ever receives. Nothing is issued without the
 * confirm click (a POST carrying the session's CSRF token): a page cannot connect someone's browser behind their
 * back, nor make them connect to an account an attacker signed them in to without seeing whose it is.
 */
export interface ConnectRequest {
  redirectUri: string;
  state: string;
  label: string;
}

const CHROME = /^https:\/\/([a-p]{32})\.chromiumapp\.org\/$/;
const FIREFOX = /^https:\/\/([0-9a-f]{40})\.extensions\.allizom\.org\/$/;

/** The extension's id (Chrome) or redirect hash (Firefox) when `uri` is an allowed redirect, else null. */
export function extensionRedirect(uri: unknown, allowedIds: string[] | null): { browser: 'chrome' | 'firefox'; id: string } | null {
  if (typeof uri !== 'string' || uri.length > 200) return null;
  const chrome = CHROME.exec(uri);
  const firefox = FIREFOX.exec(uri);
  const found = chrome ? { browser: 'chrome' as const, id: chrome[1]! } : firefox ? { browser: 'firefox' as const, id: firefox[1]! } : null;
  if (!found) return null;
  if (allowedIds && !allowedIds.includes(found.id)) return null;
  return found;
}

export const STATE = /^[A-Za-z0-9_-]{16,128}$/;

/** "Chrome on Linux": what the extension says it is, kept short and printable (it becomes the token's label). */
export function tokenLabel(label: unknown): string {
  const clean = typeof label === 'string' ? label.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 60) : '';
  return clean || 'Browser extension';
}

/** Checks a connect request; the reason is shown on the hub's page when it is not valid. */
export function checkConnect(q: Record<string, unknown>, allowedIds: string[] | null): { ok: true; value: ConnectRequest } | { ok: false; detail: string } {
  if (!extensionRedirect(q.redirect_uri ?? q.redirectUri, allowedIds)) return { ok: false, detail: 'the redirect address is not an allowed extension’s' };
  const state = q.state;
  if (typeof state !== 'string' || !STATE.test(state)) return { ok: false, detail: 'the request carries no valid state' };
  return { ok: true, value: { redirectUri: String(q.redirect_uri ?? q.redirectUri), state, label: tokenLabel(q.label) } };
}
