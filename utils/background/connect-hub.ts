/**
 * "Sign in to your hub" (issue 13), in the background because the token must only ever live here: open the hub's
 * connect page through the browser's extension identity flow (`identity.launchWebAuthFlow`, Chrome and Firefox),
 * where the person signs in (their company's identity provider, an invite link, or a session they already have)
 * and confirms "Connect Liaison in this browser"; the hub then sends the flow to this extension's own redirect
 * URL with a fresh personal token in the fragment, which the browser hands back here and never to a server.
 *
 * The `state` we send must come back unchanged: an answer to somebody else's flow is refused.
 */
import { browser } from 'wxt/browser';
import type { Me } from '../../shared/wire-types';
import { createHubClient, HubError, offlineReasonOf, type HubClient } from '../hub-client';
import type { TestConnectionResult } from '../messaging/protocol';
import { loadSettings, readToken, saveIdentity, saveSettings } from '../storage/settings';

export interface ConnectDeps {
  hubFor?: (hubUrl: string, token: string | null) => HubClient;
  /** The identity API (tests pass a stand-in). */
  identity?: { getRedirectURL(): string; launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string> };
  platform?: () => Promise<{ os: string }>;
  userAgent?: string;
}

const OS_NAMES: Record<string, string> = { mac: 'macOS', win: 'Windows', linux: 'Linux', cros: 'ChromeOS', android: 'Android', openbsd: 'OpenBSD' };

/** "Chrome on Linux": the token's label, so a lost laptop's token is easy to find and revoke in the web app. */
export async function browserLabel(deps: Pick<ConnectDeps, 'platform' | 'userAgent'> = {}): Promise<string> {
  const ua = deps.userAgent ?? (typeof navigator === 'undefined' ? '' : navigator.userAgent);
  const name = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : 'Chrome';
  let os = '';
  try {
    os = (await (deps.platform ?? (() => browser.runtime.getPlatformInfo()))()).os;
  } catch {
    os = '';
  }
  return OS_NAMES[os] ? `${name} on ${OS_NAMES[os]}` : name;
}

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function normalizeHubUrl(url: string): string | null {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.origin + u.pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

export async function connectHub(requestedUrl: string | undefined, deps: ConnectDeps = {}): Promise<TestConnectionResult> {
  const settings = await loadSettings();
  // A hub fixed by policy is the only one a token may come from (and go to).
  const hubUrl = normalizeHubUrl(settings.managed.includes('hubUrl') ? settings.hubUrl : (requestedUrl ?? settings.hubUrl));
  if (!hubUrl) return { ok: false, reason: { code: 'not-configured', message: 'enter the hub’s address (https://…) first' } };
  const identity = deps.identity ?? (browser.identity as unknown as NonNullable<ConnectDeps['identity']>);
  const redirectUri = identity.getRedirectURL();
  const state = randomState();
  const url = `${hubUrl}/connect?${new URLSearchParams({ redirect_uri: redirectUri, state, label: await browserLabel(deps) })}`;
  let answer: string;
  try {
    answer = await identity.launchWebAuthFlow({ url, interactive: true });
  } catch (error) {
    // Closed by the person, or the hub could not be opened.
    return { ok: false, reason: { code: 'unreachable', message: error instanceof Error ? error.message : String(error) } };
  }
  let fragment: URLSearchParams;
  try {
    const back = new URL(answer);
    if (!answer.startsWith(redirectUri)) throw new Error('not our redirect');
    fragment = new URLSearchParams(back.hash.slice(1));
  } catch {
    return { ok: false, reason: { code: 'server-error', message: 'the hub’s answer did not come back to this extension' } };
  }
  const token = fragment.get('token');
  if (fragment.get('state') !== state || !token || !/^lia_[A-Za-z0-9_-]{20,200}$/.test(token)) {
    return { ok: false, reason: { code: 'server-error', message: 'the hub’s answer does not belong to this sign-in; try again' } };
  }
  const hubFor = deps.hubFor ?? ((u: string, tok: string | null) => createHubClient({ hubUrl: u, token: tok }));
  let me: Me;
  try {
    me = await hubFor(hubUrl, token).me();
  } catch (error) {
    return { ok: false, reason: offlineReasonOf(error) };
  }
  await saveSettings({ ...(settings.managed.includes('hubUrl') ? {} : { hubUrl }), token });
  await saveIdentity(me);
  return { ok: true, me };
}

const ME_REFRESH_MS = 10 * 60_000;
let lastRefresh = 0;

/**
 * Asks the hub who we are again, at most every ten minutes while the worker runs: the team's never-log lists and
 * domains reach the extension without anyone touching the options page.
 */
export async function refreshIdentity(hubFor: ConnectDeps['hubFor'] = (u, tok) => createHubClient({ hubUrl: u, token: tok }), now = Date.now()): Promise<void> {
  if (now - lastRefresh < ME_REFRESH_MS) return;
  lastRefresh = now;
  const settings = await loadSettings();
  const token = await readToken();
  if (!settings.hubUrl || !token) return;
  try {
    await saveIdentity(await hubFor!(settings.hubUrl, token).me());
  } catch (error) {
    // Offline or refused: the cached identity (and its lists) stays; the popup and options say why.
    if (!(error instanceof HubError)) console.warn('[liaison] identity refresh failed', error);
  }
}
