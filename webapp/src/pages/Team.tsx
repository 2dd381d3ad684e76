import { useEffect, useState } from 'preact/hooks';
import type { Department, Team as TeamType } from '../../../shared/wire-types';
import type { SignInSettings, TeamPolicy } from '../../../shared/web-types';
import type { AdoptionSharing, InsightsSettings } from '../../../shared/insights-types';
import { api, v1 } from '../api';
import { t } from '../i18n';
import { Copyable, DepartmentSelect, Field, PageTitle, Status, errorText, lines } from '../ui';

/** The team's own domains, its never-log lists (pushed to every member's extension), and how people sign in. */
export function Team() {
  const [domains, setDomains] = useState('');
  const [neverDomains, setNeverDomains] = useState('');
  const [neverAddresses, setNeverAddresses] = useState('');
  const [signIn, setSignIn] = useState<SignInSettings | null>(null);
  const [useOidc, setUseOidc] = useState(false);
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [join, setJoin] = useState<{ enabled: boolean; department: Department }>({ enabled: false, department: 'other' });
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [sharing, setSharing] = useState<AdoptionSharing>('off');

  useEffect(() => {
    Promise.all([api<{ team: TeamType }>('GET', v1('/me')), api<TeamPolicy>('GET', v1('/team/policy')), api<SignInSettings>('GET', v1('/team/sign-in'))])
      .then(([me, policy, s]) => {
        setDomains(me.team.domains.join('\n'));
        setNeverDomains(policy.neverLogDomains.join('\n'));
        setNeverAddresses(policy.neverLogAddresses.join('\n'));
        setSignIn(s);
        setUseOidc(s.oidc !== null);
        setIssuer(s.oidc?.issuer ?? '');
        setClientId(s.oidc?.clientId ?? '');
        setJoin(s.domainJoin);
      })
      .catch((e: unknown) => setStatus({ text: errorText(e), error: true }));
    api<InsightsSettings>('GET', v1('/team/insights'))
      .then((s) => setSharing(s.adoptionSharing))
      .catch(() => undefined);
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api('PUT', v1('/team/domains'), { domains: lines(domains) });
      await api('PUT', v1('/team/policy'), { neverLogDomains: lines(neverDomains), neverLogAddresses: lines(neverAddresses) });
      await api('PUT', v1('/team/insights'), { adoptionSharing: sharing });
      if (signIn && !signIn.fromEnvironment) {
        const next = await api<SignInSettings>('PUT', v1('/team/sign-in'), {
          oidc: useOidc ? { issuer: issuer.trim(), clientId: clientId.trim(), ...(secret.trim() ? { clientSecret: secret.trim() } : {}) } : null,
          domainJoin: join,
        });
        setSignIn(next);
        setSecret('');
      }
      setStatus({ text: t('saved') });
    } catch (err) {
      setStatus({ text: errorText(err), error: true });
    }
  };
  const text = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value);
  const locked = signIn?.fromEnvironment ?? false;

  return (
    <form class="card" onSubmit={save}>
      <PageTitle>{t('team_title')}</PageTitle>
      <Field id="team-domains" label={t('team_domains')}>
        <textarea id="team-domains" rows={3} value={domains} onInput={text(setDomains)} spellcheck={false} />
      </Field>
      <fieldset>
        <legend>{t('team_never_title')}</legend>
        <p class="hint">{t('team_never_intro')}</p>
        <Field id="never-domains" label={t('team_never_domains')}>
          <textarea id="never-domains" rows={3} value={neverDomains} onInput={text(setNeverDomains)} spellcheck={false} />
        </Field>
        <Field id="never-addresses" label={t('team_never_addresses')}>
          <textarea id="never-addresses" rows={3} value={neverAddresses} onInput={text(setNeverAddresses)} spellcheck={false} />
        </Field>
      </fieldset>
      <fieldset data-liaison="adoption-sharing">
        <legend>{t('team_adoption_title')}</legend>
        <p class="hint">{t('team_adoption_intro')}</p>
        {(['off', 'counts'] as const).map((value) => (
          <div class="field checkbox">
            <input id={`adoption-${value}`} type="radio" name="adoption-sharing" value={value} checked={sharing === value} onChange={() => setSharing(value)} />
            <label for={`adoption-${value}`}>{t(value === 'off' ? 'team_adoption_off' : 'team_adoption_counts')}</label>
          </div>
        ))}
      </fieldset>
      {signIn && (
        <fieldset>
          <legend>{t('signin_settings')}</legend>
          <p class="hint">{t('signin_settings_intro')}</p>
          <Copyable id="redirect-uri" label={t('signin_redirect')} value={signIn.redirectUri} />
          {locked && <p class="hint">{t('signin_from_env')}</p>}
          <div class="field checkbox">
            <input id="use-oidc" type="checkbox" checked={useOidc} disabled={locked} onChange={(e) => setUseOidc((e.currentTarget as HTMLInputElement).checked)} />
            <label for="use-oidc">{t('signin_enable')}</label>
          </div>
          {!useOidc && <p class="hint">{t('signin_off')}</p>}
          {useOidc && (
            <>
              <Field id="oidc-issuer" label={t('signin_issuer')}>
                <input id="oidc-issuer" type="url" required readOnly={locked} value={issuer} onInput={text(setIssuer)} placeholder="https://accounts.google.com" spellcheck={false} />
              </Field>
              <Field id="oidc-client-id" label={t('signin_client_id')}>
                <input id="oidc-client-id" type="text" required readOnly={locked} value={clientId} onInput={text(setClientId)} spellcheck={false} />
              </Field>
              {!locked && (
                <Field id="oidc-secret" label={t('signin_client_secret')} hint={signIn.oidc?.hasSecret ? t('signin_secret_kept') : null}>
                  <input id="oidc-secret" type="password" autocomplete="off" value={secret} onInput={text(setSecret)} />
                </Field>
              )}
            </>
          )}
          <div class="field checkbox">
            <input id="domain-join" type="checkbox" checked={join.enabled} onChange={(e) => setJoin({ ...join, enabled: (e.currentTarget as HTMLInputElement).checked })} />
            <label for="domain-join">{t('signin_domain_join')}</label>
          </div>
          <Field id="join-department" label={t('signin_domain_department')}>
            <DepartmentSelect id="join-department" value={join.department} disabled={!join.enabled} onChange={(department) => setJoin({ ...join, department })} />
          </Field>
        </fieldset>
      )}
      <button type="submit" class="primary">
        {t('save')}
      </button>
      {status && <Status text={status.text} error={status.error} />}
    </form>
  );
}
