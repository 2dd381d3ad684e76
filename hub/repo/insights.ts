/**
 * Team insights (issue 14): adoption, meetings and attendance, what needs attention. Every statement is scoped by
 * team_id and parameterised; each reads a period through an index on (team_id, time) — see migration 0006 — so a
 * quarter at a million contacts stays a bounded index range. The statements are exported by name so that the
 * benchmark runs exactly these texts directly against PostgreSQL (pgbench) beside the hub.
 *
 * Filters: `department` and `member` narrow what is about colleagues (who logged, who attended, who raised, who is
 * assigned); customers' figures stay the team's.
 */
import type { Principal } from '../auth.ts';
import type { Queryable } from '../db/index.ts';
import { DEPARTMENTS, type Department, type MemberRef } from '../../shared/wire-types.ts';
import type {
  AdoptionCounts,
  AdoptionDay,
  AdoptionReport,
  AdoptionSeries,
  AdoptionSharing,
  AttendanceCounts,
  AttentionReport,
  ContactedDespiteRow,
  DepartmentGapRow,
  MeetingRow,
  MeetingsReport,
  OpenFlagRow,
  OverdueTaskRow,
  OwnershipRow,
} from '../../shared/insights-types.ts';
import { memberRef } from './sql-fragments.ts';

export interface ReportFilter {
  /** ISO 8601, UTC; `to` is exclusive. */
  from: string;
  to: string;
  department: Department | null;
  member: string | null;
}

const DAY_MS = 86_400_000;

// ---- settings ------------------------------------------------------------------------------------------------

export async function getAdoptionSharing(db: Queryable, teamId: string): Promise<AdoptionSharing> {
  const [row] = await db.query<{ s: AdoptionSharing }>('SELECT adoption_sharing AS s FROM team_insights WHERE team_id = $1', [teamId]);
  return row?.s ?? 'off';
}

export async function setAdoptionSharing(db: Queryable, teamId: string, sharing: AdoptionSharing): Promise<void> {
  await db.query(
    `INSERT INTO team_insights (team_id, adoption_sharing) VALUES ($1, $2)
     ON CONFLICT (team_id) DO UPDATE SET adoption_sharing = EXCLUDED.adoption_sharing, updated_at = now()`,
    [teamId, sharing],
  );
}

// ---- adoption ------------------------------------------------------------------------------------------------

/** Stores a member's daily counts; a day already stored is replaced, so sending a day twice counts it once. */
export async function storeAdoptionDays(db: Queryable, teamId: string, memberId: string, days: AdoptionDay[]): Promise<number> {
  if (days.length === 0) return 0;
  const col = <K extends keyof AdoptionDay>(k: K) => days.map((d) => d[k]);
  const rows = await db.query(
    `INSERT INTO adoption_daily (team_id, member_id, day, seen, prompted, logged_prompt, logged_later, logged_sidebar, dismissed, listed)
     SELECT $1, $2, d.day, d.seen, d.prompted, d.lp, d.ll, d.ls, d.dismissed, d.listed
       FROM unnest($3::date[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[])
            AS d(day, seen, prompted, lp, ll, ls, dismissed, listed)
     ON CONFLICT (team_id, member_id, day) DO UPDATE SET seen = EXCLUDED.seen, prompted = EXCLUDED.prompted,
       logged_prompt = EXCLUDED.logged_prompt, logged_later = EXCLUDED.logged_later, logged_sidebar = EXCLUDED.logged_sidebar,
       dismissed = EXCLUDED.dismissed, listed = EXCLUDED.listed, received_at = now()
     RETURNING day`,
    [teamId, memberId, col('day'), col('seen'), col('prompted'), col('loggedFromPrompt'), col('loggedLater'), col('loggedSidebar'), col('dismissed'), col('listed')],
  );
  return rows.length;
}

