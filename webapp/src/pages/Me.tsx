import type { WebSession } from '../../../shared/web-types';
import { t } from '../i18n';
import { PageTitle, departmentName, roleName } from '../ui';
import { TokenTable } from './TokenTable';

export function Me({ session }: { session: WebSession }) {
  const m = session.member;
  return (
    <>
      <section class="card">
        <PageTitle>{t('me_title')}</PageTitle>
        <dl class="facts">
          <dt>{t('invite_name')}</dt>
          <dd>
            <bdi>{m.name}</bdi>
          </dd>
          <dt>{t('me_email')}</dt>
          <dd>{m.email}</dd>
          <dt>{t('me_team')}</dt>
          <dd>
            <bdi>{session.team.name}</bdi>
          </dd>
          <dt>{t('me_department')}</dt>
          <dd>{departmentName(m.department)}</dd>
          <dt>{t('me_role')}</dt>
          <dd>{roleName(m.role)}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">{t('tokens_title')}</h2>
        <p>{t('tokens_intro')}</p>
        <TokenTable path="/me/tokens" caption={t('tokens_title')} />
      </section>
    </>
  );
}
