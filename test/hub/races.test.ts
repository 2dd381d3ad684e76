/**
 * Races that an independent fault test found on a real PostgreSQL server, run here with real concurrency (25
 * pooled connections, requests in flight together) on the embedded server and on DATABASE_URL's:
 *  - logs arriving while their contact is being created must all join the contact's timeline;
 *  - twenty new contacts at one new domain make one company, and it owns the domain;
 *  - two contacts claiming the same addresses in opposite order: one wins, the other gets 409, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

describe(`races settled by locks and constraints (${engineName})`, () => {
  let hub: HubFixture;
  beforeAll(async () => {
    hub = await makeHub();
  });
  afterAll(() => hub.close());

  it('every log made while its contact is being created joins that contact timeline', async () => {
    for (let round = 0; round < 3; round++) {
      const email = `race-${round}@timeline-race.example`;
      const logs = Array.from({ length: 20 }, (_, i) =>
        hub.call(
          hub.a.member.token,
          'POST',
          '/v1/interactions',
          emailLog({ subject: `Race ${round}/${i}`, sourceRef: `race-${round}-${i}`, participants: [{ email }] }),
          { 'idempotency-key': newKey() },
        ),
      );
      // The contact is created in the middle of the stream of logs.
      const created = hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: `Racer ${round}`, emails: [email] });
      const results = await Promise.all([...logs, created]);
      expect(results.map((r) => r.status).sort()).toEqual([...Array(20).fill(201), 201].sort());
      const contactId = (await created).body.id as string;
      const page = await hub.call(hub.a.admin.token, 'GET', `/v1/contacts/${contactId}/timeline?limit=50`);
      expect(page.status).toBe(200);
      expect(page.body.items.map((i: { subject: string }) => i.subject).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `Race ${round}/${i}`).sort());
    }
  });

  it('twenty new contacts at one new domain make one company that owns the domain', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: `Person ${i}`, emails: [`person${i}@brand-new-domain.example`] })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const companies = await hub.db.query<{ id: string; name: string; domains: string[] }>(
      `SELECT co.id, co.name, array_remove(array_agg(cd.domain), NULL) AS domains FROM companies co
         LEFT JOIN company_domains cd ON cd.company_id = co.id WHERE co.team_id = $1 AND lower(co.name) LIKE 'brand new domain%'
        GROUP BY co.id, co.name`,
      [hub.a.id],
    );
    expect(companies).toHaveLength(1);
    expect(companies[0]!.domains).toEqual(['brand-new-domain.example']);
    const contacts = await hub.db.query<{ n: number; companies: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT company_id)::int AS companies FROM contacts c
         JOIN contact_emails ce ON ce.contact_id = c.id WHERE ce.email LIKE '%@brand-new-domain.example'`,
    );
    expect(contacts[0]).toEqual({ n: 20, companies: 1 });
  });

  it('twenty new contacts naming one new company make one company', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: `Named ${i}`, company: 'Zeta Works', emails: [`named${i}@gmail.com`] })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const [row] = await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM companies WHERE team_id = $1 AND lower(name) = 'zeta works'", [hub.a.id]);
    expect(row!.n).toBe(1);
  });

  it('contacts claiming the same addresses in opposite order: one wins, the rest get 409, never a 500', async () => {
    for (let round = 0; round < 10; round++) {
      const a = `first-${round}@opposite.example`;
      const b = `second-${round}@opposite.example`;
      const [x, y] = await Promise.all([
        hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: 'X', emails: [a, b] }),
        hub.call(hub.a.member.token, 'POST', '/v1/contacts', { name: 'Y', emails: [b, a] }),
      ]);
      expect([x.status, y.status].sort()).toEqual([201, 409]);
      const loser = x.status === 409 ? x : y;
      expect(loser.body.error.code).toBe('email_taken');
      const owners = await hub.db.query<{ n: number }>('SELECT count(DISTINCT contact_id)::int AS n FROM contact_emails WHERE email = ANY($1)', [[a, b]]);
      expect(owners[0]!.n).toBe(1);
    }
  });

  it('meetings and addresses logged in opposite orders by two teammates never deadlock into an error', async () => {
    const people = Array.from({ length: 10 }, (_, i) => ({ email: `guest${i}@deadlock.example` }));
    const rounds = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        Promise.all([
          hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject: `Order ${i}`, sourceRef: `fwd-${i}`, participants: people }), { 'idempotency-key': newKey() }),
          hub.call(hub.a.member.token, 'POST', '/v1/interactions', emailLog({ subject: `Order ${i}`, sourceRef: `rev-${i}`, participants: [...people].reverse() }), { 'idempotency-key': newKey() }),
          hub.call(hub.a.admin.token, 'POST', '/v1/contacts', { name: `Guest ${i}`, emails: [`alias${i}@deadlock.example`, people[i]!.email] }),
        ]),
      ),
    );
    for (const [fwd, rev, contact] of rounds) {
      // Whichever arrives first creates the conversation; the other merges into it.
      expect([fwd.status, rev.status].sort()).toEqual([200, 201]);
      expect(contact.status).toBe(201);
      // The two teammates' copies of one conversation are one interaction with two loggers.
      expect(rev.body.interaction.id).toBe(fwd.body.interaction.id);
    }
  });
});
