/**
 * The few pages the hub renders itself rather than the web app: a sign-in that went wrong (with the reason in
 * words), and the notice that the web app has not been built. No script, text escaped, English or Dutch by the
 * browser's Accept-Language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Lang = 'en' | 'nl';

export function langOf(req: FastifyRequest): Lang {
  const accepted = String(req.headers['accept-language'] ?? '');
  const first = accepted.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('nl') ? 'nl' : 'en';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Why a sign-in was refused, in the words a person needs: what happened and what to do. */
export const REASONS = {
  not_member: {
    en: ['You are not a member of this team', 'You signed in as {email}, but that address is not a member of a Liaison team on this hub. Ask your team’s admin to invite you, then sign in again.'],
    nl: ['Je bent geen lid van dit team', 'Je bent aangemeld als {email}, maar dat adres is geen lid van een Liaison-team op deze hub. Vraag de beheerder van je team om je uit te nodigen en meld je daarna opnieuw aan.'],
  },
  deactivated: {
    en: ['Your access was turned off', 'An admin of your team deactivated {email}. Ask them to turn it back on.'],
    nl: ['Je toegang is uitgeschakeld', 'Een beheerder van je team heeft {email} gedeactiveerd. Vraag om het weer aan te zetten.'],
  },
  email_unverified: {
    en: ['Your email address is not verified', 'Your identity provider did not confirm that {email} is yours, so Liaison cannot tell which member you are. Verify the address with your identity provider, or ask your admin for an invite link.'],
    nl: ['Je e-mailadres is niet bevestigd', 'Je identiteitsprovider heeft niet bevestigd dat {email} van jou is, dus Liaison weet niet welk lid je bent. Bevestig het adres bij je identiteitsprovider, of vraag je beheerder om een uitnodigingslink.'],
  },
  no_email: {
    en: ['No email address from your identity provider', 'Your identity provider did not tell Liaison your email address. Ask your admin to allow the "email" scope for Liaison.'],
    nl: ['Geen e-mailadres van je identiteitsprovider', 'Je identiteitsprovider heeft Liaison je e-mailadres niet gegeven. Vraag je beheerder om de scope "email" voor Liaison toe te staan.'],
  },
  expired_attempt: {
    en: ['This sign-in has expired', 'This sign-in was already used, took too long, or began in another browser. Start again from the sign-in page.'],
    nl: ['Deze aanmelding is verlopen', 'Deze aanmelding is al gebruikt, duurde te lang of begon in een andere browser. Begin opnieuw op de aanmeldpagina.'],
  },
  provider_refused: {
    en: ['Your identity provider’s answer was refused', 'Liaison could not verify the answer from your identity provider ({detail}). Nothing was signed in. Start again; if it keeps happening, tell your admin.'],
    nl: ['Het antwoord van je identiteitsprovider is geweigerd', 'Liaison kon het antwoord van je identiteitsprovider niet controleren ({detail}). Er is niemand aangemeld. Begin opnieuw; gebeurt het steeds, meld het dan aan je beheerder.'],
  },
  provider_unavailable: {
    en: ['Your identity provider cannot be reached', 'Liaison could not reach your team’s identity provider ({detail}). Try again in a moment.'],
    nl: ['Je identiteitsprovider is niet bereikbaar', 'Liaison kon de identiteitsprovider van je team niet bereiken ({detail}). Probeer het zo opnieuw.'],
  },
  no_provider: {
    en: ['No company sign-in for this address', 'No team on this hub signs in {email} with an identity provider. Ask your admin for an invite link.'],
    nl: ['Geen bedrijfsaanmelding voor dit adres', 'Geen team op deze hub meldt {email} aan via een identiteitsprovider. Vraag je beheerder om een uitnodigingslink.'],
  },
  bad_connect: {
    en: ['This connection request is not valid', 'Only the Liaison extension may ask for a connection, from its own "Sign in to your hub" button ({detail}). Start again from the extension’s options.'],
    nl: ['Dit koppelverzoek is niet geldig', 'Alleen de Liaison-extensie mag om een koppeling vragen, via de eigen knop "Aanmelden bij je hub" ({detail}). Begin opnieuw in de opties van de extensie.'],
  },
  no_build: {
    en: ['The web app has not been built', 'This hub serves its API, but the web app’s files are missing. Run `npm run build:webapp` (or `npm start`, which builds it) in the Liaison folder, then reload this page.'],
    nl: ['De webapp is nog niet gebouwd', 'Deze hub levert zijn API, maar de bestanden van de webapp ontbreken. Voer `npm run build:webapp` uit (of `npm start`, dat hem bouwt) in de Liaison-map en laad deze pagina opnieuw.'],
  },
} satisfies Record<string, Record<Lang, [string, string]>>;

export type Reason = keyof typeof REASONS;

const AGAIN = { en: 'Back to sign-in', nl: 'Terug naar aanmelden' };

export function sendPage(req: FastifyRequest, reply: FastifyReply, status: number, reason: Reason, vars: Record<string, string> = {}) {
  const lang = langOf(req);
  const [title, text] = REASONS[reason][lang];
  const body = text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Liaison</title><link rel="stylesheet" href="/page.css"></head>
<body><main class="notice" data-reason="${reason}"><h1>${escape(title)}</h1><p>${escape(body)}</p>
${reason === 'no_build' ? '' : `<p><a href="/signin">${AGAIN[lang]}</a></p>`}</main></body></html>`;
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
