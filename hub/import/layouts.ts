/**
 * Recognising a file from its header row. Headers are compared loosely (case, spaces, `_` and `-` ignored),
 * so `First Name` (HubSpot) and `first_name` (Liaison) name the same field. Columns we do not know are ignored,
 * which is what lets a full HubSpot export (dozens of properties) import without editing.
 */
export type Layout = 'hubspot-contacts' | 'liaison-contacts' | 'liaison-history';

export type ContactField = 'email' | 'additionalEmails' | 'name' | 'firstName' | 'lastName' | 'title' | 'company' | 'owner';
export type HistoryField = 'occurredAt' | 'kind' | 'contactEmail' | 'subject' | 'summary' | 'outcome' | 'loggedBy' | 'sourceRef' | 'sourceSite';

const CONTACT_ALIASES: Record<ContactField, string[]> = {
  email: ['email', 'email address', 'primary email'],
  additionalEmails: ['additional emails', 'additional email addresses'],
  name: ['name', 'full name'],
  firstName: ['first name'],
  lastName: ['last name'],
  title: ['title', 'job title'],
  company: ['company', 'company name'],
  owner: ['owner email', 'contact owner', 'owner'],
};

const HISTORY_ALIASES: Record<HistoryField, string[]> = {
  occurredAt: ['occurred at'],
  kind: ['kind'],
  contactEmail: ['contact email', 'contact emails'],
  subject: ['subject'],
  summary: ['summary'],
  outcome: ['outcome'],
  loggedBy: ['logged by email', 'logged by'],
  sourceRef: ['source ref'],
  sourceSite: ['source site'],
};

// Columns only a HubSpot export has (its property labels), as opposed to Liaison's own layout.
const HUBSPOT_MARKERS = ['record id', 'contact owner', 'lifecycle stage', 'create date', 'last activity date', 'additional email addresses', 'job title', 'company name', 'phone number'];

export const REQUIRED: Record<Layout, string[]> = {
  'hubspot-contacts': ['email'],
  'liaison-contacts': ['email'],
  'liaison-history': ['occurredAt', 'kind', 'contactEmail'],
};

const HUMAN_NAMES: Record<string, Record<Layout, string>> = {
  email: { 'hubspot-contacts': 'Email', 'liaison-contacts': 'email', 'liaison-history': 'email' },
  occurredAt: { 'hubspot-contacts': 'occurred_at', 'liaison-contacts': 'occurred_at', 'liaison-history': 'occurred_at' },
  kind: { 'hubspot-contacts': 'kind', 'liaison-contacts': 'kind', 'liaison-history': 'kind' },
  contactEmail: { 'hubspot-contacts': 'contact_email', 'liaison-contacts': 'contact_email', 'liaison-history': 'contact_email' },
};

export function normalizeHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

export interface DetectedLayout<F extends string> {
  layout: Layout;
  /** Field → column index. */
  columns: Partial<Record<F, number>>;
}

export type Detection =
  | { ok: true; kind: 'contacts'; detected: DetectedLayout<ContactField> }
  | { ok: true; kind: 'history'; detected: DetectedLayout<HistoryField> }
  | { ok: false; message: string };

function mapColumns<F extends string>(headers: string[], aliases: Record<F, string[]>): { columns: Partial<Record<F, number>>; duplicate?: string } {
  const columns: Partial<Record<F, number>> = {};
  for (const [index, raw] of headers.entries()) {
    const h = normalizeHeader(raw);
    for (const field of Object.keys(aliases) as F[]) {
      if (!aliases[field].includes(h)) continue;
      if (columns[field] !== undefined) return { columns, duplicate: raw };
      columns[field] = index;
    }
  }
  return { columns };
}

export function detectLayout(headers: string[]): Detection {
  const normalized = new Set(headers.map(normalizeHeader));
  const isHistory = ['occurred at', 'kind', 'contact email', 'contact emails', 'logged by email'].some((h) => normalized.has(h));
  const isHubspot = HUBSPOT_MARKERS.some((h) => normalized.has(h));
  const contactish = Object.values(CONTACT_ALIASES).flat().some((h) => normalized.has(h));

  let result: Detection;
  if (isHistory) {
    const { columns, duplicate } = mapColumns(headers, HISTORY_ALIASES);
    if (duplicate) return { ok: false, message: `column "${duplicate}" appears twice in the header row` };
    result = { ok: true, kind: 'history', detected: { layout: 'liaison-history', columns } };
  } else if (isHubspot || contactish) {
    const { columns, duplicate } = mapColumns(headers, CONTACT_ALIASES);
    if (duplicate) return { ok: false, message: `column "${duplicate}" appears twice in the header row` };
    result = { ok: true, kind: 'contacts', detected: { layout: isHubspot ? 'hubspot-contacts' : 'liaison-contacts', columns } };
  } else {
    return {
      ok: false,
      message:
        'no recognisable layout in the header row: expected a HubSpot contacts export (Email, First Name, …), ' +
        'Liaison contacts (email, name, …) or Liaison history (occurred_at, kind, contact_email, …); see hub/import/README.md',
    };
  }
  const { layout, columns } = result.detected as DetectedLayout<string>;
  const missing = REQUIRED[layout].filter((f) => columns[f] === undefined);
  if (missing.length) {
    const names = missing.map((f) => HUMAN_NAMES[f]?.[layout] ?? f);
    return { ok: false, message: `${layout} file is missing the required column${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}` };
  }
  return result;
}
