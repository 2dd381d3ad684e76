import { makePerson, parseAddressText } from '../adapters/person';
import type { Person } from '../adapters/types';

/**
 * A persona element as a person. Outlook writes "Name <address>" (or the bare address) into the persona's
 * `title` or `aria-label`; an RFC 5322 parser reads that, and when it yields no name (a bare address, or an
 * unquoted "Doe, Jane <…>" it cannot take) the element's visible text supplies the name.
 */
export function personFromPersona(el: Element): Person | null {
  for (const attr of ['title', 'aria-label', 'data-email']) {
    const value = el.getAttribute(attr);
    if (!value || !value.includes('@')) continue;
    const parsed = parseAddressText(value);
    if (parsed.length !== 1) {
      // Label text around the address ("Jane Doe <jane@…>, accepted"): take the one address in angle brackets.
      const inBrackets = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
      const person = inBrackets ? makePerson(inBrackets, value.slice(0, value.indexOf('<')).replace(/^["'\s]+|["'\s]+$/g, '')) : null;
      if (person) return person.name ? person : { ...person, name: makePerson(person.email, el.textContent)?.name ?? null };
      continue;
    }
    const person = parsed[0]!;
    if (person.name) return person;
    return makePerson(person.email, el.textContent) ?? person;
  }
  return null;
}

export const isPerson = (p: Person | null): p is Person => p != null;