/** $1 team, $2 first day, $3 day after the last, $4 department or null, $5 member or null. */
export const ADOPTION_SQL = `
  SELECT a.member_id::text AS member, to_char(date_trunc('week', a.day), 'YYYY-MM-DD') AS week,
         sum(a.seen)::int AS seen, sum(a.prompted)::int AS prompted, sum(a.logged_prompt)::int AS "loggedFromPrompt",
         sum(a.logged_later)::int AS "loggedLater", sum(a.logged_sidebar)::int AS "loggedSidebar",
         sum(a.dismissed)::int AS dismissed, sum(a.listed)::int AS listed
    FROM adoption_daily a JOIN members m ON m.id = a.member_id
   WHERE a.team_id = $1 AND a.day >= $2::date AND a.day < $3::date
     AND ($4::text IS NULL OR m.department = $4) AND ($5::bigint IS NULL OR a.member_id = $5)
   GROUP BY a.member_id, 2`;

/** The members a report is about: active ones matching the filter. $1 team, $2 department or null, $3 member or null. */
export const MEMBERS_SQL = `
  SELECT m.id::text AS id, ${memberRef('m')} AS ref FROM members m
   WHERE m.team_id = $1 AND m.deactivated_at IS NULL AND ($2::text IS NULL OR m.department = $2) AND ($3::bigint IS NULL OR m.id = $3)
   ORDER BY m.name, m.id`;

/** Who may see everyone's adoption: admins and the leadership department. Everyone else sees their own. */
export const seesTeamAdoption = (who: Principal) => who.role === 'admin' || who.department === 'leadership';

const zeroCounts = (): AdoptionCounts => ({ seen: 0, logged: 0, prompted: 0, loggedFromPrompt: 0, loggedLater: 0, loggedSidebar: 0, dismissed: 0, listed: 0 });

function addCounts(into: AdoptionCounts, c: Omit<AdoptionCounts, 'logged'>): void {
  into.seen += c.seen;
  into.prompted += c.prompted;
  into.loggedFromPrompt += c.loggedFromPrompt;
  into.loggedLater += c.loggedLater;
  into.loggedSidebar += c.loggedSidebar;
  into.logged += c.loggedFromPrompt + c.loggedLater + c.loggedSidebar;
  into.dismissed += c.dismissed;
  into.listed += c.listed;
}

/** The Mondays (UTC dates) from the week `from` falls in to the week of the last day before `to`. */
export function weeksOf(from: string, to: string): string[] {
  const start = new Date(from.slice(0, 10) + 'T00:00:00Z');
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const last = Date.parse(to) - 1;
  const weeks: string[] = [];
  for (let t = start.getTime(); t <= last && weeks.length < 200; t += 7 * DAY_MS) weeks.push(new Date(t).toISOString().slice(0, 10));
  return weeks;
}

/** Slope of the weekly share logged, in percentage points per week, over the weeks that had conversations. */
export function trendOf(weeks: AdoptionCounts[]): number | null {
  const points = weeks.map((w, x) => ({ x, y: w.seen > 0 ? (100 * w.logged) / w.seen : null })).filter((p): p is { x: number; y: number } => p.y !== null);
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return Math.round(slope * 10) / 10;
}

function series(weeks: string[], byWeek: Map<string, AdoptionCounts>): AdoptionSeries {
  const list = weeks.map((week) => ({ week, ...(byWeek.get(week) ?? zeroCounts()) }));
  const total = zeroCounts();
  for (const w of list) addCounts(total, w);
  return { weeks: list, total, trend: trendOf(list) };
}

