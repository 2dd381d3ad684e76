import { useEffect, useState } from 'preact/hooks';
import type { Flag, Interaction, TimelinePage } from '../../shared/wire-types';
import type { Send } from './api';
import { attendedCount } from '../attendance/format';
import { departmentLabel, flagLabel, kindLabel, shortDate } from './format';
import { tx } from './isolate';
import { t } from './t';
import { CrmSync } from './CrmSync';

interface Props {
  contactId: string;
  send: Send;
  refreshKey: number;
}

/** "3 of 4 attended" under a meeting, once anyone's attendance was recorded (issue 5). */
function MeetingAttendance({ item }: { item: Interaction }) {
  const { came, recorded } = attendedCount((item.attendance ?? []).map((a) => a.status));
  if (recorded === 0) return null;
  return (
    <span class="timeline__attendance" data-liaison="timeline-attendance">
      {t('attendance_summary', came, recorded)}
    </span>
  );
}

const newestFirst = (a: Interaction, b: Interaction) => b.occurredAt.localeCompare(a.occurredAt);

/** When a heads-up stopped being open: closed, or lapsed at its `until` (issue 12). */
const endedAt = (f: Flag) => [f.closedAt, f.until].filter((x): x is string => x != null).sort()[0] ?? f.setAt;

/** A closed heads-up as an entry of the history: what it was, who raised and who closed it, what resolved it. */
function EndedHeadsUp({ flag }: { flag: Flag }) {
  return (
    <li class="timeline__item timeline__item--heads-up" data-liaison="timeline-heads-up">
      <span class="timeline__kind">{tx('headsup_ended', flagLabel(flag.kind))}</span>
      {flag.note && (
        <span class="timeline__subject">
          {' '}
          <bdi>{flag.note}</bdi>
        </span>
      )}
      {flag.resolution && <span class="timeline__by">{tx('headsup_resolution_line', flag.resolution)}</span>}
      <span class="timeline__by">
        {flag.closedBy
          ? tx('headsup_closed_by', flag.setBy.name, flag.closedBy.name, shortDate(endedAt(flag)))
          : tx('headsup_lapsed', flag.setBy.name, shortDate(endedAt(flag)))}
      </span>
    </li>
  );
}

/** The team's history with one contact: cache first, then the hub; older pages on demand. */
export function Timeline({ contactId, send, refreshKey }: Props) {
  const [items, setItems] = useState<Interaction[] | null>(null);
  const [ended, setEnded] = useState<Flag[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  /** The fresh answer came (possibly without a page: the hub away, nothing cached): stop saying "Loading…". */
  const [settled, setSettled] = useState(false);

  useEffect(() => {
    let live = true;
    let freshArrived = false;
    setSettled(false);
    const apply = (fresh: boolean) => (r: { page: TimelinePage | null }) => {
      if (live && fresh) setSettled(true);
      if (!live || !r.page || (!fresh && freshArrived)) return;
      if (fresh) freshArrived = true;
      setItems([...r.page.items].sort(newestFirst));
      setEnded(r.page.endedFlags ?? []);
      setCursor(r.page.nextCursor);
    };
    const quiet = (e: unknown) => console.debug('[liaison] timeline failed', e);
    send({ type: 'contacts:timeline', contactId, mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'contacts:timeline', contactId, mode: 'fresh' })
      .then(apply(true))
      .catch((e: unknown) => {
        if (live) setSettled(true);
        quiet(e);
      });
    return () => {
      live = false;
    };
  }, [contactId, send, refreshKey]);

  const more = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const r = await send({ type: 'contacts:timeline', contactId, cursor, mode: 'fresh' });
      if (r.page) {
        const seen = new Set((items ?? []).map((i) => i.id));
        setItems([...(items ?? []), ...r.page.items.filter((i) => !seen.has(i.id))].sort(newestFirst));
        const endedSeen = new Set(ended.map((f) => f.id));
        setEnded([...ended, ...(r.page.endedFlags ?? []).filter((f) => !endedSeen.has(f.id))]);
        setCursor(r.page.nextCursor);
      }
    } catch (e) {
      console.debug('[liaison] timeline page failed', e);
    } finally {
      setLoadingMore(false);
    }
  };

  // Nothing cached and the hub away: no timeline at all rather than a "Loading…" that never ends.
  if (items == null && settled) return null;
  return (
    <section class="timeline" aria-label={t('sidebar_timeline_heading')}>
      <h4>{t('sidebar_timeline_heading')}</h4>
      {items == null ? (
        <p class="muted">{t('sidebar_loading')}</p>
      ) : items.length + ended.length === 0 ? (
        <p class="muted">{t('sidebar_timeline_empty')}</p>
      ) : (
        <ol class="timeline__list" data-liaison="timeline">
          {[
            ...items.map((item) => ({ at: item.occurredAt, item, flag: null })),
            ...ended.map((flag) => ({ at: endedAt(flag), item: null, flag })),
          ]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map(({ item, flag }) =>
              flag ? (
                <EndedHeadsUp key={`f${flag.id}`} flag={flag} />
              ) : (
            <li key={item!.id} class="timeline__item">
              <span class={`badge badge--${item.department}`}>{departmentLabel(item.department)}</span>{' '}
              <span class="timeline__kind">{kindLabel(item.kind)}</span>
              {item!.subject && (
                <span class="timeline__subject">
                  {' '}
                  <bdi>{item.subject}</bdi>
                </span>
              )}
              {item.kind === 'meeting' && <MeetingAttendance item={item} />}
              {/* Calls and notes logged from the card have no subject: what was said is the entry. */}
              {!item.subject && item.summary && (
                <span class="timeline__subject">
                  {' '}
                  <bdi>{item.summary}</bdi>
                </span>
              )}
              {' '}<CrmSync external={item.external} source={item.source} />
              <span class="timeline__by">
                {tx('sidebar_timeline_by', item.loggers[0]?.member.name ?? '', shortDate(item.occurredAt))}
              </span>
            </li>
              ),
            )}
        </ol>
      )}
      {cursor && (
        <button type="button" class="button button--quiet" disabled={loadingMore} onClick={more}>
          {t('sidebar_show_more')}
        </button>
      )}
    </section>
  );
}
