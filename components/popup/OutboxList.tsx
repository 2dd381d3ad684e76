import type { OutboxItemView } from '../../utils/messaging/protocol';
import { tx } from '../sidebar/isolate';
import { t, uiLocale } from '../sidebar/t';

const time = (iso: string) => new Date(iso).toLocaleTimeString(uiLocale(), { hour: '2-digit', minute: '2-digit' });

function stateText(item: OutboxItemView): string {
  if (item.state === 'parked') return t('popup_state_parked');
  if (item.state === 'sending') return t('popup_state_sending');
  const next = item.nextAttemptAt ? ` · ${t('popup_next_try', time(item.nextAttemptAt))}` : '';
  // Still queued, but the hub keeps answering with a server error: say so (its reason is the line below).
  return t(item.failing ? 'popup_state_failing' : 'popup_state_queued') + next;
}

/** What waits in the outbox, with the hub's reason for anything it refused. Text nodes only. */
export function OutboxList(props: {
  items: OutboxItemView[];
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
}) {
  if (props.items.length === 0) return <p class="empty">{t('popup_outbox_empty')}</p>;
  return (
    <ul class="outbox" data-liaison="outbox">
      {props.items.map((item) => (
        <li key={item.id} class={`item item--${item.failing ? 'failing' : item.state}`} data-state={item.failing ? 'failing' : item.state}>
          {/* The label holds a subject from the page, the reason the hub's words: both isolated. */}
          <span class="label">
            <bdi>{item.label}</bdi>
          </span>
          <span class="state">{stateText(item)}</span>
          {item.lastError && <span class="reason">{tx('popup_last_error', item.lastError)}</span>}
          <span class="actions">
            {item.state !== 'sending' && (
              <button type="button" onClick={() => props.onRetry(item.id)} aria-label={`${t('popup_retry')}: ${item.label}`}>
                {t('popup_retry')}
              </button>
            )}
            <button type="button" onClick={() => props.onDiscard(item.id)} aria-label={`${t('popup_discard')}: ${item.label}`}>
              {t('popup_discard')}
            </button>
          </span>
        </li>
      ))}
    </ul>
  );
}
