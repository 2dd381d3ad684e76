import { makePerson } from '../adapters/person';
import type { InviteContext, MeetingAttendee, MeetingInvite, Person } from '../adapters/types';
import { gmailAttachmentLink, gmailAttachmentName, gmailSelectors as S, queryAllTwoWays, queryTwoWays, reportMismatch } from './selectors';

/**
 * Meeting invitations in an open Gmail thread: Google's invite card (schema.org Event microdata in the message
 * body) and the .ics attachment chip. Runs inside every detection pass, so it reads attributes and text only,
 * inside each expanded message — never layout, never the network. Fetching and parsing the .ics is the
 * feature's business (the content script fetches, the background parses with ical.js).
 */

/** Attachments are fetched with the page's cookies, so only from Gmail itself: never a URL a mail points elsewhere. */
export const GMAIL_ORIGIN = 'https://mail.google.com';

/** Bounds what one card may cost to read: a hostile mail can hold any number of Person scopes. */
const MAX_CARD_PEOPLE = 500;

/** The elements carrying property `name` of `scope` itself, not of a Person or other item nested inside it. */
function ownProps(scope: Element, name: string): Element[] {
  return Array.from(scope.querySelectorAll(`[itemprop~="${name}"]`)).filter(
    (el) => el.parentElement?.closest('[itemscope]') === scope,
  );
}

/** A microdata property's value, by the rules of the element that carries it (HTML's microdata algorithm). */
function propValue(el: Element | undefined): string | null {
  if (!el) return null;
  const tag = el.tagName.toLowerCase();
  const raw =
    tag === 'meta'
      ? el.getAttribute('content')
      : tag === 'time'
        ? (el.getAttribute('datetime') ?? el.textContent)
        : tag === 'a' || tag === 'link'
          ? el.getAttribute('href')
          : (el.getAttribute('content') ?? el.textContent);
  const value = (raw ?? '').replace(/\s+/g, ' ').trim();
  return value === '' ? null : value;
}

/**
 * Google writes "20261119T140000Z" (ISO 8601 basic); other senders the extended form. Only a time with a zone
 * is a known instant; anything else is no time rather than a guess in the reader's zone.
 */
export function cardTime(value: string | null): string | null {
  if (!value) return null;
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z$/.exec(value);
  const iso = basic ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6] ?? '00'}Z` : value;
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function cardPerson(scope: Element): Person | null {
  const email = propValue(ownProps(scope, 'email')[0]);
  if (!email) return null;
  const name = propValue(ownProps(scope, 'name')[0]);
  // The card shows a bare address as the name when the guest has none.
  return makePerson(email, name && name.toLowerCase() !== email.toLowerCase() ? name : null);
}

/** Google Calendar's event id; the iCalendar UID of an event made there is this id + "@google.com". */
const GOOGLE_EVENT_ID = /^[a-z0-9_]{5,1024}$/i;

export function readInviteCard(card: Element): MeetingInvite | null {
  const status = propValue(ownProps(card, 'eventStatus')[0]) ?? '';
  const eventId = propValue(ownProps(card, 'eventId/googleCalendar')[0]);
  const organizerScope = ownProps(card, 'organizer')[0];
  const organizer = organizerScope ? cardPerson(organizerScope) : null;
  const attendees: MeetingAttendee[] = [];
  for (const scope of ownProps(card, 'attendee').slice(0, MAX_CARD_PEOPLE)) {
    const person = cardPerson(scope);
    if (!person || attendees.some((a) => a.email === person.email)) continue;
    // The card shows no RSVPs (only the reader's own "Going?"): the .ics has them.
    attendees.push({ ...person, rsvp: 'unknown', ...(organizer?.email === person.email ? { organizer: true } : {}) });
  }
  const start = cardTime(propValue(ownProps(card, 'startDate')[0]));
  const title = propValue(ownProps(card, 'name')[0]);
  // A card without a time or anyone on it is not a meeting we could capture: say nothing.
  if (!start && attendees.length === 0) return null;
  const cancelled = /EventCancelled$/i.test(status);
  return {
    uid: eventId && GOOGLE_EVENT_ID.test(eventId) ? `${eventId}@google.com` : null,
    recurrenceId: null,
    sequence: null,
    method: cancelled ? 'CANCEL' : null,
    cancelled,
    title: title ? title.slice(0, 500) : null,
    start,
    end: cardTime(propValue(ownProps(card, 'endDate')[0])),
    organizer,
    attendees,
  };
}

/** "text/calendar:invite.ics:https://mail.google.com/…" → its parts; the URL itself may contain colons. */
function parseDownloadUrl(value: string): { mime: string; name: string; url: string } | null {
  const first = value.indexOf(':');
  const second = first < 0 ? -1 : value.indexOf(':', first + 1);
  if (second < 0) return null;
  return { mime: value.slice(0, first).toLowerCase(), name: value.slice(first + 1, second), url: value.slice(second + 1) };
}

/** A URL on Gmail's own origin, absolute; anything else (another host, javascript:, junk) is null. */
export function sameOriginUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, GMAIL_ORIGIN);
    return parsed.origin === GMAIL_ORIGIN ? parsed.href : null;
  } catch {
    return null;
  }
}

const isCalendarFile = (mime: string, name: string) =>
  /^(text\/calendar|application\/ics)$/.test(mime) || /\.ics$/i.test(name.trim());

export function readIcsUrl(messageEl: Element): string | null {
  for (const el of queryAllTwoWays(messageEl, S.icsAttachment)) {
    const parts = parseDownloadUrl(el.getAttribute('download_url') ?? '');
    if (parts && isCalendarFile(parts.mime, parts.name)) {
      const url = sameOriginUrl(parts.url);
      if (url) return url;
    }
  }
  // A chip without `download_url` (Gmail dropped the attribute?): its own link, with the file name beside it.
  for (const link of Array.from(messageEl.querySelectorAll(gmailAttachmentLink))) {
    const name = link.querySelector(gmailAttachmentName)?.textContent ?? '';
    if (!isCalendarFile('', name)) continue;
    const url = sameOriginUrl(link.getAttribute('href'));
    if (url) {
      reportMismatch(S.icsAttachment, 'only the attachment link matched');
      return url;
    }
  }
  return null;
}

/** The invitation one expanded message carries, or null. Collapsed messages have no body in the page. */
export function readMessageInvite(messageEl: Element, messageId: string): InviteContext | null {
  const card = queryTwoWays(messageEl, S.inviteCard);
  const invite = card ? readInviteCard(card) : null;
  const icsUrl = readIcsUrl(messageEl);
  if (!invite && !icsUrl) return null;
  return { site: 'gmail', sourceId: messageId, invite, icsUrl };
}

/** Every invitation in the thread, oldest message first (Gmail's order), so a later one can replace an earlier. */
export function readInvites(messageEls: Element[], messageIds: string[]): InviteContext[] {
  const found: InviteContext[] = [];
  messageEls.forEach((el, i) => {
    const invite = readMessageInvite(el, messageIds[i] ?? `index-${i}`);
    if (invite) found.push(invite);
  });
  return found;
}