export async function adoptionReport(db: Queryable, who: Principal, f: ReportFilter): Promise<AdoptionReport> {
  const team = seesTeamAdoption(who);
  // A member's own figures only, whatever the filter asked for. For the team's readers the team line stays the
  // whole team's, so one colleague or department can be read against it; the filter narrows the rest.
  const department = team ? f.department : null;
  const member = team ? f.member : who.memberId;
  const [rows, everyone, sharing] = [
    await db.query<{ member: string; week: string } & Omit<AdoptionCounts, 'logged'>>(ADOPTION_SQL, [who.teamId, f.from.slice(0, 10), f.to.slice(0, 10), null, team ? null : who.memberId]),
    await db.query<{ id: string; ref: MemberRef }>(MEMBERS_SQL, [who.teamId, null, team ? null : who.memberId]),
    await getAdoptionSharing(db, who.teamId),
  ];
  const weeks = weeksOf(f.from, f.to);
  const perMember = new Map<string, Map<string, AdoptionCounts>>();
  const perDepartment = new Map<Department, Map<string, AdoptionCounts>>();
  const teamWeeks = new Map<string, AdoptionCounts>();
  const refs = new Map(everyone.map((m) => [m.id, m.ref]));
  const chosen = (ref: MemberRef) => (department === null || ref.department === department) && (member === null || ref.id === member);
  const bump = (map: Map<string, AdoptionCounts>, week: string, c: Omit<AdoptionCounts, 'logged'>) => {
    const cur = map.get(week) ?? zeroCounts();
    addCounts(cur, c);
    map.set(week, cur);
  };
  for (const r of rows) {
    const ref = refs.get(r.member);
    if (!ref) continue; // a deactivated member's history is not a current figure
    const { member: _m, week, ...counts } = r;
    bump(teamWeeks, week, counts);
    if (!chosen(ref)) continue;
    if (!perMember.has(r.member)) perMember.set(r.member, new Map());
    bump(perMember.get(r.member)!, week, counts);
    if (!perDepartment.has(ref.department)) perDepartment.set(ref.department, new Map());
    bump(perDepartment.get(ref.department)!, week, counts);
  }
  const members = everyone.filter((m) => chosen(m.ref));
  return {
    from: f.from,
    to: f.to,
    scope: team ? 'team' : 'self',
    sharing,
    weeks,
    team: series(weeks, teamWeeks),
    departments: DEPARTMENTS.filter((d) => members.some((m) => m.ref.department === d)).map((d) => ({
      department: d,
      ...series(weeks, perDepartment.get(d) ?? new Map()),
    })),
    members: members.map((m) => ({ member: m.ref, ...series(weeks, perMember.get(m.id) ?? new Map()) })),
  };
}

// ---- meetings and attendance --------------------------------------------------------------------------------

const STATUS_COUNTS = (a: string) => `
  count(${a}.status)::int AS recorded,
  count(*) FILTER (WHERE ${a}.status = 'attended')::int AS attended,
  count(*) FILTER (WHERE ${a}.status = 'late')::int AS late,
  count(*) FILTER (WHERE ${a}.status = 'no-show')::int AS "noShow",
  count(*) FILTER (WHERE ${a}.status = 'excused')::int AS excused`;

/**
 * Whether meeting `i` is about the filtered colleagues: logged by them, or one of them was invited.
 * $4 department or null, $5 member or null.
 */
const MEETING_FILTER = `($4::text IS NULL AND $5::bigint IS NULL
   OR (($4::text IS NULL OR i.department = $4) AND ($5::bigint IS NULL OR i.created_by = $5))
   OR EXISTS (SELECT 1 FROM attendance fa JOIN members fm ON fm.id = fa.member_id
               WHERE fa.interaction_id = i.id AND ($4::text IS NULL OR fm.department = $4) AND ($5::bigint IS NULL OR fm.id = $5)))`;

/** Meetings logged per department and week. $1 team, $2 from, $3 to, $4 department, $5 member. */
export const MEETINGS_LOGGED_SQL = `
  SELECT w.department, to_char(w.week, 'YYYY-MM-DD') AS week, w.n
    FROM (SELECT i.department, date_trunc('week', i.occurred_at AT TIME ZONE 'UTC') AS week, count(*)::int AS n
            FROM interactions i
           WHERE i.team_id = $1 AND i.kind = 'meeting' AND i.occurred_at >= $2::timestamptz AND i.occurred_at < $3::timestamptz AND ${MEETING_FILTER}
           GROUP BY 1, 2) w`;

/** Colleagues' attendance per member. $1 team, $2 from, $3 to, $4 department, $5 member. */
export const MEETINGS_MEMBERS_SQL = `
  SELECT ${memberRef('m')} AS member, s.recorded, s.attended, s.late, s."noShow", s.excused
    FROM (SELECT a.member_id, ${STATUS_COUNTS('a')}
            FROM attendance a
           WHERE a.team_id = $1 AND a.occurred_at >= $2::timestamptz AND a.occurred_at < $3::timestamptz AND a.member_id IS NOT NULL
           GROUP BY a.member_id) s
    JOIN members m ON m.id = s.member_id
   WHERE ($4::text IS NULL OR m.department = $4) AND ($5::bigint IS NULL OR m.id = $5)
   ORDER BY s."noShow" DESC, m.name, m.id`;

