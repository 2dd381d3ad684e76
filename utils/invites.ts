/**
 * Meeting invitations, read with ical.js (Mozilla's iCalendar parser) — never by hand. `parseInvite` takes the
 * text of an .ics file or a mail's text/calendar part and returns every event in it, typed, or a typed error.
 * It never throws and its work is bounded: invitations arrive from strangers, and a hostile one must cost no
 * more than a friendly one.
 *
 * Times: an event's DTSTART/DTEND are resolved to UTC with the VTIMEZONE the file carries (Exchange sends its
 * own definitions under Windows names such as "FLE Standard Time"); without one, an IANA name is resolved with
 * the browser's time-zone data, and a Windows name is first mapped to IANA with the maintained `windows-iana`
 * table (CLDR's windowsZones). A floating time (no zone) stays local and has no UTC instant.
 *
 * Runs in the background service worker (ical.js is too big for the Gmail content script's budget).
 */
import ICAL from 'ical.js';
import { findIana } from 'windows-iana';
import { normalizeEmail } from '../shared/addresses';
import type { Rsvp } from '../shared/wire-types';

export const INVITE_LIMITS = {
  /** Characters of calendar text accepted at all. */
  maxChars: 2_000_000,
  maxEvents: 200,
  maxAttendeesPerEvent: 5_000,
  /** Wall-clock budget for one parse; past it the result is an error, not a hang. */
  maxMillis: 1_000,
} as const;

export type InviteMethod = 'REQUEST' | 'CANCEL' | 'REPLY' | 'PUBLISH' | 'COUNTER' | 'REFRESH' | 'ADD' | 'DECLINECOUNTER';

export interface InvitePerson {
  /** Lower-cased address, or null when the calendar gives none (a bare name). */
  email: string | null;
  name: string | null;
}

export interface InviteAttendee extends InvitePerson {
  /** ROLE: REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR, NON-PARTICIPANT… as written (upper-cased). */
  role: string | null;
  /** PARTSTAT mapped to the hub's RSVP values; anything non-standard becomes 'unknown' (see rsvpOf). */
  rsvp: Rsvp;
  /** PARTSTAT exactly as written, for display and debugging. */
  partstat: string | null;
}

export interface InviteTime {
  /** The instant in UTC (ISO 8601), or null for a floating time whose zone is unknown. */
  utc: string | null;
  /** The time as written, e.g. "2022-07-05T09:00:00" or "2022-07-05" for an all-day event. */
  local: string;
  /** TZID as written ("FLE Standard Time", "America/Vancouver"), "UTC", or null when floating. */
  tzid: string | null;
  /** The IANA zone the TZID stands for, when known. */
  iana: string | null;
  allDay: boolean;
}

export interface Invite {
  uid: string | null;
  title: string | null;
  start: InviteTime | null;
  end: InviteTime | null;
  organizer: InvitePerson | null;
  attendees: InviteAttendee[];
  /** RECURRENCE-ID of a single occurrence (local form as written), null for the series or a one-off. */
  recurrenceId: string | null;
  sequence: number;
  method: InviteMethod | null;
  /** STATUS: CONFIRMED, TENTATIVE, CANCELLED… (a CANCEL method also means cancelled). */
  status: string | null;
  cancelled: boolean;
  /** Has an RRULE/RDATE: a series. Not expanded here (an RRULE can describe millions of occurrences). */
  recurring: boolean;
  /** Meet / Teams / Zoom link from a dedicated property, else the first such link in LOCATION or DESCRIPTION. */
  conferenceUrl: string | null;
  /** What was missing or odd but did not stop the parse ("no DTSTART", "attendees cut at 5000"). */
  problems: string[];
}

export type InviteErrorCode = 'not-text' | 'empty' | 'too-large' | 'binary' | 'not-calendar' | 'malformed' | 'no-events' | 'too-complex';

export type ParseInviteResult =
  | { ok: true; method: InviteMethod | null; invites: Invite[] }
  | { ok: false; error: { code: InviteErrorCode; message: string } };

const fail = (code: InviteErrorCode, message: string): ParseInviteResult => ({ ok: false, error: { code, message } });

