/**
 * Meetings as the attendance feature sees them, from whichever source a page offered: Google's invite card,
 * Google Calendar's event dialog, or an .ics parsed by the background. Pure functions, no DOM, no ical.js at
 * run time (only its types), so the content scripts stay small.
 */
import type { AttendanceStatus } from '../shared/wire-types';
import type { InviteContext, InviteRsvp, MeetingAttendee, MeetingInvite } from './adapters/types';
import type { Invite } from './invites';

/** parseInvite's event → the site-neutral meeting (runs in the background, where ical.js lives). */
export function meetingFromParsed(invite: Invite): MeetingInvite {
  const organizerEmail = invite.organizer?.email ?? null;
  const attendees: MeetingAttendee[] = [];
  for (const a of invite.attendees) {
    if (!a.email || attendees.some((x) => x.email === a.email)) continue;
    attendees.push({ email: a.email, name: a.name, rsvp: a.rsvp, ...(a.email === organizerEmail ? { organizer: true } : {}) });
  }
  return {
    uid: invite.uid,
    recurrenceId: invite.recurrenceId,
    sequence: invite.sequence,
    method: invite.method,
    cancelled: invite.cancelled,
    title: invite.title,
    start: invite.start?.utc ?? null,
    end: invite.end?.utc ?? null,
    organizer: organizerEmail ? { email: organizerEmail, name: invite.organizer?.name ?? null } : null,
    attendees,
  };
}

/**
 * What the .ics says, completed by what the page showed: the .ics has the RSVPs, SEQUENCE and METHOD; the page
 * may know a UID or a name the .ics lacks. Either may be missing.
 */
export function combine(fromPage: MeetingInvite | null, fromIcs: MeetingInvite | null): MeetingInvite | null {
  if (!fromIcs) return fromPage;
  if (!fromPage) return fromIcs;
  return {
    ...fromIcs,
    uid: fromIcs.uid ?? fromPage.uid,
    title: fromIcs.title ?? fromPage.title,
    start: fromIcs.start ?? fromPage.start,
    end: fromIcs.end ?? fromPage.end,
    organizer: fromIcs.organizer ?? fromPage.organizer,
    attendees: fromIcs.attendees.length > 0 ? fromIcs.attendees : fromPage.attendees,
    cancelled: fromIcs.cancelled || fromPage.cancelled,
  };
}

/** Two versions of one meeting: the same UID and occurrence, or (without UIDs) the same title and start. */
function sameMeeting(a: MeetingInvite, b: MeetingInvite): boolean {
  if (a.uid && b.uid) return a.uid === b.uid && (a.recurrenceId ?? '') === (b.recurrenceId ?? '');
  return a.title === b.title && a.start === b.start;
}

/**
 * The meeting a thread is about now: the latest message's meeting, in its newest version. A higher SEQUENCE
 * replaces a lower one whatever the order of the mails (an update can arrive before the original); where a
 * source does not tell its SEQUENCE (a card), the later message wins. A cancellation is a version like any
 * other, so a CANCEL at the newest SEQUENCE leaves the meeting cancelled.
 */
export function currentMeeting(versions: MeetingInvite[]): MeetingInvite | null {
  const last = versions.at(-1);
  if (!last) return null;
  let best: MeetingInvite | null = null;
  for (const v of versions) {
    if (!sameMeeting(v, last)) continue;
    if (!best || best.sequence == null || v.sequence == null || v.sequence >= best.sequence) {
      // Unknown fields of the newer version are filled from the older (a cancellation card has no RSVPs).
      best = best ? { ...combine(best, v)!, cancelled: v.cancelled, method: v.method ?? best.method } : v;
    }
  }
  return best;
}

/** Everyone on the meeting once: the organizer first, then the guests in the invitation's order. */
export function attendeesOf(meeting: MeetingInvite): MeetingAttendee[] {
  const list: MeetingAttendee[] = [];
  const organizer = meeting.organizer;
  if (organizer) {
    const listed = meeting.attendees.find((a) => a.email === organizer.email);
    list.push({ email: organizer.email, name: listed?.name ?? organizer.name, rsvp: listed?.rsvp ?? 'accepted', organizer: true });
  }
  for (const a of meeting.attendees) if (!list.some((x) => x.email === a.email)) list.push(a);
  return list;
}

/** The RSVP is a promise, not a fact: it only suggests a starting point the user corrects with one click. */
export function defaultStatus(rsvp: InviteRsvp): AttendanceStatus | null {
  if (rsvp === 'accepted') return 'attended';
  if (rsvp === 'declined') return 'excused';
  return null;
}

/** Capture opens when the meeting starts: before that nobody can know who came. */
export function captureOpen(meeting: MeetingInvite, now: Date): boolean {
  if (!meeting.start) return true;
  return now.getTime() >= Date.parse(meeting.start);
}

/**
 * The reference a meeting is logged under. The UID alone names a whole series, so one occurrence adds its
 * recurrence id; without a UID (a card that hides it) the invitation mail itself is the reference.
 */
export function meetingRef(meeting: MeetingInvite, source: Pick<InviteContext, 'site' | 'sourceId'>): string {
  if (meeting.uid) return meeting.recurrenceId ? `${meeting.uid}|${meeting.recurrenceId}` : meeting.uid;
  return `${source.site}-invite:${source.sourceId}`;
}

export type AttendanceChoice = Record<string, AttendanceStatus | null>;

export function defaultChoices(meeting: MeetingInvite): AttendanceChoice {
  return Object.fromEntries(attendeesOf(meeting).map((a) => [a.email, defaultStatus(a.rsvp)]));
}

