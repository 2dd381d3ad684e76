/**
 * Who the demo team's customers are: a pure plan (no database), so the same seed always gives the same people.
 * Jane Doe and Raj Patel at Acme Corp are fixed; the end-to-end tests rely on them. Nobody is ever planned at
 * globex-industries.com: `new.person@globex-industries.com` is the tests' "unknown person".
 */
import { DEMO_COMPANIES, FIRST_NAMES, FREE_MAIL_DOMAINS, LAST_NAMES, TITLES, type DemoCompany, type DemoMember } from './demo-data.ts';
import type { Rng } from './rng.ts';

export interface PlannedContact {
  name: string;
  title: string | null;
  emails: string[];
  company: DemoCompany | null;
  owner: DemoMember['key'] | null;
}

export const JANE: PlannedContact = {
  name: 'Jane Doe',
  title: 'VP Operations',
  emails: ['jane.doe@acme-corp.com'],
  company: DEMO_COMPANIES[0]!,
  owner: 'sam',
};

export const RAJ: PlannedContact = {
  name: 'Raj Patel',
  title: 'IT Director',
  emails: ['raj.patel@acme-corp.com'],
  company: DEMO_COMPANIES[0]!,
  owner: 'sam',
};

/** "Zoë de Vries-Müller" → "zoedevriesmuller": what a mail admin would make of the name. */
function local(part: string): string {
  return part.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

export function planContacts(rng: Rng): PlannedContact[] {
  const contacts: PlannedContact[] = [JANE, RAJ];
  const taken = new Set([...JANE.emails, ...RAJ.emails]);
  const claim = (candidates: string[]): string | null => {
    const free = candidates.find((e) => !taken.has(e));
    if (free) taken.add(free);
    return free ?? null;
  };
  const pickOwner = (): PlannedContact['owner'] => {
    const k = rng.weighted({ dana: 40, sam: 40, lee: 8, none: 12 });
    return k === 'none' ? null : k;
  };

  for (const [index, company] of DEMO_COMPANIES.entries()) {
    const people = index === 0 ? 4 : rng.int(5, 9);
    for (let i = 0; i < people; i++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const [f, l] = [local(first), local(last)];
      // Companies differ in address style; collisions fall back to the next style.
      const styles = [`${f}.${l}`, `${f[0]}${l}`, `${f}`, `${f}.${l}${rng.int(2, 99)}`];
      const start = index % 3;
      const primary = claim([...styles.slice(start), ...styles.slice(0, start)].map((s) => `${s}@${company.domain}`));
      if (!primary) continue;
      const emails = [primary];
      if (rng.chance(0.12)) {
        const second = company.altDomain && rng.chance(0.7) ? `${f}.${l}@${company.altDomain}` : `${f}.${l}${rng.int(70, 99)}@${rng.pick(FREE_MAIL_DOMAINS)}`;
        const claimed = claim([second]);
        if (claimed) emails.push(claimed);
      }
      contacts.push({ name: `${first} ${last}`, title: rng.chance(0.9) ? rng.pick(TITLES) : null, emails, company, owner: pickOwner() });
    }
  }

  // Freelancers, early leads and people who only ever wrote from a personal address: no company.
  for (let i = 0; i < 20; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const email = claim([`${local(first)}.${local(last)}${rng.int(1, 99)}@${rng.pick(FREE_MAIL_DOMAINS)}`]);
    if (!email) continue;
    contacts.push({
      name: `${first} ${last}`,
      title: rng.pick([null, 'Consultant', 'Freelance designer', 'Founder', 'Student']),
      emails: [email],
      company: null,
      owner: rng.chance(0.5) ? pickOwner() : null,
    });
  }
  return contacts;
}
