/**
 * Company names guessed from addresses, for prefills and the prompt's wording ("Jane Doe (Acme)"). The hub is
 * the judge of real companies; this only names what the user sees before the CRM knows better.
 */
import freeMailDomains from 'email-providers/common.json';
import { domainOf } from './adapters/person';

/**
 * The content script carries the common free-mail list (≈350 domains, 2 KB gzip), not the full 8,700-domain
 * list (44 KB gzip, over the whole script's 40 KB budget). This only decides a prefill the user can edit; the
 * hub applies the full list when it derives a company from a domain.
 */
const freeMail = new Set<string>(freeMailDomains as string[]);

export function isFreeMail(email: string): boolean {
  return freeMail.has(domainOf(email));
}

/**
 * The domains whose people are colleagues. Once Liaison is connected, the hub says (the team's domains from
 * GET /v1/me, kept for offline use). Before that — a newcomer who has not connected yet — the signed-in mail
 * accounts' own domains stand in, so that colleagues are not shown as customers; never a free-mail domain
 * (everyone at gmail.com is not a colleague).
 */
export function colleagueDomains(teamDomains: readonly string[], connected: boolean, accounts: readonly (string | null | undefined)[] = []): string[] {
  const known = teamDomains.map((d) => d.toLowerCase());
  if (connected) return known;
  const own = accounts.filter((a): a is string => a != null && a.includes('@') && !isFreeMail(a)).map(domainOf);
  return [...new Set([...known, ...own])];
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

