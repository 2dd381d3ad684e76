/**
 * Email addresses and domains as Liaison compares them, on both sides: the extension (what a page shows, what a
 * user types) and the hub (what it stores and looks up). One function each, so an address the extension asks
 * about is the very string the hub stored: two spellings of one address must never become two contacts.
 *
 * What "the same address" means here:
 * - invisible and bidirectional-control characters are not part of an address. A display of
 *   "jane\u200B.doe@acme.com" (zero-width space) or with a right-to-left override inside looks exactly like
 *   "jane.doe@acme.com", and a sender who controls their own headers can produce either;
 * - Unicode NFC, so a precomposed "é" and "e" + combining accent are one letter;
 * - lower-cased, as the project has always compared addresses (RFC 5321 lets a server tell case apart in the
 *   local part; no mail system people use does);
 * - the plain dot-atom shape only (RFC 5322 §3.4.1, with RFC 6531's non-ASCII letters): no display name, no
 *   quoted local part, no domain literal — legal, but never real customer mail, and they make addresses
 *   incomparable as strings.
 *
 * Cost: lengths are checked first, then one pass over the characters; no regular expression with nested
 * quantifiers, so no input can make it backtrack. The worst input costs what its first 1,024 characters cost.
 * No imports: this file is bundled into the content scripts (40 KB budget) and loaded by the hub as is.
 */

/** RFC 5321 §4.5.3.1: the whole address (a forward-path without its angle brackets) is at most 254 octets. */
export const MAX_ADDRESS_OCTETS = 254;
/** RFC 5321 §4.5.3.1.1. */
export const MAX_LOCAL_OCTETS = 64;
/** RFC 5321 §4.5.3.1.2. */
export const MAX_DOMAIN_OCTETS = 255;
/** RFC 1035 §2.3.4. */
export const MAX_LABEL_OCTETS = 63;
/**
 * What we read at all: room for an address of the longest legal length with spaces and invisible characters
 * around and inside it. Anything longer is refused before any other work is done.
 */
export const MAX_INPUT_LENGTH = 1024;

/**
 * Characters that render as nothing or only steer the direction of the text around them: zero-width space and
 * joiners, word joiner, soft hyphen, byte-order mark, variation selectors, Hangul fillers, tag characters…
 * (Default_Ignorable_Code_Point) and the bidirectional controls (LRM/RLM/ALM, LRE…RLO, LRI…PDI).
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu;
/** Letters, combining marks and digits of any script: what an internationalised address may hold (RFC 6531). */
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
/** RFC 5322 atext other than letters and digits. */
const ATEXT_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";

/** Removes invisible and bidi-control characters; exported for callers cleaning display text for comparison. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

function utf8Length(text: string): number {
  let octets = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) octets += 1;
    else if (unit < 0x800) octets += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      octets += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else octets += 3;
  }
  return octets;
}

/** Cleaned, composed and lower-cased; the second NFC keeps the result stable under a second call. */
function canonical(input: string): string {
  return stripInvisible(input).normalize('NFC').trim().toLowerCase().normalize('NFC');
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** One code point of a local part or a domain label beyond ASCII: a letter, mark or digit, never a symbol or space. */
function isWordChar(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** dot-atom-text (RFC 5322 §3.2.3): atoms of atext separated by single dots. */
function isLocalPart(local: string): boolean {
  if (local.length === 0 || utf8Length(local) > MAX_LOCAL_OCTETS) return false;
  let previousDot = true; // no leading dot
  for (let i = 0; i < local.length; i++) {
    const code = local.charCodeAt(i);
    if (code === 0x2e) {
      if (previousDot) return false;
      previousDot = true;
      continue;
    }
    previousDot = false;
    if (code < 0x80) {
      if (!isAsciiAlnum(code) && !ATEXT_SYMBOLS.includes(local[i]!)) return false;
    } else {
      if (!isWordChar(local, i)) return false;
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
  }
  return !previousDot; // no trailing dot
}

/** One DNS label: letters, digits and inner hyphens (non-ASCII letters for internationalised domains). */
function isLabel(label: string): boolean {
  if (label.length === 0 || utf8Length(label) > MAX_LABEL_OCTETS) return false;
  if (label.startsWith('-') || label.endsWith('-')) return false;
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    if (code < 0x80) {
      if (!isAsciiAlnum(code) && code !== 0x2d) return false;
    } else {
      if (!isWordChar(label, i)) return false;
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
  }
  return true;
}

/** A host name with at least two labels whose last (the top-level domain) is not all digits. */
function isDomain(domain: string): boolean {
  if (utf8Length(domain) > MAX_DOMAIN_OCTETS) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every(isLabel)) return false;
  const tld = labels[labels.length - 1]!;
  return tld.length >= 2 && !/^\d+$/.test(tld);
}

/**
 * The address as Liaison stores and compares it, or null when `input` is not one plain address. Never throws:
 * any value that is not a string is null.
 */
export function normalizeEmail(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_INPUT_LENGTH) return null;
  const address = canonical(input);
  if (address.length === 0 || utf8Length(address) > MAX_ADDRESS_OCTETS) return null;
  const at = address.indexOf('@');
  // Exactly one "@": a second one could only sit inside a quoted local part, which is not accepted.
  if (at <= 0 || at !== address.lastIndexOf('@')) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return isLocalPart(local) && isDomain(domain) ? address : null;
}

/**
 * A domain as stored (a team's own domains, a company's): cleaned like an address's domain part, without a
 * leading "@" or surrounding dots ("@Acme.COM" → "acme.com"); null when it is not a host name with a dot.
 */
export function normalizeDomain(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_INPUT_LENGTH) return null;
  const text = canonical(input);
  let start = text.startsWith('@') ? 1 : 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x2e) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x2e) end--;
  const domain = text.slice(start, end);
  return domain.length >= 3 && isDomain(domain) ? domain : null;
}

/** The domain part of a normalised address ("" when there is none). */
export function domainOfEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}
