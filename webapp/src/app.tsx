/**
 * The web app's shell: who is signed in, the navigation (admin pages for admins only), the page for the path.
 * Pages that need no session (sign-in, an invite link, the extension's connect page) render without one.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WebSession } from '../../shared/web-types';
import { api, loadSession } from './api';
import { lang, onLangChange, setLang, t, type Key } from './i18n';
import { follow, navigate, onNavigate } from './router';
import { errorText } from './ui';
import { Adoption } from './pages/Adoption';
import { Attention } from './pages/Attention';
import { Audit } from './pages/Audit';
import { Connect } from './pages/Connect';
import { Crm } from './pages/Crm';
import { CompanyView, ContactView, Customers } from './pages/Customers';
import { Import } from './pages/Import';
import { Install } from './pages/Install';
import { Invite } from './pages/Invite';
import { Me } from './pages/Me';
import { Meetings } from './pages/Meetings';
import { Members } from './pages/Members';
import { SignIn } from './pages/SignIn';
import { Team } from './pages/Team';

/** Issue 14: the team insights, for everyone (adoption shows a member their own figures only). */
const INSIGHT_PAGES: [string, Key][] = [
  ['/insights/attention', 'nav_attention'],
  ['/insights/meetings', 'nav_meetings'],
  ['/insights/adoption', 'nav_adoption'],
  ['/customers', 'nav_customers'],
];

const ADMIN_PAGES: [string, Key][] = [
  ['/admin/members', 'nav_members'],
  ['/admin/team', 'nav_team'],
  ['/admin/import', 'nav_import'],
  ['/admin/crm', 'nav_crm'],
  ['/admin/audit', 'nav_audit'],
];

export function App() {
  const [path, setPath] = useState(location.pathname);
  const [, setLangTick] = useState(0);
  const [session, setSession] = useState<WebSession | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = () =>
    loadSession()
      .then(setSession)
      .catch((e: unknown) => {
        setSession(null);
        setProblem(errorText(e));
      });
  useEffect(() => {
    void refresh();
    const offNav = onNavigate(() => setPath(location.pathname));
    const offLang = onLangChange(() => setLangTick((n) => n + 1));
    document.documentElement.lang = lang.value;
    return () => {
      offNav();
      offLang();
    };
  }, []);

  const signOut = async () => {
    await api('POST', '/web/signout').catch(() => undefined);
    setSession(null);
    if (!path.startsWith('/connect')) navigate('/signin');
  };

  if (session === undefined) return <p role="status">{t('loading')}</p>;

  let page;
  const invite = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(path);
  if (invite) page = <Invite code={invite[1]!} done={() => void refresh().then(() => navigate('/install', true))} />;
  else if (path === '/connect') page = <Connect session={session} signOut={signOut} />;
  else if (!session || path === '/signin') page = <SignIn next={path === '/signin' ? new URLSearchParams(location.search).get('next') ?? '/' : path + location.search} />;
  else if (path.startsWith('/admin') && session.member.role !== 'admin') page = <p role="alert">{t('not_admin')}</p>;
  else if (path === '/admin/members' || path === '/admin') page = <Members myId={session.member.id} />;
  else if (path === '/admin/team') page = <Team />;
  else if (path === '/admin/import') page = <Import />;
  else if (path === '/admin/audit') page = <Audit />;
  else if (path === '/admin/crm') page = <Crm />;
  else if (path === '/install') page = <Install />;
  else if (path === '/insights/adoption') page = <Adoption />;
  else if (path === '/insights/meetings') page = <Meetings />;
  else if (path === '/insights/attention' || path === '/insights') page = <Attention />;
  else if (path === '/customers') page = <Customers />;
  else if (/^\/customers\/company\/[1-9]\d{0,18}$/.test(path)) page = <CompanyView id={path.split('/')[3]!} />;
  else if (/^\/customers\/contact\/[1-9]\d{0,18}$/.test(path)) page = <ContactView id={path.split('/')[3]!} me={session.member} />;
  else page = <Me session={session} />;

  const link = (href: string, key: Key) => (
    <li>
      <a
        href={href}
        onClick={follow}
        aria-current={path === href || (href === '/admin/members' && path === '/admin') || (href === '/insights/attention' && path === '/insights') || (href === '/customers' && path.startsWith('/customers/')) ? 'page' : undefined}
      >
        {t(key)}
      </a>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <a class="brand" href="/" onClick={follow}>
          {t('app_name')}
        </a>
        {session && (
          <nav aria-label={t('nav_label')}>
            <ul>
              {INSIGHT_PAGES.map(([href, key]) => link(href, key))}
              {link('/me', 'nav_me')}
              {link('/install', 'nav_install')}
              {session.member.role === 'admin' && ADMIN_PAGES.map(([href, key]) => link(href, key))}
            </ul>
          </nav>
        )}
        <div class="who">
          {session && (
            <span>
              <bdi>{t('signed_in_as', session.member.name, session.team.name)}</bdi>
            </span>
          )}
          <button type="button" class="link" lang={lang.value === 'nl' ? 'en' : 'nl'} onClick={() => setLang(lang.value === 'nl' ? 'en' : 'nl')}>
            {t('lang_switch')}
          </button>
          {session && (
            <button type="button" class="link" onClick={signOut}>
              {t('sign_out')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {problem && <p role="alert">{problem}</p>}
        {page}
      </main>
    </>
  );
}
