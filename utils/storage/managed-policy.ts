/**
 * Settings an administrator pushes to everyone's browser through `browser.storage.managed` (Chrome enterprise
 * policy / Firefox `policies.json` "3rdparty" section). Each key overrides the user's value for that one field
 * and shows read-only on the options page. Values are validated on load: a bad value is ignored (the user's own
 * setting stays in force) and the reason is kept, so a typo in a policy never breaks the extension.
 *
 * POLICY KEYS (copy of this block lives in the README under "Managed settings"):
 *
 * | key                 | type              | meaning                                                        |
 * |---------------------|-------------------|----------------------------------------------------------------|
 * | `hubUrl`            | string (http/s)   | The team's hub, e.g. `https://hub.example.com`.                 |
 * | `neverLogDomains`   | string[]          | Domains whose addresses are never sent to the hub.              |
 * | `neverLogAddresses` | string[]          | Addresses never sent to the hub.                                |
 * | `includeBody`       | boolean           | Whether a log may include the message body (default off).       |
 * | `promptMode`        | "all" / "known-only" / "off" | When Liaison asks to log a conversation (default all). |
 * | `askAboutUnknown`   | boolean           | Whether it asks about people the CRM does not know (default on). |
 *
 * The access token is personal and is never taken from policy. Chrome example (JSON policy for the extension id,
 * schema in `public/managed-schema.json`):
 *
 *   { "hubUrl": { "Value": "https://hub.example.com" },
 *     "neverLogDomains": { "Value": ["lawfirm.example"] },
 *     "includeBody": { "Value": false } }
 *
 * Firefox (`policies.json`):
 *
 *   { "policies": { "3rdparty": { "Extensions": { "liaison@liaison.dev": {
 *       "hubUrl": "https://hub.example.com", "neverLogDomains": ["lawfirm.example"] } } } } }
 */
import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { HubUrl } from '../messaging/schemas';
import { PROMPT_MODES } from '../prompt/decide-prompt';

const Address = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[^\s@]+@[^\s@]+$/, 'not an email address'));
const DomainName = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[^\s@/]+\.[^\s@/]+$/, 'not a domain'));

export const managedSchemas = {
  hubUrl: v.pipe(HubUrl, v.minLength(1, 'must not be empty')),
  neverLogDomains: v.pipe(v.array(DomainName), v.maxLength(1000)),
  neverLogAddresses: v.pipe(v.array(Address), v.maxLength(1000)),
  includeBody: v.boolean(),
  promptMode: v.picklist(PROMPT_MODES, 'must be "all", "known-only" or "off"'),
  askAboutUnknown: v.boolean(),
};

export type ManagedKey = keyof typeof managedSchemas;
export type ManagedValues = { [K in ManagedKey]?: v.InferOutput<(typeof managedSchemas)[K]> };

export interface ManagedProblem {
  key: string;
  reason: string;
}

export interface ManagedPolicy {
  values: ManagedValues;
  /** Policy entries that were ignored, and why (shown on the options page, logged once in the worker). */
  problems: ManagedProblem[];
}

/** Validates raw policy data field by field: one bad key never takes the good ones down with it. */
export function parseManagedPolicy(raw: Record<string, unknown>): ManagedPolicy {
  const values: Record<string, unknown> = {};
  const problems: ManagedProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(managedSchemas, key)) {
      problems.push({ key, reason: 'not a Liaison policy key' });
      continue;
    }
    const result = v.safeParse(managedSchemas[key as ManagedKey], value);
    if (result.success) values[key] = result.output;
    else problems.push({ key, reason: result.issues[0].message });
  }
  return { values: values as ManagedValues, problems };
}

/**
 * Reads managed storage. Without a policy Firefox rejects ("Managed storage manifest not found") and some
 * Chromium builds do too; either way that simply means "nothing is managed".
 */
export async function loadManagedPolicy(): Promise<ManagedPolicy> {
  let raw: Record<string, unknown> = {};
  try {
    raw = ((await browser.storage.managed.get(null)) ?? {}) as Record<string, unknown>;
  } catch {
    raw = {};
  }
  return parseManagedPolicy(raw);
}
