/**
 * Email addresses as the hub compares them. Normalising (invisible and bidi-control characters removed, NFC,
 * lower-cased, the plain dot-atom shape, RFC 5321 lengths) is shared/addresses.ts, the one definition the
 * extension uses too: an address the extension asks about is exactly the string stored here. Free-mail and
 * disposable domains come from a maintained list (email-providers): they never create or match a company,
 * because thousands of unrelated people share gmail.com.
 */
import emailAddresses from 'email-addresses';
import freeMailDomains from 'email-providers/all.json' with { type: 'json' };
import { normalizeDomain as normalizeDomainShared, normalizeEmail as normalizeEmailShared } from '../../shared/addresses.ts';

const FREE_MAIL = new Set<string>(freeMailDomains as string[]);

/** Returns the normalised address, or null when the text is not one plain address (no groups, no lists). */
export function normalizeEmail(input: string): string | null {
  return normalizeEmailShared(input);
}

/**
 * The full RFC 5322 parse. Not the hub's normalisation (that is `normalizeEmail`); kept so a property test can
 * pin `normalizeEmail` to the real grammar: everything it accepts, the parser accepts as the same address.
 */
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

/** A domain as stored: lower-case, no leading '@' or dot, must contain a dot (shared/addresses.ts). */
export function normalizeDomain(input: string): string | null {
  return normalizeDomainShared(input);
}
