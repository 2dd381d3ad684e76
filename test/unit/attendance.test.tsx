// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttendanceCapture } from '../../components/attendance/AttendanceCapture';
import { MeetingPanel } from '../../components/attendance/MeetingPanel';
import { forgetParsedInvites } from '../../components/attendance/use-meeting';
import { Sidebar } from '../../components/sidebar/Sidebar';
import { Timeline } from '../../components/sidebar/Timeline';
import type { AttendanceStatus } from '../../shared/wire-types';
import type { InviteContext, MeetingInvite, PageContext } from '../../utils/adapters/types';
import { parseInviteForPage } from '../../utils/background/meetings';
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';
import { currentMeeting } from '../../utils/meetings';
import type { InteractionDraft, Request } from '../../utils/messaging/protocol';
import { loadFixture } from './helpers/gmail-fixture';
import { useLocale } from './helpers/i18n';
import { sentence } from './helpers/text';
import { fakeBackground, interaction, sam } from './helpers/sidebar-data';

const ICS = readFileSync(join(process.cwd(), 'test/fixtures/gmail/2026-11-invitation.ics'), 'utf8');
const parsed = parseInviteForPage(ICS).invites[0]!;
const source = { site: 'gmail' as const, sourceId: '18f3a1b2c3d4eb00' };
const AFTER_START = new Date('2026-11-19T14:05:00Z');
const BEFORE_START = new Date('2026-11-19T13:00:00Z');

const invitationPage = detectGmailPage(
  loadFixture('2026-11-thread-invitation.html'),
  'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4eb00',
) as Extract<PageContext, { kind: 'thread' }>;

function logDrafts(calls: Request[]): InteractionDraft[] {
  return calls.filter((c): c is Request<'interactions:log'> => c.type === 'interactions:log').map((c) => c.draft);
}

/** Which option of a person's group is checked, as a screen reader would announce it. */
function checkedFor(name: string): string | null {
  const group = screen.getByRole('group', { name: `Attendance of ${name}` });
  const checked = within(group).getAllByRole('radio').find((r) => (r as HTMLInputElement).checked);
  return checked ? checked.closest('label')!.textContent : null;
}

function capture(meeting: MeetingInvite, now: Date, over: Partial<Parameters<typeof AttendanceCapture>[0]> = {}) {
  const bg = fakeBackground([]);
  render(
    <AttendanceCapture
      meeting={meeting}
      source={source}
      send={bg.send}
      status={undefined}
      now={now}
      isMe={(e) => e === 'dana@northwind-demo.com'}
      isColleague={(e) => e.endsWith('@northwind-demo.com')}
      onLogged={() => {}}
      {...over}
    />,
  );
  return bg;
}

beforeEach(() => useLocale('en'));
afterEach(() => {
  cleanup();
  forgetParsedInvites();
  vi.restoreAllMocks();
});

