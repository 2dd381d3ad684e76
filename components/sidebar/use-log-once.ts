import { useRef, useState } from 'preact/hooks';
import type { InteractionDraft, RefStatus } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { logView, type LocalLog } from './LogStatusText';

/**
 * The one-click log shared by the thread and compose buttons: sends the draft once, shows the outbox's
 * answer at once, and re-opens the button only when sending failed.
 */
export function useLogOnce(send: Send, status: RefStatus | undefined, onLogged: () => void) {
  const [local, setLocal] = useState<LocalLog | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // State updates land a render later; a ref stops a double click from sending two logs in between.
  const inFlight = useRef(false);
  const view = logView(status, local);

  const log = async (makeDraft: () => InteractionDraft) => {
    if (inFlight.current || view.state !== 'none') return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const answer = await send({ type: 'interactions:log', draft: makeDraft() });
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

  return { view, busy, error, log };
}
