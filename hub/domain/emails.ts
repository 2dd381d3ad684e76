/**
 * Email addresses as the hub compares them: parsed by an RFC 5322 parser (email-addresses), trimmed and
 * lower-cased. Free-mail and disposable domains come from a maintained list (email-providers): they never
 * create or match a company, because thousands of unrelated people share gmail.com.
 */
import emailAddresses from 'email-addresses';
import freeMailDomains from 'email-providers/all.json' with { type: 'json' };

const FREE_MAIL = new Set<string>(freeMailDomains as string[]);

// Plain dot-atom addresses (the overwhelming majority) are a strict subset of what the RFC 5322 parser accepts,
// and checking them with a regular expression is ~100× cheaper than the full grammar: lookups normalise
// hundreds of addresses per request. Anything else goes through the parser. A property test keeps both agreeing.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const SIMPLE = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`);

/** Returns the normalised address, or null when the text is not one plain address (no groups, no lists). */
export function normalizeEmail(input: string): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 254) return null;
  if (SIMPLE.test(trimmed)) return trimmed.toLowerCase();
  return parseEmail(trimmed);
}

/** The full RFC 5322 parse (exported for the property test that pins the fast path to it). */
export function parseEmail(trimmed: string): string | null {
  const parsed = emailAddresses.parseOneAddress({ input: trimmed, rfc6532: true, rejectTLD: true });
  if (!parsed || parsed.type !== 'mailbox') return null;
  const mailbox = parsed as emailAddresses.ParsedMailbox;
  // A display name ("Jane <jane@x>") is not an address: callers send names separately.
  if (mailbox.name) return null;
  // Quoted local parts with spaces are legal but never real customer mail; refusing them keeps addresses
  // comparable as plain strings.
  if (/\s/.test(mailbox.address)) return null;
  return mailbox.address.toLowerCase();
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain.toLowerCase());
}

/** A company name guessed from a business domain: "acme-corp.com" → "Acme Corp". Null for free mail. */
export function companyNameFromDomain(domain: string): string | null {
  if (isFreeMailDomain(domain)) return null;
  const labels = domain.toLowerCase().split('.');
  // Skip mail-host prefixes and take the registrable-looking label: mail.acme.co.uk → acme.
  const skip = new Set(['mail', 'email', 'e', 'mx', 'smtp', 'corp', 'eu', 'us', 'uk']);
  const secondLevel = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'ltd', 'plc']);
  let i = labels.length - 2;
  while (i > 0 && secondLevel.has(labels[i]!)) i--;
  while (i > 0 && skip.has(labels[i]!)) i--;
  const label = labels[Math.max(0, i)] ?? domain;
  return label
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** A domain as stored: lower-case, no leading '@' or dot, must contain a dot. */
export function normalizeDomain(input: string): string | null {
  const d = input.trim().toLowerCase().replace(/^@/, '').replace(/^\.+|\.+$/g, '');
  if (!/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d)) return null;
  return d;
}
