/**
 * The HubSpot connector against the fake HubSpot (test/fakes/hubspot.ts), in this process: the hub's routes via
 * inject, the connectors' runtime (pg-boss, relay, jobs) on the test's database. The fake fails the test on any
 * request HubSpot's reference would not accept (afterEach checks `unexpected`).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorConfig } from '../../hub/connectors/config.ts';
import { ConnectorRuntime } from '../../hub/connectors/runtime.ts';
import { FakeHubSpot } from '../fakes/hubspot.ts';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe(`HubSpot connector (${engineName})`, () => {
  let hub: HubFixture;
  let fake: FakeHubSpot;
  let runtime: ConnectorRuntime;
  const logged: string[] = [];
  const answers: string[] = [];
  let jane: { id: string };
  let acme: { id: string };
  let owner: { id: string };

  const call = async (token: string, method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await hub.call(token, method, url, body, headers);
    answers.push(JSON.stringify(res.body));
    return res;
  };
  const admin = () => hub.a.admin.token;
  const status = async () => (await call(admin(), 'GET', '/v1/connectors/hubspot')).body;
  const lookup = async (email: string) => (await call(admin(), 'POST', '/v1/lookup', { emails: [email] })).body.results[0];
  const sync = async () => {
    const before = (await status()).lastSyncAt;
    await call(admin(), 'POST', '/v1/connectors/hubspot/sync');
    await until('a sync step', async () => (await status()).lastSyncAt !== before);
    // The step's last page is written after lastSyncAt moves: wait for the queue to settle.
    await new Promise((r) => setTimeout(r, 500));
  };
  const emailsWith = (needle: string) => fake.objects('emails').filter((e) => (e.properties.hs_email_text ?? '').includes(needle));

  beforeAll(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    process.env.HUBSPOT_API_BASE = fake.url;
    process.env.LIAISON_SECRET_KEY = randomBytes(32).toString('base64');
    const sink = new Writable({ write: (chunk, _e, cb) => (logged.push(String(chunk)), cb()) });
    hub = await makeHub({ logger: pino({ level: 'debug' }, sink) });
    const cfg = connectorConfig({
      ...process.env,
      LIAISON_CONNECTOR_LEASE_S: '2',
      LIAISON_CONNECTOR_MAINTENANCE_S: '1',
      LIAISON_CONNECTOR_SYNC_INTERVAL_S: '3600',
      LIAISON_CONNECTOR_ARCHIVED_EVERY_S: '1',
    });
    runtime = new ConnectorRuntime({ db: hub.db, url: (hub.db as typeof hub.db & { url: string }).url, config: cfg, log: (m, f) => logged.push(`${m} ${JSON.stringify(f ?? {})}`) });
    await runtime.start();

    owner = fake.addOwner('admin@alpha.example.com', 'Alpha', 'Admin');
    acme = fake.create('companies', { name: 'Acme Corp', domain: 'acme-corp.com' });
    jane = fake.create('contacts', { email: 'jane.doe@acme-corp.com', firstname: 'Jane', lastname: 'Doe', jobtitle: 'VP Operations', associatedcompanyid: acme.id, hubspot_owner_id: owner.id });
    fake.create('contacts', { email: 'raj.patel@acme-corp.com', firstname: 'Raj', lastname: 'Patel', associatedcompanyid: acme.id });
    for (let i = 0; i < 130; i++) fake.create('contacts', { email: `person${i}@globex.example`, firstname: 'Person', lastname: String(i) });
    fake.create('emails', { hs_timestamp: '2026-10-01T09:00:00.000Z', hs_email_subject: 'Quote for 2027', hs_email_text: 'Sent the quote.', hubspot_owner_id: owner.id }, { contacts: [jane.id], companies: [acme.id] });
    fake.create('meetings', { hs_timestamp: '2026-10-02T09:00:00.000Z', hs_meeting_title: 'Kick-off', hs_meeting_body: '<p>Agenda</p>', hs_meeting_start_time: '2026-10-02T09:00:00.000Z', hs_meeting_end_time: '2026-10-02T10:00:00.000Z', hs_meeting_outcome: 'COMPLETED' }, { contacts: [jane.id] });
    fake.create('tasks', { hs_timestamp: '2026-12-01T09:00:00.000Z', hs_task_subject: 'Send the contract', hs_task_status: 'NOT_STARTED' }, { contacts: [jane.id] });
  });

  afterEach(() => {
    expect(fake.unexpected, 'every request followed HubSpot’s reference').toEqual([]);
  });

  afterAll(async () => {
    await runtime?.stop();
    await hub?.close();
    await fake?.stop();
    delete process.env.HUBSPOT_API_BASE;
    delete process.env.LIAISON_SECRET_KEY;
  });

  it('is for admins only, refuses a token HubSpot refuses, and connects with one it accepts', async () => {
    expect((await call(hub.a.member.token, 'PUT', '/v1/connectors/hubspot', { token: fake.token })).status).toBe(403);
    const bad = await call(admin(), 'PUT', '/v1/connectors/hubspot', { token: 'pat-eu1-not-a-real-token' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('crm_unauthorized');
    const ok = await call(admin(), 'PUT', '/v1/connectors/hubspot', { token: fake.token });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ provider: 'hubspot', state: 'active', account: { id: fake.portalId, uiDomain: fake.uiDomain } });
    const [row] = await hub.db.query<{ ct: Buffer }>('SELECT token_ciphertext AS ct FROM connectors');
    expect(row!.ct.toString('utf8')).not.toContain(fake.token);
    expect((await call(admin(), 'GET', '/openapi.json')).status).not.toBe(500);
  });

  it('imports contacts, companies, owners and engagement history, shown as from HubSpot', async () => {
    await until('the first import', async () => (await status()).phase === 'incremental', 30_000);
    const s = await status();
    expect(s.streams.find((x: any) => x.stream === 'contacts')).toMatchObject({ imported: 132, firstImportDone: true });
    expect(s.streams.map((x: any) => x.stream)).toEqual(['owners', 'companies', 'contacts', 'emails', 'meetings', 'calls', 'notes', 'tasks']);
    const r = await lookup('jane.doe@acme-corp.com');
    expect(r.contact).toMatchObject({ name: 'Jane Doe', title: 'VP Operations', company: { name: 'Acme Corp' }, owner: { email: 'admin@alpha.example.com' } });
    expect(r.contact.external[0]).toMatchObject({ provider: 'hubspot', state: 'synced', id: jane.id, url: `https://${fake.uiDomain}/contacts/${fake.portalId}/record/0-1/${jane.id}` });
    const tl = (await call(admin(), 'GET', `/v1/contacts/${r.contact.id}/timeline`)).body;
    const quote = tl.items.find((i: any) => i.subject === 'Quote for 2027');
    expect(quote).toMatchObject({ kind: 'email', source: 'hubspot', summary: 'Sent the quote.', loggers: [{ member: { email: 'admin@alpha.example.com' } }] });
    expect(tl.items.find((i: any) => i.subject === 'Kick-off')).toMatchObject({ kind: 'meeting', outcome: 'completed', summary: 'Agenda', source: 'hubspot' });
    const tasks = (await call(admin(), 'GET', '/v1/tasks?status=all')).body.items;
    expect(tasks.find((t: any) => t.title === 'Send the contract')).toMatchObject({ contactId: r.contact.id });
  });

  it('a log in Liaison becomes one HubSpot email engagement with Jane and Acme, and a teammate’s log of the thread updates it', async () => {
    const res = await call(admin(), 'POST', '/v1/interactions', emailLog({ subject: 'Renewal terms', sourceRef: 'thread-A' }), { 'idempotency-key': newKey() });
    expect(res.status).toBe(201);
    const id = res.body.interaction.id;
    await until('the engagement', () => emailsWith(`liaison:i:${id}`).length === 1);
    const [eng] = emailsWith(`liaison:i:${id}`);
    expect(eng!.properties.hs_email_subject).toBe('Renewal terms');
    expect(fake.associated('emails', eng!.id, 'contacts')).toEqual([jane.id]);
    expect(fake.associated('emails', eng!.id, 'companies')).toEqual([acme.id]);
    await until('synced state', async () => (await call(admin(), 'GET', `/v1/interactions/${id}`)).body.external?.[0]?.state === 'synced');
    // A teammate logs the same conversation from their own mailbox: the hub merges it; HubSpot still has one.
    const second = await call(hub.a.member.token, 'POST', '/v1/interactions', emailLog({ subject: 'Re: Renewal terms', sourceRef: 'thread-B', participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'support@alpha.example.com' }] }), { 'idempotency-key': newKey() });
    expect(second.body).toMatchObject({ outcome: 'merged', interaction: { id } });
    await until('the update', () => (emailsWith(`liaison:i:${id}`)[0]?.properties.hs_email_text ?? '').includes('Alpha Support'));
    expect(emailsWith(`liaison:i:${id}`)).toHaveLength(1);
  });

  it('waits out a 429 storm as Retry-After says, with one engagement at the end', async () => {
    fake.stormFor(1_500, 2);
    const res = await call(admin(), 'POST', '/v1/interactions', emailLog({ subject: 'Storm', sourceRef: 'thread-storm' }), { 'idempotency-key': newKey() });
    const id = res.body.interaction.id;
    await until('the engagement after the storm', () => emailsWith(`liaison:i:${id}`).length === 1, 30_000);
    expect(fake.earlyAfter429).toBe(0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(emailsWith(`liaison:i:${id}`)).toHaveLength(1);
  });

  it('retries 5xx, and a create whose answer was lost is found by its marker instead of made twice', async () => {
    fake.failNext(2, 502, (m, p) => m === 'GET' && p.startsWith('/crm/v3/objects/contacts/'));
    fake.failNext(1, 503, (m, p) => m === 'POST' && p === '/crm/v3/objects/emails');
    const res = await call(admin(), 'POST', '/v1/interactions', emailLog({ subject: 'Flaky', sourceRef: 'thread-flaky' }), { 'idempotency-key': newKey() });
    const id = res.body.interaction.id;
    await until('the engagement after 5xx', () => emailsWith(`liaison:i:${id}`).length === 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(emailsWith(`liaison:i:${id}`)).toHaveLength(1);
  });

  it('sends heads-ups as notes and meetings with everyone’s attendance; Liaison wins for both', async () => {
    const contact = (await lookup('jane.doe@acme-corp.com')).contact;
    const flag = (await call(hub.a.member.token, 'POST', `/v1/contacts/${contact.id}/flags`, { kind: 'open-service-issue', note: 'Checkout outage' })).body;
    const notes = () => fake.objects('notes').filter((n) => (n.properties.hs_note_body ?? '').includes(`liaison:f:${flag.id}`));
    await until('the heads-up note', () => notes().length === 1);
    expect(notes()[0]!.properties.hs_note_body).toMatch(/open service issue[\s\S]*Checkout outage/);
    await call(admin(), 'POST', `/v1/flags/${flag.id}/close`);
    await until('the note updated', () => /closed/.test(notes()[0]?.properties.hs_note_body ?? ''));
    // A heads-up on the whole company is a note on the company, and its resolution is written in when it is closed.
    const onAcme = (await call(hub.a.member.token, 'POST', `/v1/companies/${contact.company.id}/flags`, { kind: 'churn-risk', note: 'Budget cut', until: '2027-03-31T00:00:00Z' })).body;
    const companyNotes = () => fake.objects('notes').filter((n) => (n.properties.hs_note_body ?? '').includes(`liaison:f:${onAcme.id}`));
    await until('the company heads-up note', () => companyNotes().length === 1);
    expect(companyNotes()[0]!.properties.hs_note_body).toMatch(/churn risk \(on all of Acme Corp\)\nBudget cut\nUntil 2027-03-31/);
    expect(fake.associated('notes', companyNotes()[0]!.id, 'companies')).toEqual([acme.id]);
    expect(fake.associated('notes', companyNotes()[0]!.id, 'contacts')).toEqual([]);
    await call(admin(), 'POST', `/v1/flags/${onAcme.id}/close`, { resolution: 'Budget approved' });
    await until('the resolution in HubSpot', () => /Resolved: Budget approved/.test(companyNotes()[0]?.properties.hs_note_body ?? ''));
    expect(companyNotes()).toHaveLength(1);

    const meeting = await call(admin(), 'POST', '/v1/interactions', {
      kind: 'meeting', occurredAt: '2026-11-21T14:00:00.000Z', endsAt: '2026-11-21T15:00:00.000Z', subject: 'Quarterly review', sourceSite: 'gmail', sourceRef: 'invite-1',
      meeting: { icalUid: 'uid-quarterly@acme' },
      participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'raj.patel@acme-corp.com' }, { email: 'admin@alpha.example.com' }],
      attendance: [{ email: 'jane.doe@acme-corp.com', status: 'attended', rsvp: 'accepted' }, { email: 'raj.patel@acme-corp.com', status: 'no-show', rsvp: 'accepted' }],
    }, { 'idempotency-key': newKey() });
    const mid = meeting.body.interaction.id;
    const hsMeeting = () => fake.objects('meetings').find((m) => (m.properties.hs_meeting_body ?? '').includes(`liaison:i:${mid}`));
    await until('the meeting', () => !!hsMeeting());
    expect(hsMeeting()!.properties.hs_meeting_outcome).toBe('COMPLETED');
    expect(hsMeeting()!.properties.hs_meeting_body).toMatch(/Jane[\s\S]*attended[\s\S]*Raj[\s\S]*no-show/);
    // Someone edits the meeting's notes in HubSpot: the sync does not write that over Liaison's attendance…
    fake.update('meetings', hsMeeting()!.id, { hs_meeting_body: 'edited in HubSpot', hs_meeting_outcome: 'NO_SHOW' });
    await sync();
    const local = (await call(admin(), 'GET', `/v1/interactions/${mid}`)).body;
    expect(local.attendance.map((a: any) => a.status).sort()).toEqual(['attended', 'no-show']);
    // …and Liaison's next change to the attendance rewrites HubSpot's copy.
    await call(admin(), 'PUT', `/v1/interactions/${mid}/attendance`, { entries: [{ email: 'raj.patel@acme-corp.com', status: 'late' }] });
    await until('the meeting rewritten', () => /Raj[^\n]*late/.test(hsMeeting()?.properties.hs_meeting_body ?? ''));
    expect(fake.objects('meetings').filter((m) => (m.properties.hs_meeting_body ?? '').includes(`liaison:i:${mid}`))).toHaveLength(1);
  });

  it('contact fields: HubSpot wins when both changed; Liaison’s edit goes out when HubSpot’s did not change', async () => {
    const contact = (await lookup('raj.patel@acme-corp.com')).contact;
    const raj = fake.objects('contacts').find((c) => c.properties.email === 'raj.patel@acme-corp.com')!;
    await call(admin(), 'PATCH', `/v1/contacts/${contact.id}`, { title: 'Buyer' });
    await until('the title in HubSpot', () => raj.properties.jobtitle === 'Buyer');
    // Both change: HubSpot's value stands on both sides.
    fake.update('contacts', raj.id, { jobtitle: 'Head of Procurement' });
    await call(admin(), 'PATCH', `/v1/contacts/${contact.id}`, { title: 'Chief Buyer' });
    await sync();
    await until('HubSpot’s title in Liaison', async () => (await lookup('raj.patel@acme-corp.com')).contact.title === 'Head of Procurement');
    expect(raj.properties.jobtitle).toBe('Head of Procurement');
  });

  it('a contact created in Liaison is created in HubSpot', async () => {
    const created = await call(admin(), 'POST', '/v1/contacts', { name: 'Nina Novak', emails: ['nina@acme-corp.com'], title: 'CFO' });
    expect(created.status).toBe(201);
    await until('Nina in HubSpot', () => fake.objects('contacts').some((c) => c.properties.email === 'nina@acme-corp.com'));
    const nina = fake.objects('contacts').find((c) => c.properties.email === 'nina@acme-corp.com')!;
    expect(nina.properties).toMatchObject({ firstname: 'Nina', lastname: 'Novak', jobtitle: 'CFO' });
    expect(fake.associated('contacts', nina.id, 'companies')).toEqual([acme.id]);
  });

  it('reflects changes, merges and deletions made in HubSpot', async () => {
    fake.update('contacts', jane.id, { jobtitle: 'COO' });
    const p1 = fake.objects('contacts').find((c) => c.properties.email === 'person1@globex.example')!;
    const p2 = fake.objects('contacts').find((c) => c.properties.email === 'person2@globex.example')!;
    const p3 = fake.objects('contacts').find((c) => c.properties.email === 'person3@globex.example')!;
    const before2 = (await lookup('person2@globex.example')).contact.id;
    fake.mergeContacts(p1.id, p2.id);
    fake.archive('contacts', p3.id);
    const contract = fake.objects('tasks').find((t) => t.properties.hs_task_subject === 'Send the contract')!;
    fake.update('tasks', contract.id, { hs_task_subject: 'Send the signed contract', hs_task_status: 'COMPLETED' });
    await sync();
    await until('the task done in HubSpot done here', async () =>
      (await call(admin(), 'GET', '/v1/tasks?status=all')).body.items.some((t: any) => t.title === 'Send the signed contract' && t.doneAt !== null),
    );
    expect((await call(admin(), 'GET', '/v1/tasks?status=all')).body.items.filter((t: any) => /Send the (signed )?contract/.test(t.title))).toHaveLength(1);
    await until('Jane’s new title', async () => (await lookup('jane.doe@acme-corp.com')).contact.title === 'COO');
    await until('the merge', async () => (await lookup('person2@globex.example')).contact?.emails.length === 2);
    const merged = await lookup('person2@globex.example');
    expect(merged.contact.emails.sort()).toEqual(['person1@globex.example', 'person2@globex.example']);
    expect(merged.contact.id).not.toBe(before2);
    await until('the deletion', async () => (await lookup('person3@globex.example')).contact === null);
  });

  it('a 401 pauses the connector with a clear message; a new token resumes it and what waited goes out', async () => {
    fake.revoke();
    const res = await call(admin(), 'POST', '/v1/interactions', emailLog({ subject: 'While revoked', sourceRef: 'thread-401' }), { 'idempotency-key': newKey() });
    const id = res.body.interaction.id;
    await until('paused', async () => (await status()).state === 'paused');
    const s = await status();
    expect(s).toMatchObject({ pausedBy: 'unauthorized' });
    expect(s.message).toMatch(/401/);
    fake.token = fake.token.replace(/^revoked-/, '');
    expect((await call(admin(), 'PUT', '/v1/connectors/hubspot', { token: fake.token })).body.state).toBe('active');
    await until('the waiting log', () => emailsWith(`liaison:i:${id}`).length === 1, 30_000);
  });

  it('disconnect forgets the token; reconnecting the same account duplicates nothing', async () => {
    const countBefore = fake.objects('emails').length;
    const contactsBefore = fake.objects('contacts').length;
    const d = await call(admin(), 'DELETE', '/v1/connectors/hubspot');
    expect(d.body.state).toBe('disconnected');
    const [row] = await hub.db.query<{ ct: Buffer | null }>('SELECT token_ciphertext AS ct FROM connectors');
    expect(row!.ct).toBeNull();
    const res = await call(admin(), 'POST', '/v1/interactions', emailLog({ subject: 'While disconnected', sourceRef: 'thread-off' }), { 'idempotency-key': newKey() });
    const id = res.body.interaction.id;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(emailsWith(`liaison:i:${id}`)).toHaveLength(0);
    await call(admin(), 'PUT', '/v1/connectors/hubspot', { token: fake.token });
    await until('the log made while disconnected', () => emailsWith(`liaison:i:${id}`).length === 1, 30_000);
    await sync();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fake.objects('emails').length).toBe(countBefore + 1);
    expect(fake.objects('contacts').length).toBe(contactsBefore);
    const [{ n }] = (await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM interactions WHERE subject = 'Quote for 2027'")) as [{ n: number }];
    expect(n).toBe(1);
    // The audit log has who connected, disconnected and connected again, with what they chose — never the token.
    const audit = (await call(admin(), 'GET', '/v1/audit?limit=100')).body.items as { action: string; target: string; details: Record<string, unknown> }[];
    const crm = audit.filter((e) => e.action.startsWith('crm.')).map((e) => e.action);
    expect(crm.slice(0, 2)).toEqual(['crm.connect', 'crm.disconnect']);
    expect(crm).toContain('crm.connect');
    expect(JSON.stringify(audit)).not.toContain(fake.token);
  });

  it('sends 90 days of the past by default, after today’s writes; the admin widens or narrows it and sees its progress', async () => {
    // Team B records customer history before connecting the same HubSpot account.
    const b = () => hub.b.admin.token;
    const bStatus = async () => (await call(b(), 'GET', '/v1/connectors/hubspot')).body;
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const bLog = async (subject: string, days: number) =>
      (await call(b(), 'POST', '/v1/interactions', emailLog({ subject, sourceRef: `b-${subject}`, occurredAt: daysAgo(days), participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'admin@beta.example.com' }] }), { 'idempotency-key': newKey() })).body.interaction.id as string;
    const bJane = (await call(b(), 'POST', '/v1/contacts', { name: 'Jane Doe', emails: ['jane.doe@acme-corp.com'] })).body.id;
    const recent = await bLog('B recent', 10);
    const old = await bLog('B old', 200);
    const older = await bLog('B older', 400);
    const flag = (await call(b(), 'POST', `/v1/contacts/${bJane}/flags`, { kind: 'key-account' })).body.id;
    await hub.db.query(`UPDATE flags SET set_at = now() - interval '300 days' WHERE id = $1`, [flag]);
    const task = (await call(b(), 'POST', '/v1/tasks', { title: 'B done long ago', contactId: bJane })).body.id;
    await call(b(), 'POST', `/v1/tasks/${task}/complete`);
    await hub.db.query(`UPDATE tasks SET created_at = now() - interval '210 days', done_at = now() - interval '200 days' WHERE id = $1`, [task]);
    const sent = (id: string, kind: 'i' | 'f' | 't' = 'i') =>
      [...fake.objects('emails'), ...fake.objects('notes'), ...fake.objects('tasks')].filter((e) =>
        Object.values(e.properties).some((v) => typeof v === 'string' && v.includes(`liaison:${kind}:${id}`)),
      ).length;

    // Connecting with no choice: the last 90 days, and open heads-ups whatever their age.
    const put = await call(b(), 'PUT', '/v1/connectors/hubspot', { token: fake.token });
    expect(put.status).toBe(200);
    expect(put.body.history).toMatchObject({ days: 90, queued: 2 });
    expect(Date.parse(put.body.history.from)).toBeGreaterThan(Date.now() - 91 * 86_400_000);
    await until('the recent log and the open heads-up', () => sent(recent) === 1 && sent(flag, 'f') === 1, 30_000);
    await until('the progress', async () => (await bStatus()).history.sent === 2);
    expect((await bStatus()).history).toMatchObject({ queued: 2, sent: 2, waiting: 0, failed: 0, minSecondsLeft: 0 });

    // Paused, the admin widens it to a year: the older log and the task done 200 days ago wait, behind today's log.
    await call(b(), 'POST', '/v1/connectors/hubspot/pause');
    const widened = await call(b(), 'POST', '/v1/connectors/hubspot/history', { days: 365 });
    expect(widened.status).toBe(200);
    expect(widened.body.history).toMatchObject({ days: 365, queued: 4, sent: 2, waiting: 2 });
    expect(widened.body.history.minSecondsLeft).toBeGreaterThan(0);
    const today = await bLog('B today', 0);
    const bConnector = (await hub.db.query<{ id: string }>('SELECT id::text AS id FROM connectors WHERE team_id = $1', [hub.b.id]))[0]!.id;
    const priorities = async () =>
      new Map(
        (
          await hub.db.query<{ local: string; priority: number }>(
            `SELECT DISTINCT ON (data->>'localId') data->>'localId' AS local, priority FROM pgboss.job
              WHERE name = 'connector-push' AND data->>'connectorId' = $1 ORDER BY data->>'localId', created_on DESC`,
            [bConnector],
          )
        ).map((r) => [r.local, r.priority]),
      );
    await until('the jobs queued', async () => (await priorities()).has(today));
    const queued = await priorities();
    expect(queued.get(today)).toBeGreaterThan(queued.get(old)!);
    expect(queued.get(old)).toBe(queued.get(task));

    // …then thinks better of it: nothing more of the past. What waited is not sent; today's log is.
    const narrowed = await call(b(), 'POST', '/v1/connectors/hubspot/history', { days: 0 });
    expect(narrowed.body.history).toMatchObject({ days: 0, queued: 2, sent: 2, waiting: 0 });
    await call(b(), 'POST', '/v1/connectors/hubspot/resume');
    await until('today’s log', () => sent(today) === 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect([sent(old), sent(older), sent(task, 't')]).toEqual([0, 0, 0]);
    expect((await call(b(), 'GET', `/v1/interactions/${old}`)).body.external ?? []).toEqual([]);

    // Everything after all: the rest goes out, once each.
    const all = await call(b(), 'POST', '/v1/connectors/hubspot/history', { days: null });
    expect(all.body.history).toMatchObject({ days: null, from: null, queued: 5 });
    await until('the whole past', () => sent(old) === 1 && sent(older) === 1 && sent(task, 't') === 1, 30_000);
    await until('all of it counted as sent', async () => (await bStatus()).history.sent === 5);
    expect([sent(recent), sent(flag, 'f'), sent(today)]).toEqual([1, 1, 1]);
    // Reconnecting the same account (a rotated token) keeps the choice.
    expect((await call(b(), 'PUT', '/v1/connectors/hubspot', { token: fake.token })).body.history).toMatchObject({ days: null });
    expect((await call(b(), 'PUT', '/v1/connectors/hubspot', { token: fake.token, historyDays: 0 })).status).toBe(200);
    expect((await call(b(), 'PUT', '/v1/connectors/hubspot', { token: fake.token, historyDays: -1 })).body.error.field).toBe('historyDays');
  });

  it('never shows the token in an answer or a log line', () => {
    const secret = fake.token;
    expect(answers.join('\n')).not.toContain(secret);
    expect(logged.join('\n')).not.toContain(secret);
    expect(logged.length).toBeGreaterThan(0);
  });
});
