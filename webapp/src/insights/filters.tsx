/**
 * The filters every report shares — period, department, member — kept in the URL (`?from=2026-09-01&to=2026-11-29
 * &department=it&member=12`), so that a view can be bookmarked or sent to a colleague and Back goes to the last one.
 * Dates are calendar days, both included; the hub is asked from the first day's start to the day after the last.
 */
import { useEffect, useState } from 'preact/hooks';
import { DEPARTMENTS, type Department, type Member } from '../../../shared/wire-types';
import { api, v1 } from '../api';
import { t } from '../i18n';
import { navigate, onNavigate } from '../router';
import { departmentName } from '../ui';

export interface Filters {
  from: string;
  to: string;
  department: Department | '';
  member: string;
}

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);
export const today = () => dateOf(Date.now());
export const addDays = (day: string, n: number) => dateOf(Date.parse(`${day}T00:00:00Z`) + n * DAY);

export function readFilters(search: string): Filters {
  const q = new URLSearchParams(search);
  const to = DATE.test(q.get('to') ?? '') ? q.get('to')! : today();
  const from = DATE.test(q.get('from') ?? '') && q.get('from')! <= to ? q.get('from')! : addDays(to, -90);
  const d = q.get('department') ?? '';
  const m = q.get('member') ?? '';
  return { from, to, department: (DEPARTMENTS as readonly string[]).includes(d) ? (d as Department) : '', member: /^[1-9]\d{0,18}$/.test(m) ? m : '' };
}

/** The query the hub's report routes take. */
export function apiQuery(f: Filters): string {
  const q = new URLSearchParams({ from: `${f.from}T00:00:00Z`, to: `${addDays(f.to, 1)}T00:00:00Z` });
  if (f.department) q.set('department', f.department);
  if (f.member) q.set('member', f.member);
  return q.toString();
}

/** The page's own query string for these filters (what a shared link carries). */
export function pageSearch(f: Filters): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.department) q.set('department', f.department);
  if (f.member) q.set('member', f.member);
  return `?${q}`;
}

/** The URL's query string, following every in-app navigation and Back/Forward. */
export function useSearch(): string {
  const [search, setSearch] = useState(location.search);
  useEffect(() => onNavigate(() => setSearch(location.search)), []);
  return search;
}

/** The team's members, for the member filter and for names. */
export function useMembers(): Member[] {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => {
    api<{ items: Member[] }>('GET', v1('/members'))
      .then((r) => setMembers(r.items))
      .catch(() => setMembers([]));
  }, []);
  return members;
}

export function FilterBar(props: { filters: Filters; members: Member[]; showPeople?: boolean }) {
  const f = props.filters;
  const set = (patch: Partial<Filters>) => navigate(location.pathname + pageSearch({ ...f, ...patch }));
  const preset = (days: number) => set({ from: addDays(today(), -days), to: today() });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <form class="filters" aria-label={t('filters_label')} onSubmit={(e) => e.preventDefault()} data-liaison="filters">
      <div class="field">
        <label for="filter-from">{t('filters_from')}</label>
        <input id="filter-from" type="date" value={f.from} max={f.to} onChange={(e) => DATE.test(value(e)) && set({ from: value(e) })} />
      </div>
      <div class="field">
        <label for="filter-to">{t('filters_to')}</label>
        <input id="filter-to" type="date" value={f.to} min={f.from} onChange={(e) => DATE.test(value(e)) && set({ to: value(e) })} />
      </div>
      {props.showPeople !== false && (
        <>
          <div class="field">
            <label for="filter-department">{t('filters_department')}</label>
            <select id="filter-department" value={f.department} onChange={(e) => set({ department: value(e) as Department | '', member: '' })}>
              <option value="">{t('filters_all_departments')}</option>
              {DEPARTMENTS.map((d) => (
                <option value={d}>{departmentName(d)}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-member">{t('filters_member')}</label>
            <select id="filter-member" value={f.member} onChange={(e) => set({ member: value(e) })}>
              <option value="">{t('filters_everyone')}</option>
              {props.members
                .filter((m) => !f.department || m.department === f.department)
                .map((m) => (
                  <option value={m.id}>{m.name}</option>
                ))}
            </select>
          </div>
        </>
      )}
      <div class="field presets">
        <span class="label" id="filter-presets">
          {t('filters_presets')}
        </span>
        <div class="actions" role="group" aria-labelledby="filter-presets">
          <button type="button" onClick={() => preset(30)}>
            {t('filters_30')}
          </button>
          <button type="button" onClick={() => preset(90)}>
            {t('filters_90')}
          </button>
          <button type="button" onClick={() => preset(365)}>
            {t('filters_365')}
          </button>
        </div>
      </div>
    </form>
  );
}

/** "1 Sep 2026 – 29 Nov 2026" in the page's language. */
export function periodText(f: Filters, locale: string): string {
  const fmt = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${fmt(f.from)} – ${fmt(f.to)}`;
}
