import { useState } from 'preact/hooks';
import type { ThreadContext } from '../../utils/adapters/types';
import type { RefStatus, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { LogStatusText } from './LogStatusText';
import { threadDraft } from './people';
import { OUTCOMES } from './outcomes';
import { tx } from './isolate';
import { t } from './t';
import { useLogOnce } from './use-log-once';

interface Props {
  thread: ThreadContext;
  settings: SettingsView;
  status: RefStatus | undefined;
  send: Send;
  /** Asks the background again after a log, so the outbox's answer shows at once. */
  onLogged(): void;
}

/** One click records the thread; a second click, or a teammate's earlier log, makes it a no-op. */
export function LogThread({ thread, settings, status, send, onLogged }: Props) {
  const { view, busy, error, log: logDraft } = useLogOnce(send, status, onLogged);
  const [noteOpen, setNoteOpen] = useState(false);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const noteId = `liaison-note-${thread.threadId}`;
  const log = () => logDraft(() => threadDraft(thread, settings, { note, outcome }));

  if (view.state !== 'none') return <LogStatusText view={view} />;
  return (
    <div class="log">
      <div class="log__row">
        <button type="button" class="button button--primary" data-liaison="log-thread" disabled={busy} onClick={log}>
          {t('sidebar_log_thread')}
        </button>
        <button
          type="button"
          class="button button--quiet"
          aria-expanded={noteOpen}
          aria-controls={noteId}
          onClick={() => setNoteOpen(!noteOpen)}
        >
          {t('sidebar_add_note')}
        </button>
      </div>
      {noteOpen && (
        <div id={noteId} class="log__note">
          <label>
            {t('sidebar_note')}
            <textarea value={note} maxLength={4000} rows={3} dir="auto" onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <label>
            {t('sidebar_outcome')}
            <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              {OUTCOMES.map(([value, key]) => (
                <option value={value}>{t(key)}</option>
              ))}
            </select>
          </label>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {tx('sidebar_action_failed', error)}
        </p>
      )}
    </div>
  );
}
