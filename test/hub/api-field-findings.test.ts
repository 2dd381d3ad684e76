/**
 * The field findings of issue 11 that validation answers, one by one: each was a 500 from PostgreSQL (NUL
 * characters, impossible dates, a SEQUENCE above 2^31−1, crafted cursors), a whole lookup failed by one address,
 * an array taken for an object, or a lookup that blocked the hub for seconds. Every route against every hostile
 * value: test/hub/api-hostile-input.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { craftedBatch } from '../fixtures/hostile-addresses.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

const meeting = (over: Record<string, unknown> = {}, meetingOver: Record<string, unknown> = {}) =>
  emailLog({ kind: 'meeting', sourceRef: null, meeting: { icalUid: 'big-seq@example.com', sequence: 0, ...meetingOver }, ...over });

describe(`field findings (${engineName})`, () => {
  let hub: HubFixture;
  let contact: string;
  beforeAll(async () => {
    hub = await makeHub();
    contact = (await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Jane', emails: ['jane.doe@acme-corp.com'] })).body.id;
  });
  afterAll(() => hub.close());
  const admin = () => hub.a.admin.token;
  const log = (body: unknown) => hub.call(admin(), 'POST', '/v1/interactions', body, { 'idempotency-key': newKey() });

  it('refuses NUL characters and unpaired surrogates in text, naming the field', async () => {
    for (const [what, res, field] of [
      ['contact name', await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Ja\u0000ne', emails: ['nul@acme-corp.com'] }), 'name'],
      ['subject', await log(emailLog({ subject: 'Re\u0000newal' })), 'subject'],
      ['participant name', await log(emailLog({ participants: [{ email: 'a@x.com', name: '\ud800' }] })), 'participants[0].name'],
      ['flag note', await hub.call(admin(), 'POST', `/v1/contacts/${contact}/flags`, { kind: 'key-account', note: 'x\u0000' }), 'note'],
      ['logged refs', await hub.call(admin(), 'POST', '/v1/interactions/logged', { refs: ['ok', 'thread-\u0000'] }), 'refs[1]'],
      ['address', await hub.call(admin(), 'POST', `/v1/contacts/${contact}/emails`, { email: 'ja\u0000ne@acme-corp.com' }), 'email'],
    ] as const) {
      expect(res.status, what).toBe(400);
      expect(res.body.error.field, what).toBe(field);
    }
  });

  it('takes only real calendar dates, with sane offsets, between 1900 and 9999', async () => {
    for (const bad of ['2026-02-30T10:00:00Z', '2026-02-29T10:00:00Z', '0000-01-01T00:00:00Z', '2026-11-20T10:00:00+23:59', '1899-12-31T23:59:59Z']) {
      const res = await log(emailLog({ occurredAt: bad, sourceRef: `bad-${bad}` }));
      expect(res.status, bad).toBe(400);
      expect(res.body.error.field, bad).toBe('occurredAt');
    }
    const leap = await log(emailLog({ occurredAt: '2024-02-29T23:30:00-01:00', sourceRef: 'leap-day', subject: 'Leap' }));
    expect(leap.status).toBe(201);
    expect(leap.body.interaction.occurredAt).toBe('2024-03-01T00:30:00.000Z');
    const east = await log(emailLog({ occurredAt: '2026-11-20T10:00:00+14:00', sourceRef: 'kiribati', subject: 'Kiribati' }));
    expect(east.status).toBe(201);
    expect(east.body.interaction.occurredAt).toBe('2026-11-19T20:00:00.000Z');
    const task = await hub.call(admin(), 'POST', '/v1/tasks', { title: 'Far future', dueAt: '9999-12-31T23:59:59Z' });
    expect(task.status).toBe(201);
    const report = await hub.call(admin(), 'GET', '/v1/reports/no-shows?from=2026-02-30T00:00:00Z');
    expect(report.status).toBe(400);
    expect(report.body.error.field).toBe('from');
  });

  it('accepts a meeting SEQUENCE above 2^31−1, as real invitations carry, and orders updates by it', async () => {
    const big = 2 ** 31 + 5;
    const first = await log(meeting({ subject: 'v1', occurredAt: '2026-11-20T10:00:00.000Z' }, { sequence: big }));
    expect(first.status).toBe(201);
    const newer = await log(meeting({ subject: 'v2', occurredAt: '2026-11-21T10:00:00.000Z' }, { sequence: big + 1 }));
    expect(newer.status).toBe(200);
    expect(newer.body.interaction).toMatchObject({ id: first.body.interaction.id, subject: 'v2', occurredAt: '2026-11-21T10:00:00.000Z' });
    const older = await log(meeting({ subject: 'v0', occurredAt: '2026-11-19T10:00:00.000Z' }, { sequence: 7 }));
    expect(older.body.interaction).toMatchObject({ subject: 'v2', occurredAt: '2026-11-21T10:00:00.000Z' });
    // Beyond 2^53 a JSON number is no longer exact: counted as 2^53−1, still accepted.
    const huge = await log(meeting({ subject: 'v3' }, { icalUid: 'huge-seq@example.com', sequence: 1e300 }));
    expect(huge.status).toBe(201);
    const [row] = await hub.db.query<{ s: string }>('SELECT ical_sequence::text AS s FROM interactions WHERE id = $1', [huge.body.interaction.id]);
    expect(row!.s).toBe(String(Number.MAX_SAFE_INTEGER));
    for (const bad of [-1, 1.5]) expect((await log(meeting({}, { sequence: bad }))).body.error.field).toBe('meeting.sequence');
  });

  it('validates timeline cursors like any input', async () => {
    const cursor = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    for (const bad of [
      cursor(['0000-01-01T00:00:00.000Z', '1']),
      cursor(['2026-02-30T10:00:00.000Z', '1']),
      cursor(['2026-11-20T10:00:00.000Z', '9223372036854775808']),
      cursor(['+275760-09-13T00:00:00.000Z', '1']),
      cursor(['2026-11-20T10:00:00.000Z\u0000', '1']),
      'not-a-cursor!',
    ]) {
      const res = await hub.call(admin(), 'GET', `/v1/contacts/${contact}/timeline?cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.field).toBe('cursor');
    }
    const good = await hub.call(admin(), 'GET', `/v1/contacts/${contact}/timeline?cursor=${cursor(['2026-11-20T10:00:00.000Z', '1'])}`);
    expect(good.status).toBe(200);
  });

  it('answers a 500-address lookup with one NUL address: that one as not found, the rest as usual', async () => {
    const emails = Array.from({ length: 500 }, (_, i) => `person${i}@example.org`);
    emails[0] = 'JANE.DOE@acme-corp.com';
    emails[1] = 'jane\u0000doe@acme-corp.com';
    emails[2] = 'x\ud800@acme-corp.com';
    emails[3] = `${'a'.repeat(65)}@acme-corp.com`;
    const res = await hub.call(admin(), 'POST', '/v1/lookup', { emails });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(500);
    expect(res.body.results[0]).toMatchObject({ email: 'jane.doe@acme-corp.com', contact: { id: contact } });
    expect(res.body.results[1]).toEqual({ email: 'jane\u0000doe@acme-corp.com', contact: null, member: null });
    expect(res.body.results[2].contact).toBeNull();
    expect(res.body.results[3].contact).toBeNull();
    expect(res.body.results[499]).toEqual({ email: 'person499@example.org', contact: null, member: null });
  });

  it('answers a worst-case batch of crafted addresses quickly (regression guard, not a benchmark)', async () => {
    // test/fixtures/hostile-addresses.ts: backtracking shapes padded to 1 KB each, 500 KB in all.
    const emails = craftedBatch();
    expect(JSON.stringify({ emails }).length).toBeGreaterThan(490 * 1024);
    const started = performance.now();
    const res = await hub.call(admin(), 'POST', '/v1/lookup', { emails });
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(500);
    expect(ms).toBeLessThan(2_000);
  });

  it('refuses an array as a body, even where every field is optional', async () => {
    const res = await hub.call(admin(), 'PATCH', `/v1/contacts/${contact}`, []);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_body', field: 'body' });
  });
});
