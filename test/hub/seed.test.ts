/**
 * The demo seed: the fixed records the end-to-end tests rely on, history from every department, a working
 * admin token, and the same data from the same seed. Runs on the embedded server, and on DATABASE_URL's when set.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../hub/auth.ts';
import type { Db } from '../../hub/db/index.ts';
import { lookup } from '../../hub/repo/contacts.ts';
import { listTasks } from '../../hub/repo/flags-tasks.ts';
import { timeline } from '../../hub/repo/interactions.ts';
import { seedDemo } from '../../hub/seed/demo.ts';
import { DEPARTMENTS, type Member } from '../../shared/wire-types.ts';
import { freshDb } from './helpers/db.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;

let db: Db;
let seeded: { teamId: string; token: string; member: Member };

beforeAll(async () => {
  db = await freshDb();
  seeded = await seedDemo(db, { now: NOW, seed: 7 });
}, 120_000);
afterAll(async () => {
  await db?.close();
});

/** Everything a person sees about the team's contacts, without ids or write times. */
async function contactsDigest(teamId: string): Promise<string> {
  const emails = (await db.query<{ email: string }>('SELECT email FROM contact_emails WHERE team_id = $1 ORDER BY email', [teamId])).map((r) => r.email);
  const results = await lookup(db, teamId, emails);
  const view = results.map(({ email, contact: c }) => [
    email, c!.name, c!.title, c!.emails, c!.company?.name, c!.company?.domains, c!.owner?.email,
    c!.openFlags.map((f) => [f.kind, f.note, f.setBy.email, f.setAt]), c!.countsByDepartment, c!.attendance,
    c!.lastInteraction && [c!.lastInteraction.kind, c!.lastInteraction.subject, c!.lastInteraction.occurredAt],
  ]);
  return createHash('sha256').update(JSON.stringify(view)).digest('hex');
}

