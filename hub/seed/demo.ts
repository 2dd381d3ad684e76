/**
 * `seedDemo(db)`: the "Northwind Demo" team that `npm start` shows on a fresh machine — seven members across
 * every department, ~300 contacts at ~40 companies, a year of history, open and closed flags, meetings with
 * attendance and open follow-ups. Deterministic for a given `seed` and `now`; written in one transaction.
 *
 * Fixed records the end-to-end tests rely on (see demo-people.ts and seedJaneAndRaj below): Jane Doe
 * <jane.doe@acme-corp.com>, VP Operations at Acme Corp, owned by Sam Lee, with an open `open-service-issue`
 * flag set by Tom Becker two days ago ("Checkout outage — credits promised"), history from sales, support and
 * marketing and a QBR she did not show up for; Raj Patel <raj.patel@acme-corp.com>, IT Director; and nobody
 * at globex-industries.com.
 */
import type { Principal } from '../auth.ts';
import type { Db } from '../db/index.ts';
import { nestedDb } from '../db/nested.ts';
import { createContact } from '../repo/contacts.ts';
import { completeTask, createTask, setFlag } from '../repo/flags-tasks.ts';
import { addMember, createTeam } from '../repo/teams.ts';
import type { Member } from '../../shared/wire-types.ts';
import { DEMO_DOMAIN, DEMO_MEMBERS, DEMO_TEAM_NAME, OPEN_FLAG_NOTES, TASK_TITLES, type DemoMember } from './demo-data.ts';
import { daysAgo, log, seedEverydayHistory, seedMeetings, type SeedContext, type SeededContact } from './demo-history.ts';
import { seedInsights } from './demo-insights.ts';
import { planContacts } from './demo-people.ts';
import { mulberry32 } from './rng.ts';

export interface SeedOptions {
  teamName?: string;
  /** The moment the demo's history leads up to (default: now). */
  now?: Date;
  seed?: number;
}

export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<{ teamId: string; token: string; member: Member }> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    // Inside the transaction: one that is retried after a deadlock must draw the same demo again.
    const rng = mulberry32(opts.seed ?? 20_261_122);
    const teamId = await createTeam(tx, opts.teamName ?? DEMO_TEAM_NAME, [DEMO_DOMAIN]);
    const members = {} as Record<DemoMember['key'], Principal>;
    let admin: { member: Member; token: string } | null = null;
    for (const m of DEMO_MEMBERS) {
      const added = await addMember(tx, teamId, m, 'demo');
      if (m.key === 'dana') admin = added;
      members[m.key] = { tokenId: added.tokenId, teamId, memberId: added.member.id, name: m.name, email: m.email, department: m.department, role: m.role };
    }

    const contacts: SeededContact[] = [];
    for (const plan of planContacts(rng)) {
      const id = await createContact(tx, teamId, {
        name: plan.name,
        title: plan.title,
        emails: plan.emails,
        company: plan.company?.name ?? null,
        ownerId: plan.owner ? members[plan.owner].memberId : null,
      });
      contacts.push({ id, plan });
    }

    const ctx: SeedContext = { tx, db: nestedDb(tx, db.engine), teamId, rng, now, members, contacts };
    await seedJaneAndRaj(ctx);
    await seedEverydayHistory(ctx);
    await seedMeetings(ctx, 60);
    await seedFlags(ctx);
    await seedTasks(ctx);
    await seedInsights(ctx);
    // The history reads as logged when it happened, not all at seeding time.
    await tx.query(
      `UPDATE interaction_loggers il SET logged_at = i.occurred_at + interval '7 minutes'
         FROM interactions i WHERE i.id = il.interaction_id AND i.team_id = $1`,
      [teamId],
    );
    await tx.query(`UPDATE interactions SET created_at = occurred_at + interval '7 minutes' WHERE team_id = $1`, [teamId]);
    await tx.query(`UPDATE attendance SET updated_at = occurred_at + interval '2 hours' WHERE team_id = $1`, [teamId]);
    return { teamId, token: admin!.token, member: admin!.member };
  });
}

