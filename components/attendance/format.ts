import type { AttendanceStatus } from '../../shared/wire-types';
import type { InviteRsvp } from '../../utils/adapters/types';
import { t, uiLocale, type MessageKey } from '../sidebar/t';

/** "Thu 19 Nov 2026, 15:00–16:00" in the reader's zone and language; a 24-hour clock as elsewhere in Liaison. */
export function meetingWhen(start: string | null, end: string | null): string {
  if (!start) return '';
  const from = new Date(start);
  if (Number.isNaN(from.getTime())) return '';
  const day = new Intl.DateTimeFormat(uiLocale(), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(from);
  const clock = new Intl.DateTimeFormat(uiLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const to = end ? new Date(end) : null;
  const sameDay = to && !Number.isNaN(to.getTime()) && to.toDateString() === from.toDateString();
  return sameDay ? `${day}, ${clock.format(from)}–${clock.format(to)}` : `${day}, ${clock.format(from)}`;
}

const rsvpKeys: Record<InviteRsvp, MessageKey> = {
  accepted: 'attendance_rsvp_accepted',
  declined: 'attendance_rsvp_declined',
  tentative: 'attendance_rsvp_tentative',
  'needs-action': 'attendance_rsvp_needs_action',
  delegated: 'attendance_rsvp_delegated',
  unknown: 'attendance_rsvp_unknown',
};

export function rsvpLabel(rsvp: InviteRsvp): string {
  return t(rsvpKeys[rsvp] ?? 'attendance_rsvp_unknown');
}

export const STATUS_KEYS: Record<AttendanceStatus, MessageKey> = {
  attended: 'attendance_status_attended',
  'no-show': 'attendance_status_no_show',
  late: 'attendance_status_late',
  excused: 'attendance_status_excused',
};

export function statusLabel(status: AttendanceStatus | null): string {
  return t(status ? STATUS_KEYS[status] : 'attendance_status_unknown');
}

/**
 * "3 of 4 attended": of the people whose attendance was recorded, how many came. Late counts as came (they
 * were there); a person nobody recorded is not counted either way.
 */
export function attendedCount(statuses: (AttendanceStatus | null)[]): { came: number; recorded: number } {
  const recorded = statuses.filter((s) => s != null);
  return { came: recorded.filter((s) => s === 'attended' || s === 'late').length, recorded: recorded.length };
}
