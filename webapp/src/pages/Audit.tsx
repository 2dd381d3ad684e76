import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditPage } from '../../../shared/web-types';
import { api, v1 } from '../api';
import { t, when } from '../i18n';
import { PageTitle, Status, errorText } from '../ui';

export function Audit() {
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async (from: string | null) => {
    try {
      const page = await api<AuditPage>('GET', v1(`/audit?limit=100${from ? `&cursor=${from}` : ''}`));
      setItems((old) => (from ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setProblem(errorText(e));
    }
  };
  useEffect(() => void load(null), []);
  return (
    <section class="card">
      <PageTitle>{t('audit_title')}</PageTitle>
      <p>
        {t('audit_intro')}{' '}
        <a href={v1('/audit.csv')} download>
          {t('audit_csv')}
        </a>
      </p>
      {!loaded && !problem && <p role="status">{t('loading')}</p>}
      <Status text={problem} error />
      <div class="table-wrap">
        <table data-liaison="audit">
          <thead>
            <tr>
              <th scope="col">{t('audit_when')}</th>
              <th scope="col">{t('audit_who')}</th>
              <th scope="col">{t('audit_what')}</th>
              <th scope="col">{t('audit_target')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>
                  <bdi>{e.actor}</bdi>
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <bdi>{e.target ?? ''}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && (
        <button type="button" onClick={() => load(cursor)}>
          {t('audit_more')}
        </button>
      )}
    </section>
  );
}
