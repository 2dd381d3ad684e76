/**
 * The extension's daily adoption counts (issue 14), against a stand-in hub over real HTTP: nothing is sent unless
 * the team's setting is `counts`; what is sent is days that are over, with counts only (asserted on the request
 * itself: no subject, address, name or thread reference); a day is sent again only when its counts changed.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAdoptionUpload, dailyAggregates, localDay, SHARING_KEY } from '../../utils/background/adoption-upload';
import { createHubClient } from '../../utils/hub-client';
import { openLiaisonDb, type LiaisonDb } from '../../utils/storage/db';
import type { AdoptionRecord } from '../../utils/storage/types';
import { startLocalHub, type LocalHub } from './helpers/local-hub';

const NOW = new Date(2026, 10, 26, 15, 0, 0).getTime(); // Thursday 26 November 2026, 15:00 local time
const at = (daysBefore: number, hour = 10) => new Date(2026, 10, 26 - daysBefore, hour, 0, 0).getTime();

function record(ref: string, seenAt: number, outcome: AdoptionRecord['outcome'], prompted = true, listed = false): AdoptionRecord {
  return { ref, seenAt, promptedAt: prompted ? seenAt + 1000 : null, listedAt: listed ? seenAt + 2000 : null, outcome, endedAt: outcome ? seenAt + 3000 : null };
}

// References as the prompt keeps them: thread ids, and a meeting UID that holds an address.
const RECORDS = [
  record('gmail:thread-18c2f0a1b2c3', at(2), 'logged-prompt'),
  record('gmail:thread-18c2f0a1b2c4', at(2, 16), 'dismissed'),
  record('outlook:AAQkADAwATM0MDAAMS1i', at(1), 'logged-sidebar', false),
  record('ical:040000008200E00074C5B7101A82E008@acme-corp.com', at(1, 11), null, true, true),
  record('gmail:thread-today', at(0), 'logged-prompt'),
];

describe('daily adoption counts', () => {
  let hub: LocalHub;
  let db: LiaisonDb;
  let n = 0;
  let sharing: 'off' | 'counts' = 'counts';
  const posts = () => hub.seen.filter((r) => r.method === 'POST' && r.path === '/v1/adoption/daily');
  const upload = () => createAdoptionUpload({ db, hub: async () => createHubClient({ hubUrl: hub.url, token: hub.token, timeoutMs: 5000 }), now: () => NOW });

  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(async () => {
    fakeBrowser.reset();
    hub.seen.length = 0;
    sharing = 'counts';
    hub.override = (req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
        return true;
      };
      if (req.path === '/v1/team/insights') return json(200, { adoptionSharing: sharing });
      if (req.path === '/v1/adoption/daily') {
        if (sharing === 'off') return json(409, { error: { code: 'adoption_sharing_off', message: 'off' } });
        return json(200, { stored: (req.body as { days: unknown[] }).days.length });
      }
      return false;
    };
    db = await openLiaisonDb(`adoption-upload-${++n}`);
    for (const r of RECORDS) await db.put('adoption', r);
  });

  it('sends nothing while the team does not collect counts, and remembers that for the popup', async () => {
    sharing = 'off';
    expect(await upload().run()).toEqual({ sharing: 'off', sent: 0, result: 'off' });
    expect(posts()).toHaveLength(0);
    expect(await db.get('meta', SHARING_KEY)).toMatchObject({ sharing: 'off' });
  });

  it('sends the days that are over, as counts and dates only', async () => {
    expect(await upload().run()).toEqual({ sharing: 'counts', sent: 2, result: 'sent' });
    const [post] = posts();
    const body = post!.body as { days: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['days']);
    for (const day of body.days) {
      expect(Object.keys(day).sort()).toEqual(['day', 'dismissed', 'listed', 'loggedFromPrompt', 'loggedLater', 'loggedSidebar', 'prompted', 'seen']);
      for (const [k, value] of Object.entries(day)) {
        if (k === 'day') expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else expect(Number.isInteger(value)).toBe(true);
      }
    }
    const raw = JSON.stringify(body);
    for (const r of RECORDS) expect(raw).not.toContain(r.ref.split(':')[1]);
    expect(raw).not.toContain('@');
    expect(raw).not.toContain('thread');
    expect(body.days).toEqual([
      { day: '2026-11-24', seen: 2, prompted: 2, loggedFromPrompt: 1, loggedLater: 0, loggedSidebar: 0, dismissed: 1, listed: 0 },
      { day: '2026-11-25', seen: 2, prompted: 1, loggedFromPrompt: 0, loggedLater: 0, loggedSidebar: 1, dismissed: 0, listed: 1 },
    ]);
    expect(post!.idempotencyKey).toBeNull();
  });

  it('sends a day again only when its counts changed; today waits until it is over', async () => {
    await upload().run();
    expect(await upload().run()).toMatchObject({ result: 'nothing', sent: 0 });
    // The listed meeting from Wednesday is logged from the list on Thursday: Wednesday's counts change.
    await db.put('adoption', { ...RECORDS[3]!, outcome: 'logged-later', endedAt: NOW });
    expect(await upload().run()).toMatchObject({ result: 'sent', sent: 1 });
    expect((posts()[1]!.body as { days: { day: string; loggedLater: number }[] }).days).toEqual([expect.objectContaining({ day: '2026-11-25', loggedLater: 1 })]);
    expect(posts().flatMap((p) => (p.body as { days: { day: string }[] }).days.map((d) => d.day))).not.toContain(localDay(NOW));
  });

  it('tries again on the next alarm when the hub cannot be reached, and stops when the team turned counts off', async () => {
    const original = hub.override;
    hub.override = (req, res) => {
      if (req.path === '/v1/adoption/daily') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'database_unavailable', message: 'away' } }));
        return true;
      }
      return original!(req, res);
    };
    expect(await upload().run()).toMatchObject({ result: 'offline', sent: 0 });
    hub.override = original;
    expect(await upload().run()).toMatchObject({ result: 'sent', sent: 2 });
    await db.put('adoption', record('gmail:thread-new', at(3), 'logged-prompt'));
    sharing = 'off';
    expect(await upload().run()).toMatchObject({ result: 'off' });
  });

  it('counts by the local calendar day a conversation was first seen', () => {
    expect(dailyAggregates(RECORDS, '2026-11-26').map((d) => [d.day, d.seen])).toEqual([
      ['2026-11-24', 2],
      ['2026-11-25', 2],
    ]);
  });
});
