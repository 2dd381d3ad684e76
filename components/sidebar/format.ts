import type { Department, InteractionKind } from '../../shared/wire-types';
import { t, uiLocale, type MessageKey } from './t';

const DAY = 86_400_000;

/** "2 days ago", "yesterday", "in 3 hours" in the browser's language. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const diff = time - now.getTime();
  const abs = Math.abs(diff);
  const format = new Intl.RelativeTimeFormat(uiLocale(), { numeric: 'auto' });
  if (abs < 3_600_000) return format.format(Math.round(diff / 60_000), 'minute');
  if (abs < DAY) return format.format(Math.round(diff / 3_600_000), 'hour');
  if (abs < 30 * DAY) return format.format(Math.round(diff / DAY), 'day');
  if (abs < 365 * DAY) return format.format(Math.round(diff / (30 * DAY)), 'month');
  return format.format(Math.round(diff / (365 * DAY)), 'year');
}

/** "10:42" today; "12 Nov, 10:42" on another day — always a 24-hour clock so it reads the same in every locale. */
export function clockTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(uiLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
  }).format(date);
}

export function shortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(uiLocale(), { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** "12 Mar" — the day a thing happened, short (issue 5's "no-show 12 Mar"). */
export function dayMonth(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(uiLocale(), { day: 'numeric', month: 'short' }).format(date);
}

const departmentKeys: Record<Department, MessageKey> = {
  sales: 'sidebar_dept_sales',
  marketing: 'sidebar_dept_marketing',
  support: 'sidebar_dept_support',
  it: 'sidebar_dept_it',
  leadership: 'sidebar_dept_leadership',
  other: 'sidebar_dept_other',
};

export function departmentLabel(department: Department): string {
  return t(departmentKeys[department] ?? 'sidebar_dept_other');
}

const kindKeys: Record<InteractionKind, MessageKey> = {
  email: 'sidebar_kind_email',
  meeting: 'sidebar_kind_meeting',
  call: 'sidebar_kind_call',
  note: 'sidebar_kind_note',
  support: 'sidebar_kind_support',
  marketing: 'sidebar_kind_marketing',
};

export function kindLabel(kind: InteractionKind): string {
  return t(kindKeys[kind] ?? 'sidebar_kind_note');
}

const flagKeys: Record<string, MessageKey> = {
  'open-service-issue': 'sidebar_flag_open_service_issue',
  'do-not-contact': 'sidebar_flag_do_not_contact',
  'key-account': 'sidebar_flag_key_account',
  'billing-issue': 'sidebar_flag_billing_issue',
  'churn-risk': 'sidebar_flag_churn_risk',
};

/** Teams may invent flag kinds (lower-case, dashes): those show as their own words. */
export function flagLabel(kind: string): string {
  const key = flagKeys[kind];
  return key ? t(key) : kind.replace(/-/g, ' ');
}
