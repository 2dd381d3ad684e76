import type { InviteContext, MeetingInvite } from '../../utils/adapters/types';
import { attendeesOf, meetingRef, type AttendanceChoice } from '../../utils/meetings';
import type { InteractionDraft } from '../../utils/messaging/protocol';

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max - 1) + '…' : text);

/**
 * The meeting as the hub stores it: who was invited (participants), who came (attendance, with the RSVP seen
 * on the invitation), matched to teammates' logs by UID and recurrence id. Title, time and people only —
 * never the invitation's description. Never-log addresses are dropped by the background, not here.
 */
export function meetingDraft(
  meeting: MeetingInvite,
  source: Pick<InviteContext, 'site' | 'sourceId'>,
  choices: AttendanceChoice,
  now = new Date(),
): InteractionDraft {
  const people = attendeesOf(meeting).slice(0, 500);
  return {
    kind: 'meeting',
    occurredAt: meeting.start ?? now.toISOString(),
    endsAt: meeting.end,
    subject: meeting.title ? clip(meeting.title, 500) : null,
    summary: null,
    outcome: null,
    sourceSite: source.site,
    sourceRef: meetingRef(meeting, source),
    participants: people.map((p) => ({ email: p.email, name: p.name == null ? null : clip(p.name, 200) })),
    icalUid: meeting.uid ? clip(meeting.uid, 500) : null,
    recurrenceId: meeting.recurrenceId ? meeting.recurrenceId.slice(0, 100) : null,
    sequence: meeting.sequence,
    attendance: people.map((p) => ({
      email: p.email,
      name: p.name == null ? null : clip(p.name, 200),
      status: choices[p.email] ?? null,
      rsvp: p.rsvp,
    })),
  };
}
