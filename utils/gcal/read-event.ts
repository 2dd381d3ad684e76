import { makePerson } from '../adapters/person';
import type { InviteContext, MeetingAttendee } from '../adapters/types';
import { GCAL_NOT_PEOPLE, gcalQuery, gcalQueryAll, gcalSelectors as S } from './selectors';
import { parseWhenText } from './when-text';

/**
 * The event open in Google Calendar's details bubble, as an invite context. Reads attributes and text only
 * (it runs per mutation batch). Null — silence — when no event's details are open, when the bubble is a create
 * dialog, or when it shows neither a title nor a guest.
 */

const MAX_GUESTS = 500;

/** Calendar's eid: base64url("<event id> <calendar address>"); an instance of a series adds "_<start>" to the id. */
export function decodeEventId(eid: string | null | undefined): { uid: string; recurrenceId: string | null } | null {
  if (!eid || !/^[A-Za-z0-9_-]{8,1400}$/.test(eid)) return null;
  let decoded: string;
  try {
    decoded = atob(eid.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(eid.length / 4) * 4, '='));
  } catch {
    return null;
  }
  const id = decoded.split(' ')[0] ?? '';
  if (!/^[a-z0-9_]{5,1024}$/i.test(id)) return null;
  const instance = /^(.+)_(\d{8})(?:T(\d{6})Z)?$/.exec(id);
  // Events made in Google Calendar have UID "<event id>@google.com" (see the fixture's notes for the evidence).
  if (!instance) return { uid: `${id}@google.com`, recurrenceId: null };
  const [, base, date, time] = instance;
  const day = `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}`;
  // The same form parseInvite gives a RECURRENCE-ID, so a log from Calendar and one from the invitation match.
  const recurrenceId = time ? `${day}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z` : day;
  return { uid: `${base}@google.com`, recurrenceId };
}

/** Calendar's page URL names the event when its full page is open: …/r/eventedit/<eid> or …?eid=<eid>. */
function eidFromUrl(href: string): string | null {
  try {
    const url = new URL(href);
    return url.searchParams.get('eid') ?? /\/(?:eventedit|event)\/([A-Za-z0-9_-]+)/.exec(url.pathname)?.[1] ?? null;
  } catch {
    return null;
  }
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

export function readEventDialog(doc: Document, href: string, now: Date = new Date()): InviteContext | null {
  try {
    const dialog = gcalQuery(doc, S.eventDialog);
    if (!dialog) return null;
    const detail = gcalQuery(dialog, S.detailView);
    if (!detail || detail.getAttribute('data-is-create') === 'true') return null;
    const title = text(gcalQuery(dialog, S.title)) || null;
    const attendees: MeetingAttendee[] = [];
    for (const row of gcalQueryAll(dialog, S.guest).slice(0, MAX_GUESTS)) {
      const address = row.getAttribute('data-hovercard-id') ?? row.getAttribute('data-email') ?? '';
      if (GCAL_NOT_PEOPLE.test(address)) continue;
      // The row's first text is the name; "Organizer", counts and labels follow it.
      const name = text(Array.from(row.querySelectorAll('span')).find((s) => text(s) !== '' && !s.hasAttribute('aria-label')));
      const person = makePerson(address, name);
      if (person && !attendees.some((a) => a.email === person.email)) attendees.push({ ...person, rsvp: 'unknown' });
    }
    if (!title && attendees.length === 0) return null;
    const eid = (detail.closest('[data-eventid]') ?? gcalQuery(dialog, S.eventId))?.getAttribute('data-eventid') ?? eidFromUrl(href);
    const ids = decodeEventId(eid);
    const when = parseWhenText(text(gcalQuery(dialog, S.when)), now);
    return {
      site: 'gcal',
      sourceId: eid ?? `dialog:${title ?? ''}`.slice(0, 200),
      invite: {
        uid: ids?.uid ?? null,
        recurrenceId: ids?.recurrenceId ?? null,
        sequence: null,
        method: null,
        cancelled: false,
        title: title ? title.slice(0, 500) : null,
        start: when.start,
        end: when.end,
        organizer: null,
        attendees,
      },
      icsUrl: null,
    };
  } catch (error) {
    console.debug('[liaison] Calendar page not understood', error);
    return null;
  }
}
