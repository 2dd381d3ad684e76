/**
 * The field types every request schema is built from, each checked so that nothing PostgreSQL would refuse gets
 * past validation (a refusal there is a 500, and the extension retries a 5xx forever, so such a log would never
 * be delivered nor shown as refused):
 *
 * - text: no NUL (PostgreSQL `text` cannot hold U+0000) and no unpaired UTF-16 surrogate (JSON can carry one,
 *   UTF-8 cannot encode it);
 * - timestamps: ISO 8601 with a zone, a real calendar date and time, an offset within ±14:00 (the widest any
 *   place on Earth uses; PostgreSQL itself would take up to ±15:59), an instant between 1900 and 9999 (UTC);
 * - ids: positive whole numbers that fit PostgreSQL's bigint;
 * - addresses: RFC 5321's limits (254 characters, 64 before the @, 255 after) and the shape of an SMTP mailbox,
 *   checked in linear time before any RFC 5322 parsing, so the parser is never handed crafted input.
 */
import * as v from 'valibot';
import { normalizeDomain, normalizeEmail } from '../domain/emails.ts';

// ---- text ----------------------------------------------------------------------------------------------------

const noNul = v.check<string, string>((s) => !s.includes('\u0000'), 'must not contain NUL characters (U+0000)');
const wellFormed = v.check<string, string>((s) => s.isWellFormed(), 'must be valid Unicode text (it has an unpaired surrogate)');

/** Text that PostgreSQL can store, at most `max` characters after trimming. */
export const text = (max: number) => v.pipe(v.string(), noNul, wellFormed, v.trim(), v.maxLength(max, `at most ${max} characters`));
/** The same, and not empty after trimming. */
export const nonEmptyText = (max: number) =>
  v.pipe(v.string(), noNul, wellFormed, v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `at most ${max} characters`));
/** Optional text: absent, null, or text (an empty string is stored as null by the repositories). */
export const optionalText = (max: number) => v.optional(v.nullable(text(max)));

/** Whether a string can be stored in PostgreSQL text as it is. */
export const storableText = (s: string) => !s.includes('\u0000') && s.isWellFormed();

// ---- ids -----------------------------------------------------------------------------------------------------

const BIGINT_MAX = '9223372036854775807';

/** A row id: a positive whole number that fits bigint, as a string (JSON numbers stop being exact at 2^53). */
export const Id = v.pipe(
  v.string(),
  v.regex(/^[1-9][0-9]{0,18}$/, 'not a valid id'),
  v.check((s) => s.length < 19 || s <= BIGINT_MAX, 'not a valid id (larger than any id)'),
  v.description('a positive whole number as a string, at most 9223372036854775807'),
);
export const isId = (s: unknown): s is string => typeof s === 'string' && v.is(Id, s);

// ---- timestamps ----------------------------------------------------------------------------------------------

export const TIME_RANGE = { from: Date.UTC(1900, 0, 1), to: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
export const MAX_OFFSET_MINUTES = 14 * 60;

// The forms valibot's isoTimestamp accepts (T or space, seconds, optional fraction, Z or an offset with or without
// a colon), with every part captured so that it can be checked for being real.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z| ?([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * The instant an ISO 8601 timestamp names, as JavaScript's canonical UTC form, or why it names none. The date
 * must exist (no 30 February, no 29 February outside leap years), and reading it back must give the same parts.
 */
export function parseTimestamp(s: string): { iso: string } | { error: string } {
  const m = ISO.exec(s);
  if (!m) return { error: 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T10:42:00Z' };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  local.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999; this does not
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) {
    return { error: `not a real calendar date (${m[1]}-${m[2]}-${m[3]})` };
  }
  if (hour > 23 || minute > 59 || second > 59) return { error: 'not a real time of day' };
  let offset = 0;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10] ?? '0');
    if (om > 59) return { error: 'not a valid time zone offset' };
    offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
    if (Math.abs(offset) > MAX_OFFSET_MINUTES) return { error: 'time zone offset beyond ±14:00' };
  }
  const instant = local.getTime() - offset * 60_000;
  if (instant < TIME_RANGE.from || instant > TIME_RANGE.to) return { error: 'must be between the years 1900 and 9999' };
  return { iso: new Date(instant).toISOString() };
}

