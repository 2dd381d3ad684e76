import type { ComponentChild } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SettingsView, TestConnectionResult } from '../../utils/messaging/protocol';
import { tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';
import { testOutcome } from './describe';
import type { Send } from './OptionsForm';

/**
 * "Sign in to your hub" (issue 13): one button. The background opens the hub's connect page through the browser's
 * identity flow, the person signs in there and confirms, and the background keeps the token it gets — this page
 * never sees it. Also says plainly when Liaison is not signed in (no token, or the hub refused it: revoked).
 */
export function SignInToHub(props: { send: Send; view: SettingsView; hubUrl: string; onConnected(result: TestConnectionResult): void }) {
  const { send, view } = props;
  const [status, setStatus] = useState<{ ok: boolean; text: ComponentChild } | null>(view.hasToken ? null : { ok: false, text: t('options_not_signed_in') });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!view.hasToken) return;
    let live = true;
    send({ type: 'settings:test' })
      .then((r) => {
        if (!live) return;
        if (r.ok) setStatus((shown) => (shown?.ok ? shown : null));
        else if (r.reason.code === 'unauthorized') setStatus({ ok: false, text: tx('options_not_signed_in_reason', r.reason.message) });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [send, view.hasToken]);

  const signIn = async () => {
    setBusy(true);
    setStatus({ ok: true, text: t('options_signing_in') });
    try {
      const result = await send(view.managed.includes('hubUrl') ? { type: 'hub:connect' } : { type: 'hub:connect', hubUrl: props.hubUrl.trim() });
      setStatus(result.ok ? { ok: true, text: testOutcome(result) } : { ok: false, text: tx('options_not_signed_in_reason', result.reason.message) });
      if (result.ok) props.onConnected(result);
    } catch (e) {
      setStatus({ ok: false, text: tx('options_not_signed_in_reason', e instanceof Error ? e.message : String(e)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in-to-hub">
      <button type="button" class="primary" onClick={signIn} disabled={busy} aria-describedby="sign-in-hint">
        {t('options_sign_in')}
      </button>
      <p class="hint" id="sign-in-hint">
        {t('options_sign_in_hint')}
      </p>
      {status && (
        <p role="status" class={status.ok ? 'ok' : 'problem'} data-liaison="hub-sign-in-status">
          {status.text}
        </p>
      )}
    </div>
  );
}
