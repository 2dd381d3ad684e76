import { parseMailboxList } from '../../shared/address-list';
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
 * Reads text such as `"Doe, Jane" <jane.doe@acme-corp.com>, sam@x.com` (shared/address-list.ts), because display
 * names may hold commas, quotes and angle brackets that a split on commas gets wrong. What is not one plain
 * address after normalisation is left out.
 */
export function parseAddressText(text: string): Person[] {
  const people: Person[] = [];
  for (const mailbox of parseMailboxList(text)) {
    const person = makePerson(mailbox.address, mailbox.name);
    if (person) people.push(person);
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
