/**
 * What the hub's team insights answer (issue 14): adoption, meetings and attendance, what needs attention, and the
 * customer pages. As neutral as wire-types.ts (it imports only from there): the hub, the web app and the extension
 * import it. Times are ISO 8601 in UTC; days and weeks are `YYYY-MM-DD` (a week by its Monday).
 */
import type { AttendanceStatus, Company, ContactSummary, Department, Flag, InteractionKind, MemberRef } from './wire-types';

/** Whether the team's extensions send daily adoption counts: `off` (the default) or `counts`. */
export const ADOPTION_SHARING = ['off', 'counts'] as const;
export type AdoptionSharing = (typeof ADOPTION_SHARING)[number];

export interface InsightsSettings {
  adoptionSharing: AdoptionSharing;
}

/**
 * One member's day as the extension counts it: customer conversations seen, and what became of them. Counts and
 * the date only — never a subject, an address, a name or a thread reference.
 */
export interface AdoptionDay {
  /** The member's own calendar day, `YYYY-MM-DD`. */
  day: string;
  seen: number;
  prompted: number;
  loggedFromPrompt: number;
  loggedLater: number;
  loggedSidebar: number;
  dismissed: number;
  listed: number;
}

export interface AdoptionCounts {
  seen: number;
  /** loggedFromPrompt + loggedLater + loggedSidebar. */
  logged: number;
  prompted: number;
  loggedFromPrompt: number;
  loggedLater: number;
  loggedSidebar: number;
  dismissed: number;
  listed: number;
}

export interface AdoptionWeek extends AdoptionCounts {
  /** The Monday the week starts on. */
  week: string;
}

export interface AdoptionSeries {
  /** Every week of the period, in order (weeks without counts are zeros). */
  weeks: AdoptionWeek[];
  total: AdoptionCounts;
  /** The weekly share logged, its slope over the period in percentage points per week (null: too few weeks with conversations). */
  trend: number | null;
}

export interface AdoptionReport {
  from: string;
  to: string;
  /** `self`: a member sees their own figures only; `team`: admins and leadership see everyone's. */
  scope: 'self' | 'team';
  sharing: AdoptionSharing;
  weeks: string[];
  /** The whole team (scope `team`), whatever the department and member filters; a member's own (scope `self`). */
  team: AdoptionSeries;
  departments: (AdoptionSeries & { department: Department })[];
  members: (AdoptionSeries & { member: MemberRef })[];
}

export interface AttendanceCounts {
  /** Attendance records with a status. */
  recorded: number;
  attended: number;
  late: number;
  noShow: number;
  excused: number;
}

export interface MeetingAttendee {
  name: string | null;
  email: string;
  memberId: string | null;
  contactId: string | null;
  /** The colleague's department; null for a customer. */
  department: Department | null;
  status: AttendanceStatus | null;
}

export interface MeetingRow {
  id: string;
  subject: string | null;
  occurredAt: string;
  loggedBy: MemberRef;
  attendees: MeetingAttendee[];
}

export interface MeetingsReport {
  from: string;
  to: string;
  /** Meetings logged in the period, by the department of whoever logged them first, and by week. */
  logged: { total: number; byDepartment: Record<Department, number>; byWeek: { week: string; meetings: number }[] };
  /** Colleagues' attendance, per member; `repeatNoShow`: two or more no-shows in the period. */
  members: { member: MemberRef; counts: AttendanceCounts; repeatNoShow: boolean }[];
  departments: { department: Department; counts: AttendanceCounts }[];
  /** Customers' attendance: all of it, and the customers who did not show up twice or more. */
  customers: { counts: AttendanceCounts; repeatNoShows: { contact: { id: string; name: string | null }; company: { id: string; name: string } | null; noShows: number; recorded: number }[] };
  /** The newest meetings of the period (at most 100) with who came. */
  meetings: MeetingRow[];
}

export interface CompanyRef {
  id: string;
  name: string;
}

export interface ContactRef {
  id: string;
  name: string | null;
}

export interface OpenFlagRow {
  id: string;
  kind: string;
  note: string | null;
  contact: ContactRef;
  company: CompanyRef | null;
  setBy: MemberRef;
  setAt: string;
  ageDays: number;
}

export interface ContactedDespiteRow {
  flag: { id: string; kind: string; note: string | null; setBy: MemberRef; setAt: string; closedAt: string | null };
  contact: ContactRef;
  company: CompanyRef | null;
  interaction: { id: string; kind: InteractionKind; occurredAt: string; subject: string | null };
  /** The colleague who logged the conversation first (its department is the conversation's). */
  by: MemberRef;
}

export interface DepartmentGapRow {
  company: CompanyRef;
  marketing: number;
  sales: number;
  lastAt: string;
}

export interface OwnershipRow {
  company: CompanyRef;
  /** Interactions with the company's people in the last 30 days. */
  interactions: number;
  /** …of which logged by an owner of one of its people. */
  byOwners: number;
  owners: MemberRef[];
  /** Who logged most of them. */
  mostActive: MemberRef | null;
  reason: 'no-owner' | 'others';
}

export interface OverdueTaskRow {
  id: string;
  title: string;
  dueAt: string;
  assignee: MemberRef | null;
  contact: ContactRef | null;
  daysOverdue: number;
}

/** Every list holds at most 100 rows (the oldest heads-ups, the newest conversations, the busiest accounts, the longest overdue). */
export interface AttentionReport {
  from: string;
  to: string;
  openFlags: {
    byKind: { kind: string; total: number; week: number; month: number; quarter: number; older: number }[];
    items: OpenFlagRow[];
  };
  /** Customers contacted while an open-service-issue (by anyone but support) or do-not-contact heads-up stood. */
  contactedDespite: ContactedDespiteRow[];
  /** Accounts one of marketing and sales touched in the last 30 days and the other did not (as of `accountsAsOf`). */
  marketingOnly: DepartmentGapRow[];
  salesOnly: DepartmentGapRow[];
  /** Accounts with activity in the last 30 days and no owner, or whose activity comes mostly from others. */
  ownership: OwnershipRow[];
  /** When the account sections were computed (they are kept for a few minutes). */
  accountsAsOf: string;
  overdueTasks: { byAssignee: { assignee: MemberRef | null; overdue: number; oldestDueAt: string }[]; items: OverdueTaskRow[] };
}

export interface CustomerSearchResult {
  q: string;
  contacts: { id: string; name: string | null; title: string | null; emails: string[]; company: CompanyRef | null; owner: MemberRef | null }[];
  companies: { id: string; name: string; domains: string[]; people: number }[];
}

export interface CompanyPage {
  company: Company;
  people: ContactSummary[];
  owners: { member: MemberRef; contacts: number }[];
  openFlags: (Flag & { contact: ContactRef })[];
  totalInteractions: number;
  countsByDepartment: Record<Department, number>;
}
