import type { ComposeContext } from '../../utils/adapters/types';
import type { RefStatus, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { LogStatusText } from './LogStatusText';
import { composeDraft } from './people';
import { isoList, tx } from './isolate';
import { t } from './t';
import { useLogOnce } from './use-log-once';

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
  const { view, busy, error, log: logDraft } = useLogOnce(send, status, onLogged);
  const names = compose.recipients.map((p) => p.name ?? p.email);
  const log = () => logDraft(() => composeDraft(readLatest() ?? compose, settings));

  return (
    <section class="compose" aria-label={t('sidebar_compose_heading')} data-liaison="compose">
      <h3 class="compose__subject">
        <bdi>{compose.subject || t('sidebar_compose_no_subject')}</bdi>
      </h3>
      <p class="compose__to">{tx('sidebar_compose_to', isoList(names))}</p>
      {view.state === 'none' ? (
        <button type="button" class="button" data-liaison="log-compose" disabled={busy} onClick={log}>
          {t('sidebar_log_compose')}
        </button>
      ) : (
        <LogStatusText view={view} />
      )}
      {error && (
        <p class="error" role="alert">
          {tx('sidebar_action_failed', error)}
        </p>
      )}
    </section>
  );
}
