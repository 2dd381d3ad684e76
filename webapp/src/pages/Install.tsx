import { t } from '../i18n';
import { Copyable, PageTitle } from '../ui';

export function Install() {
  return (
    <section class="card">
      <PageTitle>{t('install_title')}</PageTitle>
      <ol class="steps">
        <li>{t('install_step1')}</li>
        <li>{t('install_step2')}</li>
        <li>
          {t('install_step3')}
          <Copyable id="hub-address" label={t('install_hub')} value={location.origin} />
        </li>
        <li>{t('install_step4')}</li>
      </ol>
    </section>
  );
}
