/**
 * The background's part of meetings (issue 5): the meeting fields of a log, as the hub's POST /v1/interactions
 * takes them, and parsing an invitation's .ics for a content script. Kept apart from handlers.ts so the
 * handler table only gains one line per concern.
 */
import type { AttendanceStatus, Rsvp } from '../../shared/wire-types';
import { parseInvite } from '../invites';
import { meetingFromParsed } from '../meetings';
import type { InteractionDraft, ProtocolMap } from '../messaging/protocol';

export interface MeetingBodyFields {
  endsAt?: string;
  meeting?: { icalUid: string; recurrenceId: string | null; sequence: number | null };
  attendance?: { email: string; name: string | null; status: AttendanceStatus | null; rsvp: Rsvp | null }[];
}

/**
 * What a meeting draft adds to the hub request. Never-log addresses are dropped from the attendance as they
 * are from the participants: an attendance row names a person just as much.
 */
export function meetingBodyFields(draft: InteractionDraft, skip: (email: string) => boolean): MeetingBodyFields {
  if (draft.kind !== 'meeting') return {};
  const fields: MeetingBodyFields = {};
  if (draft.endsAt) fields.endsAt = draft.endsAt;
  if (draft.icalUid) {
    fields.meeting = { icalUid: draft.icalUid, recurrenceId: draft.recurrenceId ?? null, sequence: draft.sequence ?? null };
  }
  const attendance = (draft.attendance ?? [])
    .filter((a) => !skip(a.email))
    .map((a) => ({ email: a.email, name: a.name ?? null, status: a.status, rsvp: a.rsvp ?? null }));
  if (attendance.length > 0) fields.attendance = attendance;
  return fields;
}

type Parsed = ProtocolMap['invites:parse'][1];

/** ical.js in the worker, bounded by parseInvite's own limits; a bad file is an answer with a reason, not a throw. */
export function parseInviteForPage(icsText: string): Parsed {
  const result = parseInvite(icsText);
  if (!result.ok) return { invites: [], error: result.error.message };
  return { invites: result.invites.map(meetingFromParsed), error: null };
}
