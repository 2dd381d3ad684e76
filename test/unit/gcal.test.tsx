// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeetingPanel } from '../../components/attendance/MeetingPanel';
import type { InviteContext } from '../../utils/adapters/types';
import { createGcalAdapter } from '../../utils/gcal/gcal-adapter';
import { decodeEventId, readEventDialog } from '../../utils/gcal/read-event';
import { resetGcalMismatchReports } from '../../utils/gcal/selectors';
import { parseWhenText } from '../../utils/gcal/when-text';
import { documentFrom } from './helpers/gmail-fixture';
import { useLocale } from './helpers/i18n';
import { fakeBackground } from './helpers/sidebar-data';

const FIXTURE = readFileSync(join(process.cwd(), 'test/fixtures/gcal/2026-11-event-dialog.html'), 'utf8');
const URL_WEEK = 'https://calendar.google.com/calendar/u/0/r/week/2026/11/19';
const NOW = new Date(2026, 10, 24, 9, 0);
/** Calendar shows times in the reader's zone; the test computes the expected instant the same way. */
const local = (h: number, m = 0) => new Date(2026, 10, 19, h, m).toISOString();

beforeEach(() => useLocale('en'));
afterEach(() => {
  cleanup();
  resetGcalMismatchReports();
  vi.restoreAllMocks();
});

describe('Google Calendar: the open event’s details', () => {
  it('reads title, time, the UID from the event id, and every guest with an address — not the meeting room', () => {
    const invite = readEventDialog(documentFrom(FIXTURE), URL_WEEK, NOW)!;
    expect(invite.site).toBe('gcal');
    expect(invite.icsUrl).toBeNull();
    expect(invite.invite).toEqual({
      uid: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com',
      recurrenceId: null,
      sequence: null,
      method: null,
      cancelled: false,
      title: 'Acme onboarding kickoff',
      start: local(14),
      end: local(15),
      organizer: null,
      attendees: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe', rsvp: 'unknown' },
        { email: 'dana@northwind-demo.com', name: 'Dana Reyes', rsvp: 'unknown' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel', rsvp: 'unknown' },
        { email: 'ana@northwind-demo.com', name: 'Ana Costa', rsvp: 'unknown' },
      ],
    });
  });

  it('gives the same UID as the invitation mail, and an occurrence of a series its recurrence id', () => {
    const b64 = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(decodeEventId(b64('65m17hsdolmotv3kvmrtg40ont magnus.melin@hut.fi'))).toEqual({ uid: '65m17hsdolmotv3kvmrtg40ont@google.com', recurrenceId: null });
    expect(decodeEventId(b64('abc123def456_20261119T140000Z dana@northwind-demo.com'))).toEqual({
      uid: 'abc123def456@google.com',
      recurrenceId: '2026-11-19T14:00:00Z',
    });
    expect(decodeEventId(b64('abc123def456_20261119 dana@northwind-demo.com'))!.recurrenceId).toBe('2026-11-19');
    expect(decodeEventId('not base64!')).toBeNull();
    expect(decodeEventId(b64('<script> x'))).toBeNull();
  });

  it('reads Calendar’s English time text, and no time rather than a wrong one from anything else', () => {
    expect(parseWhenText('Thursday, November 19⋅2:00 – 3:00pm', NOW)).toEqual({ start: local(14), end: local(15), allDay: false });
    expect(parseWhenText('Thursday, November 19 ⋅ 11:30am – 12:30pm', NOW)).toEqual({ start: local(11, 30), end: local(12, 30), allDay: false });
    expect(parseWhenText('Thursday, November 19, 2026 ⋅ 14:00 – 15:00', NOW).start).toBe(local(14));
    expect(parseWhenText('Thursday, November 19', NOW)).toEqual({ start: new Date(2026, 10, 19).toISOString(), end: null, allDay: true });
    // January seen in late November is next year's.
    expect(parseWhenText('Tuesday, January 5 ⋅ 9am – 10am', NOW).start).toBe(new Date(2027, 0, 5, 9).toISOString());
    expect(parseWhenText('donderdag 19 november ⋅ 14:00 – 15:00', NOW).start).toBeNull();
    expect(parseWhenText('', NOW).start).toBeNull();
    expect(parseWhenText('February 31 ⋅ 2pm', NOW).start).toBeNull();
  });

  it('stays silent with no event open, with a create dialog, or with a bubble that shows nothing', () => {
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    const without = FIXTURE.replace(/<div class="RDlrG"[\s\S]*?<\/div>\n<\/body>/, '</body>');
    expect(without).not.toContain('role="dialog"');
    expect(readEventDialog(documentFrom(without), URL_WEEK, NOW)).toBeNull();
    expect(readEventDialog(documentFrom(FIXTURE.replace('data-is-create="false"', 'data-is-create="true"')), URL_WEEK, NOW)).toBeNull();
    const empty = documentFrom('<div role="dialog" data-chips-dialog="true"><div id="xDetDlg" data-is-create="false"></div></div>');
    expect(readEventDialog(empty, URL_WEEK, NOW)).toBeNull();
    expect(readEventDialog(documentFrom('<p>Gmail? Docs?</p>'), 'https://calendar.google.com/calendar/u/0/r', NOW)).toBeNull();
  });
});

describe('the Calendar adapter', () => {
  it('reports the open event, then null when the bubble closes, and nothing after it is stopped', async () => {
    const doc = documentFrom(FIXTURE);
    const win = { location: { href: URL_WEEK }, addEventListener: () => {} } as unknown as Window;
    const seen: (InviteContext | null)[] = [];
    const controller = new AbortController();
    createGcalAdapter({ doc, win, schedule: (run) => queueMicrotask(run) }).start(controller.signal, (i) => seen.push(i));
    expect(seen.map((i) => i?.invite?.title ?? null)).toEqual(['Acme onboarding kickoff']);
    doc.querySelector('[role="dialog"]')!.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.at(-1)).toBeNull();
    controller.abort();
    doc.body.append(documentFrom(FIXTURE).querySelector('[role="dialog"]')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(2);
  });
});

describe('attendance in the Calendar event view', () => {
  it('offers capture for the open event, matched to the Gmail invitation by its UID', async () => {
    const invite = readEventDialog(documentFrom(FIXTURE), URL_WEEK, NOW)!;
    const bg = fakeBackground([]);
    render(<MeetingPanel invites={[invite]} send={bg.send} refreshKey={0} settings={null} clock={() => NOW} />);
    expect(await screen.findByRole('group', { name: 'Attendance of Raj Patel' })).toBeTruthy();
    expect(screen.getAllByText('RSVP: not known')).toHaveLength(4);
    screen.getByRole('button', { name: 'Log meeting' }).click();
    await screen.findByText(/^Logged by you/);
    const draft = bg.calls.find((c) => c.type === 'interactions:log') as { draft: { sourceSite: string; sourceRef: string; icalUid: string } };
    expect(draft.draft).toMatchObject({ sourceSite: 'gcal', sourceRef: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com', icalUid: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com' });
  });

  it('before the start says when capture opens', async () => {
    const invite = readEventDialog(documentFrom(FIXTURE), URL_WEEK, NOW)!;
    render(<MeetingPanel invites={[invite]} send={fakeBackground([]).send} refreshKey={0} settings={null} clock={() => new Date(2026, 10, 19, 13)} />);
    expect(await screen.findByText(/^Capture opens when the meeting starts/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
  });
});
