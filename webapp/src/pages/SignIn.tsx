import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { Field, PageTitle } from '../ui';

/** Email first: the hub finds the team the address belongs to and sends the browser to that team's provider. */
export function SignIn({ next, embedded }: { next: string; embedded?: boolean }) {
  const [email, setEmail] = useState('');
  const [company, setCompany] = useState(false);
  useEffect(() => {
    fetch('/web/sign-in-options')
      .then((r) => r.json() as Promise<{ companySignIn: boolean }>)
      .then((o) => setCompany(o.companySignIn))
      .catch(() => undefined);
  }, []);
  const go = (e: Event) => {
    e.preventDefault();
    location.assign(`/auth/oidc/start?${new URLSearchParams({ email: email.trim(), next })}`);
  };
  return (
    <section class="card narrow" aria-labelledby={embedded ? 'signin-h' : undefined}>
      {embedded ? <h2 id="signin-h">{t('signin_title')}</h2> : <PageTitle>{t('signin_title')}</PageTitle>}
      <p>{t('signin_intro')}</p>
      <form onSubmit={go}>
        <Field id="signin-email" label={t('signin_email')}>
          <input id="signin-email" type="email" required autocomplete="email" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <button type="submit" class="primary">
          {t('signin_continue')}
        </button>
      </form>
      {company && (
        <p>
          <a class="button" href={`/auth/oidc/start?${new URLSearchParams({ next })}`}>
            {t('signin_company')}
          </a>
        </p>
      )}
      <p class="hint">{t('signin_invite_hint')}</p>
    </section>
  );
}
