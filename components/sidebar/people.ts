import type { LookupResult } from '../../shared/wire-types';
import { domainOf } from '../../utils/adapters/person';
import type { ComposeContext, Person, ThreadContext } from '../../utils/adapters/types';
import type { InteractionDraft, SettingsView } from '../../utils/messaging/protocol';

import { colleagueDomains } from '../../utils/company';

export { companyFromEmail, isFreeMail } from '../../utils/company';

type Who = Pick<SettingsView, 'myAddresses' | 'teamDomains'> & Partial<Pick<SettingsView, 'me'>>;

function lower(list: readonly string[]): Set<string> {
  return new Set(list.map((s) => s.trim().toLowerCase()));
}

/**
 * Not me, not a colleague's domain, not an address the hub knows as a team member. `account` is the mail account
 * signed in on the page: it is me, and before Liaison is connected its domain stands in for the team's.
 */
export function externalPeople(people: Person[], settings: Who, results: LookupResult[] = [], account: string | null = null): Person[] {
  const mine = lower(account ? [...settings.myAddresses, account] : settings.myAddresses);
  const team = lower(colleagueDomains(settings.teamDomains, settings.me != null, [account]));
  const members = new Set(results.filter((r) => r.member).map((r) => r.email));
  return people.filter((p) => !mine.has(p.email) && !team.has(domainOf(p.email)) && !members.has(p.email));
}

type NeverLog = Pick<SettingsView, 'neverLogAddresses' | 'neverLogDomains'>;

export function loggable(people: Person[], settings: NeverLog): Person[] {
  const addresses = lower(settings.neverLogAddresses);
  const domains = lower(settings.neverLogDomains);
  return people.filter((p) => !addresses.has(p.email) && !domains.has(domainOf(p.email)));
}

/** The hub's limits (hub/http/schemas.ts): a hostile 10,000-character name must not get a log refused. */
const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max - 1) + '…' : text);

function draftParticipants(people: Person[]) {
  return people.slice(0, 500).map((p) => ({ email: p.email, name: p.name == null ? null : clip(p.name, 200) }));
}

export interface LogExtras {
  note?: string;
  outcome?: string;
}

/** Subject, people, time and thread reference — never the message body. */
export function threadDraft(thread: ThreadContext, settings: NeverLog, extras: LogExtras = {}): InteractionDraft {
  const dates = thread.messages.map((m) => m.date).filter((d): d is string => d != null).sort();
  return {
    kind: 'email',
    occurredAt: dates.at(-1) ?? new Date().toISOString(),
    subject: clip(thread.subject, 500) || null,
    summary: extras.note?.trim() ? clip(extras.note.trim(), 4000) : null,
    outcome: extras.outcome || null,
    sourceSite: thread.site,
    sourceRef: thread.threadId,
    participants: draftParticipants(loggable(thread.participants, settings)),
  };
}

/** A message being written: its thread when it is a reply, otherwise this compose window. */
export function composeRef(compose: ComposeContext): string {
  return compose.threadId ?? `${compose.site}-compose:${compose.composeId}`;
}

export function composeDraft(compose: ComposeContext, settings: NeverLog & Who, now = new Date()): InteractionDraft {
  const me = settings.myAddresses[0];
  const people = me ? [{ email: me.toLowerCase(), name: null }, ...compose.recipients] : compose.recipients;
  return {
    kind: 'email',
    occurredAt: now.toISOString(),
    subject: clip(compose.subject, 500) || null,
    summary: null,
    outcome: null,
    sourceSite: compose.site,
    sourceRef: composeRef(compose),
    participants: draftParticipants(loggable(people, settings)),
  };
}
