/**
 * User settings in `browser.storage.local`, with managed policy (./managed-policy.ts) overriding per field.
 *
 * The access token is kept apart from the settings, in the extension's own IndexedDB (`readToken`, background only):
 * content scripts can read `storage.local` (Chrome and Firefox both let them), but IndexedDB belongs to an origin,
 * and a content script's origin is the mail site's — so no script running in a Gmail or Outlook page can reach it.
 * Pages get a `SettingsView` that says whether a token exists, never what it is. Everything read back from storage is
 * validated again: storage outlives versions of this code, and a corrupt entry must fall back to defaults
 * rather than break every message.
 */
import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { normalizeEmail } from '../../shared/addresses';
import type { Me } from '../../shared/wire-types';
import type { SettingsUpdate, SettingsView } from '../messaging/protocol';
import { PROMPT_MODES, type PromptMode } from '../prompt/decide-prompt';
import { openLiaisonDb, type LiaisonDb } from './db';
import { loadManagedPolicy, type ManagedKey, type ManagedProblem } from './managed-policy';

import { SETTINGS_KEY } from './keys';

export { SETTINGS_KEY };
/** Where versions before this one kept the token (storage.local); read once, moved, and removed. */
export const LEGACY_TOKEN_KEY = 'liaison:token';
/** The token's key in IndexedDB's `meta` store. */
const TOKEN_META_KEY = 'token';

let tokenDb: Promise<LiaisonDb> | null = null;
/** The background's IndexedDB, opened once; tests that swap the fake IndexedDB call `forgetTokenStore`. */
function tokenStore(): Promise<LiaisonDb> {
  tokenDb ??= openLiaisonDb();
  return tokenDb;
}
export function forgetTokenStore(): void {
  tokenDb = null;
}

/** Background only: keeps (or, with null, forgets) the access token. */
export async function storeToken(token: string | null): Promise<void> {
  const db = await tokenStore();
  if (token === null) await db.delete('meta', TOKEN_META_KEY);
  else await db.put('meta', token, TOKEN_META_KEY);
  await browser.storage.local.remove(LEGACY_TOKEN_KEY);
}

export interface StoredSettings {
  hubUrl: string;
  myAddresses: string[];
  neverLogDomains: string[];
  neverLogAddresses: string[];
  includeBody: boolean;
  /** When to ask "Log your conversation with …?": 'all' customer conversations, 'known-only' contacts, or 'off'. */
  promptMode: PromptMode;
  /** Whether the prompt also asks about people the CRM does not know yet ("Add to CRM and log"). */
  askAboutUnknown: boolean;
  /** From GET /v1/me, cached so the sidebar knows colleagues offline. */
  teamDomains: string[];
  me: Me | null;
  detectedAccounts: string[];
}

export const DEFAULT_SETTINGS: StoredSettings = {
  hubUrl: '',
  myAddresses: [],
  neverLogDomains: [],
  neverLogAddresses: [],
  includeBody: false,
  promptMode: 'all',
  askAboutUnknown: true,
  teamDomains: [],
  me: null,
  detectedAccounts: [],
};

const Strings = v.array(v.string());
/** Each field falls back on its own, so one bad field does not reset the others. */
const StoredSchema = v.object({
  hubUrl: v.fallback(v.string(), DEFAULT_SETTINGS.hubUrl),
  myAddresses: v.fallback(Strings, []),
  neverLogDomains: v.fallback(Strings, []),
  neverLogAddresses: v.fallback(Strings, []),
  includeBody: v.fallback(v.boolean(), false),
  promptMode: v.fallback(v.picklist(PROMPT_MODES), 'all'),
  askAboutUnknown: v.fallback(v.boolean(), true),
  teamDomains: v.fallback(Strings, []),
  // Me is the hub's own answer, stored as received; only its presence and shape's top level matter here.
  me: v.fallback(v.nullable(v.looseObject({ member: v.looseObject({ id: v.string() }), team: v.looseObject({}) })), null),
  detectedAccounts: v.fallback(Strings, []),
});

export interface EffectiveSettings extends StoredSettings {
  managed: ManagedKey[];
  managedProblems: ManagedProblem[];
  /** The person's own never-log lists, or managed policy's where it fixes them (before the team's are added). */
  own: { neverLogDomains: string[]; neverLogAddresses: string[] };
  /** The team's never-log lists, pushed by the hub with GET /v1/me (issue 13). */
  team: { neverLogDomains: string[]; neverLogAddresses: string[] };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string').map((s) => s.trim().toLowerCase()).filter(Boolean) : [];

/** The hub's team lists as cached with `me`; an older hub has none, and anything malformed counts as none. */
function teamPolicy(me: Me | null): EffectiveSettings['team'] {
  const policy = (me as { policy?: { neverLogDomains?: unknown; neverLogAddresses?: unknown } } | null)?.policy;
  return { neverLogDomains: strings(policy?.neverLogDomains), neverLogAddresses: strings(policy?.neverLogAddresses) };
}

async function readStored(): Promise<StoredSettings> {
  const raw = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  const parsed = v.safeParse(StoredSchema, raw ?? {});
  return parsed.success ? (parsed.output as StoredSettings) : { ...DEFAULT_SETTINGS };
}

/**
 * The user's settings with every valid managed value laid over them; then the team's never-log lists from the hub
 * are added to whichever lists are in force. Never-log is a restriction, so the stricter wins: the union.
 */
export async function loadSettings(): Promise<EffectiveSettings> {
  const [stored, policy] = await Promise.all([readStored(), loadManagedPolicy()]);
  const managed = Object.keys(policy.values) as ManagedKey[];
  const base = { ...stored, ...policy.values };
  const team = teamPolicy(stored.me);
  return {
    ...base,
    neverLogDomains: [...new Set([...base.neverLogDomains, ...team.neverLogDomains])],
    neverLogAddresses: [...new Set([...base.neverLogAddresses, ...team.neverLogAddresses])],
    own: { neverLogDomains: base.neverLogDomains, neverLogAddresses: base.neverLogAddresses },
    team,
    managed,
    managedProblems: policy.problems,
  };
}

/** Background only. Returns null when no token was saved. */
export async function readToken(): Promise<string | null> {
  const stored = await (await tokenStore()).get('meta', TOKEN_META_KEY);
  if (typeof stored === 'string' && stored !== '') return stored;
  // Saved by an earlier version where content scripts could read it: moved out of their reach on first use.
  const legacy = (await browser.storage.local.get(LEGACY_TOKEN_KEY))[LEGACY_TOKEN_KEY];
  if (typeof legacy === 'string' && legacy !== '') {
    await storeToken(legacy);
    return legacy;
  }
  return null;
}

const unique = (list: string[]) => [...new Set(list.map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))];

