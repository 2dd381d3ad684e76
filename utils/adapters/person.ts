import emailAddresses from 'email-addresses';
import { domainOfEmail, normalizeEmail } from '../../shared/addresses';
import type { Person } from './types';

/**
 * Addresses are normalised as the hub normalises them (shared/addresses.ts): invisible and bidi characters
 * removed, NFC, lower-cased, null when not one plain address. A look-alike never becomes a second person.
 */
export { normalizeEmail };

/** Whether a value read from an attribute is one plain address (after normalisation). */
export function looksLikeEmail(value: string): boolean {
  return normalizeEmail(value) != null;
}

/**
 * Mail sites put the address itself where no name is known, or a placeholder ("me"); neither is a name.
 */
export function cleanName(name: string | null | undefined, email: string): string | null {
  if (name == null) return null;
  const trimmed = name.replace(/\s+/g, ' ').trim();
  if (trimmed === '' || normalizeEmail(trimmed) === email) return null;
  return trimmed;
}

export function makePerson(email: string, name?: string | null): Person | null {
  const normalised = normalizeEmail(email);
  return normalised == null ? null : { email: normalised, name: cleanName(name, normalised) };
}

/**
 * Parses text such as `"Doe, Jane" <jane.doe@acme-corp.com>, sam@x.com` with an RFC 5322 parser, because
 * display names may hold commas, quotes and angle brackets that a regex split gets wrong.
 */
export function parseAddressText(text: string): Person[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parsed = emailAddresses.parseAddressList({ input: trimmed, rfc6532: true, atInDisplayName: true }) ?? null;
  if (parsed == null) {
    // Not valid RFC 5322 (the sites do let users type odd things): keep whatever addresses are recognisable.
    const single = makePerson(trimmed.replace(/^.*<|>.*$/g, ''));
    return single ? [single] : [];
  }
  const people: Person[] = [];
  for (const entry of parsed) {
    const mailboxes = entry.type === 'group' ? entry.addresses : [entry];
    for (const mailbox of mailboxes) {
      const person = makePerson(mailbox.address, mailbox.name);
      if (person) people.push(person);
    }
  }
  return people;
}

/** Keeps the first occurrence of each address; a later occurrence may supply a name the first lacked. */
export function uniquePeople(people: Iterable<Person>): Person[] {
  const byEmail = new Map<string, Person>();
  for (const person of people) {
    const seen = byEmail.get(person.email);
    if (!seen) byEmail.set(person.email, { ...person });
    else if (seen.name == null && person.name != null) seen.name = person.name;
  }
  return [...byEmail.values()];
}

export const domainOf = domainOfEmail;