export function parseInvite(icsText: string): ParseInviteResult {
  try {
    return parseInner(icsText);
  } catch (e) {
    // ical.js throws on structure it cannot read; that is a property of the input, reported as such.
    return fail('malformed', `not a readable calendar: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300));
  }
}

function parseInner(icsText: string): ParseInviteResult {
  if (typeof icsText !== 'string') return fail('not-text', 'expected calendar text');
  if (icsText.length > INVITE_LIMITS.maxChars) return fail('too-large', `calendar text over ${INVITE_LIMITS.maxChars} characters`);
  const text = icsText.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('empty', 'the calendar is empty');
  if (/[\u0000-\u0008\u000E-\u001F]/.test(text.slice(0, 65_536))) return fail('binary', 'binary data, not calendar text');
  if (!/BEGIN:VCALENDAR/i.test(text)) return fail('not-calendar', 'no BEGIN:VCALENDAR');

  const started = Date.now();
  const overBudget = () => Date.now() - started > INVITE_LIMITS.maxMillis;
  const repaired = repairTruncated(text);
  let jcal: unknown = null;
  let firstError: unknown = null;
  // Real calendars break the RFC in known ways; each repair is tried only when the stricter reading failed.
  for (const attempt of REPAIRS) {
    try {
      jcal = ICAL.parse(attempt(repaired));
      break;
    } catch (e) {
      firstError ??= e;
    }
  }
  if (!jcal) throw firstError;
  const root = new ICAL.Component(jcal as any[]);
  const calendar = root.name === 'vcalendar' ? root : root.getFirstSubcomponent('vcalendar');
  if (!calendar) return fail('not-calendar', 'no VCALENDAR component');
  const method = upper(calendar.getFirstPropertyValue('method')) as InviteMethod | null;

  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtimezone.getFirstPropertyValue('tzid') ?? '');
    if (tzid) zones.set(tzid, new ICAL.Timezone(vtimezone));
  }

  const events = calendar.getAllSubcomponents('vevent');
  if (events.length === 0) return fail('no-events', 'the calendar holds no event');
  const invites: Invite[] = [];
  for (const event of events.slice(0, INVITE_LIMITS.maxEvents)) {
    if (overBudget()) return fail('too-complex', 'the calendar took too long to read');
    invites.push(readEvent(event, method, zones, overBudget));
  }
  return { ok: true, method, invites };
}

const unfold = (s: string) => s.replace(/\r?\n[ \t]/g, '');
const REPAIRS: ((s: string) => string)[] = [
  (s) => s,
  // Exchange CDO writes recurrence lists with spaces ("BYDAY=MO, TU, WE"), which ical.js rejects.
  (s) => unfold(s).replace(/^((?:RRULE|EXRULE)[^:\r\n]*:)([^\r\n]*)/gim, (_m, head: string, rule: string) => head + rule.replace(/\s+/g, '')),
  // Time-zone rules ical.js cannot read: drop the VTIMEZONE blocks; zone names resolve through IANA/Windows.
  (s) => unfold(s).replace(/^((?:RRULE|EXRULE)[^:\r\n]*:)([^\r\n]*)/gim, (_m, head: string, rule: string) => head + rule.replace(/\s+/g, '')).replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r?\n?/gi, ''),
];

/** A mail cut short still carries its first events: close what is open so they can be read. */
function repairTruncated(text: string): string {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  const opened = (unfolded.match(/^BEGIN:VEVENT/gim) ?? []).length;
  const closed = (unfolded.match(/^END:VEVENT/gim) ?? []).length;
  if (/^END:VCALENDAR/im.test(unfolded) && opened === closed) return text;
  // Keep everything up to the last complete event and close the calendar.
  const lastEnd = text.search(/END:VEVENT(?![\s\S]*END:VEVENT)/i);
  const head = lastEnd >= 0 ? text.slice(0, lastEnd + 'END:VEVENT'.length) : text.slice(0, text.search(/BEGIN:VEVENT/i) >= 0 ? text.search(/BEGIN:VEVENT/i) : text.length);
  return `${head.replace(/\s+$/, '')}\r\nEND:VCALENDAR\r\n`;
}

function readEvent(event: ICAL.Component, method: InviteMethod | null, zones: Map<string, ICAL.Timezone>, overBudget: () => boolean): Invite {
  const problems: string[] = [];
  const start = readTime(event.getFirstProperty('dtstart'), zones);
  if (!start) problems.push('no DTSTART');
  let end = readTime(event.getFirstProperty('dtend'), zones);
  if (!end && start) end = endFromDuration(event, start, zones);
  const organizer = readPerson(event.getFirstProperty('organizer'));
  if (!organizer) problems.push('no ORGANIZER');

  const attendeeProps = event.getAllProperties('attendee');
  if (attendeeProps.length > INVITE_LIMITS.maxAttendeesPerEvent) problems.push(`attendees cut at ${INVITE_LIMITS.maxAttendeesPerEvent}`);
  const attendees: InviteAttendee[] = [];
  for (const prop of attendeeProps.slice(0, INVITE_LIMITS.maxAttendeesPerEvent)) {
    if (attendees.length % 500 === 0 && overBudget()) {
      problems.push('attendees cut: time budget');
      break;
    }
    const person = readPerson(prop);
    if (!person) continue;
    const partstat = upper(prop.getParameter('partstat'));
    attendees.push({ ...person, role: upper(prop.getParameter('role')), partstat, rsvp: rsvpOf(partstat) });
  }

  const status = upper(event.getFirstPropertyValue('status'));
  const recurrence = event.getFirstPropertyValue('recurrence-id');
  const sequenceValue = Number(event.getFirstPropertyValue('sequence') ?? 0);
  return {
    uid: text(event.getFirstPropertyValue('uid')),
    title: text(event.getFirstPropertyValue('summary')),
    start,
    end,
    organizer,
    attendees,
    recurrenceId: recurrence ? String(recurrence) : null,
    sequence: Number.isFinite(sequenceValue) && sequenceValue >= 0 ? Math.floor(sequenceValue) : 0,
    method,
    status,
    cancelled: method === 'CANCEL' || status === 'CANCELLED',
    recurring: event.hasProperty('rrule') || event.hasProperty('rdate'),
    conferenceUrl: conferenceUrl(event),
    problems,
  };
}

const text = (v: unknown): string | null => {
  if (v == null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};
const upper = (v: unknown): string | null => text(v)?.toUpperCase() ?? null;

/**
 * RFC 5545 PARTSTAT → the hub's RSVP. A missing PARTSTAT means NEEDS-ACTION (the RFC's default). Apple writes
 * CONFIRMED (not an attendee status in the RFC); it reads as an acceptance, so it maps to 'accepted'.
 * Anything else non-standard is 'unknown' rather than a guess.
 */
export function rsvpOf(partstat: string | null): Rsvp {
  switch (partstat) {
    case null:
    case 'NEEDS-ACTION':
      return 'needs-action';
    case 'ACCEPTED':
    case 'CONFIRMED':
      return 'accepted';
    case 'DECLINED':
      return 'declined';
    case 'TENTATIVE':
      return 'tentative';
    case 'DELEGATED':
      return 'delegated';
    default:
      return 'unknown';
  }
}

function readPerson(prop: ICAL.Property | null): InvitePerson | null {
  if (!prop) return null;
  const raw = text(prop.getFirstValue());
  const emailParam = text(prop.getParameter('email'));
  const fromUri = raw && /^mailto:/i.test(raw) ? raw.replace(/^mailto:/i, '') : raw && raw.includes('@') ? raw : null;
  const given = emailParam ?? fromUri;
  // Normalised as everywhere (a look-alike spelling is the plain address); a room or list address the shared
  // rules refuse is still kept as written, lower-cased, for the attendee list.
  const email = given == null ? null : (normalizeEmail(given) ?? given.trim().toLowerCase());
  const cn = text(prop.getParameter('cn'));
  // Some servers put the address itself in CN: that is not a name.
  const name = cn && cn.toLowerCase() !== email ? cn : null;
  if (!email && !name) return null;
  return { email: email && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null, name };
}

function readTime(prop: ICAL.Property | null, zones: Map<string, ICAL.Timezone>): InviteTime | null {
  if (!prop) return null;
  const value = prop.getFirstValue() as ICAL.Time | null;
  if (!value || typeof (value as ICAL.Time).toICALString !== 'function') return null;
  const time = value as ICAL.Time;
  const tzid = text(prop.getParameter('tzid'));
  const local = time.toString();
  if (time.isDate) return { utc: null, local, tzid, iana: null, allDay: true };
  if (time.zone === ICAL.Timezone.utcTimezone || /Z$/.test(local)) {
    return { utc: new Date(time.toUnixTime() * 1000).toISOString(), local: local.replace(/Z$/, ''), tzid: 'UTC', iana: 'UTC', allDay: false };
  }
  if (!tzid) return { utc: null, local, tzid: null, iana: null, allDay: false };
  const iana = ianaOf(tzid);
  const zone = zones.get(tzid);
  let utc: string | null = null;
  if (zone) {
    const t = time.clone();
    t.zone = zone;
    utc = new Date(t.toUnixTime() * 1000).toISOString();
  } else if (iana) {
    utc = wallTimeToUtc(time, iana);
  } else {
    // Outlook's web export names zones by their display text, "(UTC-05:00) Eastern Time (US & Canada)":
    // the offset in front is all that is certain (daylight saving is not), so use it.
    const m = /^\(?(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?\)?/i.exec(tzid);
    if (m) {
      const minutes = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
      utc = new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) - minutes * 60_000).toISOString();
    }
  }
  return { utc, local, tzid, iana, allDay: false };
}

function endFromDuration(event: ICAL.Component, start: InviteTime, zones: Map<string, ICAL.Timezone>): InviteTime | null {
  const duration = event.getFirstPropertyValue('duration') as ICAL.Duration | null;
  const dtstart = event.getFirstProperty('dtstart');
  if (!duration || !dtstart || typeof (duration as ICAL.Duration).toSeconds !== 'function') return null;
  const startTime = (dtstart.getFirstValue() as ICAL.Time).clone();
  startTime.addDuration(duration as ICAL.Duration);
  const fake = new ICAL.Property('dtend');
  fake.setValue(startTime);
  if (start.tzid && start.tzid !== 'UTC') fake.setParameter('tzid', start.tzid);
  return readTime(fake, zones);
}

/** An IANA zone for a TZID: itself if the runtime knows it, else Windows → IANA, else a "/"-path inside it. */
export function ianaOf(tzid: string): string | null {
  const candidates = [tzid, ...(findIana(tzid) ?? []), tzid.replace(/^.*?([A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?).*$/, '$1')];
  for (const c of candidates) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: c });
      return c;
    } catch {
      // not a zone this runtime knows
    }
  }
  return null;
}

/** The UTC instant of a wall-clock time in an IANA zone (two passes settle DST edges). */
function wallTimeToUtc(time: ICAL.Time, iana: string): string | null {
  const asUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) guess = asUtc - offsetAt(guess, iana);
  return Number.isFinite(guess) ? new Date(guess).toISOString() : null;
}

function offsetAt(instant: number, iana: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

const CONFERENCE_LINK = /https:\/\/(?:meet\.google\.com\/[a-z0-9-]+|teams\.microsoft\.com\/l\/meetup-join\/[^\s"<>]+|(?:[a-z0-9-]+\.)?zoom\.us\/j\/[^\s"<>]+|teams\.live\.com\/meet\/[^\s"<>]+)/i;

function conferenceUrl(event: ICAL.Component): string | null {
  for (const name of ['x-google-conference', 'x-microsoft-skypeteamsmeetingurl', 'x-microsoft-onlinemeetingexternallink', 'x-microsoft-onlinemeetingconflink', 'conference']) {
    const v = text(event.getFirstPropertyValue(name));
    if (v && /^https:\/\//i.test(v)) return v;
  }
  for (const name of ['url', 'location', 'description']) {
    const v = text(event.getFirstPropertyValue(name));
    const m = v?.match(CONFERENCE_LINK);
    if (m) return m[0];
  }
  return null;
}

/**
 * The calendar text carried by a mail (RFC 5322 source), parsed with postal-mime: the text/calendar part, or
 * else an .ics attachment. Null when the mail carries none. Used for .ics the mail page offers as a download
 * and for the test corpus of real invitation mails.
 */
export async function extractCalendarFromEml(eml: string): Promise<string | null> {
  try {
    const { default: PostalMime } = await import('postal-mime');
    const mail = await PostalMime.parse(eml);
    const parts = mail.attachments ?? [];
    const part =
      parts.find((a) => a.mimeType.toLowerCase() === 'text/calendar') ??
      parts.find((a) => /^application\/ics$/i.test(a.mimeType) || /\.ics$/i.test(a.filename ?? ''));
    if (!part) return null;
    return typeof part.content === 'string' ? part.content : new TextDecoder('utf-8').decode(part.content as ArrayBuffer);
  } catch {
    return null;
  }
}
