import { makePerson } from '../adapters/person';
import type { InviteContext, InviteRsvp, MeetingAttendee, MeetingInvite } from '../adapters/types';
import { personFromPersona } from './people';
import { outlookQuery, outlookQueryAll, outlookSelectors as S } from './selectors';

/**
 * A meeting as Outlook shows it: the calendar's open event (peek card or full view) and the meeting request
 * card in a message. Both have the same parts (title heading, times, organizer, attendees with responses), so
 * one reader serves both. Reads attributes and text only; never layout, never the network.
 */

const MAX_ATTENDEES = 500;

/** Exchange's ResponseType (EWS) and Graph's responseStatus, untranslated, to iCalendar's PARTSTAT. */
export function rsvpFrom(response: string | null): { rsvp: InviteRsvp; organizer: boolean } {
  switch ((response ?? '').toLowerCase()) {
    case 'accept':
    case 'accepted':
      return { rsvp: 'accepted', organizer: false };
    case 'decline':
    case 'declined':
      return { rsvp: 'declined', organizer: false };
    case 'tentative':
    case 'tentativelyaccepted':
      return { rsvp: 'tentative', organizer: false };
    case 'noresponsereceived':
    case 'notresponded':
    case 'none':
      return { rsvp: 'needs-action', organizer: false };
    case 'organizer':
      return { rsvp: 'accepted', organizer: true };
    default:
      return { rsvp: 'unknown', organizer: false };
  }
}

/** Only a time with a zone is a known instant; anything else is no time rather than a guess. */
function isoTime(value: string | null): string | null {
  if (!value || !/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The meeting a block of Outlook markup describes, or null when it shows neither a time nor anyone. */
export function readEventBlock(block: Element, cancelled = false): MeetingInvite | null {
  const heading = outlookQuery(block, S.subject);
  const title = (heading?.getAttribute('title') ?? heading?.textContent ?? '').replace(/\s+/g, ' ').trim() || null;
  const [startEl, endEl] = outlookQueryAll(block, S.eventTimes);
  const organizerEl = outlookQuery(block, S.organizer);
  const organizer = organizerEl ? personFromPersona(organizerEl) : null;
  const attendees: MeetingAttendee[] = [];
  for (const el of outlookQueryAll(block, S.attendee).slice(0, MAX_ATTENDEES)) {
    // The row carries the response; the persona with the address is the row itself or inside it.
    const persona = el.matches('[title*="@"], [aria-label*="@"]') ? el : el.querySelector('[title*="@"], [aria-label*="@"]');
    const person = persona ? personFromPersona(persona) : makePerson(el.getAttribute('data-email') ?? '', el.textContent);
    if (!person || attendees.some((a) => a.email === person.email)) continue;
    const { rsvp, organizer: isOrganizer } = rsvpFrom(el.closest('[data-response]')?.getAttribute('data-response') ?? null);
    const flagged = isOrganizer || organizer?.email === person.email;
    attendees.push({ ...person, rsvp, ...(flagged ? { organizer: true } : {}) });
  }
  const start = isoTime(startEl?.getAttribute('datetime') ?? null);
  if (!start && attendees.length === 0) return null;
  return {
    // Outlook's pages do not show the iCalendar UID; the source id identifies the meeting instead.
    uid: null,
    recurrenceId: null,
    sequence: null,
    method: cancelled ? 'CANCEL' : null,
    cancelled,
    title: title ? title.slice(0, 500) : null,
    start,
    end: isoTime(endEl?.getAttribute('datetime') ?? null),
    organizer,
    attendees,
  };
}

/** An .ics link on the page's own origin; anything pointing elsewhere is never fetched with the user's cookies. */
export function readIcsUrl(root: Element, origin: string): string | null {
  for (const link of outlookQueryAll(root, S.icsAttachment)) {
    try {
      const url = new URL(link.getAttribute('href') ?? '', origin);
      if (url.origin === origin) return url.href;
    } catch {
      /* not a URL: skip */
    }
  }
  return null;
}

/** The invitation one message carries (its meeting request card and/or .ics), or null. */
export function readMessageInvite(messageEl: Element, messageId: string, origin: string): InviteContext | null {
  const card = outlookQuery(messageEl, S.inviteCard);
  const invite = card ? readEventBlock(card, card.getAttribute('data-cancelled') === 'true') : null;
  const icsUrl = readIcsUrl(messageEl, origin);
  if (!invite && !icsUrl) return null;
  return { site: 'outlook', sourceId: messageId, invite, icsUrl };
}

/** The calendar event whose details are open, or null (silence) when none is. `urlId` is the id in the URL. */
export function readCalendarEvent(doc: Document, urlId: string | null): InviteContext | null {
  try {
    const block = outlookQuery(doc, S.calendarEvent);
    if (!block) return null;
    const invite = readEventBlock(block);
    if (!invite || !invite.title) return null;
    const id = block.getAttribute('data-itemid') ?? urlId;
    return { site: 'outlook', sourceId: (id ?? `event:${invite.title}|${invite.start ?? ''}`).slice(0, 300), invite, icsUrl: null };
  } catch (error) {
    console.debug('[liaison] Outlook calendar page not understood', error);
    return null;
  }
}
