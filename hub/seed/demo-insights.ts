/**
 * What the team insights (issue 14) should show on the demo team, written after the rest of the demo so that the
 * earlier history draws the same numbers as before. Deterministic: nothing here depends on the clock but `now`.
 *
 * - The weekly implementation check-in with Initech that the two IT colleagues, Ana Costa and Ben Okafor, keep
 *   skipping: eight weekly occurrences of one recurring meeting, Ana a no-show at four and Ben at five of them.
 * - A salesperson (Sam Lee) who mailed a customer while an open-service-issue heads-up stood on them.
 * - Daily adoption counts for every member over the last twelve weeks (the team shares counts), Sam's share
 *   rising week after week, Ben's staying low.
 */
import type { Queryable } from '../db/index.ts';
import type { AttendanceInput } from '../repo/interactions.ts';
import type { AttendanceStatus } from '../../shared/wire-types.ts';
import type { DemoMember } from './demo-data.ts';
import { daysAgo, log, type SeedContext } from './demo-history.ts';
import { mulberry32 } from './rng.ts';

const DAY = 86_400_000;

/** Who skipped which of the eight check-ins, newest (0) first. */
const IMPLEMENTATION_ABSENCES: Record<'ana' | 'ben', Record<number, AttendanceStatus>> = {
  ana: { 0: 'no-show', 1: 'no-show', 3: 'no-show', 4: 'no-show', 6: 'late' },
  ben: { 0: 'no-show', 1: 'no-show', 2: 'no-show', 4: 'no-show', 5: 'no-show', 6: 'late', 7: 'excused' },
};

export const IMPLEMENTATION_SUBJECT = 'Weekly implementation check-in — Initech';
export const DESPITE_SUBJECT = 'Quick question about next quarter’s order';

export async function seedInsights(ctx: SeedContext): Promise<void> {
  await seedImplementationMeetings(ctx);
  await seedContactedDespiteHeadsUp(ctx);
  await seedAdoption(ctx.tx, ctx);
}

async function seedImplementationMeetings(ctx: SeedContext): Promise<void> {
  const initech = ctx.contacts.filter((c) => c.plan.company?.name === 'Initech').slice(0, 2);
  const person = (k: DemoMember['key']) => ({ email: ctx.members[k].email, name: ctx.members[k].name });
  for (let week = 7; week >= 0; week--) {
    const at = daysAgo(ctx, 7 * week + 2, 9, 30);
    const attendance: AttendanceInput[] = [
      ...initech.map((c) => ({ email: c.plan.emails[0]!, name: c.plan.name, status: 'attended' as const, rsvp: 'accepted' as const })),
      { ...person('dana'), status: 'attended', rsvp: 'accepted' },
      ...(['ana', 'ben'] as const).map((k) => {
        const status = IMPLEMENTATION_ABSENCES[k][week] ?? 'attended';
        return { ...person(k), status, rsvp: status === 'excused' ? ('declined' as const) : ('accepted' as const) };
      }),
    ];
    await log(ctx, 'dana', {
      kind: 'meeting',
      occurredAt: at.toISOString(),
      endsAt: new Date(at.getTime() + 45 * 60_000).toISOString(),
      subject: IMPLEMENTATION_SUBJECT,
      summary: 'Rollout status, open tickets, next steps for the warehouse go-live.',
      sourceSite: 'google-calendar',
      participants: attendance.map(({ email, name }) => ({ email, name })),
      meeting: { icalUid: `demo-initech-implementation-${ctx.teamId}@northwind-demo.com`, recurrenceId: at.toISOString().slice(0, 10).replaceAll('-', ''), sequence: 0 },
      attendance,
    });
  }
}

async function seedContactedDespiteHeadsUp(ctx: SeedContext): Promise<void> {
  const jane = ctx.contacts[0]!;
  const [flag] = await ctx.tx.query<{ contact_id: string; set_at: Date }>(
    `SELECT contact_id, set_at FROM flags WHERE team_id = $1 AND kind = 'open-service-issue' AND closed_at IS NULL AND contact_id <> $2
      ORDER BY id LIMIT 1`,
    [ctx.teamId, jane.id],
  );
  const contact = ctx.contacts.find((c) => c.id === flag!.contact_id)!;
  const at = new Date(Math.min(flag!.set_at.getTime() + DAY, ctx.now.getTime() - 2 * 3_600_000));
  await log(ctx, 'sam', {
    kind: 'email',
    occurredAt: at.toISOString(),
    subject: DESPITE_SUBJECT,
    summary: 'Asked about adding seats next quarter.',
    outcome: 'no reply yet',
    sourceSite: 'gmail',
    sourceRef: 'demo-sales-despite-service-issue',
    participants: [{ email: contact.plan.emails[0]!, name: contact.plan.name }],
  });
}

/** Each member's share of conversations logged: where it starts twelve weeks ago and where it ends. */
const ADOPTION_SHARE: Record<DemoMember['key'], [number, number]> = {
  dana: [0.8, 0.9],
  sam: [0.35, 0.9],
  priya: [0.3, 0.45],
  tom: [0.6, 0.65],
  ana: [0.55, 0.5],
  ben: [0.25, 0.2],
  lee: [0.7, 0.75],
};

async function seedAdoption(tx: Queryable, ctx: SeedContext): Promise<void> {
  const rng = mulberry32(1_405);
  await tx.query(`INSERT INTO team_insights (team_id, adoption_sharing) VALUES ($1, 'counts') ON CONFLICT (team_id) DO UPDATE SET adoption_sharing = 'counts'`, [ctx.teamId]);
  const days = 84;
  for (const [key, [start, end]] of Object.entries(ADOPTION_SHARE) as [DemoMember['key'], [number, number]][]) {
    for (let d = days; d >= 1; d--) {
      const day = new Date(ctx.now.getTime() - d * DAY);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const seen = rng.int(2, 8);
      const share = start + ((end - start) * (days - d)) / days;
      const logged = Math.min(seen, Math.round(seen * share + (rng.next() - 0.5)));
      const fromPrompt = Math.round(logged * 0.5);
      const later = Math.round((logged - fromPrompt) * 0.4);
      const sidebar = logged - fromPrompt - later;
      const dismissed = Math.min(seen - logged, rng.int(0, 1));
      await tx.query(
        `INSERT INTO adoption_daily (team_id, member_id, day, seen, prompted, logged_prompt, logged_later, logged_sidebar, dismissed, listed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [ctx.teamId, ctx.members[key].memberId, day.toISOString().slice(0, 10), seen, seen - sidebar, fromPrompt, later, sidebar, dismissed, seen - logged - dismissed + later],
      );
    }
  }
}
