/**
 * How one conversation logged from two mailboxes is recognised as one. Gmail thread ids and Outlook
 * conversation ids are per mailbox, so a teammate's copy of the same thread has a different reference. What
 * both copies share is the subject (less reply/forward prefixes, in the languages our users write) and the
 * external people on it; the hub combines them into a key and matches within a time window.
 */
import { createHash } from 'node:crypto';

// Re:, Fwd:, Fw:, AW: (de), WG: (de), SV: (nordic), VS: (fi), RE[2]:, TR: (fr), RIF: (it), Antw: (nl), Doorst: (nl)
const PREFIX = /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|tr|rif|antw|doorst|r)(?:\[\d+\])?\s*[:：]\s*)+/i;

export function normalizeSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').normalize('NFKC');
  for (let i = 0; i < 10; i++) {
    const next = s.replace(PREFIX, '').replace(/^\s*\[[^\]]{1,40}\]\s*/, (m) => (/\[(ext|external)\]/i.test(m) ? '' : m));
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Null when there is nothing to match on (no subject, or nobody external). */
export function conversationKey(subject: string | null | undefined, externalEmails: string[]): string | null {
  const normalized = normalizeSubject(subject);
  if (!normalized || externalEmails.length === 0) return null;
  const people = [...new Set(externalEmails)].sort().join(',');
  return createHash('sha256').update(`${normalized}\n${people}`).digest('base64url');
}

/** Two copies of one thread are logged within this window of each other. */
export const CONVERSATION_WINDOW_DAYS = 30;
