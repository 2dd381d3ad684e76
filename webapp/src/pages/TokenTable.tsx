import { useEffect, useState } from 'preact/hooks';
import type { TokenView } from '../../../shared/web-types';
import { api, v1 } from '../api';
import { t, when } from '../i18n';
import { Status, errorText } from '../ui';

/** A member's tokens with Revoke; `path` is /me/tokens (your own) or /members/:id/tokens (an admin's view). */
export function TokenTable({ path, caption }: { path: string; caption: string }) {
  const [items, setItems] = useState<TokenView[] | null>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const load = () =>
    api<{ items: TokenView[] }>('GET', v1(path))
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setStatus({ text: errorText(e), error: true }));
  useEffect(() => void load(), [path]);
  const revoke = async (token: TokenView) => {
    try {
      await api('DELETE', v1(`/tokens/${token.id}`));
      setStatus({ text: t('tokens_revoked_ok') });
      await load();
    } catch (e) {
      setStatus({ text: errorText(e), error: true });
    }
  };
  if (!items) return <p role="status">{status?.text ?? t('loading')}</p>;
  return (
    <div class="table-wrap">
      {items.length === 0 ? (
        <p>{t('tokens_none')}</p>
      ) : (
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens_label')}</th>
              <th scope="col">{t('tokens_created')}</th>
              <th scope="col">{t('tokens_used')}</th>
              <th scope="col">{t('tokens_state')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('members_actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((token) => (
              <tr key={token.id} data-token={token.id}>
                <th scope="row">
                  <bdi>{token.label ?? t('token_unlabelled')}</bdi>
                </th>
                <td>{when(token.createdAt)}</td>
                <td>{when(token.lastUsedAt)}</td>
                <td>{token.revokedAt ? t('tokens_revoked', when(token.revokedAt)) : t('tokens_active')}</td>
                <td>
                  {!token.revokedAt && (
                    <button type="button" class="danger" onClick={() => revoke(token)} aria-label={t('tokens_revoke_named', token.label ?? t('token_unlabelled'))}>
                      {t('tokens_revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status && <Status text={status.text} error={status.error} />}
    </div>
  );
}
