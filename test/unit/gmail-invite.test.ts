// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageContext, ThreadContext } from '../../utils/adapters/types';
import { createIcsFetcher } from '../../utils/fetch-ics';
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';
import { cardTime, readIcsUrl, readInviteCard, sameOriginUrl } from '../../utils/gmail/read-invite';
import { resetMismatchReports } from '../../utils/gmail/selectors';
import { parseInvite } from '../../utils/invites';
import { combine, meetingFromParsed } from '../../utils/meetings';
import { documentFrom, fixtureHtml, loadFixture } from './helpers/gmail-fixture';

const url = (id: string) => `https://mail.google.com/mail/u/0/#inbox/${id}`;
const ICS = readFileSync(join(process.cwd(), 'test/fixtures/gmail/2026-11-invitation.ics'), 'utf8');

function thread(ctx: PageContext): ThreadContext {
  if (ctx.kind !== 'thread') throw new Error(`expected a thread, got ${ctx.kind}`);
  return ctx.thread;
}

afterEach(() => {
  resetMismatchReports();
  vi.restoreAllMocks();
});

describe('a Gmail thread carrying a Google Calendar invitation', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-invitation.html'), url('18f3a1b2c3d4eb00'));
  const invites = thread(ctx).invites!;

  it('finds one invitation, on the message that carries it, with the .ics on Gmail’s own origin', () => {
    expect(invites).toHaveLength(1);
    expect(invites[0]!.site).toBe('gmail');
    expect(invites[0]!.sourceId).toBe('18f3a1b2c3d4eb00');
    expect(invites[0]!.icsUrl).toBe(
      'https://mail.google.com/mail/u/0?ui=2&ik=0a1b2c3d4e&attid=0.1&permmsgid=msg-f:1790000000000000201&th=18f3a1b2c3d4eb00&view=att&disp=safe&realattid=f_invite0&zw',
    );
  });

  it('reads the card: title, UTC times, organizer, every guest, and the UID Google derives from its event id', () => {
    expect(invites[0]!.invite).toEqual({
      uid: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com',
      recurrenceId: null,
      sequence: null,
      method: null,
      cancelled: false,
      title: 'Acme onboarding kickoff',
      start: '2026-11-19T14:00:00.000Z',
      end: '2026-11-19T15:00:00.000Z',
      organizer: { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
      attendees: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe', rsvp: 'unknown', organizer: true },
        { email: 'dana@northwind-demo.com', name: 'Dana Reyes', rsvp: 'unknown' },
        { email: 'raj.patel@acme-corp.com', name: 'Raj Patel', rsvp: 'unknown' },
        { email: 'ana@northwind-demo.com', name: 'Ana Costa', rsvp: 'unknown' },
      ],
    });
  });

  it('agrees with the .ics it links to, which adds the RSVPs and SEQUENCE', () => {
    const parsed = parseInvite(ICS);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const fromIcs = meetingFromParsed(parsed.invites[0]!);
    expect(fromIcs.uid).toBe(invites[0]!.invite!.uid);
    expect(fromIcs.start).toBe(invites[0]!.invite!.start);
    const combined = combine(invites[0]!.invite, fromIcs)!;
    expect(combined.sequence).toBe(0);
    expect(combined.method).toBe('REQUEST');
    expect(combined.attendees.map((a) => [a.email, a.rsvp])).toEqual([
      ['jane.doe@acme-corp.com', 'accepted'],
      ['dana@northwind-demo.com', 'accepted'],
      ['raj.patel@acme-corp.com', 'declined'],
      ['ana@northwind-demo.com', 'needs-action'],
    ]);
  });

  it('leaves threads without an invitation exactly as they were (no `invites` key)', () => {
    const plain = thread(detectGmailPage(loadFixture('2026-11-thread-3-messages.html'), url('18f3a1b2c3d4e5f6')));
    expect(plain).not.toHaveProperty('invites');
  });
});

describe('a cancelled invitation', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-invitation-cancelled.html'), url('18f3a1b2c3d4ec00'));

  it('reads the expanded cancellation card as cancelled; the collapsed message has no body to read', () => {
    const invites = thread(ctx).invites!;
    expect(invites).toHaveLength(1);
    expect(invites[0]!.sourceId).toBe('18f3a1b2c3d4ec01');
    expect(invites[0]!.invite).toMatchObject({ cancelled: true, method: 'CANCEL', title: 'Acme pricing call', uid: '7p9r1t3v5x7z9b1d3f5h7j9l1n@google.com' });
    expect(invites[0]!.icsUrl).toBeNull();
  });
});

