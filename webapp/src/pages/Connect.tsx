import { useState } from 'preact/hooks';
import type { WebSession } from '../../../shared/web-types';
import { api } from '../api';
import { t } from '../i18n';
import { PageTitle, Status, departmentName, errorText } from '../ui';
import { SignIn } from './SignIn';

/**
 * What the extension's "Sign in to your hub" opens (through the browser's identity flow). Nothing happens without
 * the confirm click: the page says who will be connected, so a page that signed someone in behind their back
 * (login CSRF) cannot have their browser connected to that account.
 */
export function Connect({ session, signOut }: { session: WebSession | null; signOut(): void }) {
  const params = new URLSearchParams(location.search);
  const label = params.get('label') || 'Liaison';
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!session) {
    return (
      <>
        <section class="card narrow">
          <PageTitle>{t('connect_title')}</PageTitle>
          <p>{t('connect_sign_in_first')}</p>
        </section>
        <SignIn next={location.pathname + location.search} embedded />
      </>
    );
  }
  const connect = async () => {
    setBusy(true);
    try {
      const { redirect } = await api<{ redirect: string }>('POST', '/web/connect', {
        redirectUri: params.get('redirect_uri'),
        state: params.get('state'),
        label: params.get('label'),
      });
      setDone(true);
      // The browser hands this address to the extension that opened the flow; it is never loaded from a server.
      location.assign(redirect);
    } catch (e) {
      setProblem(errorText(e));
      setBusy(false);
    }
  };
  return (
    <section class="card narrow">
      <PageTitle>{t('connect_title')}</PageTitle>
      <p>{t('connect_intro', label, `${session.member.name}, ${departmentName(session.member.department)}`, session.team.name)}</p>
      <p class="hint">{t('connect_explain')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={connect} disabled={busy || done}>
          {t('connect_button')}
        </button>
        <button type="button" onClick={signOut} disabled={busy}>
          {t('connect_not_you', session.member.name)}
        </button>
      </div>
      <Status text={done ? t('connect_done') : problem} error={!done && problem !== null} />
    </section>
  );
}