/** Customers' attendance, all of it. $1 team, $2 from, $3 to. */
export const MEETINGS_CUSTOMERS_SQL = `
  SELECT ${STATUS_COUNTS('a')}
    FROM attendance a
   WHERE a.team_id = $1 AND a.occurred_at >= $2::timestamptz AND a.occurred_at < $3::timestamptz AND a.contact_id IS NOT NULL`;

/** Customers with two or more no-shows in the period. $1 team, $2 from, $3 to. */
export const MEETINGS_REPEAT_NO_SHOWS_SQL = `
  SELECT json_build_object('id', c.id::text, 'name', c.name) AS contact,
         CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object('id', co.id::text, 'name', co.name) END AS company,
         r.no_shows AS "noShows",
         (SELECT count(ra.status)::int FROM attendance ra
           WHERE ra.contact_id = r.contact_id AND ra.occurred_at >= $2::timestamptz AND ra.occurred_at < $3::timestamptz) AS recorded
    FROM (SELECT a.contact_id, count(*)::int AS no_shows FROM attendance a
           WHERE a.team_id = $1 AND a.occurred_at >= $2::timestamptz AND a.occurred_at < $3::timestamptz
             AND a.contact_id IS NOT NULL AND a.status = 'no-show'
           GROUP BY a.contact_id HAVING count(*) >= 2
           ORDER BY count(*) DESC, a.contact_id LIMIT 100) r
    JOIN contacts c ON c.id = r.contact_id
    LEFT JOIN companies co ON co.id = c.company_id
   ORDER BY r.no_shows DESC, c.id`;

/** The newest meetings of the period with who came. $1 team, $2 from, $3 to, $4 department, $5 member. */
export const MEETINGS_LIST_SQL = `
  SELECT json_build_object(
           'id', i.id::text, 'subject', i.subject, 'occurredAt', liaison_iso(i.occurred_at), 'loggedBy', ${memberRef('lm')},
           'attendees', (SELECT coalesce(json_agg(json_build_object(
                'name', a.name, 'email', a.email, 'memberId', a.member_id::text, 'contactId', a.contact_id::text,
                'department', am.department, 'status', a.status) ORDER BY a.member_id IS NULL, a.email), '[]'::json)
              FROM attendance a LEFT JOIN members am ON am.id = a.member_id WHERE a.interaction_id = i.id)) AS row
    FROM interactions i JOIN members lm ON lm.id = i.created_by
   WHERE i.team_id = $1 AND i.kind = 'meeting' AND i.occurred_at >= $2::timestamptz AND i.occurred_at < $3::timestamptz AND ${MEETING_FILTER}
   ORDER BY i.occurred_at DESC, i.id DESC LIMIT 100`;

const zeroAttendance = (): AttendanceCounts => ({ recorded: 0, attended: 0, late: 0, noShow: 0, excused: 0 });

