import { useRef, useState } from 'preact/hooks';
import type { AttendanceStatus } from '../../shared/wire-types';
import type { InviteContext, MeetingInvite } from '../../utils/adapters/types';
import { attendeesOf, captureOpen, defaultChoices, type AttendanceChoice } from '../../utils/meetings';
import type { RefStatus } from '../../utils/messaging/protocol';
import type { Send } from '../sidebar/api';
import { LogStatusText, logView, type LocalLog } from '../sidebar/LogStatusText';
import { tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';
import { attendedCount, meetingWhen, rsvpLabel, statusLabel } from './format';
import { meetingDraft } from './meeting-draft';
import { StatusChoice } from './StatusChoice';

export interface AttendanceCaptureProps {
  meeting: MeetingInvite;
  source: Pick<InviteContext, 'site' | 'sourceId'>;
  send: Send;
  /** Whether this meeting is logged, by whom, or waiting in the outbox (the background's answer). */
  status: RefStatus | undefined;
  /** The moment capture is judged against; the panel re-renders it each minute. */
  now: Date;
  /** Colleagues are listed like everyone else, with a tag: an IT lead skipping an implementation call matters too. */
  isColleague?: (email: string) => boolean;
  isMe?: (email: string) => boolean;
  onLogged(): void;
}

type Phase = 'cancelled' | 'upcoming' | 'open';

/**
 * The meeting of an invitation, and from its start on, one click per person to say who came. Rendered from the
 * data it is given; it never reads the page. Key it by the meeting's reference and SEQUENCE so a newer version
 * of the invitation starts from its own RSVPs.
 */
export function AttendanceCapture({ meeting, source, send, status, now, isColleague, isMe, onLogged }: AttendanceCaptureProps) {
  const [choices, setChoices] = useState<AttendanceChoice>(() => defaultChoices(meeting));
  const [local, setLocal] = useState<LocalLog | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Correcting what this user logged: choices start empty ("keep what was recorded") and only changes are sent. */
  const [correcting, setCorrecting] = useState(false);
  const [corrected, setCorrected] = useState(false);
  // State lands a render later; the ref stops a double click from queueing the meeting twice in between.
  const inFlight = useRef(false);

  const people = attendeesOf(meeting);
  const phase: Phase = meeting.cancelled ? 'cancelled' : captureOpen(meeting, now) ? 'open' : 'upcoming';
  // The status line tells real time ("Logged by you · 10:42"), not the clock capture is judged by.
  const view = logView(status, local);
  const loggedByMe = view.state === 'logged-by-me' || view.state === 'queued' || view.state === 'failing';
  // A teammate's log does not close capture: logging again merges into the same meeting and updates attendance.
  const capturing = phase === 'open' && (!loggedByMe || correcting);
  // Logged by me: attendance can still be corrected (the hub merges by UID, so a meeting without one cannot).
  const canCorrect = phase === 'open' && loggedByMe && !correcting && meeting.uid != null;
  const changed = Object.values(choices).some((c) => c != null);
  // Right after logging, what was recorded stays on screen; after a reload the hub has it (timeline, card).
  const justLogged = phase === 'open' && loggedByMe && local != null && !correcting;
  const when = meetingWhen(meeting.start, meeting.end);
  const { came, recorded } = attendedCount(people.map((p) => choices[p.email] ?? null));

  const choose = (email: string, value: AttendanceStatus) => setChoices((c) => ({ ...c, [email]: value }));

  const log = async () => {
    if (inFlight.current || !capturing) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const draft = meetingDraft(meeting, source, choices, now);
      if (correcting) {
        // Only the people changed now: everyone else keeps what was recorded (the hub leaves a missing status alone).
        const answer = await send({ type: 'interactions:log', draft: { ...draft, attendance: draft.attendance?.filter((a) => a.status != null) }, correction: true });
        setLocal({ state: answer.state, at: new Date().toISOString() });
        setCorrecting(false);
        setCorrected(true);
        inFlight.current = false;
      } else {
        const answer = await send({ type: 'interactions:log', draft });
        setLocal({ state: answer.state, at: new Date().toISOString() });
      }
      onLogged();
    } catch (e) {
      inFlight.current = false;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // An id, not text: a Calendar source id may hold anything, and aria-labelledby splits on spaces.
  const titleId = `liaison-meeting-${source.sourceId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80)}`;
  return (
    <section class="meeting" aria-labelledby={titleId} data-liaison="meeting" data-phase={phase}>
      <h3 id={titleId} class={phase === 'cancelled' ? 'meeting__title meeting__title--cancelled' : 'meeting__title'}>
        <bdi>{meeting.title ?? t('attendance_untitled')}</bdi>
      </h3>
      {when && <p class="meeting__when">{when}</p>}
      {phase === 'cancelled' && (
        <p class="meeting__cancelled" role="status" data-liaison="meeting-cancelled">
          {t('attendance_cancelled')}
        </p>
      )}
      {phase === 'upcoming' && (
        <p class="muted" data-liaison="capture-later">
          {t('attendance_opens_at', when)}
        </p>
      )}
      {capturing && <h4 class="meeting__capture">{t('attendance_capture_heading')}</h4>}
      <ul class="attendees" aria-label={t('attendance_attendees_label')}>
        {people.map((person, index) => {
          const name = person.name ?? person.email;
          const tags = [
            person.organizer ? t('attendance_organizer') : null,
            isMe?.(person.email) ? t('attendance_you') : isColleague?.(person.email) ? t('attendance_colleague') : null,
          ].filter((x): x is string => x != null);
          return (
            <li key={person.email} class="attendee" data-liaison="attendee" data-email={person.email}>
              <span class="attendee__name">
                <bdi>{name}</bdi>
                {tags.length > 0 && <span class="attendee__tags"> · {tags.join(' · ')}</span>}
              </span>
              <span class="attendee__rsvp">{t('attendance_rsvp', rsvpLabel(person.rsvp))}</span>
              {justLogged && (!corrected || choices[person.email] != null) && (
                <span class="attendee__status" data-liaison="attendee-status">
                  {statusLabel(choices[person.email] ?? null)}
                </span>
              )}
              {capturing && (
                <StatusChoice
                  groupId={`${titleId}-${index}`}
                  personName={name}
                  value={choices[person.email] ?? null}
                  disabled={busy}
                  onChange={(value) => choose(person.email, value)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {capturing && !correcting && (
        <p class="meeting__summary" data-liaison="attendance-summary">
          {t('attendance_summary', came, recorded)}
        </p>
      )}
      {correcting && <p class="muted" data-liaison="correct-hint">{t('attendance_correct_hint')}</p>}
      {corrected && !correcting && (
        <p class="muted" role="status" data-liaison="attendance-corrected">
          {t('attendance_corrected')}
        </p>
      )}
      {phase !== 'cancelled' && <LogStatusText view={view} />}
      {capturing && view.state === 'logged-by-teammate' && <p class="muted">{t('attendance_update_hint')}</p>}
      {capturing && !correcting && (
        <button type="button" class="button button--primary" data-liaison="log-meeting" disabled={busy} onClick={log}>
          {t('attendance_log')}
        </button>
      )}
      {correcting && (
        <div class="meeting__actions">
          <button type="button" class="button button--primary" data-liaison="save-corrections" disabled={busy || !changed} onClick={log}>
            {t('attendance_save_corrections')}
          </button>
          <button type="button" class="button button--quiet" disabled={busy} onClick={() => setCorrecting(false)}>
            {t('attendance_correct_cancel')}
          </button>
        </div>
      )}
      {canCorrect && (
        <button
          type="button"
          class="button button--quiet"
          data-liaison="correct-attendance"
          onClick={() => {
            // The first log left the guard closed (a success never re-opens it): a correction is a new send.
            inFlight.current = false;
            setChoices({});
            setCorrected(false);
            setCorrecting(true);
          }}
        >
          {t('attendance_correct')}
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {tx('attendance_failed', error)}
        </p>
      )}
    </section>
  );
}
