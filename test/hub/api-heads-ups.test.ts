/**
 * Issue 12 at the hub: heads-ups (flags) on a contact or a whole company, closed with a resolution and then an entry
 * of the timeline; tasks per contact and per assignee; ownership that is never silently taken from whoever claimed
 * it first; retried writes that count once; and the team's change counter browsers poll (GET /v1/changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

describe(`heads-ups, tasks, ownership and the change counter (${engineName})`, () => {
  let hub: HubFixture;
  let jane: { id: string; company: { id: string } };
  let raj: string;
  let other: string;
  const admin = () => hub.a.admin.token;
  const support = () => hub.a.member.token;
  const count = async (sql: string, params: unknown[] = []) => (await hub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;
  const lookup = async (email: string) => (await hub.call(admin(), 'POST', '/v1/lookup', { emails: [email] })).body.results[0].contact;
  const version = async (token = admin()) => (await hub.call(token, 'GET', '/v1/changes')).body.version as string;

  beforeAll(async () => {
    hub = await makeHub();
    jane = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Jane Doe', emails: ['jane.doe@acme-corp.com'] })).body;
    raj = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Raj Patel', emails: ['raj.patel@acme-corp.com'] })).body.id;
    other = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Lee Chen', emails: ['lee@initech.example'] })).body.id;
  });
  afterAll(() => hub.close());

  it('raises a heads-up on a contact: who, their department and when come with it, at the top of the lookup', async () => {
    const res = await hub.call(support(), 'POST', `/v1/contacts/${jane.id}/flags`, { kind: 'open-service-issue', note: 'Ticket 4711: EU outage' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'open-service-issue', note: 'Ticket 4711: EU outage', open: true, scope: 'contact', contactId: jane.id, company: null, until: null,
      setBy: { name: 'Alpha Support', department: 'support' }, closedBy: null, resolution: null,
    });
    const contact = await lookup('jane.doe@acme-corp.com');
    expect(contact.openFlags).toEqual([res.body]);
    expect((await lookup('raj.patel@acme-corp.com')).openFlags).toEqual([]);
  });

  it('raises a company heads-up that shows on every contact of that company, and on nobody else', async () => {
    const res = await hub.call(support(), 'POST', `/v1/companies/${jane.company.id}/flags`, { kind: 'churn-risk', note: 'Unhappy with the outage' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ scope: 'company', contactId: null, company: { id: jane.company.id, name: 'Acme Corp' }, open: true });
    for (const email of ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com']) {
      expect((await lookup(email)).openFlags).toContainEqual(res.body);
    }
    expect((await lookup('lee@initech.example')).openFlags).toEqual([]);
    // Newest first: the company heads-up was raised after Jane's own.
    expect((await lookup('jane.doe@acme-corp.com')).openFlags.map((f: any) => f.kind)).toEqual(['churn-risk', 'open-service-issue']);
    expect((await hub.call(admin(), 'POST', '/v1/companies/999999999/flags', { kind: 'churn-risk' })).status).toBe(404);
  });

  it('closes a heads-up with a resolution: it leaves the card and becomes an entry of the timeline', async () => {
    const raised = (await hub.call(support(), 'POST', `/v1/contacts/${raj}/flags`, { kind: 'billing-issue', note: 'Invoice 88 disputed' })).body;
    const closed = await hub.call(admin(), 'POST', `/v1/flags/${raised.id}/close`, { resolution: 'Credit note sent' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ open: false, resolution: 'Credit note sent', closedBy: { name: 'Alpha Admin', department: 'sales' } });
    expect((await lookup('raj.patel@acme-corp.com')).openFlags.map((f: any) => f.id)).not.toContain(raised.id);
    const page = await hub.call(admin(), 'GET', `/v1/contacts/${raj}/timeline`);
    expect(page.body.endedFlags).toEqual([closed.body]);
    // A bare POST (no body) still closes, and closing again changes nothing.
    const again = await hub.call(support(), 'POST', `/v1/flags/${raised.id}/close`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(closed.body);
  });

  it('settles two people closing one heads-up at once: one closer, one resolution, the same answer to both', async () => {
    for (let round = 0; round < 5; round++) {
      const raised = (await hub.call(support(), 'POST', `/v1/contacts/${other}/flags`, { kind: 'open-service-issue', note: `Round ${round}` })).body;
      const [a, b] = await Promise.all([
        hub.call(admin(), 'POST', `/v1/flags/${raised.id}/close`, { resolution: 'Fixed by sales' }),
        hub.call(support(), 'POST', `/v1/flags/${raised.id}/close`, { resolution: 'Fixed by support' }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body).toEqual(b.body);
      expect(['Fixed by sales', 'Fixed by support']).toContain(a.body.resolution);
      expect(a.body.closedBy.name).toBe(a.body.resolution === 'Fixed by sales' ? 'Alpha Admin' : 'Alpha Support');
    }
  });

  it('lets a heads-up lapse at its until date: no longer open, on the timeline from then', async () => {
    const past = (await hub.call(support(), 'POST', `/v1/contacts/${other}/flags`, { kind: 'do-not-contact', until: '2020-01-01T00:00:00Z' })).body;
    const future = (await hub.call(support(), 'POST', `/v1/contacts/${other}/flags`, { kind: 'do-not-contact', until: '2999-01-01T00:00:00+02:00' })).body;
    expect(past).toMatchObject({ open: false, until: '2020-01-01T00:00:00.000Z', closedAt: null });
    expect(future).toMatchObject({ open: true, until: '2998-12-31T22:00:00.000Z' });
    const open = (await lookup('lee@initech.example')).openFlags.map((f: any) => f.id);
    expect(open).toContain(future.id);
    expect(open).not.toContain(past.id);
    const ended = (await hub.call(admin(), 'GET', `/v1/contacts/${other}/timeline`)).body.endedFlags.map((f: any) => f.id);
    expect(ended).toContain(past.id);
    expect(ended).not.toContain(future.id);
  });

  it('puts each ended heads-up on exactly one timeline page, beside the interactions of its time', async () => {
    const email = 'paged@pages.example';
    const id = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Paged Person', emails: [email] })).body.id;
    for (let day = 1; day <= 9; day++) {
      await hub.call(admin(), 'POST', '/v1/interactions', emailLog({ occurredAt: `2026-10-0${day}T10:00:00Z`, subject: `Day ${day}`, sourceRef: `paged-${day}`, participants: [{ email }] }), { 'idempotency-key': newKey() });
    }
    // Heads-ups that ended between the interactions (their `until` lies in the past), and one closed today.
    const endings = ['2026-10-02T12:00:00Z', '2026-10-05T12:00:00Z', '2026-10-08T12:00:00Z', '2026-09-01T00:00:00Z'];
    const flags = [];
    for (const until of endings) flags.push((await hub.call(support(), 'POST', `/v1/contacts/${id}/flags`, { kind: 'churn-risk', until })).body.id);
    const today = (await hub.call(support(), 'POST', `/v1/contacts/${id}/flags`, { kind: 'billing-issue' })).body.id;
    await hub.call(support(), 'POST', `/v1/flags/${today}/close`, { resolution: 'paid' });
    const seen: string[] = [];
    const pages: { subjects: string[]; flags: string[] }[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await hub.call(admin(), 'GET', `/v1/contacts/${id}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
      pages.push({ subjects: page.items.map((i: any) => i.subject), flags: page.endedFlags.map((f: any) => f.id) });
      seen.push(...page.endedFlags.map((f: any) => f.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...flags, today].sort());
    expect(pages[0]).toEqual({ subjects: ['Day 9', 'Day 8', 'Day 7'], flags: [today, flags[2]] });
    expect(pages[1]).toEqual({ subjects: ['Day 6', 'Day 5', 'Day 4'], flags: [flags[1]] });
    expect(pages[2]).toEqual({ subjects: ['Day 3', 'Day 2', 'Day 1'], flags: [flags[0], flags[3]] });
  });

  it('raises a heads-up once however often a retry sends it with one key, and refuses the key for another request', async () => {
    const key = newKey();
    const before = await count('flags WHERE contact_id = $1', [raj]);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => hub.call(support(), 'POST', `/v1/contacts/${raj}/flags`, { kind: 'key-account', note: 'Retried' }, { 'idempotency-key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count('flags WHERE contact_id = $1', [raj])).toBe(before + 1);
    const elsewhere = await hub.call(support(), 'POST', `/v1/contacts/${other}/flags`, { kind: 'key-account', note: 'Retried' }, { 'idempotency-key': key });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.field).toBe('Idempotency-Key');
    const taskKey = newKey();
    const tasks = await Promise.all(
      Array.from({ length: 5 }, () => hub.call(admin(), 'POST', '/v1/tasks', { title: 'Once only', contactId: raj }, { 'idempotency-key': taskKey })),
    );
    expect(new Set(tasks.map((t) => t.body.id)).size).toBe(1);
    expect(await count("tasks WHERE title = 'Once only'")).toBe(1);
    expect((await hub.call(admin(), 'POST', '/v1/tasks', { title: 'x' }, { 'idempotency-key': 'short' })).body.error.field).toBe('Idempotency-Key');
  });

  it('lists a contact’s open tasks (mine and the team’s) and a member’s, overdue first, with the contact named', async () => {
    const t = (title: string, over: Record<string, unknown> = {}) => hub.call(admin(), 'POST', '/v1/tasks', { title, contactId: jane.id, ...over });
    const later = (await t('Later', { dueAt: '2999-01-01T09:00:00Z' })).body;
    const overdue = (await t('Overdue', { dueAt: '2020-01-01T09:00:00Z' })).body;
    const undated = (await t('Undated')).body;
    const supports = (await t('For support', { assigneeId: hub.a.member.id, dueAt: '2026-12-01T09:00:00Z' })).body;
    const elsewhere = (await hub.call(admin(), 'POST', '/v1/tasks', { title: 'Not Jane', contactId: other })).body;
    await hub.call(admin(), 'POST', `/v1/tasks/${undated.id}/complete`);
    const forJane = (await hub.call(support(), 'GET', `/v1/tasks?contactId=${jane.id}`)).body.items.map((x: any) => x.id);
    expect(forJane).toEqual([overdue.id, supports.id, later.id]);
    expect(forJane).not.toContain(elsewhere.id);
    const mine = (await hub.call(admin(), 'GET', `/v1/tasks?assignee=me&contactId=${jane.id}`)).body.items.map((x: any) => x.id);
    expect(mine).toEqual([overdue.id, later.id]);
    const theirs = (await hub.call(admin(), 'GET', `/v1/tasks?assigneeId=${hub.a.member.id}`)).body.items;
    expect(theirs.map((x: any) => x.id)).toEqual([supports.id]);
    expect(theirs[0]).toMatchObject({ assignee: { name: 'Alpha Support' }, contact: { id: jane.id, name: 'Jane Doe', email: 'jane.doe@acme-corp.com' } });
    const done = (await hub.call(admin(), 'GET', `/v1/tasks?status=done&contactId=${jane.id}`)).body.items.map((x: any) => x.id);
    expect(done).toEqual([undated.id]);
  });

  it('makes me the owner, hands the contact to a colleague, and never takes it from someone who claimed it first', async () => {
    const id = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Owned', emails: ['owned@owners.example'] })).body.id;
    const mine = await hub.call(admin(), 'PUT', `/v1/contacts/${id}/owner`, { ownerId: hub.a.admin.id, expectedOwnerId: null });
    expect(mine.status).toBe(200);
    expect(mine.body.owner.name).toBe('Alpha Admin');
    // The same request again (a retry) is answered the same.
    expect((await hub.call(admin(), 'PUT', `/v1/contacts/${id}/owner`, { ownerId: hub.a.admin.id, expectedOwnerId: null })).status).toBe(200);
    // Support saw it unowned a moment ago and claims it: refused, naming who owns it now.
    const late = await hub.call(support(), 'PUT', `/v1/contacts/${id}/owner`, { ownerId: hub.a.member.id, expectedOwnerId: null });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'owner_changed', field: 'expectedOwnerId' });
    expect(late.body.error.message).toMatch(/Alpha Admin/);
    const handed = await hub.call(admin(), 'PUT', `/v1/contacts/${id}/owner`, { ownerId: hub.a.member.id, expectedOwnerId: hub.a.admin.id });
    expect(handed.body.owner.name).toBe('Alpha Support');
    expect((await hub.call(admin(), 'PUT', `/v1/contacts/${id}/owner`, { ownerId: hub.b.admin.id })).body.error.field).toBe('ownerId');
    // Two claims of an unowned contact at once: one wins, the other is told.
    for (let round = 0; round < 5; round++) {
      const c = (await hub.call(admin(), 'POST', '/v1/contacts', { name: `Race ${round}`, emails: [`race${round}@owners.example`] })).body.id;
      const results = await Promise.all([
        hub.call(admin(), 'PUT', `/v1/contacts/${c}/owner`, { ownerId: hub.a.admin.id, expectedOwnerId: null }),
        hub.call(support(), 'PUT', `/v1/contacts/${c}/owner`, { ownerId: hub.a.member.id, expectedOwnerId: null }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.owner.id;
      expect((await hub.call(admin(), 'GET', `/v1/contacts/${c}`)).body.owner.id).toBe(winner);
    }
  });

  it('leaves a contact someone owns to them and the admins; one nobody owns, anyone may change or take', async () => {
    const c = (await hub.call(admin(), 'POST', '/v1/contacts', { name: 'Kept', title: 'CTO', emails: ['kept@owners.example'] })).body.id;
    // Nobody owns it: a member may edit it and take it.
    expect((await hub.call(support(), 'PATCH', `/v1/contacts/${c}`, { title: 'CIO' })).status).toBe(200);
    expect((await hub.call(support(), 'PUT', `/v1/contacts/${c}/owner`, { ownerId: hub.a.member.id, expectedOwnerId: null })).status).toBe(200);
    // Now the support member owns it: the admin may still change it; hand it to the admin.
    expect((await hub.call(admin(), 'PATCH', `/v1/contacts/${c}`, { title: 'CEO' })).status).toBe(200);
    expect((await hub.call(support(), 'PUT', `/v1/contacts/${c}/owner`, { ownerId: hub.a.admin.id, expectedOwnerId: hub.a.member.id })).status).toBe(200);
    // The admin owns it: the support member can neither edit it nor take it back.
    const edit = await hub.call(support(), 'PATCH', `/v1/contacts/${c}`, { title: 'Intern' });
    expect(edit.status).toBe(403);
    expect(edit.body.error).toMatchObject({ code: 'not_owner' });
    expect(edit.body.error.message).toContain('Alpha Admin');
    const take = await hub.call(support(), 'PUT', `/v1/contacts/${c}/owner`, { ownerId: hub.a.member.id, expectedOwnerId: hub.a.admin.id });
    expect(take.status).toBe(403);
    const after = (await hub.call(support(), 'GET', `/v1/contacts/${c}`)).body;
    expect(after).toMatchObject({ title: 'CEO', owner: { id: hub.a.admin.id } });
    // Everyone can still raise a heads-up on it.
    expect((await hub.call(support(), 'POST', `/v1/contacts/${c}/flags`, { kind: 'billing-issue', note: 'Invoice disputed' })).status).toBe(201);
  });

  it('edits title and company', async () => {
    const res = await hub.call(admin(), 'PATCH', `/v1/contacts/${raj}`, { title: 'CTO', company: 'Acme Holdings' });
    expect(res.body).toMatchObject({ title: 'CTO', company: { name: 'Acme Holdings' } });
  });

  it('moves the change counter with each change to heads-ups, tasks and contacts, once per request, per team only', async () => {
    const start = await version();
    const bVersion = await version(hub.b.admin.token);
    const moves = async (what: string, change: () => Promise<unknown>) => {
      const before = await version();
      await change();
      const after = await version();
      expect(after, what).not.toBe(before);
      expect(Number(after.split('.')[1]), what).toBe(Number(before.split('.')[1]) + 1);
    };
    const flag = (await hub.call(support(), 'POST', `/v1/contacts/${jane.id}/flags`, { kind: 'key-account' })).body;
    await moves('close', () => hub.call(admin(), 'POST', `/v1/flags/${flag.id}/close`, {}));
    await moves('raise', () => hub.call(support(), 'POST', `/v1/companies/${jane.company.id}/flags`, { kind: 'key-account' }));
    await moves('task', () => hub.call(admin(), 'POST', '/v1/tasks', { title: 'Counted', contactId: jane.id }));
    await moves('contact with an address and a new company', () => hub.call(admin(), 'POST', '/v1/contacts', { name: 'N', emails: ['n@newco-counter.example'] }));
    await moves('edit', () => hub.call(admin(), 'PATCH', `/v1/contacts/${jane.id}`, { title: 'COO' }));
    const quiet = await version();
    await hub.call(admin(), 'POST', '/v1/interactions', emailLog({ sourceRef: 'not-counted', subject: 'Not counted' }), { 'idempotency-key': newKey() });
    expect(await version(), 'a logged conversation is not a change the counter tracks').toBe(quiet);
    expect(await version(hub.b.admin.token), 'team B is untouched').toBe(bVersion);
    expect(start.startsWith(`${hub.a.id}.`)).toBe(true);
  });

  it('answers an unchanged team 304 with no body, by its ETag', async () => {
    const first = await hub.call(admin(), 'GET', '/v1/changes');
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe(`"${first.body.version}"`);
    const unchanged = await hub.call(admin(), 'GET', '/v1/changes', undefined, { 'if-none-match': String(first.headers.etag) });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeNull();
    await hub.call(support(), 'POST', `/v1/contacts/${raj}/flags`, { kind: 'churn-risk' });
    const changed = await hub.call(admin(), 'GET', '/v1/changes', undefined, { 'if-none-match': String(first.headers.etag) });
    expect(changed.status).toBe(200);
    expect(changed.body.version).not.toBe(first.body.version);
  });

  it('documents every new route in /openapi.json', async () => {
    const doc = (await hub.call(null, 'GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/companies/{id}/flags'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/v1/contacts/{id}/owner'])).toEqual(['put']);
    expect(Object.keys(doc.paths['/v1/changes'])).toEqual(['get']);
    expect(doc.paths['/v1/flags/{id}/close'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/tasks'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['contactId', 'assigneeId']));
  });
});
