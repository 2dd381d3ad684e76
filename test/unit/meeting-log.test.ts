import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../utils/background/handlers';
import { createHubClient } from '../../utils/hub-client';
import type { InteractionDraft } from '../../utils/messaging/protocol';
import { createDispatcher, type Dispatch } from '../../utils/messaging/server';
import { createOutbox, type Outbox } from '../../utils/outbox';
import { openLiaisonDb } from '../../utils/storage/db';
import { SETTINGS_KEY, storeToken } from '../../utils/storage/settings';
import { startLocalHub, type LocalHub } from './helpers/local-hub';

const ORIGIN = 'chrome-extension://test-extension-id';
const GMAIL_TAB = { id: 'test-extension-id', url: 'https://mail.google.com/mail/u/0/#inbox/18f3a1', tab: { id: 7 } as never };
const ICS = readFileSync(join(process.cwd(), 'test/fixtures/gmail/2026-11-invitation.ics'), 'utf8');

const meeting = (over: Partial<InteractionDraft> = {}): InteractionDraft => ({
  kind: 'meeting',
  occurredAt: '2026-11-19T14:00:00.000Z',
  endsAt: '2026-11-19T15:00:00.000Z',
  subject: 'Acme onboarding kickoff',
  sourceSite: 'gmail',
  sourceRef: 'uid-1@google.com',
  participants: [
    { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' },
    { email: 'counsel@lawfirm.example', name: 'Counsel' },
  ],
  icalUid: 'uid-1@google.com',
  recurrenceId: null,
  sequence: 2,
  attendance: [
    { email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'attended', rsvp: 'accepted' },
    { email: 'counsel@lawfirm.example', name: 'Counsel', status: 'no-show', rsvp: 'needs-action' },
    { email: 'ana@northwind-demo.com', name: 'Ana Costa', status: null, rsvp: 'needs-action' },
  ],
  ...over,
});

describe('meetings through the background (issue 5)', () => {
  let hub: LocalHub;
  let outbox: Outbox;
  let dispatch: Dispatch;
  let n = 0;

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    hub.seen.length = 0;
    await fakeBrowser.storage.local.set({
      [SETTINGS_KEY]: { hubUrl: hub.url, neverLogDomains: ['lawfirm.example'] },
    });
    await storeToken(hub.token);
    const db = await openLiaisonDb(`meeting-log-test-${++n}`);
    outbox = createOutbox({ db, hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token }) });
    dispatch = createDispatcher(createHandlers({ db, outbox, kick: () => undefined }), ORIGIN);
  });

  it('a second log of the same meeting is a no-op, but a correction is sent after the first, with its own key', async () => {
    await dispatch({ type: 'interactions:log', draft: meeting() }, GMAIL_TAB);
    expect(await dispatch({ type: 'interactions:log', draft: meeting() }, GMAIL_TAB)).toMatchObject({ ok: true, value: { duplicate: true } });
    const fix = meeting({ attendance: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'late', rsvp: 'accepted' }] });
    expect(await dispatch({ type: 'interactions:log', draft: fix, correction: true }, GMAIL_TAB)).toMatchObject({ ok: true, value: { duplicate: false } });
    // An email cannot be "corrected" this way: without a UID the hub could not merge it.
    const email = { ...meeting(), kind: 'email' as const, sourceRef: 'thread-x', icalUid: null, attendance: undefined };
    await dispatch({ type: 'interactions:log', draft: email }, GMAIL_TAB);
    expect(await dispatch({ type: 'interactions:log', draft: email, correction: true }, GMAIL_TAB)).toMatchObject({ ok: true, value: { duplicate: true } });
    await outbox.flush();
    const posted = hub.seen.filter((r) => r.path === '/v1/interactions' && (r.body as { kind: string }).kind === 'meeting');
    expect(posted).toHaveLength(2);
    expect(new Set(posted.map((r) => r.idempotencyKey)).size).toBe(2);
    expect((posted[1]!.body as { attendance: unknown[] }).attendance).toEqual([{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'late', rsvp: 'accepted' }]);
  });

  it('sends a meeting with its UID, SEQUENCE, end and attendance — never-log people left out of both lists', async () => {
    expect(await dispatch({ type: 'interactions:log', draft: meeting() }, GMAIL_TAB)).toMatchObject({ ok: true, value: { state: 'queued' } });
    await outbox.flush();
    const posted = hub.seen.filter((r) => r.path === '/v1/interactions');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toEqual({
      kind: 'meeting',
      occurredAt: '2026-11-19T14:00:00.000Z',
      endsAt: '2026-11-19T15:00:00.000Z',
      subject: 'Acme onboarding kickoff',
      summary: null,
      outcome: null,
      sourceSite: 'gmail',
      sourceRef: 'uid-1@google.com',
      participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }],
      meeting: { icalUid: 'uid-1@google.com', recurrenceId: null, sequence: 2 },
      attendance: [
        { email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'attended', rsvp: 'accepted' },
        { email: 'ana@northwind-demo.com', name: 'Ana Costa', status: null, rsvp: 'needs-action' },
      ],
    });
  });

  it('an email log stays exactly as it was: no meeting fields', async () => {
    const email = meeting({ kind: 'email', sourceRef: 'thread-9' });
    await dispatch({ type: 'interactions:log', draft: email }, GMAIL_TAB);
    await outbox.flush();
    const body = hub.seen.find((r) => r.path === '/v1/interactions')!.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['kind', 'occurredAt', 'outcome', 'participants', 'sourceRef', 'sourceSite', 'subject', 'summary']);
  });

  it('refuses an attendance status the hub does not know, naming the field', async () => {
    const bad = meeting({ attendance: [{ email: 'jane.doe@acme-corp.com', status: 'maybe' as never }] });
    const answer = await dispatch({ type: 'interactions:log', draft: bad }, GMAIL_TAB);
    expect(answer).toMatchObject({ ok: false });
    expect(!answer.ok && answer.error).toContain('draft.attendance.0.status');
  });

  it('parses an invitation for a content script, and answers a reason — never an error — for junk', async () => {
    const good = await dispatch({ type: 'invites:parse', icsText: ICS }, GMAIL_TAB);
    expect(good).toMatchObject({ ok: true, value: { error: null, invites: [{ uid: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com', sequence: 0 }] } });
    const junk = await dispatch({ type: 'invites:parse', icsText: '\u0000\u0001PK binary' }, GMAIL_TAB);
    expect(junk).toMatchObject({ ok: true, value: { invites: [], error: expect.any(String) } });
    const huge = await dispatch({ type: 'invites:parse', icsText: 'x'.repeat(2_000_001) }, GMAIL_TAB);
    expect(huge).toMatchObject({ ok: false });
  });
});
