/**
 * Team insights (issue 14) on data with known answers: the demo team (the IT colleagues who skip the implementation
 * meeting, the salesperson who mailed a customer with an open service issue, adoption counts), and a small team
 * built here call by call for every section of "needs attention", adoption's privacy rules and customer search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, issueToken } from '../../hub/auth.ts';
import { buildServer } from '../../hub/server.ts';
import type { Db } from '../../hub/db/index.ts';
import { seedDemo } from '../../hub/seed/demo.ts';
import { DESPITE_SUBJECT, IMPLEMENTATION_SUBJECT } from '../../hub/seed/demo-insights.ts';
import type { AdoptionReport, AttentionReport, CompanyPage, CustomerSearchResult, MeetingsReport } from '../../shared/insights-types.ts';
import { engineName, freshDb } from './helpers/db.ts';
import { makeHub, newKey, type HubFixture } from './helpers/hub.ts';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

describe(`insights on the demo team (${engineName})`, () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const now = Date.now();
  const get = async (who: string, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[who]}` } });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const period = `from=${iso(now - 60 * DAY)}&to=${iso(now + DAY)}`;

  beforeAll(async () => {
    db = await freshDb();
    const seeded = await seedDemo(db, { now: new Date(now) });
    const members = await db.query<{ id: string; email: string }>('SELECT id, email FROM members WHERE team_id = $1', [seeded.teamId]);
    for (const m of members) {
      const key = m.email.split('@')[0]!;
      ids[key] = m.id;
      tokens[key] = (await issueToken(db, seeded.teamId, m.id, 'test')).token;
    }
    app = await buildServer({ db, edge: { authFailuresPerMinute: 0, tokenRequestsPerMinute: 0, signInPerMinute: 0 } });
    await app.ready();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('shows the two IT colleagues skipping the weekly implementation meeting', async () => {
    const { status, body } = await get('lee', `/v1/reports/meetings?${period}&department=it`);
    expect(status).toBe(200);
    const r = body as MeetingsReport;
    const ben = r.members.find((m) => m.member.name === 'Ben Okafor')!;
    // Ben is invited to nothing else: exactly the eight check-ins.
    expect(ben.counts).toEqual({ recorded: 8, attended: 1, late: 1, noShow: 5, excused: 1 });
    expect(ben.repeatNoShow).toBe(true);
    const ana = r.members.find((m) => m.member.name === 'Ana Costa')!;
    expect(ana.counts.noShow).toBeGreaterThanOrEqual(4);
    expect(ana.repeatNoShow).toBe(true);
    expect(r.members.every((m) => m.member.department === 'it')).toBe(true);
    expect(r.departments.map((d) => d.department)).toEqual(['it']);
    const newest = r.meetings.find((m) => m.subject === IMPLEMENTATION_SUBJECT)!;
    expect(newest.attendees.filter((a) => a.status === 'no-show').map((a) => a.name).sort()).toEqual(['Ana Costa', 'Ben Okafor']);
    expect(r.meetings.filter((m) => m.subject === IMPLEMENTATION_SUBJECT)).toHaveLength(8);
    expect(r.logged.total).toBeGreaterThanOrEqual(8);
  });

  it('shows the salesperson who mailed a customer with an open service issue, and not support working it', async () => {
    const { body } = await get('dana', `/v1/reports/attention?${period}`);
    const r = body as AttentionReport;
    const row = r.contactedDespite.find((x) => x.interaction.subject === DESPITE_SUBJECT)!;
    expect(row).toBeDefined();
    expect(row.by.name).toBe('Sam Lee');
    expect(row.flag.kind).toBe('open-service-issue');
    expect(Date.parse(row.interaction.occurredAt)).toBeGreaterThan(Date.parse(row.flag.setAt));
    // Tom (support) mailed Jane about the outage after flagging her: that is the work, not a warning.
    expect(r.contactedDespite.some((x) => x.by.department === 'support' && x.flag.kind === 'open-service-issue')).toBe(false);
    expect(r.openFlags.items.some((f) => f.contact.name === 'Jane Doe' && f.kind === 'open-service-issue' && f.setBy.name === 'Tom Becker')).toBe(true);
    expect(r.openFlags.byKind.reduce((s, k) => s + k.total, 0)).toBe(r.openFlags.items.length);
    expect(r.overdueTasks.items.every((t) => Date.parse(t.dueAt) < Date.now())).toBe(true);
    // Narrowed to sales, the row stays; narrowed to marketing, it goes.
    expect(((await get('dana', `/v1/reports/attention?${period}&department=sales`)).body as AttentionReport).contactedDespite.some((x) => x.interaction.subject === DESPITE_SUBJECT)).toBe(true);
    expect(((await get('dana', `/v1/reports/attention?${period}&department=marketing`)).body as AttentionReport).contactedDespite.some((x) => x.interaction.subject === DESPITE_SUBJECT)).toBe(false);
  });

  it("gives admins and leadership everyone's adoption, and a member their own only", async () => {
    const q = `from=${iso(now - 84 * DAY)}&to=${iso(now)}`;
    const admin = (await get('dana', `/v1/reports/adoption?${q}`)).body as AdoptionReport;
    expect(admin.scope).toBe('team');
    expect(admin.sharing).toBe('counts');
    expect(admin.members).toHaveLength(7);
    const sam = admin.members.find((m) => m.member.name === 'Sam Lee')!;
    expect(sam.trend).toBeGreaterThan(2);
    expect(sam.total.logged).toBeLessThanOrEqual(sam.total.seen);
    expect(admin.team.total.seen).toBe(admin.members.reduce((s, m) => s + m.total.seen, 0));
    expect(admin.departments.find((d) => d.department === 'sales')!.total.seen).toBe(
      admin.members.filter((m) => m.member.department === 'sales').reduce((s, m) => s + m.total.seen, 0),
    );
    const lead = (await get('lee', `/v1/reports/adoption?${q}&member=${ids.sam}`)).body as AdoptionReport;
    expect(lead.scope).toBe('team');
    expect(lead.members.map((m) => m.member.name)).toEqual(['Sam Lee']);
    expect(lead.team.total).toEqual(admin.team.total);
    // Sam asks for Dana's figures and the team's: he gets his own, and the team line is his too.
    const own = (await get('sam', `/v1/reports/adoption?${q}&member=${ids.dana}`)).body as AdoptionReport;
    expect(own.scope).toBe('self');
    expect(own.members.map((m) => m.member.name)).toEqual(['Sam Lee']);
    expect(own.team.total).toEqual(sam.total);
    const ownAll = (await get('ben', `/v1/reports/adoption?${q}&department=sales`)).body as AdoptionReport;
    expect(ownAll.members.map((m) => m.member.name)).toEqual(['Ben Okafor']);
    expect(JSON.stringify(ownAll)).not.toContain('Dana');
  });
});

describe(`insights on a team with known answers (${engineName})`, () => {
  let hub: HubFixture;
  const t = () => hub.a.admin.token;
  const ids: Record<string, string> = {};
  let marketing = '';
  let marketingId = '';
  const recent = iso(Date.now() - 2 * DAY);

  const logAs = (token: string, over: Record<string, unknown>) =>
    hub.call(token, 'POST', '/v1/interactions', { kind: 'email', occurredAt: recent, subject: 'Hello', ...over }, { 'idempotency-key': newKey() });

  beforeAll(async () => {
    hub = await makeHub();
    const added = await hub.call(t(), 'POST', '/v1/members', { name: 'Mia Market', email: 'mia@alpha.example.com', department: 'marketing' });
    marketing = added.body.token;
    marketingId = added.body.member.id;
    const contact = async (name: string, email: string, company: string, ownerId?: string) =>
      (await hub.call(t(), 'POST', '/v1/contacts', { name, emails: [email], company, ...(ownerId ? { ownerId } : {}) })).body.id as string;
    ids.jane = await contact('Jane Doe', 'jane.doe@acme-corp.com', 'Acme Corp', hub.a.admin.id);
    ids.mo = await contact('Mo Only', 'mo@marketing-only.example', 'Marketing Only Ltd', hub.a.admin.id);
    ids.so = await contact('Sol Only', 'sol@sales-only.example', 'Sales Only Ltd', hub.a.admin.id);
    ids.both = await contact('Bo Th', 'bo@both.example', 'Both Inc', hub.a.admin.id);
    ids.orphan = await contact('Nobody Owns', 'no@orphan.example', 'Orphan GmbH');
    await logAs(marketing, { kind: 'marketing', participants: [{ email: 'mo@marketing-only.example' }] });
    await logAs(t(), { participants: [{ email: 'sol@sales-only.example' }] });
    await logAs(marketing, { kind: 'marketing', participants: [{ email: 'bo@both.example' }] });
    await logAs(t(), { participants: [{ email: 'bo@both.example' }] });
    await logAs(t(), { participants: [{ email: 'no@orphan.example' }] });
    // Mia works Jane's account more than Jane's owner does.
    await logAs(marketing, { kind: 'marketing', participants: [{ email: 'jane.doe@acme-corp.com' }], subject: 'Webinar' });
    await logAs(marketing, { kind: 'marketing', participants: [{ email: 'jane.doe@acme-corp.com' }], subject: 'Summit' });
    // A do-not-contact heads-up on Sol (set 10 minutes ago), the admin mails Sol 5 minutes ago; the heads-up is closed
    // 3 minutes ago, and a mail a minute ago is fine again. The times are set outright: the database's clock keeps
    // microseconds and JavaScript's milliseconds, so "now" on both sides would race.
    const minutesAgo = (m: number) => iso(Date.now() - m * 60_000);
    const flag = await hub.call(t(), 'POST', `/v1/contacts/${ids.so}/flags`, { kind: 'do-not-contact', note: 'Asked us to stop' });
    ids.flag = flag.body.id;
    await hub.db.query('UPDATE flags SET set_at = $2 WHERE id = $1', [ids.flag, minutesAgo(10)]);
    await logAs(t(), { participants: [{ email: 'sol@sales-only.example' }], subject: 'After the heads-up', occurredAt: minutesAgo(5) });
    await hub.call(t(), 'POST', `/v1/flags/${ids.flag}/close`);
    await hub.db.query('UPDATE flags SET closed_at = $2 WHERE id = $1', [ids.flag, minutesAgo(3)]);
    await logAs(t(), { participants: [{ email: 'sol@sales-only.example' }], subject: 'After it was closed', occurredAt: minutesAgo(1) });
    await hub.call(t(), 'POST', '/v1/tasks', { title: 'Overdue call', dueAt: iso(Date.now() - 3 * DAY), assigneeId: hub.a.member.id, contactId: ids.jane });
    await hub.call(t(), 'POST', '/v1/tasks', { title: 'Future call', dueAt: iso(Date.now() + 3 * DAY), assigneeId: hub.a.member.id });
  });
  afterAll(() => hub.close());

  it('finds the account gaps between marketing and sales, and the ownership problems', async () => {
    const r = (await hub.call(t(), 'GET', '/v1/reports/attention')).body as AttentionReport;
    expect(r.marketingOnly.map((x) => x.company.name).sort()).toEqual(['Acme Corp', 'Marketing Only Ltd']);
    expect(r.salesOnly.map((x) => x.company.name).sort()).toEqual(['Orphan GmbH', 'Sales Only Ltd']);
    const own = new Map(r.ownership.map((o) => [o.company.name, o]));
    expect(own.get('Orphan GmbH')).toMatchObject({ reason: 'no-owner', interactions: 1, byOwners: 0, owners: [] });
    expect(own.get('Acme Corp')).toMatchObject({ reason: 'others', interactions: 2, byOwners: 0 });
    expect(own.get('Acme Corp')!.mostActive!.name).toBe('Mia Market');
    expect(own.has('Both Inc')).toBe(false); // half by the owner: not "mostly others"
    expect(own.has('Sales Only Ltd')).toBe(false);
    expect(r.contactedDespite.map((x) => [x.contact.name, x.flag.kind, x.interaction.subject])).toEqual([['Sol Only', 'do-not-contact', 'After the heads-up']]);
    expect(r.overdueTasks.items.map((x) => x.title)).toEqual(['Overdue call']);
    expect(r.overdueTasks.byAssignee).toEqual([{ assignee: expect.objectContaining({ id: hub.a.member.id }), overdue: 1, oldestDueAt: r.overdueTasks.items[0]!.dueAt }]);
    expect(r.openFlags.byKind).toEqual([]);
    // Narrowed to Mia: the accounts she is most active on.
    const mine = (await hub.call(t(), 'GET', `/v1/reports/attention?member=${marketingId}`)).body as AttentionReport;
    expect(mine.ownership.map((o) => o.company.name).sort()).toEqual(['Acme Corp', 'Marketing Only Ltd']);
    expect(mine.contactedDespite).toEqual([]);
  });

  it('counts a company heads-up for every contact of the company, and not after it lapsed', async () => {
    const bo = (await hub.call(t(), 'POST', '/v1/lookup', { emails: ['bo@both.example'] })).body.results[0].contact;
    // Logged before the heads-up was recorded, but after the moment it is dated from (set_at is moved back below):
    // matching the heads-up against the company's history finds it.
    await logAs(t(), { participants: [{ email: 'bo@both.example' }], subject: 'Before the heads-up was recorded', occurredAt: iso(Date.now() - 5 * 60_000) });
    const standing = await hub.call(t(), 'POST', `/v1/companies/${bo.company.id}/flags`, { kind: 'open-service-issue', note: 'Outage at Both' });
    expect(standing.status).toBe(201);
    await hub.db.query("UPDATE flags SET set_at = now() - interval '10 minutes' WHERE id = $1", [standing.body.id]);
    await logAs(t(), { participants: [{ email: 'bo@both.example' }], subject: 'Despite the company heads-up', occurredAt: iso(Date.now() - 60_000) });
    // A do-not-contact on Orphan's company that lapsed an hour ago: mailing them now is fine.
    const no = (await hub.call(t(), 'POST', '/v1/lookup', { emails: ['no@orphan.example'] })).body.results[0].contact;
    const lapsed = await hub.call(t(), 'POST', `/v1/companies/${no.company.id}/flags`, { kind: 'do-not-contact', note: 'Until the audit ends' });
    await hub.db.query("UPDATE flags SET set_at = now() - interval '2 hours', until = now() - interval '1 hour' WHERE id = $1", [lapsed.body.id]);
    await logAs(t(), { participants: [{ email: 'no@orphan.example' }], subject: 'After the heads-up lapsed', occurredAt: iso(Date.now() - 60_000) });

    const r = (await hub.call(t(), 'GET', '/v1/reports/attention')).body as AttentionReport;
    const rows = r.contactedDespite.map((x) => [x.contact.name, x.flag.kind, x.interaction.subject]);
    expect(rows).toContainEqual(['Bo Th', 'open-service-issue', 'Despite the company heads-up']);
    expect(rows).toContainEqual(['Bo Th', 'open-service-issue', 'Before the heads-up was recorded']);
    expect(rows.some(([, , subject]) => subject === 'After the heads-up lapsed')).toBe(false);
  });

  it('takes daily adoption counts only when the team allows it, and a day sent twice counts once', async () => {
    const day = { day: '2026-11-23', seen: 10, prompted: 6, loggedFromPrompt: 4, loggedLater: 1, loggedSidebar: 3, dismissed: 1, listed: 2 };
    const off = await hub.call(hub.a.member.token, 'POST', '/v1/adoption/daily', { days: [day] });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('adoption_sharing_off');
    expect((await hub.call(hub.a.member.token, 'PUT', '/v1/team/insights', { adoptionSharing: 'counts' })).status).toBe(403);
    expect((await hub.call(t(), 'PUT', '/v1/team/insights', { adoptionSharing: 'counts' })).body).toEqual({ adoptionSharing: 'counts' });
    expect((await hub.call(hub.a.member.token, 'GET', '/v1/team/insights')).body).toEqual({ adoptionSharing: 'counts' });
    for (let i = 0; i < 2; i++) expect((await hub.call(hub.a.member.token, 'POST', '/v1/adoption/daily', { days: [day] })).body).toEqual({ stored: 1 });
    await hub.call(hub.a.member.token, 'POST', '/v1/adoption/daily', { days: [{ ...day, seen: 12 }, { ...day, day: '2026-11-24', seen: 2, loggedFromPrompt: 1, loggedLater: 0, loggedSidebar: 0 }] });
    const q = 'from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z';
    const r = (await hub.call(t(), 'GET', `/v1/reports/adoption?${q}`)).body as AdoptionReport;
    const m = r.members.find((x) => x.member.id === hub.a.member.id)!;
    expect(m.total).toEqual({ seen: 14, logged: 9, prompted: 12, loggedFromPrompt: 5, loggedLater: 1, loggedSidebar: 3, dismissed: 2, listed: 4 });
    expect(m.weeks.map((w) => w.week)).toEqual(['2026-11-23']);
    expect(r.team.total.seen).toBe(14);
    // Team B's admin sees none of it.
    const b = (await hub.call(hub.b.admin.token, 'GET', `/v1/reports/adoption?${q}`)).body as AdoptionReport;
    expect(b.team.total.seen).toBe(0);
    expect(JSON.stringify(b)).not.toContain('Alpha');
    const bad = await hub.call(hub.a.member.token, 'POST', '/v1/adoption/daily', { days: [{ ...day, subject: 'x' }] });
    expect(bad.status).toBe(400);
    const backwards = await hub.call(t(), 'GET', '/v1/reports/adoption?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z');
    expect(backwards.status).toBe(400);
  });

  it('finds customers by name, address, company and domain, typos included', async () => {
    const search = async (q: string) => (await hub.call(t(), 'GET', `/v1/customers/search?q=${encodeURIComponent(q)}`)).body as CustomerSearchResult;
    expect((await search('Jane Deo')).contacts[0]!.name).toBe('Jane Doe');
    expect((await search('jane.doe@acme')).contacts[0]!.name).toBe('Jane Doe');
    expect((await search('Acme Crop')).companies[0]!.name).toBe('Acme Corp');
    expect((await search('orphan.example')).companies.map((c) => c.name)).toContain('Orphan GmbH');
    expect((await search('100%_')).contacts).toEqual([]);
    expect((await hub.call(hub.b.admin.token, 'GET', '/v1/customers/search?q=Jane%20Doe')).body.contacts).toEqual([]);
    expect((await hub.call(t(), 'GET', '/v1/customers/search?q=a')).status).toBe(400);
  });

  it('shows a company with its people, owners, heads-ups and timeline', async () => {
    const acme = (await hub.call(t(), 'GET', '/v1/customers/search?q=Acme')).body.companies[0].id as string;
    const page = (await hub.call(t(), 'GET', `/v1/companies/${acme}`)).body as CompanyPage;
    expect(page.company.domains).toEqual(['acme-corp.com']);
    expect(page.people.map((p) => p.name)).toEqual(['Jane Doe']);
    expect(page.owners.map((o) => [o.member.name, o.contacts])).toEqual([['Alpha Admin', 1]]);
    expect(page.totalInteractions).toBe(2);
    expect(page.countsByDepartment.marketing).toBe(2);
    const so = (await hub.call(t(), 'GET', '/v1/customers/search?q=Sales%20Only')).body.companies[0].id as string;
    expect((await hub.call(t(), 'GET', `/v1/companies/${so}`)).body.openFlags).toEqual([]); // Sol's was closed
    await hub.call(t(), 'POST', `/v1/contacts/${ids.jane}/flags`, { kind: 'key-account', note: 'Renewal due' });
    expect((await hub.call(t(), 'GET', `/v1/companies/${acme}`)).body.openFlags.map((f: any) => [f.kind, f.contact.name])).toEqual([['key-account', 'Jane Doe']]);
    const first = (await hub.call(t(), 'GET', `/v1/companies/${acme}/timeline?limit=1`)).body;
    expect(first.items.map((i: any) => i.subject)).toEqual(['Summit']);
    const second = (await hub.call(t(), 'GET', `/v1/companies/${acme}/timeline?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((i: any) => i.subject)).toEqual(['Webinar']);
    expect(second.nextCursor).toBeNull();
    expect((await hub.call(hub.b.admin.token, 'GET', `/v1/companies/${acme}`)).status).toBe(404);
  });

  it('is the same route for the web app', async () => {
    expect(await authenticate(hub.db, `Bearer ${t()}`)).not.toBeNull();
    const spec = (await hub.call(null, 'GET', '/openapi.json')).body;
    for (const p of ['/v1/reports/adoption', '/v1/reports/meetings', '/v1/reports/attention', '/v1/customers/search', '/v1/companies/{id}', '/v1/adoption/daily', '/v1/team/insights']) {
      expect(spec.paths[p], p).toBeDefined();
    }
  });
});
