import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

describe(`logging interactions (${engineName})`, () => {
  let hub: HubFixture;
  let jane: string;
  beforeAll(async () => {
    hub = await makeHub();
    const res = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Jane Doe', title: 'VP Operations', emails: ['Jane.Doe@Acme-Corp.com'] });
    expect(res.status).toBe(201);
    jane = res.body.id;
  });
  afterAll(() => hub.close());
  const count = async (sql: string, params: unknown[] = []) => (await hub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

  it('writes exactly one row for 20 concurrent identical requests with one key', async () => {
    const key = newKey();
    const body = emailLog({ sourceRef: 'concurrent-thread', subject: 'Concurrency check' });
    const before = await count('interactions');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => hub.call(hub.a.admin.token, 'POST', '/v1/interactions', body, { 'idempotency-key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.interaction.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await count('interactions')).toBe(before + 1);
    expect(await count('interaction_loggers WHERE interaction_id = $1', [results[0]!.body.interaction.id])).toBe(1);
  });

  it('refuses the same key with a different body, and a missing key', async () => {
    const key = newKey();
    const first = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ sourceRef: 'k1', subject: 'One' }), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const other = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ sourceRef: 'k1', subject: 'Two' }), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_mismatch');
    const none = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ sourceRef: 'k2' }));
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe('Idempotency-Key');
  });

  it('links the interaction to the contact and shows it in lookup and timeline', async () => {
    await hub.call(hub.a.member.token, 'POST', '/v1/interactions', emailLog({ kind: 'support', sourceRef: 'ticket-9', subject: 'Checkout outage', occurredAt: '2026-11-21T09:00:00Z' }), { 'idempotency-key': newKey() });
    const look = await hub.call(hub.a.admin.token, 'POST', '/v1/lookup', { emails: ['JANE.DOE@acme-corp.com', 'unknown@acme-corp.com', 'support@alpha.example.com'] });
    expect(look.status).toBe(200);
    const [janeResult, unknown, colleague] = look.body.results;
    expect(janeResult.email).toBe('jane.doe@acme-corp.com');
    expect(janeResult.contact).toMatchObject({ id: jane, name: 'Jane Doe', title: 'VP Operations', company: { name: 'Acme Corp', domains: ['acme-corp.com'] } });
    expect(janeResult.contact.lastInteraction).toMatchObject({ kind: 'support', subject: 'Checkout outage', department: 'support', loggedBy: { name: 'Alpha Support' } });
    expect(janeResult.contact.countsByDepartment.support).toBe(1);
    expect(janeResult.contact.countsByDepartment.sales).toBeGreaterThanOrEqual(2);
    expect(unknown.contact).toBeNull();
    expect(colleague.member).toMatchObject({ name: 'Alpha Support', department: 'support' });
  });

  it('merges a thread a teammate logs from their own mailbox: one conversation, both as loggers', async () => {
    const subject = 'Pilot scope for Q1';
    const mine = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject, sourceRef: 'gmail-thread-admin' }), { 'idempotency-key': newKey() });
    expect(mine.body.outcome).toBe('created');
    const theirs = await hub.call(
      hub.a.member.token,
      'POST',
      '/v1/interactions',
      emailLog({ subject: `RE: Re: ${subject}`, sourceRef: 'gmail-thread-support', occurredAt: '2026-11-21T08:00:00Z', participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'support@alpha.example.com' }] }),
      { 'idempotency-key': newKey() },
    );
    expect(theirs.status).toBe(200);
    expect(theirs.body.outcome).toBe('merged');
    expect(theirs.body.interaction.id).toBe(mine.body.interaction.id);
    expect(theirs.body.interaction.loggers.map((l: any) => l.member.name)).toEqual(['Alpha Admin', 'Alpha Support']);
    const refs = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions/logged', { refs: ['gmail-thread-support', 'gmail-thread-admin', 'never-logged'] });
    expect(refs.body.results.map((r: any) => r.ref).sort()).toEqual(['gmail-thread-admin', 'gmail-thread-support']);
    expect(refs.body.results[0].loggers).toHaveLength(2);
  });

  it('does not merge two different threads of the same member that only look alike', async () => {
    const a = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: 'Quick question', sourceRef: 'qa-1' }), { 'idempotency-key': newKey() });
    const b = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: 'Quick question', sourceRef: 'qa-2' }), { 'idempotency-key': newKey() });
    expect(b.body.outcome).toBe('created');
    expect(b.body.interaction.id).not.toBe(a.body.interaction.id);
  });

  it('creates the follow-up task a log asks for, once, linked to the conversation and the contact', async () => {
    const key = newKey();
    const body = { ...emailLog({ sourceRef: 'follow-up-thread', subject: 'Send the revised quote' }), followUp: { title: 'Call Jane about the quote', dueAt: '2026-12-01T09:00:00Z' } };
    const first = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body.followUp).toMatchObject({ title: 'Call Jane about the quote', dueAt: '2026-12-01T09:00:00.000Z', contactId: jane, interactionId: first.body.interaction.id });
    // The retry of the same request (same key) must not add a second task.
    const again = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', body, { 'idempotency-key': key });
    expect(again.body.followUp.id).toBe(first.body.followUp.id);
    expect(await count('tasks WHERE interaction_id = $1', [first.body.interaction.id])).toBe(1);
    const tasks = await hub.call(hub.a.admin.token, 'GET', '/v1/tasks?assignee=me');
    expect(tasks.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Call Jane about the quote' })]));
    const bad = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', { ...body, followUp: { title: '' } }, { 'idempotency-key': newKey() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/followUp/);
  });

  it('logging the same thread again (new key) is a no-op', async () => {
    const first = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: 'Again', sourceRef: 'again-1' }), { 'idempotency-key': newKey() });
    const again = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: 'Again', sourceRef: 'again-1' }), { 'idempotency-key': newKey() });
    expect(again.body.outcome).toBe('unchanged');
    expect(again.body.interaction.id).toBe(first.body.interaction.id);
    expect(again.body.interaction.loggers).toHaveLength(1);
  });

  it('keeps one meeting per iCalendar UID and merges attendance from teammates', async () => {
    const meeting = (attendance: any[], sequence = 0) => ({
      kind: 'meeting',
      occurredAt: '2026-11-18T15:00:00Z',
      endsAt: '2026-11-18T16:00:00Z',
      subject: 'Implementation kickoff',
      sourceSite: 'gmail',
      sourceRef: `thread-of-${sequence}`,
      meeting: { icalUid: 'kickoff-123@calendar.example', sequence },
      participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'admin@alpha.example.com' }, { email: 'support@alpha.example.com' }],
      attendance,
    });
    const first = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', meeting([{ email: 'jane.doe@acme-corp.com', status: 'attended', rsvp: 'accepted' }, { email: 'support@alpha.example.com', rsvp: 'needs-action' }]), { 'idempotency-key': newKey() });
    expect(first.status).toBe(201);
    const second = await hub.call(hub.a.member.token, 'POST', '/v1/interactions', meeting([{ email: 'support@alpha.example.com', status: 'no-show' }], 1), { 'idempotency-key': newKey() });
    expect(second.body.outcome).toBe('merged');
    expect(second.body.interaction.id).toBe(first.body.interaction.id);
    const byEmail = Object.fromEntries(second.body.interaction.attendance.map((a: any) => [a.email, a]));
    expect(byEmail['jane.doe@acme-corp.com']).toMatchObject({ status: 'attended', rsvp: 'accepted', contactId: jane });
    expect(byEmail['support@alpha.example.com']).toMatchObject({ status: 'no-show', rsvp: 'needs-action', memberId: hub.a.member.id });
    expect(await count("interactions WHERE ical_uid = 'kickoff-123@calendar.example'")).toBe(1);

    const put = await hub.call(hub.a.admin.token, 'PUT', `/v1/interactions/${first.body.interaction.id}/attendance`, { entries: [{ email: 'jane.doe@acme-corp.com', status: 'late' }] });
    expect(put.status).toBe(200);
    const look = await hub.call(hub.a.admin.token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] });
    expect(look.body.results[0].contact.attendance).toMatchObject({ meetings: 1, late: 1, attended: 0 });
    const report = await hub.call(hub.a.admin.token, 'GET', '/v1/reports/no-shows?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(report.body.members).toEqual([expect.objectContaining({ member: expect.objectContaining({ email: 'support@alpha.example.com' }), noShows: 1 })]);
    const notMeeting = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ sourceRef: 'nm' }), { 'idempotency-key': newKey() });
    const refused = await hub.call(hub.a.admin.token, 'PUT', `/v1/interactions/${notMeeting.body.interaction.id}/attendance`, { entries: [{ email: 'jane.doe@acme-corp.com', status: 'attended' }] });
    expect(refused.status).toBe(409);
  });

  it('pages a timeline newest first without gaps or repeats', async () => {
    const created = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Pat Pager', emails: ['pat@pager.example'] });
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const res = await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', { kind: 'call', occurredAt: `2026-10-${day}T12:00:00Z`, subject: `Call ${i}`, participants: [{ email: 'pat@pager.example' }] }, { 'idempotency-key': newKey() });
      ids.push(res.body.interaction.id);
    }
    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await hub.call(hub.a.admin.token, 'GET', `/v1/contacts/${created.body.id}/timeline?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());
    const times = seen.map((s) => s.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const bad = await hub.call(hub.a.admin.token, 'GET', `/v1/contacts/${created.body.id}/timeline?cursor=bm9wZQ`);
    expect(bad.status).toBe(400);
  });

  it('adds an address to a contact and brings its earlier conversations along', async () => {
    await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', { kind: 'email', occurredAt: '2026-11-02T12:00:00Z', subject: 'From her private address', participants: [{ email: 'jane.private@gmail.com' }] }, { 'idempotency-key': newKey() });
    const added = await hub.call(hub.a.admin.token, 'POST', `/v1/contacts/${jane}/emails`, { email: 'Jane.Private@Gmail.com' });
    expect(added.status).toBe(200);
    expect(added.body.emails).toContain('jane.private@gmail.com');
    const timeline = await hub.call(hub.a.admin.token, 'GET', `/v1/contacts/${jane}/timeline?limit=100`);
    expect(timeline.body.items.map((i: any) => i.subject)).toContain('From her private address');
    const taken = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Imposter', emails: ['jane.doe@ACME-corp.com'] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
  });

  it('never makes a company from a free-mail domain', async () => {
    const res = await hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'Gina Gmail', emails: ['gina@gmail.com'] });
    expect(res.body.company).toBeNull();
    expect(await count("company_domains WHERE domain = 'gmail.com'")).toBe(0);
  });

  it('sets and closes flags; creates and completes tasks', async () => {
    const flag = await hub.call(hub.a.member.token, 'POST', `/v1/contacts/${jane}/flags`, { kind: 'open-service-issue', note: 'Checkout outage' });
    expect(flag.status).toBe(201);
    let look = await hub.call(hub.a.admin.token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] });
    expect(look.body.results[0].contact.openFlags).toEqual([expect.objectContaining({ kind: 'open-service-issue', note: 'Checkout outage', setBy: expect.objectContaining({ department: 'support' }) })]);
    const closed = await hub.call(hub.a.admin.token, 'POST', `/v1/flags/${flag.body.id}/close`);
    expect(closed.body).toMatchObject({ open: false, closedBy: { name: 'Alpha Admin' } });
    look = await hub.call(hub.a.admin.token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] });
    expect(look.body.results[0].contact.openFlags).toEqual([]);

    const task = await hub.call(hub.a.admin.token, 'POST', '/v1/tasks', { title: 'Send revised quote', dueAt: '2026-11-25T09:00:00Z', contactId: jane });
    expect(task.status).toBe(201);
    expect(task.body.assignee.name).toBe('Alpha Admin');
    const open = await hub.call(hub.a.admin.token, 'GET', '/v1/tasks?assignee=me');
    expect(open.body.items.map((t: any) => t.id)).toContain(task.body.id);
    const done = await hub.call(hub.a.admin.token, 'POST', `/v1/tasks/${task.body.id}/complete`);
    expect(done.body.doneAt).not.toBeNull();
    const openAfter = await hub.call(hub.a.admin.token, 'GET', '/v1/tasks');
    expect(openAfter.body.items.map((t: any) => t.id)).not.toContain(task.body.id);
  });
});
