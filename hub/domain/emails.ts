/**
 * Email addresses as the hub compares them. Normalising (invisible and bidi-control characters removed, NFC,
 * lower-cased, the plain dot-atom shape, RFC 5321 lengths) is shared/addresses.ts, the one definition the
 * extension uses too: an address the extension asks about is exactly the string stored here. Free-mail and
 * disposable domains come from a maintained list (email-providers): they never create or match a company,
 * because thousands of unrelated people share gmail.com.
 */
import freeMailDomains from 'email-providers/all.json' with { type: 'json' };
import { normalizeDomain as normalizeDomainShared, normalizeEmail as normalizeEmailShared } from '../../shared/addresses.ts';

const FREE_MAIL = new Set<string>(freeMailDomains as string[]);

/** Returns the normalised address, or null when the text is not one plain address (no groups, no lists). */
export function normalizeEmail(input: string): string | null {
  return normalizeEmailShared(input);
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
