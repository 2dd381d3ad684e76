/**
 * The manifest's security-relevant parts in one place: wxt.config.ts builds the manifest from `manifestFor`,
 * and `manifestProblems` is the rule set both the unit test (on this config) and scripts/check-manifest.ts (on
 * the built manifest.json) assert. Least privilege: storage, alarms and identity only; no host permission for the hub
 * (it answers CORS for extension origins and authenticates by bearer token); no `tabs`, no `<all_urls>`.
 */

/**
 * `identity` (issue 13): "Sign in to your hub" opens the hub's connect page through `identity.launchWebAuthFlow`,
 * the only way an extension can receive the hub's answer at its own redirect URL (https://<id>.chromiumapp.org/,
 * Firefox's https://<hash>.extensions.allizom.org/) without a host permission or a content script on the hub.
 * It grants no access to the person's Google or Mozilla account (that would be `identity.email` / getAuthToken).
 */
export const PERMISSIONS = ['storage', 'alarms', 'identity'] as const;

/** The only hosts the extension may touch: where its content scripts run. */
export const MAIL_HOST_PATTERNS = ['https://mail.google.com/*'] as const;

/**
 * Where content scripts run: the mail hosts and Google Calendar (issue 5: attendance from the open event).
 * Calendar needs no host permission — the content script only reads its page and talks to the background —
 * so it is allowed as a content-script match and refused as a host permission.
 */
/**
 * Outlook on the web and the Outlook calendar (issue 6): work and school accounts on outlook.office.com and
 * outlook.office365.com, personal accounts on outlook.live.com, and outlook.cloud.microsoft, where Microsoft is
 * moving Outlook on the web (issue 11; the same app, the same markup). Content-script matches only, like
 * Calendar: the content script reads its own page and fetches an invitation's .ics from that page's origin,
 * which needs no host permission. utils/outlook/navigation.ts names the same hosts for reading URLs.
 */
export const OUTLOOK_HOST_PATTERNS = [
  'https://outlook.office.com/*',
  'https://outlook.office365.com/*',
  'https://outlook.live.com/*',
  'https://outlook.cloud.microsoft/*',
] as const;

export const CONTENT_SCRIPT_MATCHES = [...MAIL_HOST_PATTERNS, 'https://calendar.google.com/*', ...OUTLOOK_HOST_PATTERNS] as const;

/** Firefox needs a stable add-on id for storage and managed policy (`policies.json` is keyed by it). */
export const GECKO_ID = 'liaison@liaison.dev';

export const MANAGED_SCHEMA_FILE = 'managed-schema.json';

export type TargetBrowser = 'chrome' | 'firefox' | string;

export function manifestFor(browser: TargetBrowser): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: [...PERMISSIONS],
  };
  if (browser === 'firefox') {
    // Firefox reads managed settings from policies.json for this id; no schema file is involved.
    return { ...base, browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '121.0' } } };
  }
  // Chrome delivers enterprise policy to an extension only when it declares the schema.
  return { ...base, storage: { managed_schema: MANAGED_SCHEMA_FILE } };
}

const BROAD_HOSTS = ['<all_urls>', '*://*/*', 'http://*/*', 'https://*/*', '*://*/', 'file:///*'];

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Everything wrong with a manifest (config or built); empty when it is as narrow as intended. */
export function manifestProblems(manifest: Record<string, unknown>, browser: TargetBrowser): string[] {
  const problems: string[] = [];
  const permissions = strings(manifest.permissions);
  const wanted = [...PERMISSIONS].sort().join(',');
  if ([...permissions].sort().join(',') !== wanted) {
    problems.push(`permissions must be exactly [${PERMISSIONS.join(', ')}], got [${permissions.join(', ')}]`);
  }
  if (strings(manifest.optional_permissions).length > 0) problems.push('optional_permissions must be empty');
  const hosts = [
    ...strings(manifest.host_permissions),
    ...strings(manifest.optional_host_permissions),
    ...permissions.filter((p) => p.includes('/') || p.includes('*')),
  ];
  for (const host of hosts) {
    if (!(MAIL_HOST_PATTERNS as readonly string[]).includes(host)) problems.push(`host permission not allowed: ${host}`);
  }
  const scripts = Array.isArray(manifest.content_scripts) ? (manifest.content_scripts as { matches?: unknown }[]) : [];
  for (const match of scripts.flatMap((s) => strings(s.matches))) {
    if (BROAD_HOSTS.includes(match) || !(CONTENT_SCRIPT_MATCHES as readonly string[]).includes(match)) {
      problems.push(`content script matches a host outside the mail sites: ${match}`);
    }
  }
  const csp = JSON.stringify(manifest.content_security_policy ?? '');
  if (/unsafe-eval|unsafe-inline|https?:\/\//.test(csp)) problems.push('content_security_policy must not allow eval, inline or remote code');
  if (manifest.externally_connectable) problems.push('externally_connectable must not be set');
  if (browser === 'firefox') {
    const gecko = (manifest.browser_specific_settings as { gecko?: { id?: unknown } } | undefined)?.gecko;
    if (gecko?.id !== GECKO_ID) problems.push(`browser_specific_settings.gecko.id must be ${GECKO_ID}`);
  } else {
    const schema = (manifest.storage as { managed_schema?: unknown } | undefined)?.managed_schema;
    if (schema !== MANAGED_SCHEMA_FILE) problems.push(`storage.managed_schema must be ${MANAGED_SCHEMA_FILE}`);
  }
  return problems;
}