export async function meetingsReport(db: Queryable, teamId: string, f: ReportFilter): Promise<MeetingsReport> {
  const colleagues = [teamId, f.from, f.to, f.department, f.member];
  const period = [teamId, f.from, f.to];
  const logged = await db.query<{ department: Department; week: string; n: number }>(MEETINGS_LOGGED_SQL, colleagues);
  const members = await db.query<{ member: MemberRef } & AttendanceCounts>(MEETINGS_MEMBERS_SQL, colleagues);
  const [customers] = await db.query<AttendanceCounts>(MEETINGS_CUSTOMERS_SQL, period);
  const repeat = await db.query<MeetingsReport['customers']['repeatNoShows'][number]>(MEETINGS_REPEAT_NO_SHOWS_SQL, period);
  const list = await db.query<{ row: MeetingRow }>(MEETINGS_LIST_SQL, colleagues);

  const byDepartment = Object.fromEntries(DEPARTMENTS.map((d) => [d, 0])) as Record<Department, number>;
  const byWeek = new Map(weeksOf(f.from, f.to).map((w) => [w, 0]));
  for (const r of logged) {
    byDepartment[r.department] += r.n;
    byWeek.set(r.week, (byWeek.get(r.week) ?? 0) + r.n);
  }
  const departments = new Map<Department, AttendanceCounts>();
  for (const { member, ...c } of members) {
    const d = departments.get(member.department) ?? zeroAttendance();
    for (const k of Object.keys(d) as (keyof AttendanceCounts)[]) d[k] += c[k];
    departments.set(member.department, d);
  }
  return {
    from: f.from,
    to: f.to,
    logged: {
      total: logged.reduce((s, r) => s + r.n, 0),
      byDepartment,
      byWeek: [...byWeek].sort(([a], [b]) => a.localeCompare(b)).map(([week, meetings]) => ({ week, meetings })),
    },
    members: members.map(({ member, ...counts }) => ({ member, counts, repeatNoShow: counts.noShow >= 2 })),
    departments: DEPARTMENTS.filter((d) => departments.has(d)).map((department) => ({ department, counts: departments.get(department)! })),
    customers: { counts: customers ?? zeroAttendance(), repeatNoShows: repeat },
    meetings: list.map((r) => r.row),
  };
}

// ---- needs attention ------------------------------------------------------------------------------------------

/** Open heads-ups by kind and age. $1 team, $2 department of who raised it, $3 member who raised it. */
export const OPEN_FLAGS_BY_KIND_SQL = `
  SELECT k.kind, sum(k.total)::int AS total, sum(k.week)::int AS week, sum(k.month)::int AS month,
         sum(k.quarter)::int AS quarter, sum(k.older)::int AS older
    FROM (SELECT f.kind, f.set_by, count(*) AS total,
                 count(*) FILTER (WHERE f.set_at >= now() - interval '7 days') AS week,
                 count(*) FILTER (WHERE f.set_at < now() - interval '7 days' AND f.set_at >= now() - interval '30 days') AS month,
                 count(*) FILTER (WHERE f.set_at < now() - interval '30 days' AND f.set_at >= now() - interval '90 days') AS quarter,
                 count(*) FILTER (WHERE f.set_at < now() - interval '90 days') AS older
            FROM flags f WHERE f.team_id = $1 AND f.closed_at IS NULL
           GROUP BY f.kind, f.set_by) k
    JOIN members sb ON sb.id = k.set_by
   WHERE ($2::text IS NULL OR sb.department = $2) AND ($3::bigint IS NULL OR sb.id = $3)
   GROUP BY k.kind ORDER BY total DESC, k.kind`;

/** The open heads-ups themselves, oldest first (at most 100). $1 team, $2 department, $3 member. */
export const OPEN_FLAGS_SQL = `
  SELECT json_build_object('id', f.id::text, 'kind', f.kind, 'note', f.note,
           'contact', json_build_object('id', c.id::text, 'name', c.name),
           'company', CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object('id', co.id::text, 'name', co.name) END,
           'setBy', ${memberRef('sb')}, 'setAt', liaison_iso(f.set_at),
           'ageDays', floor(extract(epoch FROM now() - f.set_at) / 86400)::int) AS row
    FROM (SELECT f.id FROM flags f JOIN members m ON m.id = f.set_by
           WHERE f.team_id = $1 AND f.closed_at IS NULL AND ($2::text IS NULL OR m.department = $2) AND ($3::bigint IS NULL OR m.id = $3)
           ORDER BY f.set_at, f.id LIMIT 100) top
    JOIN flags f ON f.id = top.id JOIN members sb ON sb.id = f.set_by JOIN contacts c ON c.id = f.contact_id
    LEFT JOIN companies co ON co.id = c.company_id
   ORDER BY f.set_at, f.id`;

/** The heads-up kinds that mean "do not walk in blind": contacting such a customer is what leaders want to see. */
export const WARNING_FLAG_KINDS = ['open-service-issue', 'do-not-contact'];