/**
 * A timestamp with a zone; the output is the same instant in UTC (`2026-11-22T09:42:00.000Z`), so PostgreSQL and
 * JavaScript never read it differently. Precision is milliseconds, as everywhere in the hub.
 */
export const IsoTime = v.pipe(
  v.string(),
  v.maxLength(40, 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T10:42:00Z'),
  v.isoTimestamp('must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T10:42:00Z'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseTimestamp(dataset.value);
    if ('error' in parsed) {
      addIssue({ message: parsed.error });
      return NEVER;
    }
    return parsed.iso;
  }),
  v.description('ISO 8601 with a time zone (Z or ±hh:mm within ±14:00); a real calendar date between the years 1900 and 9999'),
);

// ---- addresses -----------------------------------------------------------------------------------------------

export const ADDRESS_LIMITS = { total: 254, local: 64, domain: 255 } as const;

// RFC 5321's Mailbox: a dot-string or a quoted string, @, a domain or an address literal; RFC 6531 lets non-ASCII
// characters into both. No comments, no folding white space, no display names: those belong to RFC 5322 headers,
// and they are what makes a full RFC 5322 parse expensive. Every branch below is unambiguous, so the test is
// linear in the length of the input.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uFFFF]";
const DOT_STRING = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\u0080-\\uFFFF]|\\\\[\\x20-\\x7E])*"';
const DOMAIN = '[A-Za-z0-9\\u0080-\\uFFFF](?:[A-Za-z0-9.\\-\\u0080-\\uFFFF]*)|\\[[\\x21-\\x5A\\x5E-\\x7E]+\\]';
const MAILBOX = new RegExp(`^(${DOT_STRING}|${QUOTED})@(${DOMAIN})$`);

/**
 * The normalised address, or why the text is not one. Length and shape are checked first, in linear time; only
 * text shaped like a mailbox and within RFC 5321's limits reaches the normaliser.
 */
export function checkAddress(input: string): { address: string } | { error: string } {
  if (!storableText(input)) return { error: 'not a valid email address (it contains a NUL or an unpaired surrogate)' };
  const s = input.trim();
  if (s.length > ADDRESS_LIMITS.total) return { error: `not a valid email address (longer than ${ADDRESS_LIMITS.total} characters)` };
  const m = MAILBOX.exec(s);
  if (!m) return { error: 'not a valid email address' };
  if (m[1]!.length > ADDRESS_LIMITS.local) return { error: `not a valid email address (more than ${ADDRESS_LIMITS.local} characters before the @)` };
  if (m[2]!.length > ADDRESS_LIMITS.domain) return { error: `not a valid email address (more than ${ADDRESS_LIMITS.domain} characters after the @)` };
  const address = normalizeEmail(s);
  return address ? { address } : { error: 'not a valid email address' };
}

/** An address as stored: checked as above, then trimmed and lower-cased by the normaliser. */
export const Email = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const checked = checkAddress(dataset.value);
    if ('error' in checked) {
      addIssue({ message: checked.error });
      return NEVER;
    }
    return checked.address;
  }),
  v.description('one address (no display name), at most 254 characters: 64 before the @ and 255 after'),
);

/** A domain as stored (lower-case, at least one dot); bounded before the normaliser sees it. */
export const Domain = v.pipe(
  v.string(),
  noNul,
  wellFormed,
  v.maxLength(ADDRESS_LIMITS.domain, `at most ${ADDRESS_LIMITS.domain} characters`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const d = normalizeDomain(dataset.value);
    if (!d) {
      addIssue({ message: 'not a valid domain' });
      return NEVER;
    }
    return d;
  }),
  v.description('a domain such as acme.com, at most 255 characters'),
);

// ---- cursors -------------------------------------------------------------------------------------------------

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether text is a timeline cursor as the hub issues them: base64url of `[time, id]`, both checked. */
function isCursor(s: string): boolean {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return false;
    const [at, id] = decoded as unknown[];
    return typeof at === 'string' && CANONICAL_TIME.test(at) && 'iso' in parseTimestamp(at) && isId(id);
  } catch {
    return false;
  }
}

/** A timeline cursor, validated like any other input: a crafted one is a 400, never a database error. */
export const Cursor = v.pipe(
  v.string(),
  v.maxLength(200, 'not a cursor this hub issued'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this hub issued'),
  v.check(isCursor, 'not a cursor this hub issued'),
  v.description("the previous page's nextCursor, as given"),
);