describe('attendance capture', () => {
  it('before the start: shows the invitation with every RSVP and says when capture opens, nothing to click', () => {
    capture(parsed, BEFORE_START);
    const meeting = screen.getByRole('region', { name: 'Acme onboarding kickoff' });
    expect(within(meeting).getByText(/^Capture opens when the meeting starts \(.+\)\.$/)).toBeTruthy();
    const rows = within(meeting).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Jane Doe · organizerRSVP: accepted',
      'Dana Reyes · youRSVP: accepted',
      'Raj PatelRSVP: declined',
      'Ana Costa · colleagueRSVP: no reply',
    ]);
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
  });

  it('from the start: everyone, external and internal, defaulted from the RSVP, one click each to change', () => {
    capture(parsed, AFTER_START);
    expect(screen.getByRole('heading', { name: 'Capture attendance' })).toBeTruthy();
    expect(checkedFor('Jane Doe')).toBe('Attended');
    expect(checkedFor('Dana Reyes')).toBe('Attended');
    expect(checkedFor('Raj Patel')).toBe('Excused');
    expect(checkedFor('Ana Costa')).toBeNull();
    expect(screen.getByText('2 of 3 attended')).toBeTruthy();
    const ana = screen.getByRole('group', { name: 'Attendance of Ana Costa' });
    expect(within(ana).getAllByRole('radio').map((r) => r.closest('label')!.textContent)).toEqual(['Attended', 'No-show', 'Late', 'Excused']);
    fireEvent.click(within(ana).getByRole('radio', { name: 'No-show' }));
    expect(checkedFor('Ana Costa')).toBe('No-show');
    expect(screen.getByText('2 of 4 attended')).toBeTruthy();
    fireEvent.click(within(screen.getByRole('group', { name: 'Attendance of Jane Doe' })).getByRole('radio', { name: 'Late' }));
    expect(checkedFor('Jane Doe')).toBe('Late');
  });

  it('"Log meeting" sends one meeting with its UID, end, SEQUENCE and each person’s attendance and RSVP', async () => {
    const bg = capture(parsed, AFTER_START);
    fireEvent.click(within(screen.getByRole('group', { name: 'Attendance of Ana Costa' })).getByRole('radio', { name: 'No-show' }));
    const log = screen.getByRole('button', { name: 'Log meeting' });
    fireEvent.click(log);
    fireEvent.click(log);
    await screen.findByText(sentence(/^Logged by you · \d{2}:\d{2}/));
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
    // What was recorded stays on screen, as text.
    expect(screen.getAllByRole('listitem').map((li) => li.querySelector('[data-liaison="attendee-status"]')?.textContent)).toEqual([
      'Attended',
      'Attended',
      'Excused',
      'No-show',
    ]);
    const drafts = logDrafts(bg.calls);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({
      kind: 'meeting',
      occurredAt: '2026-11-19T14:00:00.000Z',
      endsAt: '2026-11-19T15:00:00.000Z',
      subject: 'Acme onboarding kickoff',
      summary: null,
      sourceSite: 'gmail',
      sourceRef: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com',
      icalUid: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com',
      recurrenceId: null,
      sequence: 0,
    });
    expect(drafts[0]!.participants.map((p) => p.email)).toEqual([
      'jane.doe@acme-corp.com',
      'dana@northwind-demo.com',
      'raj.patel@acme-corp.com',
      'ana@northwind-demo.com',
    ]);
    expect(drafts[0]!.attendance!.map((a) => [a.email, a.status, a.rsvp])).toEqual([
      ['jane.doe@acme-corp.com', 'attended', 'accepted'],
      ['dana@northwind-demo.com', 'attended', 'accepted'],
      ['raj.patel@acme-corp.com', 'excused', 'declined'],
      ['ana@northwind-demo.com', 'no-show', 'needs-action'],
    ]);
  });

  it('a teammate’s earlier log keeps capture open: logging again updates the same meeting', () => {
    const ref = '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com';
    capture(parsed, AFTER_START, { status: { ref, loggedBy: [{ name: sam.name, isMe: false, loggedAt: '2026-11-19T15:10:00Z' }], pending: null } });
    expect(screen.getByText(sentence(/^Logged by Sam Lee/))).toBeTruthy();
    expect(screen.getByText('Logging it again updates the attendance of the same meeting.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Log meeting' })).toBeTruthy();
  });

  it('what I logged can be corrected: only the people changed are sent again, marked as a correction', async () => {
    const ref = '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com';
    const bg = capture(parsed, AFTER_START, { status: { ref, loggedBy: [{ name: 'Dana Reyes', isMe: true, loggedAt: '2026-11-19T15:10:00Z' }], pending: null } });
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Correct attendance' }));
    expect(screen.getByText('Set only the people to change; everyone else keeps what was recorded.')).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Save corrections' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet
    expect(checkedFor('Raj Patel')).toBeNull();
    fireEvent.click(within(screen.getByRole('group', { name: 'Attendance of Raj Patel' })).getByRole('radio', { name: 'Late' }));
    fireEvent.click(save);
    await screen.findByText('Attendance updated.');
    const sent = bg.calls.filter((c): c is Request<'interactions:log'> => c.type === 'interactions:log');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.correction).toBe(true);
    expect(sent[0]!.draft.attendance!.map((a) => [a.email, a.status])).toEqual([['raj.patel@acme-corp.com', 'late']]);
    expect(sent[0]!.draft.icalUid).toBe(ref);
    // And again, for another change.
    expect(screen.getByRole('button', { name: 'Correct attendance' })).toBeTruthy();
  });

  it('can be corrected right after logging, in the same panel', async () => {
    const bg = capture(parsed, AFTER_START);
    fireEvent.click(screen.getByRole('button', { name: 'Log meeting' }));
    await screen.findByText(/^Logged by you/);
    fireEvent.click(screen.getByRole('button', { name: 'Correct attendance' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Attendance of Ana Costa' })).getByRole('radio', { name: 'Attended' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save corrections' }));
    await screen.findByText('Attendance updated.');
    const drafts = logDrafts(bg.calls);
    expect(drafts).toHaveLength(2);
    expect(drafts[1]!.attendance!.map((a) => [a.email, a.status])).toEqual([['ana@northwind-demo.com', 'attended']]);
  });

  it('says why a log failed and lets the user try again', async () => {
    const bg = capture(parsed, AFTER_START);
    let fail = true;
    bg.handlers['interactions:log'] = () => {
      if (fail) throw new Error('Everyone on this conversation is on your never-log list; nothing was logged.');
      return { outboxId: 'o1', state: 'queued', duplicate: false };
    };
    fireEvent.click(screen.getByRole('button', { name: 'Log meeting' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^The meeting was not logged: Everyone/);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Log meeting' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull());
  });

  it('a cancelled meeting shows as cancelled and offers no capture', () => {
    capture({ ...parsed, cancelled: true, method: 'CANCEL' }, AFTER_START);
    expect(screen.getByRole('status').textContent).toBe('This meeting was cancelled.');
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
  });

  it('speaks Dutch when the browser does', () => {
    useLocale('nl');
    capture(parsed, AFTER_START);
    expect(screen.getByRole('button', { name: 'Vergadering vastleggen' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Aanwezigheid van Raj Patel' })).toBeTruthy();
  });
});

describe('which version of an invitation counts', () => {
  const v = (over: Partial<MeetingInvite>): MeetingInvite => ({ ...parsed, ...over });

  it('a newer SEQUENCE replaces an older one, whatever order the mails are in', () => {
    const moved = v({ sequence: 2, start: '2026-11-20T09:00:00.000Z', title: 'Acme onboarding kickoff (moved)' });
    expect(currentMeeting([parsed, moved])!.title).toBe('Acme onboarding kickoff (moved)');
    expect(currentMeeting([moved, parsed])!.title).toBe('Acme onboarding kickoff (moved)');
  });

  it('a CANCEL at the newest SEQUENCE leaves the meeting cancelled; a card without SEQUENCE wins by coming later', () => {
    expect(currentMeeting([parsed, v({ sequence: 1, cancelled: true, method: 'CANCEL', attendees: [] })])!.cancelled).toBe(true);
    expect(currentMeeting([v({ sequence: 1, cancelled: true, method: 'CANCEL' }), parsed])!.cancelled).toBe(true);
    const card = v({ sequence: null, cancelled: true, method: 'CANCEL', attendees: [] });
    const latest = currentMeeting([parsed, card])!;
    expect(latest.cancelled).toBe(true);
    expect(latest.attendees).toHaveLength(4);
  });
});

describe('in the Gmail sidebar', () => {
  const parse = (req: Request<'invites:parse'>) => parseInviteForPage(req.icsText);

  it('a thread carrying an invitation shows the meeting with the RSVPs from its .ics, fetched from the page', async () => {
    const fetchIcs = vi.fn(async () => ICS);
    const bg = fakeBackground([], { 'invites:parse': parse });
    render(<Sidebar context={invitationPage} send={bg.send} refreshKey={0} fetchIcs={fetchIcs} />);
    const sidebar = screen.getByRole('complementary', { name: 'Liaison' });
    // The card paints at once; the .ics version replaces it (a new SEQUENCE is a new capture), so find it again.
    await within(sidebar).findByText('RSVP: declined');
    const meeting = within(sidebar).getByRole('region', { name: 'Acme onboarding kickoff' });
    expect(fetchIcs).toHaveBeenCalledWith(invitationPage.thread.invites![0]!.icsUrl, expect.anything());
    expect(bg.calls.filter((c) => c.type === 'invites:parse')).toHaveLength(1);
    fireEvent.click(within(meeting).getByRole('button', { name: 'Log meeting' }));
    await within(meeting).findByText(/^Logged by you/);
    expect(logDrafts(bg.calls)[0]!.attendance!.map((a) => a.status)).toEqual(['attended', 'attended', 'excused', null]);
  });

  it('shows the card alone when the .ics cannot be had, and nothing when neither says anything', async () => {
    const bg = fakeBackground([], { 'invites:parse': parse });
    render(<Sidebar context={invitationPage} send={bg.send} refreshKey={0} fetchIcs={async () => null} />);
    const meeting = await screen.findByRole('region', { name: 'Acme onboarding kickoff' });
    expect(within(meeting).getAllByText('RSVP: not known')).toHaveLength(4);
    cleanup();

    const nothing: InviteContext[] = [{ site: 'gmail', sourceId: 'm1', invite: null, icsUrl: 'https://mail.google.com/x' }];
    const { container } = render(
      <MeetingPanel invites={nothing} send={bg.send} refreshKey={0} settings={null} fetchIcs={async () => 'garbage'} />,
    );
    await waitFor(() => expect(bg.calls.filter((c) => c.type === 'invites:parse').length).toBeGreaterThan(0));
    expect(container.innerHTML).toBe('');
  });

  it('a cancellation in the thread (METHOD:CANCEL, newer SEQUENCE) shows the meeting as cancelled, with nothing to capture', async () => {
    const cancelIcs = ICS.replace('METHOD:REQUEST', 'METHOD:CANCEL').replace('SEQUENCE:0', 'SEQUENCE:1').replace('STATUS:CONFIRMED', 'STATUS:CANCELLED');
    const first = invitationPage.thread.invites![0]!;
    const thread = { ...invitationPage.thread, invites: [first, { ...first, sourceId: 'later', invite: null, icsUrl: 'https://mail.google.com/cancel' }] };
    const bg = fakeBackground([], { 'invites:parse': parse });
    const fetchIcs = async (url: string) => (url === first.icsUrl ? ICS : cancelIcs);
    render(<Sidebar context={{ ...invitationPage, thread }} send={bg.send} refreshKey={0} fetchIcs={fetchIcs} />);
    expect((await screen.findByText('This meeting was cancelled.')).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('button', { name: 'Log meeting' })).toBeNull();
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
  });

  it('the cancelled-invitation fixture, read from its card alone, shows as cancelled', async () => {
    const page = detectGmailPage(loadFixture('2026-11-thread-invitation-cancelled.html'), 'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4ec00');
    render(<Sidebar context={page} send={fakeBackground([]).send} refreshKey={0} fetchIcs={async () => null} />);
    const meeting = await screen.findByRole('region', { name: 'Acme pricing call' });
    expect(within(meeting).getByText('This meeting was cancelled.')).toBeTruthy();
    expect(within(meeting).queryByRole('button', { name: 'Log meeting' })).toBeNull();
  });

  it('asks the background again when it was not there to parse the .ics (a service worker starting up)', async () => {
    let failures = 1;
    const bg = fakeBackground([], {
      'invites:parse': (req) => {
        if (failures-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
        return parse(req);
      },
    });
    render(<Sidebar context={invitationPage} send={bg.send} refreshKey={0} fetchIcs={async () => ICS} />);
    expect(await screen.findByText('RSVP: declined', undefined, { timeout: 3000 })).toBeTruthy();
    expect(bg.calls.filter((c) => c.type === 'invites:parse')).toHaveLength(2);
  });

  it('a thread without an invitation shows no meeting at all', async () => {
    const plain = detectGmailPage(loadFixture('2026-11-thread-3-messages.html'), 'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4e5f6');
    const bg = fakeBackground([]);
    render(<Sidebar context={plain} send={bg.send} refreshKey={0} fetchIcs={async () => ICS} />);
    await screen.findByRole('complementary', { name: 'Liaison' });
    await waitFor(() => expect(bg.calls.some((c) => c.type === 'settings:get')).toBe(true));
    expect(document.querySelector('[data-liaison="meeting"]')).toBeNull();
    expect(bg.calls.some((c) => c.type === 'invites:parse')).toBe(false);
  });
});

describe('the timeline', () => {
  it('shows a meeting with how many of the recorded people attended', async () => {
    const meeting = { ...interaction('i1', '2026-11-19T14:00:00.000Z', sam, 'Acme onboarding kickoff'), kind: 'meeting' as const };
    const entry = (email: string, status: AttendanceStatus | null) => ({
      email, name: null, contactId: null, memberId: null, status, rsvp: null, recordedBy: null, updatedAt: '2026-11-19T15:00:00Z',
    });
    meeting.attendance = [entry('a@x.com', 'attended'), entry('b@x.com', 'late'), entry('c@x.com', 'attended'), entry('d@x.com', 'no-show'), entry('e@x.com', null)];
    const email = interaction('i2', '2026-11-18T10:00:00.000Z', sam, 'Agenda');
    const bg = fakeBackground([], {
      'contacts:timeline': () => ({ page: { items: [meeting, email], nextCursor: null }, source: 'hub', offline: null }),
    });
    render(<Timeline contactId="c1" send={bg.send} refreshKey={0} />);
    const items = await screen.findAllByRole('listitem');
    expect(within(items[0]!).getByText('3 of 4 attended')).toBeTruthy();
    expect(within(items[1]!).queryByText(/attended/)).toBeNull();
  });
});