/**
 * Conversations with a customer while an open-service-issue or do-not-contact heads-up stood on them, newest first
 * (at most 100), read from heads_up_contacts, which triggers keep as conversations are logged and heads-ups set or
 * closed (migration 0006). Support working an open service issue is what should happen, so their conversations are
 * not counted for that kind. Who made contact is who logged the conversation first (its department is the
 * conversation's); the member filter matches any of its loggers.
 * $1 team, $2 from, $3 to, $4 department, $5 member, $6 the kinds.
 */
export const CONTACTED_DESPITE_SQL = `
  WITH hits AS (
    SELECT h.flag_id, h.interaction_id, h.contact_id, h.occurred_at
      FROM heads_up_contacts h JOIN flags fl ON fl.id = h.flag_id
     WHERE h.team_id = $1 AND h.occurred_at >= $2::timestamptz AND h.occurred_at < $3::timestamptz AND fl.kind = ANY($6::text[])
       AND NOT (fl.kind = 'open-service-issue' AND h.department = 'support')
       AND ($4::text IS NULL OR h.department = $4)
       AND ($5::bigint IS NULL OR EXISTS (SELECT 1 FROM interaction_loggers x WHERE x.interaction_id = h.interaction_id AND x.member_id = $5))
     ORDER BY h.occurred_at DESC, h.interaction_id DESC, h.flag_id
     LIMIT 100)
  SELECT json_build_object(
           'flag', json_build_object('id', f.id::text, 'kind', f.kind, 'note', f.note, 'setBy', ${memberRef('sb')},
                                     'setAt', liaison_iso(f.set_at), 'closedAt', liaison_iso(f.closed_at)),
           'contact', json_build_object('id', c.id::text, 'name', c.name),
           'company', CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object('id', co.id::text, 'name', co.name) END,
           'interaction', json_build_object('id', i.id::text, 'kind', i.kind, 'occurredAt', liaison_iso(i.occurred_at), 'subject', i.subject),
           'by', ${memberRef('lm')}) AS row
    FROM hits h
    JOIN flags f ON f.id = h.flag_id
    JOIN interactions i ON i.id = h.interaction_id
    JOIN members lm ON lm.id = i.created_by
    JOIN members sb ON sb.id = f.set_by
    JOIN contacts c ON c.id = h.contact_id
    LEFT JOIN companies co ON co.id = coalesce(f.company_id, c.company_id)
   ORDER BY h.occurred_at DESC, h.interaction_id DESC, f.id`;

/** Overdue follow-ups per assignee. $1 team, $2 department, $3 member. */
export const OVERDUE_BY_ASSIGNEE_SQL = `
  SELECT CASE WHEN a.id IS NULL THEN NULL ELSE ${memberRef('a')} END AS assignee, o.overdue, liaison_iso(o.oldest) AS "oldestDueAt"
    FROM (SELECT t.assignee_id, count(*)::int AS overdue, min(t.due_at) AS oldest FROM tasks t
           WHERE t.team_id = $1 AND t.done_at IS NULL AND t.due_at < now() GROUP BY t.assignee_id) o
    LEFT JOIN members a ON a.id = o.assignee_id
   WHERE ($2::text IS NULL OR a.department = $2) AND ($3::bigint IS NULL OR a.id = $3)
   ORDER BY o.overdue DESC, a.id`;

/** The overdue follow-ups, longest overdue first (at most 100). $1 team, $2 department, $3 member. */
export const OVERDUE_TASKS_SQL = `
  SELECT json_build_object('id', t.id::text, 'title', t.title, 'dueAt', liaison_iso(t.due_at),
           'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE ${memberRef('a')} END,
           'contact', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id::text, 'name', c.name) END,
           'daysOverdue', floor(extract(epoch FROM now() - t.due_at) / 86400)::int) AS row
    FROM (SELECT t.id FROM tasks t LEFT JOIN members m ON m.id = t.assignee_id
           WHERE t.team_id = $1 AND t.done_at IS NULL AND t.due_at < now()
             AND ($2::text IS NULL OR m.department = $2) AND ($3::bigint IS NULL OR m.id = $3)
           ORDER BY t.due_at, t.id LIMIT 100) top
    JOIN tasks t ON t.id = top.id LEFT JOIN members a ON a.id = t.assignee_id LEFT JOIN contacts c ON c.id = t.contact_id
   ORDER BY t.due_at, t.id`;

