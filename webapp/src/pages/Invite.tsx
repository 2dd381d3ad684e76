import { useEffect, useState } from 'preact/hooks';
import type { InvitePreview } from '../../../shared/web-types';
import { ApiError } from '../api';
import { t, type Key } from '../i18n';
import { PageTitle, Status, errorText } from '../ui';

/**
 * The page an invite link opens. Opening it uses nothing (mail scanners open links too): the person sees whose
 * invitation it is and presses Continue, which signs them in once.
 */
export function Invite({ code, done }: { code: string; done(): void }) {
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    fetch(`/web/invites/preview?${new URLSearchParams({ code })}`)
      .then(async (r) => {
        if (r.status === 404) return setProblem(t('invite_unknown'));
        if (!r.ok) throw new Error(String(r.status));
        const p = (await r.json()) as InvitePreview;
        setPreview(p);
        if (p.state !== 'pending') setProblem(t(`invite_${p.state}` as Key));
      })
      .catch((e: unknown) => setProblem(errorText(e)));
  }, [code]);
  const accept = async () => {
    setBusy(true);
    try {
      const res = await fetch('/web/invites/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), credentials: 'same-origin' });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
        const reason = body?.error?.code?.replace(/^invite_/, '');
        throw new ApiError(res.status, reason ?? '', reason && ['used', 'expired', 'revoked', 'unknown'].includes(reason) ? t(`invite_${reason}` as Key) : (body?.error?.message ?? String(res.status)));
      }
      done();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : errorText(e));
      setBusy(false);
    }
  };
  return (
    <section class="card narrow">
      <PageTitle>{t('invite_title')}</PageTitle>
      {preview && <p>{t('invite_for', preview.teamName, preview.memberName, preview.email)}</p>}
      {preview && preview.state === 'pending' && !problem && (
        <>
          <button type="button" class="primary" onClick={accept} disabled={busy}>
            {t('invite_continue', preview.memberName)}
          </button>
          <p class="hint">{t('invite_not_you')}</p>
        </>
      )}
      <Status text={problem} error />
      {!preview && !problem && <p role="status">{t('loading')}</p>}
    </section>
  );
}