describe('the .ics attachment, found two ways', () => {
  const withChip = (chip: string) =>
    documentFrom(`<div class="adn" data-message-id="#m1">${chip}</div>`).querySelector('div.adn')!;

  it('by the chip’s download_url with or without its class, and by its link when Gmail drops that attribute (reported as a change)', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    expect(readIcsUrl(withChip('<span class="aZo" download_url="application/ics:meeting.ics:https://mail.google.com/mail/u/0?view=att&amp;attid=0.2"></span>'))).toBe(
      'https://mail.google.com/mail/u/0?view=att&attid=0.2',
    );
    expect(debug).not.toHaveBeenCalled();
    expect(readIcsUrl(withChip('<span class="q9x" download_url="application/ics:meeting.ics:https://mail.google.com/mail/u/0?view=att&amp;attid=0.4"></span>'))).toBe(
      'https://mail.google.com/mail/u/0?view=att&attid=0.4',
    );
    expect(debug).toHaveBeenCalledTimes(1);
    resetMismatchReports();
    expect(readIcsUrl(withChip('<a class="aQy" href="/mail/u/0?view=att&amp;attid=0.3"><span class="aV3">Invite.ICS</span></a>'))).toBe(
      'https://mail.google.com/mail/u/0?view=att&attid=0.3',
    );
    expect(debug).toHaveBeenCalledTimes(2);
  });

  it('ignores other attachments and anything not on mail.google.com', () => {
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    expect(readIcsUrl(withChip('<span class="aZo" download_url="application/pdf:terms.pdf:https://mail.google.com/mail/u/0?view=att"></span>'))).toBeNull();
    expect(readIcsUrl(withChip('<span class="aZo" download_url="text/calendar:invite.ics:https://evil.example/x.ics"></span>'))).toBeNull();
    expect(readIcsUrl(withChip('<a class="aQy" href="javascript:alert(1)//view=att"><span class="aV3">a.ics</span></a>'))).toBeNull();
    expect(sameOriginUrl('https://mail.google.com.evil.example/view=att')).toBeNull();
  });
});

describe('bad or odd markup degrades to silence', () => {
  it('a card with no time and nobody on it is no meeting; hostile values stay text', () => {
    const card = (inner: string) =>
      documentFrom(`<div itemscope itemtype="http://schema.org/Event">${inner}</div>`).querySelector('[itemscope]')!;
    expect(readInviteCard(card('<span itemprop="name">Lunch?</span>'))).toBeNull();
    const hostile = readInviteCard(
      card(
        '<span itemprop="name"><img src=x onerror=alert(1)>Hi</span><time itemprop="startDate" datetime="not a date"></time>' +
          '<span itemprop="attendee" itemscope itemtype="http://schema.org/Person"><meta itemprop="email" content="not-an-address"></span>' +
          '<span itemprop="attendee" itemscope itemtype="http://schema.org/Person"><meta itemprop="email" content="Raj.Patel@Acme-Corp.com"></span>' +
          '<meta itemprop="eventId/googleCalendar" content="../../etc">',
      ),
    );
    expect(hostile).toMatchObject({ title: 'Hi', start: null, uid: null, attendees: [{ email: 'raj.patel@acme-corp.com', name: null, rsvp: 'unknown' }] });
  });

  it('reads only zoned times: a floating time is not guessed in the reader’s zone', () => {
    expect(cardTime('20261119T140000Z')).toBe('2026-11-19T14:00:00.000Z');
    expect(cardTime('2026-11-19T15:00:00+01:00')).toBe('2026-11-19T14:00:00.000Z');
    expect(cardTime('2026-11-19T15:00:00')).toBeNull();
    expect(cardTime('')).toBeNull();
  });

  it('every other thread fixture yields no invitation and no error', () => {
    for (const [name, id] of [
      ['2026-11-thread-collapsed.html', '18f3a1b2c3d4e600'],
      ['2026-11-thread-hostile.html', '18f3a1b2c3d4ea00'],
      ['2026-11-thread-long-recipients.html', '18f3a1b2c3d4e700'],
    ] as const) {
      const ctx = detectGmailPage(documentFrom(fixtureHtml(name)), url(id));
      expect(ctx.kind).toBe('thread');
      expect(thread(ctx).invites).toBeUndefined();
    }
  });
});

describe('fetching the .ics from the content script', () => {
  it('fetches only from the page’s own origin, with its cookies, and gives up quietly on failure', async () => {
    const fetchImpl = vi.fn(async () => new Response(ICS, { status: 200 }));
    const fetchIcs = createIcsFetcher('https://mail.google.com', fetchImpl as unknown as typeof fetch);
    expect(await fetchIcs('https://mail.google.com/mail/u/0?view=att')).toBe(ICS);
    expect(fetchImpl).toHaveBeenCalledWith('https://mail.google.com/mail/u/0?view=att', expect.objectContaining({ credentials: 'include' }));
    expect(await fetchIcs('https://attacker.example/x.ics')).toBeNull();
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const failing = createIcsFetcher('https://mail.google.com', (async () => new Response('no', { status: 403 })) as unknown as typeof fetch);
    expect(await failing('https://mail.google.com/x')).toBeNull();
    const throwing = createIcsFetcher('https://mail.google.com', (async () => { throw new TypeError('network'); }) as unknown as typeof fetch);
    expect(await throwing('https://mail.google.com/x')).toBeNull();
  });
});
