/**
 * parseInvite against every real invitation in ../shared/corpus/invites (Google Calendar, Exchange/Teams,
 * Outlook.com, Apple, Zimbra, Lotus Notes, BlackBerry — see SOURCES.md there). The expected facts are read from
 * each file's own text by a deliberately simple line reader (unfold, split on the first unquoted colon), never
 * from a table keyed by file name, so a new file in the corpus is checked the same way.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCalendarFromEml, parseInvite, rsvpOf } from '../../utils/invites';

const CORPUS = path.resolve('..', 'shared', 'corpus', 'invites');
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    const p = path.join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
const files = existsSync(CORPUS) ? walk(CORPUS).filter((f) => /\.(ics|eml)$/i.test(f)) : [];

interface RawEvent {
  uid: string | null;
  organizer: string | null;
  attendees: { email: string; partstat: string | null }[];
  dtstartUtc: string | null;
}

/** Naive reading of the raw text: good enough to state facts, independent of ical.js. */
function rawFacts(ics: string) {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const method = lines.find((l) => /^METHOD:/i.test(l))?.split(':')[1]?.trim().toUpperCase() ?? null;
  const events: RawEvent[] = [];
  let current: RawEvent | null = null;
  let depth = 0; // inside a VALARM or similar sub-component of the event
  for (const line of lines) {
    if (/^BEGIN:VEVENT$/i.test(line.trim())) current = { uid: null, organizer: null, attendees: [], dtstartUtc: null };
    else if (/^END:VEVENT$/i.test(line.trim())) {
      if (current) events.push(current);
      current = null;
    } else if (current && /^BEGIN:/i.test(line)) depth++;
    else if (current && /^END:/i.test(line)) depth--;
    else if (current && depth === 0) {
      const value = line.slice(line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/) + 1);
      const mail = /mailto:([^\s;]+)/i.exec(value)?.[1]?.toLowerCase() ?? null;
      const emailParam = /;EMAIL="?([^";:]+)/i.exec(line)?.[1]?.toLowerCase() ?? null;
      if (/^UID[;:]/i.test(line)) current.uid = value.trim();
      if (/^ORGANIZER[;:]/i.test(line)) current.organizer = emailParam ?? mail;
      if (/^ATTENDEE[;:]/i.test(line) && (emailParam ?? mail)) {
        current.attendees.push({ email: (emailParam ?? mail)!, partstat: /;PARTSTAT=([^;:]+)/i.exec(line)?.[1]?.toUpperCase() ?? null });
      }
      const z = /^DTSTART(?:;VALUE=DATE-TIME)?:(\d{8}T\d{6})Z$/i.exec(line.trim());
      if (z) {
        const s = z[1]!;
        current.dtstartUtc = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.000Z`;
      }
    }
  }
  return { method, events };
}

describe('parseInvite on real invitations', () => {
  it.skipIf(files.length === 0)(`reads every file in the corpus (${files.length} found)`, async () => {
    let events = 0;
    for (const file of files) {
      const name = path.relative(CORPUS, file);
      const raw = readFileSync(file, 'utf8');
      const ics = file.endsWith('.eml') ? await extractCalendarFromEml(raw) : raw;
      expect(ics, `${name}: calendar part found`).toBeTruthy();
      const facts = rawFacts(ics!);
      const result = parseInvite(ics!);
      if (facts.events.length === 0) {
        expect(result.ok ? 'ok' : result.error.code, name).toBe('no-events');
        continue;
      }
      expect(result.ok, `${name}: ${result.ok ? '' : result.error.message}`).toBe(true);
      if (!result.ok) continue;
      expect(result.method, name).toBe(facts.method);
      expect(result.invites, name).toHaveLength(facts.events.length);
      facts.events.forEach((expected, i) => {
        const got = result.invites[i]!;
        const where = `${name} event ${i}`;
        events++;
        expect(got.uid, where).toBe(expected.uid);
        expect(got.organizer?.email ?? null, where).toBe(expected.organizer);
        expect(got.attendees.map((a) => a.email), where).toEqual(expected.attendees.map((a) => a.email));
        expect(got.attendees.map((a) => a.rsvp), where).toEqual(expected.attendees.map((a) => rsvpOf(a.partstat)));
        if (expected.dtstartUtc) expect(got.start?.utc, where).toBe(expected.dtstartUtc);
        // Every timed event gets a UTC instant (zone from VTIMEZONE, IANA, Windows name or offset text).
        if (got.start && !got.start.allDay && got.start.tzid) expect(got.start.utc, `${where}: ${got.start.tzid}`).toMatch(/Z$/);
        if (facts.method === 'CANCEL') expect(got.cancelled, where).toBe(true);
      });
    }
    expect(events).toBeGreaterThan(10);
  });
});

describe('parseInvite facts that need a reading by eye', () => {
  const read = (rel: string) => readFileSync(path.join(CORPUS, rel), 'utf8');
  it.skipIf(files.length === 0)('turns Exchange Windows zones and meeting links into usable values', async () => {
    const teams = parseInvite((await extractCalendarFromEml(read('releases-comm-central/teams-meeting-invite.eml')))!);
    expect(teams.ok && teams.invites[0]!.start).toMatchObject({ tzid: 'FLE Standard Time', utc: expect.stringMatching(/Z$/) });
    expect(teams.ok && teams.invites[0]!.conferenceUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const meet = parseInvite((await extractCalendarFromEml(read('releases-comm-central/meet-meeting-invite.eml')))!);
    expect(meet.ok && meet.invites[0]!.conferenceUrl).toMatch(/^https:\/\/meet\.google\.com\//);
  });
});
