/**
 * What every contact action on the card shares (issue 12): a small labelled form that Esc cancels, the request to the
 * background (which queues it in the outbox: offline and killed workers lose nothing), and one status line that
 * follows the queued change until the hub has it or refused it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MemberRef } from '../../shared/wire-types';
import type { ActionSubject, ContactAction, OutboxItemView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { tx } from './isolate';
import { t } from './t';

const quiet = (e: unknown) => console.debug('[liaison] background request failed', e);

/** A labelled control: the label wraps it, so it is named without ids. */
export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A form of the card: its submit button says what it does; Esc or Cancel closes it. */
export function ActForm(props: { label: string; submit: string; onSubmit(): void; onCancel(): void; children: ComponentChildren }) {
  return (
    <form
      class="act"
      aria-label={props.label}
      data-liaison="act-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      {props.children}
      <div class="act__row">
        <button type="submit" class="button button--primary">
          {props.submit}
        </button>
        <button type="button" class="button button--quiet" onClick={props.onCancel}>
          {t('action_cancel')}
        </button>
      </div>
    </form>
  );
}

/** A date field's day (`2026-12-03`) as the end of that day where the user is, in ISO 8601; '' → null. */
export function endOfDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const at = new Date(`${day}T23:59:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** Sends actions about one contact; remembers the outbox entry of the last one, for the status line. */
export function useAct(send: Send, about: ActionSubject, onDone: () => void) {
  const [queued, setQueued] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A double click between two renders must not queue twice (the outbox also drops an identical waiting request).
  const inFlight = useRef(false);
  const act = async (action: ContactAction): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setError(null);
    try {
      setQueued((await send({ type: 'contacts:act', act: action, about })).outboxId);
      onDone();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      inFlight.current = false;
    }
  };
  return { act, queued, error };
}

/** Where the last change stands: sending, waiting for the hub, refused with the hub's reason, or done. */
export function ActStatus({ send, outboxId, error, refreshKey }: { send: Send; outboxId: string | null; error: string | null; refreshKey: number }) {
  const [item, setItem] = useState<OutboxItemView | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (outboxId) {
      send({ type: 'outbox:list' })
        .then((r) => live && setItem(r.items.find((i) => i.id === outboxId) ?? null))
        .catch(quiet);
    }
    return () => {
      live = false;
    };
  }, [send, outboxId, refreshKey]);
  if (error) {
    return (
      <p class="error" role="alert">
        {tx('sidebar_action_failed', error)}
      </p>
    );
  }
  if (!outboxId || item === undefined) return null;
  const text =
    item === null
      ? t('action_done')
      : item.state === 'parked'
        ? tx('action_parked', item.lastError ?? '')
        : item.failing
          ? tx('action_failing', item.lastError ?? '')
          : item.attempts === 0
            ? t('action_sending')
            : t('sidebar_queued');
  return (
    <p class={`act-status${item?.state === 'parked' || item?.failing ? ' error' : ''}`} role="status" data-liaison="act-status" data-state={item?.state ?? 'sent'}>
      {text}
    </p>
  );
}

/** The team's members, asked once when a form that offers them opens. */
export function useMembers(send: Send, wanted: boolean): { items: MemberRef[]; me: string | null } | null {
  const [members, setMembers] = useState<{ items: MemberRef[]; me: string | null } | null>(null);
  useEffect(() => {
    if (wanted && !members) send({ type: 'team:members' }).then(setMembers).catch(quiet);
  }, [send, wanted, members]);
  return members;
}