/**
 * Accounts (companies) marketing or sales touched in the last 30 days, with both departments' counts: the rows
 * where one of them is zero are the gaps. $1 team.
 */
export const DEPARTMENT_GAPS_SQL = `
  WITH touch AS (
    SELECT c.company_id,
           count(*) FILTER (WHERE ip.department = 'marketing')::int AS marketing,
           count(*) FILTER (WHERE ip.department = 'sales')::int AS sales,
           max(ip.occurred_at) AS last_at
      FROM interaction_participants ip JOIN contacts c ON c.id = ip.contact_id
     WHERE ip.team_id = $1 AND ip.contact_id IS NOT NULL AND ip.occurred_at >= now() - interval '30 days'
       AND ip.department IN ('marketing', 'sales') AND c.company_id IS NOT NULL
     GROUP BY c.company_id)
  SELECT json_build_object('company', json_build_object('id', co.id::text, 'name', co.name),
           'marketing', t.marketing, 'sales', t.sales, 'lastAt', liaison_iso(t.last_at)) AS row,
         CASE WHEN t.sales = 0 THEN 'marketingOnly' ELSE 'salesOnly' END AS side
    FROM touch t JOIN companies co ON co.id = t.company_id
   WHERE t.marketing = 0 OR t.sales = 0
   ORDER BY t.marketing + t.sales DESC, t.last_at DESC`;

/**
 * Accounts with activity in the last 30 days and either no owner among their people, or whose activity comes
 * mostly (more than half) from colleagues who own none of them. $1 team.
 */
export const OWNERSHIP_SQL = `
  WITH act AS (
    SELECT c.company_id, il.member_id, count(*)::int AS n
      FROM interaction_participants ip
      JOIN contacts c ON c.id = ip.contact_id
      JOIN interaction_loggers il ON il.interaction_id = ip.interaction_id
     WHERE ip.team_id = $1 AND ip.contact_id IS NOT NULL AND ip.occurred_at >= now() - interval '30 days' AND c.company_id IS NOT NULL
     GROUP BY c.company_id, il.member_id),
  owners AS (
    SELECT c.company_id, array_agg(DISTINCT c.owner_id) AS ids
      FROM contacts c WHERE c.team_id = $1 AND c.owner_id IS NOT NULL AND c.company_id IN (SELECT company_id FROM act)
     GROUP BY c.company_id),
  per_company AS (
    SELECT a.company_id, sum(a.n)::int AS total,
           coalesce(sum(a.n) FILTER (WHERE a.member_id = ANY(o.ids)), 0)::int AS by_owners,
           (array_agg(a.member_id ORDER BY a.n DESC, a.member_id))[1] AS most_active,
           o.ids AS owner_ids
      FROM act a LEFT JOIN owners o ON o.company_id = a.company_id
     GROUP BY a.company_id, o.ids)
  SELECT json_build_object('company', json_build_object('id', co.id::text, 'name', co.name),
           'interactions', p.total, 'byOwners', p.by_owners,
           'owners', (SELECT coalesce(json_agg(${memberRef('om')} ORDER BY om.name), '[]'::json) FROM members om WHERE om.id = ANY(p.owner_ids)),
           'mostActive', (SELECT ${memberRef('ma')} FROM members ma WHERE ma.id = p.most_active),
           'reason', CASE WHEN p.owner_ids IS NULL THEN 'no-owner' ELSE 'others' END) AS row
    FROM per_company p JOIN companies co ON co.id = p.company_id
   WHERE p.owner_ids IS NULL OR p.by_owners * 2 < p.total
   ORDER BY p.owner_ids IS NOT NULL, p.total DESC, co.id
   LIMIT 200`;

