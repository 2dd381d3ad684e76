import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FollowUpDraft, PromptAnswer, PromptQuestion } from '../../utils/messaging/protocol';
import { t, type MessageKey } from '../sidebar/t';
import { OUTCOMES } from '../sidebar/outcomes';
import { isoList, tx } from '../sidebar/isolate';
import { personLabel, promptQuestion } from './wording';

export type AnswerResult = { ok: true; state: 'sent' | 'queued' | 'sending' | 'parked' | null } | { ok: false; error: string };

export interface LogPromptProps {
  question: PromptQuestion;
  /** Sends the answer to the background (through the outbox for a log) and says how it went. */
  answer(answer: PromptAnswer, extras?: { note?: string; outcome?: string; followUp?: FollowUpDraft | null }): Promise<AnswerResult>;
  /** The prompt is finished with (answered and confirmed): the host removes it and gives focus back. */
  onClose(): void;
  /** An answer went through: the host gives focus back at once (the confirmation needs no focus to be read). */
  onAnswered?(): void;
  /** For tests: today, for the follow-up's default due date. */
  today?: Date;
}

type Phase = { kind: 'ask' } | { kind: 'note' } | { kind: 'never' } | { kind: 'done'; key: MessageKey } | { kind: 'busy' };

/** How long a confirmation stays before the prompt goes away by itself. */
const CONFIRM_MS = 4000;

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * "Log your conversation with Jane Doe (Acme)?" — a small, non-modal card at the bottom left of the mail page.
 * It never takes focus by itself (the user may be typing); Alt+Shift+L brings focus here (see run-prompt.tsx)
 * and Esc means "Not now". Everything is text nodes: names and subjects are untrusted page content, each in its
 * own bidi isolate inside our sentences (see components/sidebar/isolate.tsx).
 */
