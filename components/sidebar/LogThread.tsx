import { useRef, useState } from 'preact/hooks';
import type { ThreadContext } from '../../utils/adapters/types';
import type { RefStatus, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { logView, LogStatusText, type LocalLog } from './LogStatusText';
import { threadDraft } from './people';
import { t, type MessageKey } from './t';

const OUTCOMES: [string, MessageKey][] = [
  ['', 'sidebar_outcome_none'],
  ['positive', 'sidebar_outcome_positive'],
  ['neutral', 'sidebar_outcome_neutral'],
  ['negative', 'sidebar_outcome_negative'],
  ['follow-up', 'sidebar_outcome_follow_up'],
];

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
  const [local, setLocal] = useState<LocalLog | null>(null);
  const [busy, setBusy] = useState(false);
  // State updates land a render later; a ref stops a double click from sending two logs in between.
  const inFlight = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [noteOpen, setNoteOpen] = useState(false);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const view = logView(status, local);
  const noteId = `liaison-note-${thread.threadId}`;

  const log = async () => {
    if (inFlight.current || view.state !== 'none') return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const answer = await send({
        type: 'interactions:log',
        draft: threadDraft(thread, settings, { note, outcome }),
      });
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
            <textarea value={note} maxLength={4000} rows={3} onInput={(e) => setNote(e.currentTarget.value)} />
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
          {t('sidebar_action_failed', error)}
        </p>
      )}
    </div>
  );
}
