/**
 * Whether to ask "Log your conversation with …?" when the user leaves a thread or sends a message: one pure,
 * table-driven function from what the page showed, the user's settings and what the hub knows, to "ask" or
 * "don't ask" with the reason — so every rule is tested, and the sidebar can say why it stayed quiet.
 * Rules are checked in order; the first that says no wins.
 */
import type { Person } from '../adapters/types';

export const PROMPT_MODES = ['all', 'known-only', 'off'] as const;
export type PromptMode = (typeof PROMPT_MODES)[number];

export interface PromptSettings {
  /** 'all' (default), 'known-only' (people the CRM already has), or 'off'. */
  mode: PromptMode;
  /** Ask about people unknown to the CRM ("Add to CRM and log"); default true. */
  askAboutUnknown: boolean;
  myAddresses: string[];
  teamDomains: string[];
  neverLogDomains: string[];
  neverLogAddresses: string[];
}

export interface HubKnowledge {
  /** Null when the hub could not be asked: then the thread counts as not logged (the user decides). */
  loggedBy: string[] | null;
  /** Addresses the CRM has a contact for. */
  knownEmails: ReadonlySet<string>;
  /** Logged by me but still waiting in the outbox. */
  pendingInOutbox: boolean;
  /** The user said "Not now" to this conversation already in this visit, or put it on the list. */
  alreadyAsked: boolean;
}

export type NoReason =
  | 'prompt-off'
  | 'no-external-people'
  | 'never-log'
  | 'automated-sender'
  | 'already-logged'
  | 'pending-in-outbox'
  | 'already-asked'
  | 'unknown-people-only';

export type PromptDecision = { ask: true; people: Person[]; unknown: Person[] } | { ask: false; reason: NoReason };

// Senders that are machines or lists, never a conversation: no-reply, bounces, notifications, list hosts.
const AUTOMATED_LOCAL = /^(?:no-?reply|do-?not-?reply|donotreply|noreply-[\w.-]+|mailer-daemon|postmaster|bounces?(?:[+-].*)?|notifications?|notify|newsletters?|news|updates|alerts?|digest|marketing|info-noreply|automated|system|calendar-notification|.*-bounces(?:\+.*)?|.*-noreply|owner-.*|.*-request)$/i;
const LIST_DOMAINS = /(?:^|\.)(?:googlegroups\.com|groups\.io|lists\.[a-z0-9.-]+|mailchimpapp\.com|mcsv\.net|sendgrid\.net|amazonses\.com|bounce\.[a-z0-9.-]+)$/i;

export function isAutomatedAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  return AUTOMATED_LOCAL.test(email.slice(0, at)) || LIST_DOMAINS.test(email.slice(at + 1));
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function decidePrompt(participants: Person[], settings: PromptSettings, hub: HubKnowledge): PromptDecision {
  if (settings.mode === 'off') return { ask: false, reason: 'prompt-off' };
  const mine = new Set(settings.myAddresses.map((a) => a.toLowerCase()));
  const team = new Set(settings.teamDomains.map((d) => d.toLowerCase()));
  const external = participants.filter((p) => !mine.has(p.email) && !team.has(domainOf(p.email)));
  if (external.length === 0) return { ask: false, reason: 'no-external-people' };

  const neverDomains = new Set(settings.neverLogDomains.map((d) => d.toLowerCase()));
  const neverAddresses = new Set(settings.neverLogAddresses.map((a) => a.toLowerCase()));
  const loggable = external.filter((p) => !neverAddresses.has(p.email) && !neverDomains.has(domainOf(p.email)));
  if (loggable.length === 0) return { ask: false, reason: 'never-log' };

  const humans = loggable.filter((p) => !isAutomatedAddress(p.email));
  if (humans.length === 0) return { ask: false, reason: 'automated-sender' };

  if (hub.loggedBy && hub.loggedBy.length > 0) return { ask: false, reason: 'already-logged' };
  if (hub.pendingInOutbox) return { ask: false, reason: 'pending-in-outbox' };
  if (hub.alreadyAsked) return { ask: false, reason: 'already-asked' };

  const known = humans.filter((p) => hub.knownEmails.has(p.email));
  const unknown = humans.filter((p) => !hub.knownEmails.has(p.email));
  if (known.length === 0 && (settings.mode === 'known-only' || !settings.askAboutUnknown)) return { ask: false, reason: 'unknown-people-only' };
  const people = settings.mode === 'known-only' || !settings.askAboutUnknown ? known : humans;
  return { ask: true, people, unknown: people === known ? [] : unknown };
}