async function seedJaneAndRaj(ctx: SeedContext): Promise<void> {
  const [jane, raj] = ctx.contacts;
  const janeP = { email: jane!.plan.emails[0]!, name: jane!.plan.name };
  const rajP = { email: raj!.plan.emails[0]!, name: raj!.plan.name };
  const year = ctx.now.getUTCFullYear() + 1;
  const at = (days: number, hour: number) => daysAgo(ctx, days, hour, 0).toISOString();
  await log(ctx, 'sam', { kind: 'email', occurredAt: at(60, 10), subject: `Renewal terms for ${year}`, summary: 'Sent the renewal draft with a two-year option.', outcome: 'waiting for reply', sourceSite: 'gmail', sourceRef: 'demo-acme-renewal', participants: [janeP] });
  await log(ctx, 'priya', { kind: 'marketing', occurredAt: at(30, 9), subject: 'Invitation: Logistics Summit', summary: 'Personal invitation to our booth and the customer dinner.', outcome: 'registered', participants: [janeP] });
  await log(ctx, 'sam', { kind: 'call', occurredAt: at(20, 15), subject: 'Check-in before renewal', summary: 'Happy with Route Planner; wants 20 more seats if the price holds.', outcome: 'expansion likely', participants: [janeP] });
  await log(ctx, 'ana', { kind: 'email', occurredAt: at(45, 11), subject: 'SSO setup (SAML) for Acme Corp', summary: 'Sent our SAML metadata and the test plan.', outcome: 'configured', sourceSite: 'outlook', sourceRef: 'demo-acme-sso', participants: [rajP] });
  const qbr = at(10, 14);
  const uid = `demo-acme-qbr-${ctx.teamId}@northwind-demo.com`;
  const attendance = [
    { ...janeP, status: 'no-show' as const, rsvp: 'accepted' as const },
    { ...rajP, status: 'attended' as const, rsvp: 'accepted' as const },
    { email: ctx.members.sam.email, name: ctx.members.sam.name, status: 'attended' as const, rsvp: 'accepted' as const },
    { email: ctx.members.lee.email, name: ctx.members.lee.name, status: 'late' as const, rsvp: 'tentative' as const },
  ];
  await log(ctx, 'sam', {
    kind: 'meeting', occurredAt: qbr, endsAt: new Date(Date.parse(qbr) + 3_600_000).toISOString(),
    subject: 'Quarterly business review — Acme Corp', summary: 'Raj joined; Jane did not show and did not reply.', outcome: 'reschedule with Jane',
    sourceSite: 'google-calendar', participants: attendance.map(({ email, name }) => ({ email, name })), meeting: { icalUid: uid, sequence: 0 }, attendance,
  });
  await log(ctx, 'tom', { kind: 'support', occurredAt: at(3, 8), subject: 'Ticket #4821: Checkout outage — payments failing', summary: 'Their web shop checkout failed for 6 hours after our release; escalated to engineering.', outcome: 'escalated', participants: [janeP] });
  await log(ctx, 'tom', { kind: 'email', occurredAt: at(2, 16), subject: 'Re: Ticket #4821 — root cause and credits', summary: 'Shared the root cause; promised service credits for the outage.', outcome: 'credits promised', sourceSite: 'gmail', sourceRef: 'demo-acme-outage', participants: [janeP] });
  const flag = await setFlag(ctx.tx, ctx.teamId, ctx.members.tom.memberId, jane!.id, 'open-service-issue', 'Checkout outage — credits promised');
  await ctx.tx.query('UPDATE flags SET set_at = $2 WHERE id = $1', [flag.id, new Date(ctx.now.getTime() - 2 * 86_400_000).toISOString()]);
}

/** Open flags as each department would set them, and some closed ones (resolved issues). */
async function seedFlags(ctx: SeedContext): Promise<void> {
  const { rng } = ctx;
  const pool = ctx.contacts.slice(2);
  const used = new Set<string>();
  const pickContact = () => {
    let c = rng.pick(pool);
    while (used.has(c.id)) c = rng.pick(pool);
    used.add(c.id);
    return c;
  };
  const plan: [string, DemoMember['key'], number, boolean][] = [
    ['open-service-issue', 'tom', 4, true],
    ['do-not-contact', 'priya', 3, true],
    ['key-account', 'dana', 2, true],
    ['key-account', 'lee', 2, true],
    ['churn-risk', 'sam', 2, true],
    ['open-service-issue', 'tom', 6, false],
    ['churn-risk', 'dana', 2, false],
  ];
  for (const [kind, who, count, open] of plan) {
    for (let i = 0; i < count; i++) {
      const contact = pickContact();
      const flag = await setFlag(ctx.tx, ctx.teamId, ctx.members[who].memberId, contact.id, kind, rng.pick(OPEN_FLAG_NOTES[kind]!));
      const setAt = daysAgo(ctx, rng.int(open ? 1 : 40, open ? 60 : 300));
      if (open) {
        await ctx.tx.query('UPDATE flags SET set_at = $2 WHERE id = $1', [flag.id, setAt.toISOString()]);
      } else {
        await ctx.tx.query('UPDATE flags SET set_at = $2, closed_at = $3, closed_by = $4 WHERE id = $1', [
          flag.id, setAt.toISOString(), new Date(setAt.getTime() + rng.int(1, 20) * 86_400_000).toISOString(), ctx.members[who].memberId,
        ]);
      }
    }
  }
}

/** Follow-ups: mostly open (some overdue), a few done. */
async function seedTasks(ctx: SeedContext): Promise<void> {
  const { rng } = ctx;
  const owners = ['dana', 'sam', 'priya', 'tom', 'ana', 'lee'] as const;
  for (let i = 0; i < 16; i++) {
    const contact = rng.pick(ctx.contacts.slice(2));
    const assignee = rng.pick(owners);
    const title = rng
      .pick(TASK_TITLES)
      .replaceAll('{name}', contact.plan.name)
      .replaceAll('{company}', contact.plan.company?.name ?? contact.plan.name);
    const due = new Date(ctx.now.getTime() + rng.int(-5, 21) * 86_400_000);
    due.setUTCHours(17, 0, 0, 0);
    const task = await createTask(ctx.tx, ctx.teamId, ctx.members[rng.pick(owners)].memberId, {
      title, dueAt: due.toISOString(), assigneeId: ctx.members[assignee].memberId, contactId: contact.id,
    });
    if (i % 4 === 3) {
      await completeTask(ctx.tx, ctx.teamId, ctx.members[assignee].memberId, task.id);
      await ctx.tx.query('UPDATE tasks SET done_at = $2 WHERE id = $1', [task.id, new Date(due.getTime() - 86_400_000).toISOString()]);
    }
  }
  const [jane] = ctx.contacts;
  await createTask(ctx.tx, ctx.teamId, ctx.members.sam.memberId, {
    title: 'Reschedule the Acme QBR with Jane Doe', dueAt: new Date(ctx.now.getTime() + 3 * 86_400_000).toISOString(),
    assigneeId: ctx.members.sam.memberId, contactId: jane!.id,
  });
}
