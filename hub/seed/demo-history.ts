/**
 * A year of the demo team's history, written through logInteraction so it is exactly what members logging
 * from the extension would have produced (departments, participants, attendance, merge rules).
 */
import type { Principal } from '../auth.ts';
import type { Db, Queryable } from '../db/index.ts';
import { logInteraction, type AttendanceInput, type LogInput } from '../repo/interactions.ts';
import type { AttendanceStatus, Department, Rsvp } from '../../shared/wire-types.ts';
import { EVENTS, ISSUES, MEETING_SUBJECTS, PRODUCTS, SUBJECTS, type DemoMember } from './demo-data.ts';
import type { PlannedContact } from './demo-people.ts';
import type { Rng } from './rng.ts';

export interface SeededContact {
  id: string;
  plan: PlannedContact;
}

export interface SeedContext {
  tx: Queryable;
  db: Db;
  teamId: string;
  rng: Rng;
  now: Date;
  members: Record<DemoMember['key'], Principal>;
  contacts: SeededContact[];
}

const DAY = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A working-hours time `days` before now (UTC). */
export function daysAgo(ctx: SeedContext, days: number, hour = ctx.rng.int(8, 17), minute = 5 * ctx.rng.int(0, 11)): Date {
  const d = new Date(ctx.now.getTime() - days * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

export function fill(template: string, ctx: SeedContext, at: Date, company: string | null): string {
  return template
    .replaceAll('{company}', company ?? 'your team')
    .replaceAll('{product}', ctx.rng.pick(PRODUCTS))
    .replaceAll('{event}', ctx.rng.pick(EVENTS))
    .replaceAll('{issue}', ctx.rng.pick(ISSUES))
    .replaceAll('{n}', String(ctx.rng.int(3000, 9999)))
    .replaceAll('{q}', String(Math.floor(at.getUTCMonth() / 3) + 1))
    .replaceAll('{year}', String(at.getUTCFullYear() + 1))
    .replaceAll('{month}', MONTHS[at.getUTCMonth()]!);
}

let keyCounter = 0;

export async function log(ctx: SeedContext, who: DemoMember['key'], input: LogInput): Promise<string> {
  const principal = ctx.members[who];
  const result = await logInteraction(ctx.db, principal, `demo-seed:${ctx.teamId}:${++keyCounter}`, {
    ...input,
    participants: [...input.participants, { email: principal.email, name: principal.name }],
  });
  return result.body.interaction.id;
}

const LOGGERS: Record<Exclude<Department, 'other'>, DemoMember['key'][]> = {
  sales: ['dana', 'sam'],
  marketing: ['priya'],
  support: ['tom'],
  it: ['ana'],
  leadership: ['lee'],
};

/** Everyday history: a few interactions per contact, from every department, over the last 12 months. */
export async function seedEverydayHistory(ctx: SeedContext): Promise<void> {
  const { rng } = ctx;
  for (const contact of ctx.contacts.slice(2)) {
    const count = rng.weighted({ 0: 1, 1: 3, 2: 4, 3: 4, 4: 3, 5: 2, 6: 1 });
    for (let i = 0; i < Number(count); i++) {
      const department = rng.weighted({ sales: 34, marketing: 22, support: 20, it: 14, leadership: 10 });
      const owner = contact.plan.owner;
      const who = department === 'sales' && (owner === 'dana' || owner === 'sam') ? owner : rng.pick(LOGGERS[department]);
      const t = rng.pick(SUBJECTS[department]);
      const at = daysAgo(ctx, rng.int(1, 365));
      const company = contact.plan.company?.name ?? null;
      await log(ctx, who, {
        kind: t.kind,
        occurredAt: at.toISOString(),
        subject: fill(t.subject, ctx, at, company),
        summary: fill(t.summary, ctx, at, company),
        outcome: fill(rng.pick(t.outcomes), ctx, at, company),
        sourceSite: t.kind === 'email' ? rng.pick(['gmail', 'outlook']) : null,
        sourceRef: t.kind === 'email' ? `demo-thread-${rng.int(100000, 999999)}` : null,
        participants: [{ email: contact.plan.emails[0]!, name: contact.plan.name }],
      });
    }
  }
}

function attendanceStatus(rng: Rng): { status: AttendanceStatus; rsvp: Rsvp } {
  const status = rng.weighted({ attended: 70, late: 12, 'no-show': 10, excused: 8 });
  const rsvp: Rsvp = status === 'excused' ? 'declined' : status === 'no-show' ? rng.pick(['accepted', 'tentative', 'needs-action'] as const) : 'accepted';
  return { status, rsvp };
}

/** Meetings with per-person attendance, colleagues included: who came, who was late, who never showed. */
export async function seedMeetings(ctx: SeedContext, count: number): Promise<void> {
  const { rng } = ctx;
  const withCompany = ctx.contacts.slice(2).filter((c) => c.plan.company);
  for (let n = 0; n < count; n++) {
    const host = rng.pick(withCompany);
    const colleagues = withCompany.filter((c) => c.plan.company === host.plan.company && c !== host);
    const guests = [host, ...colleagues.slice(0, rng.int(0, 2))];
    const organiser = rng.pick(['dana', 'sam', 'ana', 'tom', 'lee', 'priya'] as const);
    const internal = [...new Set([organiser, rng.pick(['dana', 'sam', 'ana', 'lee'] as const)])];
    const at = daysAgo(ctx, rng.int(1, 365), rng.int(8, 16), rng.pick([0, 30]));
    const attendance: AttendanceInput[] = [
      ...guests.map((g) => ({ email: g.plan.emails[0]!, name: g.plan.name, ...attendanceStatus(rng) })),
      ...internal.map((k) => ({ email: ctx.members[k].email, name: ctx.members[k].name, ...attendanceStatus(rng) })),
    ];
    await log(ctx, organiser, {
      kind: 'meeting',
      occurredAt: at.toISOString(),
      endsAt: new Date(at.getTime() + rng.pick([30, 45, 60]) * 60_000).toISOString(),
      subject: fill(rng.pick(MEETING_SUBJECTS), ctx, at, host.plan.company!.name),
      summary: rng.chance(0.6) ? 'Agenda shared beforehand; notes in the shared folder.' : null,
      sourceSite: 'google-calendar',
      participants: attendance.map((a) => ({ email: a.email, name: a.name })),
      meeting: { icalUid: `demo-${n}-${ctx.teamId}@northwind-demo.com`, sequence: 0 },
      attendance,
    });
  }
}
