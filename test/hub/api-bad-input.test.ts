/** Bad input on every route gets a 4xx JSON error that names the field, never a 500 and never half a write. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

describe(`bad input (${engineName})`, () => {
  let hub: HubFixture;
  let contact: string;
  let interaction: string;
  beforeAll(async () => {
    hub = await makeHub();
    contact = (await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Jane', emails: ['jane@acme-corp.com'] })).body.id;
    interaction = (await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog(), { 'idempotency-key': newKey() })).body.interaction.id;
  });
  afterAll(() => hub.close());

  const writeCount = async () =>
    (await hub.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM contact_emails) + (SELECT count(*) FROM interactions)
            + (SELECT count(*) FROM interaction_participants) + (SELECT count(*) FROM flags) + (SELECT count(*) FROM tasks)
            + (SELECT count(*) FROM members) + (SELECT count(*) FROM attendance) AS n`,
    ))[0]!.n;

  const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
  const idem = () => ({ 'idempotency-key': newKey() });

  // [what, method, url, body, expected status, expected field (undefined: no field), headers]
  const cases = (): [string, string, string, unknown, number, string | undefined, Record<string, string>?][] => [
    ['lookup: malformed JSON', 'POST', '/v1/lookup', '{"emails": [', 400, undefined],
    ['lookup: no body', 'POST', '/v1/lookup', undefined, 400, undefined],
    ['lookup: emails missing', 'POST', '/v1/lookup', {}, 400, 'emails'],
    ['lookup: emails not an array', 'POST', '/v1/lookup', { emails: 'jane@acme-corp.com' }, 400, 'emails'],
    ['lookup: a number among addresses', 'POST', '/v1/lookup', { emails: ['a@b.com', 7] }, 400, 'emails[1]'],
    ['lookup: 501 addresses', 'POST', '/v1/lookup', { emails: many(501, (i) => `p${i}@x.com`) }, 400, 'emails'],
    ['lookup: unknown field', 'POST', '/v1/lookup', { emails: ['a@b.com'], includeDeleted: true }, 400, 'includeDeleted'],
    ['lookup: body over the limit', 'POST', '/v1/lookup', { emails: ['a@b.com'], pad: 'x'.repeat(600 * 1024) }, 413, undefined],
    ['contact: invalid address', 'POST', '/v1/contacts', { name: 'X', emails: ['not-an-address'] }, 400, 'emails[0]'],
    ['contact: display name instead of address', 'POST', '/v1/contacts', { emails: ['Jane <jane@x.com>'] }, 400, 'emails[0]'],
    ['contact: no addresses', 'POST', '/v1/contacts', { name: 'X', emails: [] }, 400, 'emails'],
    ['contact: name too long', 'POST', '/v1/contacts', { name: 'x'.repeat(201), emails: ['long@x.com'] }, 400, 'name'],
    ['contact: unknown owner', 'POST', '/v1/contacts', { emails: ['owned@x.com'], ownerId: '999999' }, 400, 'ownerId'],
    ['contact: owner not an id', 'POST', '/v1/contacts', { emails: ['owned@x.com'], ownerId: 'abc' }, 400, 'ownerId'],
    ['contact: address taken (twice in one batch is fine, taken is not)', 'POST', '/v1/contacts', { emails: ['new1@x.com', 'jane@acme-corp.com'] }, 409, 'emails[1]'],
    ['contact get: unknown id', 'GET', '/v1/contacts/999999', undefined, 404, undefined],
    ['contact get: not an id', 'GET', '/v1/contacts/abc', undefined, 404, undefined],
    ['contact patch: wrong type', 'PATCH', `/v1/contacts/CONTACT`, { title: 42 }, 400, 'title'],
    ['add email: invalid', 'POST', `/v1/contacts/CONTACT/emails`, { email: 'x@' }, 400, 'email'],
    ['timeline: limit too big', 'GET', `/v1/contacts/CONTACT/timeline?limit=1000`, undefined, 400, 'limit'],
    ['timeline: limit not a number', 'GET', `/v1/contacts/CONTACT/timeline?limit=ten`, undefined, 400, 'limit'],
    ['timeline: unknown parameter', 'GET', `/v1/contacts/CONTACT/timeline?sort=asc`, undefined, 400, 'sort'],
    ['log: kind unknown', 'POST', '/v1/interactions', emailLog({ kind: 'fax' }), 400, 'kind', idem()],
    ['log: time without zone', 'POST', '/v1/interactions', emailLog({ occurredAt: '2026-11-20 10:00' }), 400, 'occurredAt', idem()],
    ['log: participant address invalid', 'POST', '/v1/interactions', emailLog({ participants: [{ email: 'ok@x.com' }, { email: 'bad@@x' }] }), 400, 'participants[1].email', idem()],
    ['log: no participants', 'POST', '/v1/interactions', emailLog({ participants: [] }), 400, 'participants', idem()],
    ['log: 501 participants', 'POST', '/v1/interactions', emailLog({ participants: many(501, (i) => ({ email: `p${i}@x.com` })) }), 400, 'participants', idem()],
    ['log: unknown nested field', 'POST', '/v1/interactions', emailLog({ participants: [{ email: 'a@x.com', role: 'cc' }] }), 400, 'participants[0].role', idem()],
    ['log: meeting without uid', 'POST', '/v1/interactions', emailLog({ kind: 'meeting', meeting: {} }), 400, 'meeting.icalUid', idem()],
    ['log: attendance status unknown', 'POST', '/v1/interactions', emailLog({ kind: 'meeting', meeting: { icalUid: 'u' }, attendance: [{ email: 'a@x.com', status: 'maybe' }] }), 400, 'attendance[0].status', idem()],
    ['log: idempotency key too short', 'POST', '/v1/interactions', emailLog(), 400, 'Idempotency-Key', { 'idempotency-key': 'abc' }],
    ['interaction get: unknown', 'GET', '/v1/interactions/99999999', undefined, 404, undefined],
    ['logged refs: empty list', 'POST', '/v1/interactions/logged', { refs: [] }, 400, 'refs'],
    ['logged refs: 501', 'POST', '/v1/interactions/logged', { refs: many(501, (i) => `r${i}`) }, 400, 'refs'],
    ['attendance: unknown interaction', 'PUT', '/v1/interactions/99999999/attendance', { entries: [{ email: 'a@x.com', status: 'attended' }] }, 404, undefined],
    ['attendance: rsvp unknown', 'PUT', `/v1/interactions/INTERACTION/attendance`, { entries: [{ email: 'a@x.com', rsvp: 'yes' }] }, 400, 'entries[0].rsvp'],
    ['flag: bad kind', 'POST', `/v1/contacts/CONTACT/flags`, { kind: 'DROP TABLE flags;' }, 400, 'kind'],
    ['flag: unknown contact', 'POST', '/v1/contacts/99999999/flags', { kind: 'key-account' }, 404, undefined],
    ['flag close: unknown', 'POST', '/v1/flags/99999999/close', undefined, 404, undefined],
    ['task: empty title', 'POST', '/v1/tasks', { title: '   ' }, 400, 'title'],
    ['task: unknown contact', 'POST', '/v1/tasks', { title: 'x', contactId: '99999999' }, 400, 'contactId'],
    ['task: bad due date', 'POST', '/v1/tasks', { title: 'x', dueAt: 'tomorrow' }, 400, 'dueAt'],
    ['task complete: unknown', 'POST', '/v1/tasks/99999999/complete', undefined, 404, undefined],
    ['tasks: bad filter', 'GET', '/v1/tasks?status=maybe', undefined, 400, 'status'],
    ['member: bad department', 'POST', '/v1/members', { name: 'X', email: 'x@alpha.example.com', department: 'finance' }, 400, 'department'],
    ['member: exists', 'POST', '/v1/members', { name: 'X', email: 'support@alpha.example.com', department: 'sales' }, 409, 'email'],
    ['team domains: not a domain', 'PUT', '/v1/team/domains', { domains: ['not a domain'] }, 400, 'domains[0]'],
    ['token revoke: unknown', 'DELETE', '/v1/tokens/99999999', undefined, 404, undefined],
    ['report: bad date', 'GET', '/v1/reports/no-shows?from=yesterday', undefined, 400, 'from'],
    ['no such route', 'GET', '/v1/nothing-here', undefined, 404, undefined],
    ['wrong content type', 'POST', '/v1/lookup', 'emails=a@b.com', 415, undefined, { 'content-type': 'application/x-www-form-urlencoded' }],
  ];

  it('answers each bad request with a clear 4xx naming the field, and writes nothing', async () => {
    for (const [what, method, rawUrl, body, status, field, headers] of cases()) {
      const url = rawUrl.replace('CONTACT', contact).replace('INTERACTION', interaction);
      const before = await writeCount();
      const res = await hub.call(hub.a.admin.token, method, url, body, headers);
      expect(res.status, what).toBe(status);
      expect(res.body?.error?.code, what).toEqual(expect.any(String));
      expect(res.body?.error?.message, what).toEqual(expect.any(String));
      if (field) expect(res.body.error.field, what).toBe(field);
      expect(await writeCount(), `${what}: nothing written`).toBe(before);
    }
  });

  it('stores hostile names and subjects as plain text, exactly', async () => {
    const hostile = `<img src=x onerror=alert(1)>'; DROP TABLE contacts;-- \u202Egnp.exe ${'ß'.repeat(20)}`;
    const created = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: hostile, title: '=HYPERLINK("http://evil")', emails: ['hostile@evil.example'] });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(hostile);
    const log = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: hostile, sourceRef: 'hostile', participants: [{ email: 'hostile@evil.example', name: hostile }] }), idem());
    expect(log.body.interaction.subject).toBe(hostile);
    expect((await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts'))[0]!.n).toBeGreaterThan(0);
  });
});