describe('seedDemo', () => {
  it('creates Jane Doe at Acme Corp with the open service issue, a no-show and history from three departments', async () => {
    const [jane] = await lookup(db, seeded.teamId, ['Jane.Doe@acme-corp.com']);
    const c = jane!.contact!;
    expect(c).toMatchObject({ name: 'Jane Doe', title: 'VP Operations', emails: ['jane.doe@acme-corp.com'], owner: { name: 'Sam Lee' } });
    expect(c.company).toMatchObject({ name: 'Acme Corp', domains: ['acme-corp.com'] });
    expect(c.openFlags).toHaveLength(1);
    expect(c.openFlags[0]).toMatchObject({
      kind: 'open-service-issue',
      note: 'Checkout outage — credits promised',
      open: true,
      setBy: { name: 'Tom Becker', department: 'support' },
      setAt: new Date(NOW.getTime() - 2 * DAY).toISOString(),
    });
    expect(c.totalInteractions).toBeGreaterThanOrEqual(5);
    expect(c.countsByDepartment.sales).toBeGreaterThan(0);
    expect(c.countsByDepartment.support).toBeGreaterThan(0);
    expect(c.countsByDepartment.marketing).toBeGreaterThan(0);
    expect(c.attendance.noShow).toBeGreaterThanOrEqual(1);

    const page = await timeline(db, seeded.teamId, c.id, 50);
    const qbr = page.items.find((i) => i.kind === 'meeting')!;
    expect(qbr.attendance.find((a) => a.email === 'jane.doe@acme-corp.com')?.status).toBe('no-show');
    // Colleagues' attendance is recorded too.
    expect(qbr.attendance.find((a) => a.email === 'sam@northwind-demo.com')?.status).toBe('attended');
  });

  it('creates Raj Patel at Acme Corp with a couple of interactions, and nobody at Globex', async () => {
    const [raj, unknown] = await lookup(db, seeded.teamId, ['raj.patel@acme-corp.com', 'new.person@globex-industries.com']);
    expect(raj!.contact).toMatchObject({ name: 'Raj Patel', title: 'IT Director', company: { name: 'Acme Corp' } });
    expect(raj!.contact!.totalInteractions).toBeGreaterThanOrEqual(2);
    expect(unknown!.contact).toBeNull();
    expect(unknown!.member).toBeNull();
  });

  it('has realistic volume, interactions from every department, flags, attendance and open tasks', async () => {
    const count = async (sql: string) => (await db.query<{ n: number }>(sql, [seeded.teamId]))[0]!.n;
    expect(await count('SELECT count(*)::int AS n FROM contacts WHERE team_id = $1')).toBeGreaterThanOrEqual(250);
    expect(await count('SELECT count(*)::int AS n FROM companies WHERE team_id = $1')).toBeGreaterThanOrEqual(35);
    expect(await count("SELECT count(*)::int AS n FROM contacts WHERE team_id = $1 AND company_id IS NULL")).toBeGreaterThan(5);
    expect(await count('SELECT count(*)::int AS n FROM (SELECT contact_id FROM contact_emails WHERE team_id = $1 GROUP BY 1 HAVING count(*) > 1) x')).toBeGreaterThan(5);

    const byDept = await db.query<{ department: string; n: number }>('SELECT department, count(*)::int AS n FROM interactions WHERE team_id = $1 GROUP BY 1', [seeded.teamId]);
    for (const d of DEPARTMENTS.filter((x) => x !== 'other')) expect(byDept.find((r) => r.department === d)?.n ?? 0, d).toBeGreaterThan(20);
    const kinds = await db.query<{ kind: string }>('SELECT DISTINCT kind FROM interactions WHERE team_id = $1 ORDER BY 1', [seeded.teamId]);
    expect(kinds.map((k) => k.kind)).toEqual(['call', 'email', 'marketing', 'meeting', 'note', 'support']);
    // Within the last 12 months, never in the future.
    const [range] = await db.query<{ oldest: Date; newest: Date }>('SELECT min(occurred_at) AS oldest, max(occurred_at) AS newest FROM interactions WHERE team_id = $1', [seeded.teamId]);
    expect(range!.newest.getTime()).toBeLessThan(NOW.getTime());
    expect(range!.oldest.getTime()).toBeGreaterThan(NOW.getTime() - 366 * DAY);

    const flags = await db.query<{ kind: string; open: boolean }>('SELECT kind, closed_at IS NULL AS open FROM flags WHERE team_id = $1', [seeded.teamId]);
    for (const kind of ['open-service-issue', 'do-not-contact', 'key-account']) expect(flags.some((f) => f.kind === kind && f.open), kind).toBe(true);
    expect(flags.some((f) => !f.open)).toBe(true);

    const statuses = await db.query<{ status: string; internal: boolean }>(
      'SELECT DISTINCT status, member_id IS NOT NULL AS internal FROM attendance WHERE team_id = $1',
      [seeded.teamId],
    );
    for (const s of ['attended', 'no-show', 'late', 'excused']) expect(statuses.some((r) => r.status === s), s).toBe(true);
    expect(statuses.some((r) => r.internal)).toBe(true);

    expect((await listTasks(db, seeded.teamId, seeded.member.id, 'open', 'all')).length).toBeGreaterThanOrEqual(5);
  });

  it('returns an admin token for Dana Reyes that authenticates', async () => {
    expect(seeded.member).toMatchObject({ name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales', role: 'admin' });
    const principal = await authenticate(db, `Bearer ${seeded.token}`);
    expect(principal).toMatchObject({ teamId: seeded.teamId, memberId: seeded.member.id, role: 'admin' });
  });

  it('produces the same data from the same seed and time', async () => {
    const again = await seedDemo(db, { now: NOW, seed: 7, teamName: 'Northwind Demo (again)' });
    expect(await contactsDigest(again.teamId)).toBe(await contactsDigest(seeded.teamId));
  }, 120_000);
});