export function LogPrompt({ question, answer, onClose, onAnswered, today = new Date() }: LogPromptProps) {
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const [wantTask, setWantTask] = useState(false);
  const first = question.people[0];
  const [taskTitle, setTaskTitle] = useState(t('prompt_follow_up_default', first ? (first.name ?? first.email) : ''));
  const [taskDue, setTaskDue] = useState(() => isoDate(new Date(today.getTime() + 3 * 86_400_000)));
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const neverRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (phase.kind !== 'done') return;
    const timer = setTimeout(onClose, CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [phase, onClose]);
  // Moving focus inside the card is fine once the user is working in it (they opened the form themselves).
  // A layout effect: focus lands with the form, before the next key the user types.
  useLayoutEffect(() => {
    if (phase.kind === 'note') noteRef.current?.focus();
    if (phase.kind === 'never') neverRef.current?.focus();
  }, [phase.kind]);

  const run = async (kind: PromptAnswer, extras?: Parameters<LogPromptProps['answer']>[1]) => {
    if (phase.kind === 'busy') return;
    setPhase({ kind: 'busy' });
    setError(null);
    const result = await answer(kind, extras);
    if (!result.ok) {
      setError(result.error);
      setPhase({ kind: 'ask' });
      return;
    }
    onAnswered?.();
    if (kind === 'log') setPhase({ kind: 'done', key: result.state === 'sent' ? 'prompt_done_logged' : 'prompt_done_queued' });
    else if (kind === 'never-address' || kind === 'never-domain') setPhase({ kind: 'done', key: 'prompt_done_never' });
    else setPhase({ kind: 'done', key: 'prompt_done_listed' });
  };

  const submitNote = (e: Event) => {
    e.preventDefault();
    const followUp = wantTask && taskTitle.trim() ? { title: taskTitle.trim(), dueAt: taskDue ? new Date(`${taskDue}T09:00:00`).toISOString() : null } : null;
    void run('log', { note, outcome, followUp });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    if (phase.kind === 'note' || phase.kind === 'never') setPhase({ kind: 'ask' });
    else if (phase.kind === 'ask') void run('not-now');
    else if (phase.kind === 'done') onClose();
  };

  const unknownPeople = question.people.filter((p) => question.unknown.includes(p.email)).map(personLabel);
  const primaryKey: MessageKey = question.unknown.length > 0 ? 'prompt_add_and_log' : 'prompt_log';
  const busy = phase.kind === 'busy';

  return (
    <section class="prompt" role="region" aria-label={t('prompt_region')} data-liaison="prompt" data-ref={question.ref} onKeyDown={onKeyDown}>
      {phase.kind === 'done' ? (
        <p class="prompt__done" role="status" data-liaison="prompt-done">
          {t(phase.key)}
        </p>
      ) : (
        <>
          <div class="prompt__head">
            <p class="prompt__question" data-liaison="prompt-question">
              {promptQuestion(question)}
            </p>
            <button type="button" class="prompt__close" aria-label={t('prompt_close')} title={t('prompt_close')} disabled={busy} onClick={() => void run('dismissed')}>
              ×
            </button>
          </div>
          {question.subject && (
            <p class="prompt__subject">{tx('prompt_subject', question.subject)}</p>
          )}
          {unknownPeople.length > 0 && <p class="prompt__unknown muted">{tx('prompt_unknown_note', isoList(unknownPeople))}</p>}
          {phase.kind === 'note' ? (
            <form class="prompt__form" onSubmit={submitNote} data-liaison="prompt-note-form">
              <label>
                {t('prompt_note')}
                <textarea ref={noteRef} value={note} rows={3} maxLength={4000} dir="auto" onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
              <label>
                {t('prompt_outcome')}
                <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
                  {OUTCOMES.map(([value, key]) => (
                    <option value={value}>{t(key)}</option>
                  ))}
                </select>
              </label>
              <label class="prompt__check">
                <input type="checkbox" checked={wantTask} onChange={(e) => setWantTask(e.currentTarget.checked)} />
                {t('prompt_follow_up')}
              </label>
              {wantTask && (
                <div class="prompt__task">
                  <label>
                    {t('prompt_follow_up_title')}
                    <input type="text" value={taskTitle} maxLength={300} required dir="auto" onInput={(e) => setTaskTitle(e.currentTarget.value)} />
                  </label>
                  <label>
                    {t('prompt_follow_up_due')}
                    <input type="date" value={taskDue} onInput={(e) => setTaskDue(e.currentTarget.value)} />
                  </label>
                </div>
              )}
              <div class="prompt__actions">
                <button type="submit" class="button button--primary" data-liaison="prompt-save">
                  {t(primaryKey === 'prompt_add_and_log' ? 'prompt_add_and_log' : 'prompt_save_log')}
                </button>
                <button type="button" class="button button--quiet" onClick={() => setPhase({ kind: 'ask' })}>
                  {t('prompt_cancel')}
                </button>
              </div>
            </form>
          ) : phase.kind === 'never' ? (
            <div class="prompt__actions" role="group" aria-label={t('prompt_never')}>
              {question.neverAddresses && (
                <button type="button" class="button" ref={neverRef} onClick={() => void run('never-address')}>
                  {tx('prompt_never_addresses', isoList(question.neverAddresses))}
                </button>
              )}
              {question.neverDomain && (
                <button type="button" class="button" ref={question.neverAddresses ? undefined : neverRef} onClick={() => void run('never-domain')}>
                  {tx('prompt_never_domain', question.neverDomain)}
                </button>
              )}
              <button type="button" class="button button--quiet" onClick={() => setPhase({ kind: 'ask' })}>
                {t('prompt_cancel')}
              </button>
            </div>
          ) : (
            <div class="prompt__actions">
              <button type="button" class="button button--primary" data-liaison="prompt-log" disabled={busy} onClick={() => void run('log')}>
                {t(primaryKey)}
              </button>
              <button type="button" class="button" disabled={busy} onClick={() => setPhase({ kind: 'note' })}>
                {t('prompt_log_with_note')}
              </button>
              <button type="button" class="button button--quiet" data-liaison="prompt-not-now" disabled={busy} onClick={() => void run('not-now')}>
                {t('prompt_not_now')}
              </button>
              {(question.neverAddresses || question.neverDomain) && (
                <button type="button" class="button button--quiet" disabled={busy} onClick={() => setPhase({ kind: 'never' })}>
                  {t('prompt_never')}
                </button>
              )}
            </div>
          )}
          {error && (
            <p class="error" role="alert">
              {tx('prompt_failed', error)}
            </p>
          )}
        </>
      )}
    </section>
  );
}