/** Adds an address or a domain to the user's never-log lists (the prompt's "Never for …"), unless managed. */
export async function addNeverLog(kind: 'address' | 'domain', value: string): Promise<boolean> {
  const current = await loadSettings();
  const key = kind === 'address' ? 'neverLogAddresses' : 'neverLogDomains';
  if ((current.managed as string[]).includes(key)) return false;
  const stored = await readStored();
  await browser.storage.local.set({ [SETTINGS_KEY]: { ...stored, [key]: unique([...stored[key], value]) } });
  return true;
}

/**
 * Applies what the user changed. Fields an administrator manages are left alone (the options page shows them
 * read-only; this is the same rule enforced where it counts). A new hub or token forgets the cached identity,
 * so the sidebar never shows one team's domains against another team's hub.
 */
export async function saveSettings(update: SettingsUpdate): Promise<EffectiveSettings> {
  const current = await loadSettings();
  const stored = await readStored();
  const isManaged = (key: string) => (current.managed as string[]).includes(key);
  const next: StoredSettings = { ...stored };
  let identityChanged = false;

  if (update.hubUrl !== undefined && !isManaged('hubUrl')) {
    const url = update.hubUrl.trim().replace(/\/+$/, '');
    if (url !== stored.hubUrl) identityChanged = true;
    next.hubUrl = url;
  }
  if (update.myAddresses !== undefined) next.myAddresses = unique(update.myAddresses);
  if (update.neverLogDomains !== undefined && !isManaged('neverLogDomains')) next.neverLogDomains = unique(update.neverLogDomains);
  if (update.neverLogAddresses !== undefined && !isManaged('neverLogAddresses')) {
    next.neverLogAddresses = unique(update.neverLogAddresses);
  }
  if (update.includeBody !== undefined && !isManaged('includeBody')) next.includeBody = update.includeBody;
  if (update.promptMode !== undefined && !isManaged('promptMode')) next.promptMode = update.promptMode;
  if (update.askAboutUnknown !== undefined && !isManaged('askAboutUnknown')) next.askAboutUnknown = update.askAboutUnknown;

  if (update.token !== undefined) {
    const token = update.token.trim();
    if (token !== ((await readToken()) ?? '')) identityChanged = true;
    await storeToken(token === '' ? null : token);
  }
  if (identityChanged) {
    next.me = null;
    next.teamDomains = [];
  }
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return loadSettings();
}

/** Caches who we are on the hub (GET /v1/me) and the team's domains that come with it. */
export async function saveIdentity(me: Me | null): Promise<void> {
  const stored = await readStored();
  const teamDomains = me ? me.team.domains.map((d) => d.toLowerCase()) : [];
  // Unchanged: no write (open pages refresh on every change of the settings key).
  if (JSON.stringify([stored.me, stored.teamDomains]) === JSON.stringify([me, teamDomains])) return;
  await browser.storage.local.set({ [SETTINGS_KEY]: { ...stored, me, teamDomains } });
}

/** Remembers an account a content script saw signed in; the newest first, a handful at most. */
export async function noteDetectedAccount(email: string): Promise<void> {
  const stored = await readStored();
  const address = normalizeEmail(email) ?? email.trim().toLowerCase();
  if (stored.detectedAccounts[0] === address) return;
  const detectedAccounts = [address, ...stored.detectedAccounts.filter((a) => a !== address)].slice(0, 5);
  await browser.storage.local.set({ [SETTINGS_KEY]: { ...stored, detectedAccounts } });
}

/** What pages may see. My addresses always include detected accounts: "me" must not show up as a customer. */
export async function settingsView(settings?: EffectiveSettings): Promise<SettingsView> {
  const s = settings ?? (await loadSettings());
  return {
    hubUrl: s.hubUrl,
    hasToken: (await readToken()) !== null,
    myAddresses: unique([...s.myAddresses, ...s.detectedAccounts, ...(s.me ? [s.me.member.email] : [])]),
    neverLogDomains: s.neverLogDomains,
    neverLogAddresses: s.neverLogAddresses,
    includeBody: s.includeBody,
    promptMode: s.promptMode,
    askAboutUnknown: s.askAboutUnknown,
    managed: s.managed,
    teamDomains: s.teamDomains,
    me: s.me,
    detectedAccounts: s.detectedAccounts,
    managedProblems: s.managedProblems,
    ownNeverLogDomains: s.own.neverLogDomains,
    ownNeverLogAddresses: s.own.neverLogAddresses,
    teamNeverLogDomains: s.team.neverLogDomains,
    teamNeverLogAddresses: s.team.neverLogAddresses,
  };
}
