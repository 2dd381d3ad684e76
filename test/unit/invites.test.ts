import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVITE_LIMITS, parseInvite } from '../../utils/invites';

const ics = (...eventLines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:REQUEST', 'BEGIN:VEVENT', ...eventLines, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
const BASIC = [
  'UID:abc-123@example.com',
  'SUMMARY:Kickoff',
  'DTSTART:20261201T150000Z',
  'DTEND:20261201T160000Z',
  'ORGANIZER;CN=Dana Reyes:mailto:dana@northwind-demo.com',
  'ATTENDEE;CN=Jane Doe;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:Jane.Doe@Acme-Corp.com',
];

describe('parseInvite', () => {
  it('reads a plain invitation', () => {
    const r = parseInvite(ics(...BASIC));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.invites[0]).toMatchObject({
      uid: 'abc-123@example.com', title: 'Kickoff', method: 'REQUEST', sequence: 0, cancelled: false,
      start: { utc: '2026-12-01T15:00:00.000Z' }, end: { utc: '2026-12-01T16:00:00.000Z' },
      organizer: { email: 'dana@northwind-demo.com', name: 'Dana Reyes' },
      attendees: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', rsvp: 'accepted', role: 'REQ-PARTICIPANT' }],
    });
  });

  it('keeps quoted names with commas and semicolons, and folded lines', () => {
    const r = parseInvite(ics(...BASIC.slice(0, 5), 'ATTENDEE;CN="Doe, Jane; VP";PARTSTAT=TENTATIVE:mailto:jane@acme', ' -corp.com'));
    expect(r.ok && r.invites[0]!.attendees[0]).toMatchObject({ name: 'Doe, Jane; VP', email: 'jane@acme-corp.com', rsvp: 'tentative' });
  });

  it('maps non-standard PARTSTAT values without failing', () => {
    const r = parseInvite(ics(...BASIC.slice(0, 5), 'ATTENDEE;PARTSTAT=CONFIRMED:mailto:a@x.com', 'ATTENDEE;PARTSTAT=X-MAYBE:mailto:b@x.com', 'ATTENDEE:mailto:c@x.com'));
    expect(r.ok && r.invites[0]!.attendees.map((a) => a.rsvp)).toEqual(['accepted', 'unknown', 'needs-action']);
  });

  it('reports missing ORGANIZER and DTSTART as problems, not failures', () => {
    const r = parseInvite(ics('UID:x', 'SUMMARY:No time'));
    expect(r.ok && r.invites[0]!.problems).toEqual(['no DTSTART', 'no ORGANIZER']);
  });

  it('resolves a Windows zone name without a VTIMEZONE, and an IANA one', () => {
    const w = parseInvite(ics('UID:w', 'DTSTART;TZID=W. Europe Standard Time:20260715T100000'));
    expect(w.ok && w.invites[0]!.start).toMatchObject({ utc: '2026-07-15T08:00:00.000Z', iana: 'Europe/Berlin' });
    const i = parseInvite(ics('UID:i', 'DTSTART;TZID=America/New_York:20260115T100000'));
    expect(i.ok && i.invites[0]!.start?.utc).toBe('2026-01-15T15:00:00.000Z');
  });

  it('reads a cancellation and an update by sequence', () => {
    const c = parseInvite(ics(...BASIC, 'SEQUENCE:3').replace('METHOD:REQUEST', 'METHOD:CANCEL'));
    expect(c.ok && c.invites[0]).toMatchObject({ cancelled: true, sequence: 3, method: 'CANCEL' });
  });

  it('finds the meeting link in the description when no property carries it', () => {
    const r = parseInvite(ics(...BASIC, 'DESCRIPTION:Join: https://acme.zoom.us/j/123456789?pwd=abc and more'));
    expect(r.ok && r.invites[0]!.conferenceUrl).toBe('https://acme.zoom.us/j/123456789?pwd=abc');
  });

  it('answers bad input with a typed error', () => {
    const cases: [unknown, string][] = [
      ['', 'empty'],
      ['hello world', 'not-calendar'],
      ['BEGIN:VCALENDAR\r\nEND:VCALENDAR', 'no-events'],
      ['\u0000\u0001PK\u0003\u0004 BEGIN:VCALENDAR', 'binary'],
      ['BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:not-a-date\r\nEND:VEVENT\r\nEND:VCALENDAR', 'malformed'],
      [42, 'not-text'],
      ['BEGIN:VCALENDAR\n' + 'X'.repeat(INVITE_LIMITS.maxChars), 'too-large'],
    ];
    for (const [input, code] of cases) {
      const r = parseInvite(input as string);
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(input).slice(0, 40)).toBe(code);
    }
  });

  it('reads the complete events of a truncated invitation', () => {
    const two = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', ...BASIC, 'END:VEVENT', 'BEGIN:VEVENT', 'UID:second', 'DTSTART:2026'].join('\r\n');
    const r = parseInvite(two);
    expect(r.ok && r.invites.map((i) => i.uid)).toEqual(['abc-123@example.com']);
  });

  it('caps thousands of attendees and never expands an RRULE bomb', () => {
    const many = Array.from({ length: INVITE_LIMITS.maxAttendeesPerEvent + 50 }, (_, i) => `ATTENDEE:mailto:p${i}@x.com`);
    const r = parseInvite(ics(...BASIC, ...many, 'RRULE:FREQ=SECONDLY;INTERVAL=1;COUNT=999999999'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.invites[0]!.attendees.length).toBeLessThanOrEqual(INVITE_LIMITS.maxAttendeesPerEvent);
    expect(r.invites[0]!.recurring).toBe(true);
    expect(r.invites[0]!.problems.join()).toMatch(/attendees cut/);
  });

  it('never throws and stays bounded on random and mutated input (property)', () => {
    const valid = ics(...BASIC, 'SEQUENCE:1', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TU');
    const mutated = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 20 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + cut)));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated, fc.constant('BEGIN:VCALENDAR')), (input) => {
        const started = Date.now();
        const r = parseInvite(input);
        expect(typeof r.ok).toBe('boolean');
        expect(Date.now() - started).toBeLessThan(INVITE_LIMITS.maxMillis + 500);
      }),
      { numRuns: 500 },
    );
  });
});
