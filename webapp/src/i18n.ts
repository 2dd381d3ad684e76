/**
 * Every visible string of the web app, English and Dutch side by side (a missing translation is a type error).
 * The language is the browser's unless the person chose one (kept in localStorage). `{0}`, `{1}` are filled in.
 */
export type Lang = 'en' | 'nl';

const S = {
  app_name: ['Liaison', 'Liaison'],
  skip: ['Skip to content', 'Naar de inhoud'],
  nav_label: ['Main', 'Hoofdmenu'],
  lang_switch: ['Nederlands', 'English'],
  loading: ['Loading…', 'Laden…'],
  sign_out: ['Sign out', 'Afmelden'],
  signed_in_as: ['Signed in as {0} · {1}', 'Aangemeld als {0} · {1}'],
  nav_me: ['Your profile', 'Je profiel'],
  nav_install: ['Install the extension', 'Extensie installeren'],
  nav_members: ['Members', 'Leden'],
  nav_team: ['Team settings', 'Teaminstellingen'],
  nav_import: ['Import', 'Importeren'],
  nav_audit: ['Audit log', 'Auditlog'],
  error_generic: ['Something went wrong: {0}', 'Er ging iets mis: {0}'],
  saved: ['Saved.', 'Opgeslagen.'],
  save: ['Save', 'Opslaan'],
  cancel: ['Cancel', 'Annuleren'],
  copy: ['Copy', 'Kopiëren'],
  copied: ['Copied.', 'Gekopieerd.'],
  never: ['never', 'nooit'],
  // sign-in
  signin_title: ['Sign in to Liaison', 'Aanmelden bij Liaison'],
  signin_intro: ['Sign in with your company account. Enter your work address and we send you to your team’s sign-in.', 'Meld je aan met je bedrijfsaccount. Vul je werkadres in en we sturen je naar de aanmelding van je team.'],
  signin_email: ['Work email address', 'Werkadres (e-mail)'],
  signin_continue: ['Continue', 'Doorgaan'],
  signin_company: ['Sign in with your company account', 'Aanmelden met je bedrijfsaccount'],
  signin_invite_hint: ['No company sign-in? Open the invite link your admin sent you; it signs you in once.', 'Geen bedrijfsaanmelding? Open de uitnodigingslink van je beheerder; die meldt je één keer aan.'],
  // invite
  invite_title: ['Your invitation', 'Je uitnodiging'],
  invite_for: ['{0} invites you to Liaison as {1} ({2}).', '{0} nodigt je uit voor Liaison als {1} ({2}).'],
  invite_continue: ['Continue as {0}', 'Doorgaan als {0}'],
  invite_not_you: ['Not you? Close this page and tell your admin.', 'Ben jij dit niet? Sluit deze pagina en laat het je beheerder weten.'],
  invite_used: ['This invite link was already used. Sign in instead, or ask your admin for a new link.', 'Deze uitnodigingslink is al gebruikt. Meld je gewoon aan, of vraag je beheerder om een nieuwe link.'],
  invite_expired: ['This invite link has expired. Ask your admin for a new one.', 'Deze uitnodigingslink is verlopen. Vraag je beheerder om een nieuwe.'],
  invite_revoked: ['This invite link was withdrawn. Ask your admin for a new one.', 'Deze uitnodigingslink is ingetrokken. Vraag je beheerder om een nieuwe.'],
  invite_unknown: ['This invite link is not known. Check that you copied all of it.', 'Deze uitnodigingslink is onbekend. Controleer of je hem helemaal hebt gekopieerd.'],
  // connect
  connect_title: ['Connect Liaison in this browser', 'Liaison koppelen in deze browser'],
  connect_intro: ['The Liaison extension ({0}) asks to be signed in to your team’s hub as {1} ({2}).', 'De Liaison-extensie ({0}) vraagt om aangemeld te worden bij de hub van je team als {1} ({2}).'],
  connect_explain: ['It gets its own access token, which you can revoke at any time under Your profile → Your tokens. Only confirm if you just pressed “Sign in to your hub” in Liaison’s options.', 'Hij krijgt een eigen toegangstoken, dat je altijd kunt intrekken onder Je profiel → Je tokens. Bevestig alleen als je net op “Aanmelden bij je hub” drukte in de opties van Liaison.'],
  connect_button: ['Connect Liaison in this browser', 'Liaison koppelen in deze browser'],
  connect_done: ['Connected. You can close this window.', 'Gekoppeld. Je kunt dit venster sluiten.'],
  connect_sign_in_first: ['Sign in first; you come back here afterwards.', 'Meld je eerst aan; daarna kom je hier terug.'],
  connect_not_you: ['Not {0}? Sign out', 'Niet {0}? Afmelden'],
  // profile
  me_title: ['Your profile', 'Je profiel'],
  me_team: ['Team', 'Team'],
  me_department: ['Department', 'Afdeling'],
  me_role: ['Role', 'Rol'],
  me_email: ['Email', 'E-mail'],
  tokens_title: ['Your tokens', 'Je tokens'],
  tokens_intro: ['Each browser you connected has its own token. Revoke the one of a lost or old laptop: it stops working at once.', 'Elke browser die je koppelde heeft een eigen token. Trek dat van een verloren of oude laptop in: het werkt meteen niet meer.'],
  tokens_label: ['Browser', 'Browser'],
  tokens_created: ['Created', 'Aangemaakt'],
  tokens_used: ['Last used', 'Laatst gebruikt'],
  tokens_state: ['State', 'Status'],
  tokens_active: ['Active', 'Actief'],
  tokens_revoked: ['Revoked {0}', 'Ingetrokken {0}'],
  tokens_revoke: ['Revoke', 'Intrekken'],
  tokens_revoke_named: ['Revoke token “{0}”', 'Token “{0}” intrekken'],
  tokens_revoked_ok: ['Token revoked.', 'Token ingetrokken.'],
  tokens_none: ['No tokens yet: connect the extension (see Install the extension).', 'Nog geen tokens: koppel de extensie (zie Extensie installeren).'],
  token_unlabelled: ['(no label)', '(zonder naam)'],
  // install
  install_title: ['Install and connect the extension', 'De extensie installeren en koppelen'],
  install_step1: ['Install Liaison in Chrome or Firefox (your admin may have done it for you: look for the Liaison icon in the toolbar).', 'Installeer Liaison in Chrome of Firefox (misschien deed je beheerder dat al: zoek het Liaison-pictogram in de werkbalk).'],
  install_step2: ['Open Liaison’s options (right-click the icon → Options).', 'Open de opties van Liaison (rechtsklik op het pictogram → Opties).'],
  install_step3: ['Under “Sign in to your hub”, enter this hub’s address and press the button:', 'Vul onder “Aanmelden bij je hub” het adres van deze hub in en druk op de knop:'],
  install_step4: ['Confirm “Connect Liaison in this browser”. Open Gmail or Outlook: the sidebar shows your team’s history.', 'Bevestig “Liaison koppelen in deze browser”. Open Gmail of Outlook: de zijbalk toont de geschiedenis van je team.'],
  install_hub: ['Hub address', 'Adres van de hub'],
  // members
  members_title: ['Members', 'Leden'],
  invite_form_title: ['Invite someone', 'Iemand uitnodigen'],
  invite_name: ['Name', 'Naam'],
  invite_email: ['Email address', 'E-mailadres'],
  invite_department: ['Department', 'Afdeling'],
  invite_role: ['Role', 'Rol'],
  invite_button: ['Create invite link', 'Uitnodigingslink maken'],
  invite_made: ['Invite link for {0}, valid for 7 days and usable once. Send it to them; it is shown only now.', 'Uitnodigingslink voor {0}, 7 dagen geldig en één keer te gebruiken. Stuur hem door; hij wordt alleen nu getoond.'],
  invite_link: ['Invite link', 'Uitnodigingslink'],
  members_table: ['Team members', 'Teamleden'],
  members_person: ['Person', 'Persoon'],
  members_status: ['Status', 'Status'],
  members_last: ['Last active', 'Laatst actief'],
  members_actions: ['Actions', 'Acties'],
  members_active: ['Active', 'Actief'],
  members_inactive: ['Deactivated', 'Gedeactiveerd'],
  members_deactivate: ['Deactivate {0}', '{0} deactiveren'],
  members_reactivate: ['Reactivate {0}', '{0} heractiveren'],
  members_tokens: ['Tokens of {0} ({1})', 'Tokens van {0} ({1})'],
  members_tokens_short: ['Tokens ({0})', 'Tokens ({0})'],
  members_new_link_short: ['New link', 'Nieuwe link'],
  members_deactivate_short: ['Deactivate', 'Deactiveren'],
  members_reactivate_short: ['Reactivate', 'Heractiveren'],
  invites_withdraw_short: ['Withdraw', 'Intrekken'],
  members_new_link: ['New invite link for {0}', 'Nieuwe uitnodigingslink voor {0}'],
  members_department_of: ['Department of {0}', 'Afdeling van {0}'],
  members_role_of: ['Role of {0}', 'Rol van {0}'],
  members_confirm_deactivate: ['Deactivate {0}? Their tokens and sessions stop working at once.', '{0} deactiveren? Hun tokens en sessies werken meteen niet meer.'],
  invites_table: ['Invite links', 'Uitnodigingslinks'],
  invites_expires: ['Expires', 'Verloopt'],
  invites_withdraw: ['Withdraw the invite for {0}', 'Uitnodiging voor {0} intrekken'],
  invite_state_pending: ['Waiting', 'Wacht'],
  invite_state_used: ['Used', 'Gebruikt'],
  invite_state_expired: ['Expired', 'Verlopen'],
  invite_state_revoked: ['Withdrawn', 'Ingetrokken'],
  role_admin: ['Admin', 'Beheerder'],
  role_member: ['Member', 'Lid'],
  department_sales: ['Sales', 'Verkoop'],
  department_marketing: ['Marketing', 'Marketing'],
  department_support: ['Support', 'Support'],
  department_it: ['IT', 'IT'],
  department_leadership: ['Leadership', 'Directie'],
  department_other: ['Other', 'Overig'],
  // team
  team_title: ['Team settings', 'Teaminstellingen'],
  team_domains: ['Your team’s email domains (one per line): addresses there are colleagues, never customers', 'E-maildomeinen van je team (één per regel): adressen daar zijn collega’s, nooit klanten'],
  team_never_title: ['Never log', 'Nooit vastleggen'],
  team_never_intro: ['Every member’s extension adds these to its own lists and to any browser policy: nothing about these people is sent to the hub.', 'De extensie van elk lid voegt deze toe aan de eigen lijsten en aan een eventueel browserbeleid: over deze mensen wordt niets naar de hub gestuurd.'],
  team_never_domains: ['Never-log domains (one per line)', 'Nooit-vastleggen-domeinen (één per regel)'],
  team_never_addresses: ['Never-log addresses (one per line)', 'Nooit-vastleggen-adressen (één per regel)'],
  signin_settings: ['Sign-in with your identity provider (OpenID Connect)', 'Aanmelden via je identiteitsprovider (OpenID Connect)'],
  signin_settings_intro: ['Register Liaison with your provider (Google Workspace, Microsoft Entra ID, Okta, Keycloak…) as a web application with this redirect URI, then fill in what it gives you.', 'Registreer Liaison bij je provider (Google Workspace, Microsoft Entra ID, Okta, Keycloak…) als webapplicatie met deze redirect-URI en vul in wat je terugkrijgt.'],
  signin_redirect: ['Redirect URI to register', 'Te registreren redirect-URI'],
  signin_issuer: ['Issuer URL', 'Issuer-URL'],
  signin_client_id: ['Client ID', 'Client-ID'],
  signin_client_secret: ['Client secret', 'Clientgeheim'],
  signin_secret_kept: ['A secret is saved; leave empty to keep it.', 'Er is een geheim opgeslagen; laat leeg om het te houden.'],
  signin_from_env: ['Set by the hub’s environment (LIAISON_OIDC_*): change it there.', 'Ingesteld via de omgeving van de hub (LIAISON_OIDC_*): wijzig het daar.'],
  signin_off: ['No identity provider: people sign in with invite links only.', 'Geen identiteitsprovider: mensen melden zich alleen aan met uitnodigingslinks.'],
  signin_enable: ['Use an identity provider', 'Een identiteitsprovider gebruiken'],
  signin_domain_join: ['Let anyone with a verified address at the team’s domains join', 'Iedereen met een bevestigd adres op de domeinen van het team laten aansluiten'],
  signin_domain_department: ['…as a member of', '…als lid van'],
  // import
  import_title: ['Import contacts or history', 'Contacten of geschiedenis importeren'],
  import_intro: ['A HubSpot contacts export, or Liaison’s contacts or history layout (CSV). You see what would happen first; the import then runs whole or not at all.', 'Een HubSpot-contactexport, of de contacten- of geschiedenisindeling van Liaison (CSV). Je ziet eerst wat er zou gebeuren; daarna wordt alles of niets geïmporteerd.'],
  import_file: ['CSV file', 'CSV-bestand'],
  import_preview: ['Preview', 'Voorbeeld'],
  import_summary: ['{0} layout · {1} rows: {2} would be imported, {3} skipped.', 'Indeling {0} · {1} rijen: {2} worden geïmporteerd, {3} overgeslagen.'],
  import_done: ['Imported {0} of {1} rows ({2} skipped).', '{0} van {1} rijen geïmporteerd ({2} overgeslagen).'],
  import_first_rows: ['First rows of the file', 'Eerste rijen van het bestand'],
  import_skipped: ['Rows that would be skipped', 'Rijen die worden overgeslagen'],
  import_line: ['Line {0}: {1}', 'Regel {0}: {1}'],
  import_commit: ['Import {0} rows', '{0} rijen importeren'],
  // audit
  audit_title: ['Audit log', 'Auditlog'],
  audit_intro: ['Every admin action: who did what, and when.', 'Elke beheeractie: wie deed wat, en wanneer.'],
  audit_when: ['When', 'Wanneer'],
  audit_who: ['Who', 'Wie'],
  audit_what: ['What', 'Wat'],
  audit_target: ['On', 'Op'],
  audit_more: ['Show older entries', 'Oudere regels tonen'],
  audit_csv: ['Download as CSV', 'Downloaden als CSV'],
  not_admin: ['Only admins of the team see this page.', 'Alleen beheerders van het team zien deze pagina.'],
} satisfies Record<string, [string, string]>;

export type Key = keyof typeof S;

function initialLang(): Lang {
  try {
    const chosen = localStorage.getItem('liaison-lang');
    if (chosen === 'en' || chosen === 'nl') return chosen;
  } catch {
    // storage may be off; the browser's language then
  }
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

export const lang = { value: initialLang() };
const listeners = new Set<() => void>();
/** The app re-renders when the language changes. */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function setLang(next: Lang): void {
  lang.value = next;
  for (const fn of listeners) fn();
  document.documentElement.lang = next;
  try {
    localStorage.setItem('liaison-lang', next);
  } catch {
    // not remembered; still switched
  }
}

export function t(key: Key, ...args: (string | number)[]): string {
  const text = S[key][lang.value === 'nl' ? 1 : 0];
  return text.replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

export function when(iso: string | null): string {
  if (!iso) return t('never');
  return new Date(iso).toLocaleString(lang.value === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
