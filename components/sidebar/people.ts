import freeMailDomains from 'email-providers/common.json';
import type { LookupResult } from '../../hub/types';
import { domainOf } from '../../utils/adapters/person';
import type { ComposeContext, Person, ThreadContext } from '../../utils/adapters/types';
import type { InteractionDraft, SettingsView } from '../../utils/messaging/protocol';

/**
 * The content script carries the common free-mail list (≈350 domains, 2 KB gzip), not the full 8,700-domain
 * list (44 KB gzip, over the whole script's 40 KB budget). This only decides a prefill the user can edit; the
 * hub applies the full list when it derives a company from a domain.
 */
const freeMail = new Set<string>(freeMailDomains as string[]);

export function isFreeMail(email: string): boolean {
  return freeMail.has(domainOf(email));
}

type Who = Pick<SettingsView, 'myAddresses' | 'teamDomains'>;

function lower(list: readonly string[]): Set<string> {
  return new Set(list.map((s) => s.trim().toLowerCase()));
}

/** Not me, not a colleague's domain, not an address the hub knows as a team member. */
export function externalPeople(people: Person[], settings: Who, results: LookupResult[] = []): Person[] {
  const mine = lower(settings.myAddresses);
  const team = lower(settings.teamDomains);
  const members = new Set(results.filter((r) => r.member).map((r) => r.email));
  return people.filter((p) => !mine.has(p.email) && !team.has(domainOf(p.email)) && !members.has(p.email));
}

/** "acme-corp.com" → "Acme Corp"; free-mail domains give no company. */
export function companyFromEmail(email: string): string | null {
  if (isFreeMail(email)) return null;
  const domain = domainOf(email);
  const labels = domain.split('.');
  // The registrable name is the label before the public suffix ("acme" in mail.acme.co.uk).
  const suffixParts = labels.length > 2 && /^(co|com|org|net|ac|gov)$/.test(labels[labels.length - 2]!) ? 2 : 1;
  const name = labels[labels.length - 1 - suffixParts];
  if (!name) return null;
  return name
    .split(/[-_]/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
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
