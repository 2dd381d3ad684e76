import { useRef, useState } from 'preact/hooks';
import type { ComposeContext } from '../../utils/adapters/types';
import type { RefStatus, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { logView, LogStatusText, type LocalLog } from './LogStatusText';
import { composeDraft } from './people';
import { t } from './t';

interface Props {
  compose: ComposeContext;
  settings: SettingsView;
  status: RefStatus | undefined;
  send: Send;
  /** Re-reads the compose form at click time: its subject box changes without any DOM mutation. */
  readLatest(): ComposeContext | null;
  onLogged(): void;
}

/** "Log this email" on demand for a message being written (popup or inline reply). */
export function LogCompose({ compose, settings, status, send, readLatest, onLogged }: Props) {
  const [local, setLocal] = useState<LocalLog | null>(null);
  const [busy, setBusy] = useState(false);
  // State updates land a render later; a ref stops a double click from sending two logs in between.
  const inFlight = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const view = logView(status, local);
  const names = compose.recipients.map((p) => p.name ?? p.email).join(', ');

  const log = async () => {
    if (inFlight.current || view.state !== 'none') return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const latest = readLatest() ?? compose;
      const answer = await send({ type: 'interactions:log', draft: composeDraft(latest, settings) });
      setLocal({ state: answer.state, at: new Date().toISOString() });
      onLogged();
    } catch (e) {
      // Only a failure re-opens the button; a success replaces it with the status line.
      inFlight.current = false;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="compose" aria-label={t('sidebar_compose_heading')} data-liaison="compose">
      <h3 class="compose__subject">
        <bdi>{compose.subject || t('sidebar_compose_no_subject')}</bdi>
      </h3>
      <p class="compose__to">
        <bdi>{t('sidebar_compose_to', names)}</bdi>
      </p>
      {view.state === 'none' ? (
        <button type="button" class="button" data-liaison="log-compose" disabled={busy} onClick={log}>
          {t('sidebar_log_compose')}
        </button>
      ) : (
        <LogStatusText view={view} />
      )}
      {error && (
        <p class="error" role="alert">
          {t('sidebar_action_failed', error)}
        </p>
      )}
    </section>
  );
}