/** The kept account sections; `$2` is the name. */
export const SNAPSHOT_SQL = `SELECT body, liaison_iso(computed_at) AS at FROM report_snapshots
  WHERE team_id = $1 AND name = $2 AND computed_at > now() - interval '10 minutes'`;

interface AccountSections {
  marketingOnly: DepartmentGapRow[];
  salesOnly: DepartmentGapRow[];
  ownership: OwnershipRow[];
}

/**
 * The account sections, as computed at most 10 minutes ago. They read every interaction of the last 30 days
 * (at a million contacts, hundreds of thousands of rows), so they are kept per team rather than recomputed per view;
 * two hub processes that both find them stale both compute, and the later write wins — the same answer.
 */
export async function accountSections(db: Queryable, teamId: string): Promise<{ sections: AccountSections; asOf: string }> {
  const [kept] = await db.query<{ body: AccountSections; at: string }>(SNAPSHOT_SQL, [teamId, 'accounts']);
  if (kept) return { sections: kept.body, asOf: kept.at };
  const gaps = await db.query<{ row: DepartmentGapRow; side: 'marketingOnly' | 'salesOnly' }>(DEPARTMENT_GAPS_SQL, [teamId]);
  const ownership = await db.query<{ row: OwnershipRow }>(OWNERSHIP_SQL, [teamId]);
  const sections: AccountSections = {
    marketingOnly: gaps.filter((g) => g.side === 'marketingOnly').slice(0, 100).map((g) => g.row),
    salesOnly: gaps.filter((g) => g.side === 'salesOnly').slice(0, 100).map((g) => g.row),
    ownership: ownership.map((o) => o.row),
  };
  const [stored] = await db.query<{ at: string }>(
    `INSERT INTO report_snapshots (team_id, name, computed_at, body) VALUES ($1, 'accounts', now(), $2)
     ON CONFLICT (team_id, name) DO UPDATE SET computed_at = EXCLUDED.computed_at, body = EXCLUDED.body
     RETURNING liaison_iso(computed_at) AS at`,
    [teamId, JSON.stringify(sections)],
  );
  return { sections, asOf: stored!.at };
}

/** Forgets the kept account sections (tests, and a seed that rewrote history). */
export async function forgetSnapshots(db: Queryable, teamId: string): Promise<void> {
  await db.query('DELETE FROM report_snapshots WHERE team_id = $1', [teamId]);
}

export async function attentionReport(db: Queryable, teamId: string, f: ReportFilter): Promise<AttentionReport> {
  const who = [teamId, f.department, f.member];
  const byKind = await db.query<AttentionReport['openFlags']['byKind'][number]>(OPEN_FLAGS_BY_KIND_SQL, who);
  const flags = await db.query<{ row: OpenFlagRow }>(OPEN_FLAGS_SQL, who);
  const despite = await db.query<{ row: ContactedDespiteRow }>(CONTACTED_DESPITE_SQL, [teamId, f.from, f.to, f.department, f.member, WARNING_FLAG_KINDS]);
  const overdueBy = await db.query<AttentionReport['overdueTasks']['byAssignee'][number]>(OVERDUE_BY_ASSIGNEE_SQL, who);
  const overdue = await db.query<{ row: OverdueTaskRow }>(OVERDUE_TASKS_SQL, who);
  const { sections, asOf } = await accountSections(db, teamId);
  // The account sections are the team's; narrowed to a colleague, they keep the accounts that colleague owns or
  // was the most active on (a department: any of its members).
  const about = (m: MemberRef | null | undefined) => m != null && (f.member === null || m.id === f.member) && (f.department === null || m.department === f.department);
  const narrowed = f.department === null && f.member === null ? sections.ownership : sections.ownership.filter((o) => o.owners.some(about) || about(o.mostActive));
  return {
    from: f.from,
    to: f.to,
    openFlags: { byKind, items: flags.map((r) => r.row) },
    contactedDespite: despite.map((r) => r.row),
    marketingOnly: sections.marketingOnly,
    salesOnly: sections.salesOnly,
    ownership: narrowed.slice(0, 100),
    accountsAsOf: asOf,
    overdueTasks: { byAssignee: overdueBy, items: overdue.map((r) => r.row) },
  };
}
