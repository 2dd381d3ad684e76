import { useState } from 'preact/hooks';
import type { ImportPreview } from '../../../shared/web-types';
import { api, v1 } from '../api';
import { t } from '../i18n';
import { Field, PageTitle, Status, errorText } from '../ui';

/** Choose a file → see its first rows and what would be skipped and why → import it all or nothing. */
export function Import() {
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (commit: boolean) => {
    if (csv === null) return;
    setBusy(true);
    try {
      const result = await api<ImportPreview>('POST', v1('/import'), { csv, commit });
      setPreview(result);
      setStatus({
        text: commit
          ? t('import_done', result.imported, result.rows, result.skipped.length)
          : t('import_summary', result.layout, result.rows, result.imported, result.skipped.length),
      });
    } catch (e) {
      setPreview(null);
      setStatus({ text: errorText(e), error: true });
    } finally {
      setBusy(false);
    }
  };
  const choose = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    setPreview(null);
    setStatus(null);
    setCsv(file ? await file.text() : null);
  };

  return (
    <section class="card">
      <PageTitle>{t('import_title')}</PageTitle>
      <p>{t('import_intro')}</p>
      <Field id="import-file" label={t('import_file')}>
        <input id="import-file" type="file" accept=".csv,text/csv" onChange={choose} />
      </Field>
      <button type="button" onClick={() => run(false)} disabled={csv === null || busy}>
        {t('import_preview')}
      </button>
      {status && <Status text={status.text} error={status.error} />}
      {preview && (
        <>
          <div class="table-wrap">
            <table>
              <caption>{t('import_first_rows')}</caption>
              <thead>
                <tr>
                  {preview.header.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((row) => (
                  <tr>
                    {row.map((cell) => (
                      <td>
                        <bdi>{cell}</bdi>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.skipped.length > 0 && (
            <>
              <h2>{t('import_skipped')}</h2>
              <ul class="reasons">
                {preview.skipped.slice(0, 200).map((s) => (
                  <li>{t('import_line', s.row, s.reason)}</li>
                ))}
              </ul>
            </>
          )}
          {!preview.committed && preview.imported > 0 && (
            <button type="button" class="primary" onClick={() => run(true)} disabled={busy}>
              {t('import_commit', preview.imported)}
            </button>
          )}
        </>
      )}
    </section>
  );
}
