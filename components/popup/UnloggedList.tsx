import type { AdoptionStats, UnloggedItem } from '../../utils/messaging/protocol';
import { personLabel } from '../prompt/wording';
import { isoList, tx } from '../sidebar/isolate';
import { t, uiLocale } from '../sidebar/t';

const day = (iso: string) => new Date(iso).toLocaleDateString(uiLocale(), { day: 'numeric', month: 'short' });

/**
 * Customer conversations nobody logged yet: Not now, an ignored prompt, a closed tab or a crash put them here.
 * Each can be logged (adding unknown people to the CRM first) or dismissed; the whole list can be cleared.
 */
export function UnloggedList(props: {
  items: UnloggedItem[];
  onLog: (ref: string) => void;
  onDismiss: (ref: string) => void;
  onClear: () => void;
}) {
  if (props.items.length === 0) return <p class="empty">{t('popup_unlogged_empty')}</p>;
  return (
    <>
      <ul class="unlogged" data-liaison="unlogged">
        {props.items.map((item) => {
          const label = item.subject || item.ref;
          const people = item.people.map(personLabel);
          return (
            <li key={item.ref} class="item" data-ref={item.ref}>
              <span class="label">
                <bdi>{label}</bdi>
              </span>
              <span class="state">
                {tx('popup_unlogged_with', isoList(people))} · {day(item.occurredAt)}
              </span>
              <span class="actions">
                <button type="button" onClick={() => props.onLog(item.ref)} aria-label={`${t(item.unknown.length ? 'popup_unlogged_add_and_log' : 'popup_unlogged_log')}: ${label}`}>
                  {t(item.unknown.length ? 'popup_unlogged_add_and_log' : 'popup_unlogged_log')}
                </button>
                <button type="button" onClick={() => props.onDismiss(item.ref)} aria-label={`${t('popup_unlogged_dismiss')}: ${label}`}>
                  {t('popup_unlogged_dismiss')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <p>
        <button type="button" class="link" onClick={props.onClear} data-liaison="unlogged-clear">
          {t('popup_unlogged_clear')}
        </button>
      </p>
    </>
  );
}

/**
 * "You logged 18 of 21 customer conversations this week." Counted in this browser; whether the team's hub gets
 * daily counts of them (issue 14: never a subject, address or name) is said beneath.
 */
export function AdoptionLine({ stats }: { stats: AdoptionStats | null }) {
  if (!stats) return null;
  const sharing = (
    <p class="muted" data-liaison="adoption-sharing">
      {t(stats.sharing === 'counts' ? 'popup_adoption_shared' : stats.sharing === 'off' ? 'popup_adoption_private' : 'popup_adoption_unknown')}
    </p>
  );
  if (stats.conversations === 0)
    return (
      <div class="adoption" data-liaison="adoption">
        <p class="muted">{t('popup_adoption_none')}</p>
        {sharing}
      </div>
    );
  return (
    <div class="adoption" data-liaison="adoption">
      <p>{t('popup_adoption', stats.logged, stats.conversations)}</p>
      <p class="muted">{t('popup_adoption_detail', stats.prompted, stats.loggedFromPrompt, stats.listed, stats.loggedLater, stats.dismissed)}</p>
      {sharing}
    </div>
  );
}
