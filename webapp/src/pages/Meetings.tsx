/** Meetings and attendance: who came, who was late, who did not show — colleagues and customers — and the meetings. */
import type { AttendanceCounts, MeetingsReport } from '../../../shared/insights-types';
import type { AttendanceStatus } from '../../../shared/wire-types';
import { t, type Key } from '../i18n';
import { ChartView } from '../insights/Chart';
import { DataTable, type Column } from '../insights/DataTable';
import { apiQuery, FilterBar, periodText, readFilters, useMembers, useSearch } from '../insights/filters';
import { CompanyLink, ContactLink, dayText, locale, Section, useReport, weekText } from '../insights/shared';
import { PageTitle, Status, departmentName } from '../ui';

export const statusName = (s: AttendanceStatus | null) => (s ? t(`status_${s.replace('-', '_')}` as Key) : t('status_none'));

const countColumns = (): Column[] => [
  { label: t('meetings_recorded'), numeric: true },
  { label: t('status_attended'), numeric: true },
  { label: t('status_late'), numeric: true },
  { label: t('status_no_show'), numeric: true },
  { label: t('status_excused'), numeric: true },
];
const countCells = (c: AttendanceCounts) => [c.recorded, c.attended, c.late, c.noShow, c.excused];

export function Meetings() {
  const search = useSearch();
  const filters = readFilters(search);
  const members = useMembers();
  const { data, problem } = useReport<MeetingsReport>(`/reports/meetings?${apiQuery(filters)}`);
  const repeat = data?.members.filter((m) => m.repeatNoShow) ?? [];

  return (
    <>
      <section class="card">
        <PageTitle>{t('meetings_title')}</PageTitle>
        <p>{t('meetings_intro')}</p>
        <FilterBar filters={filters} members={members} />
        <Status text={problem} error />
        {!data && !problem && <p role="status">{t('loading')}</p>}
        {data && (
          <p class="figures" data-liaison="meetings-headline">
            {t('meetings_headline', data.logged.total, periodText(filters, locale()))}
          </p>
        )}
        {repeat.length > 0 && (
          <p class="notice" role="note" data-liaison="repeat-no-shows">
            {t('meetings_repeat_notice', repeat.map((m) => `${m.member.name} (${m.counts.noShow})`).join(', '))}
          </p>
        )}
      </section>
      {data && (
        <>
          <Section id="meetings-people" title={t('meetings_people_title')} intro={t('meetings_people_intro')}>
            <div class="report-pair stack">
              <ChartView
                id="attendance"
                kind="bar"
                stacked
                horizontal
                title={t('meetings_people_chart')}
                summary={data.members.map((m) => t('meetings_person_summary', m.member.name, m.counts.attended, m.counts.late, m.counts.noShow, m.counts.excused)).join('; ')}
                labels={data.members.map((m) => m.member.name)}
                series={[
                  { label: t('status_attended'), data: data.members.map((m) => m.counts.attended), color: '#1c7c54' },
                  { label: t('status_late'), data: data.members.map((m) => m.counts.late), color: '#8a6d00' },
                  { label: t('status_no_show'), data: data.members.map((m) => m.counts.noShow), color: '#b42318' },
                  { label: t('status_excused'), data: data.members.map((m) => m.counts.excused), color: '#6b7280' },
                ]}
              />
              <DataTable
                id="attendance-members"
                quietCaption
                caption={t('meetings_people_title')}
                filename="liaison-attendance-by-member.csv"
                columns={[{ label: t('report_member') }, { label: t('report_department') }, ...countColumns()]}
                rows={data.members.map((m) => ({
                  key: m.member.id,
                  cells: [m.member.name, departmentName(m.member.department), ...countCells(m.counts)],
                  flagged: m.repeatNoShow ? t('meetings_repeat_badge') : undefined,
                }))}
              />
            </div>
            <DataTable
              id="attendance-departments"
              caption={t('meetings_departments_title')}
              filename="liaison-attendance-by-department.csv"
              columns={[{ label: t('report_department') }, ...countColumns()]}
              rows={data.departments.map((d) => ({ key: d.department, cells: [departmentName(d.department), ...countCells(d.counts)] }))}
            />
          </Section>
          <Section id="meetings-logged" title={t('meetings_logged_title')}>
            <div class="report-pair">
              <ChartView
                id="meetings-weeks"
                kind="bar"
                title={t('meetings_logged_chart')}
                summary={t('meetings_headline', data.logged.total, periodText(filters, locale()))}
                labels={data.logged.byWeek.map((w) => weekText(w.week))}
                series={[{ label: t('meetings_logged'), data: data.logged.byWeek.map((w) => w.meetings) }]}
              />
              <DataTable
                id="meetings-weeks"
                caption={t('meetings_logged_chart')}
                filename="liaison-meetings-by-week.csv"
                columns={[{ label: t('adoption_week') }, { label: t('meetings_logged'), numeric: true }]}
                rows={data.logged.byWeek.map((w) => ({ key: w.week, cells: [w.week, w.meetings], show: [weekText(w.week)] }))}
              />
            </div>
          </Section>
          <Section id="meetings-customers" title={t('meetings_customers_title')} intro={t('meetings_customers_intro')}>
            <DataTable
              id="attendance-customers"
              caption={t('meetings_customers_total')}
              filename="liaison-attendance-customers.csv"
              columns={[{ label: t('meetings_who') }, ...countColumns()]}
              rows={[{ key: 'all', cells: [t('meetings_all_customers'), ...countCells(data.customers.counts)] }]}
            />
            <DataTable
              id="repeat-customers"
              caption={t('meetings_repeat_customers')}
              filename="liaison-repeat-no-show-customers.csv"
              empty={t('meetings_no_repeat_customers')}
              columns={[{ label: t('report_customer') }, { label: t('report_company') }, { label: t('status_no_show'), numeric: true }, { label: t('meetings_recorded'), numeric: true }]}
              rows={data.customers.repeatNoShows.map((r) => ({
                key: r.contact.id,
                cells: [r.contact.name, r.company?.name ?? null, r.noShows, r.recorded],
                show: [<ContactLink contact={r.contact} />, <CompanyLink company={r.company} />],
                flagged: t('meetings_repeat_badge'),
              }))}
            />
          </Section>
          <Section id="meetings-list" title={t('meetings_list_title')} intro={t('meetings_list_intro')}>
            <DataTable
              id="meetings"
              quietCaption
              caption={t('meetings_list_title')}
              filename="liaison-meetings.csv"
              columns={[{ label: t('meetings_when') }, { label: t('meetings_subject') }, { label: t('meetings_logged_by') }, { label: t('meetings_came') }, { label: t('meetings_missing') }]}
              rows={data.meetings.map((m) => {
                const came = m.attendees.filter((a) => a.status === 'attended' || a.status === 'late');
                const missing = m.attendees.filter((a) => a.status === 'no-show' || a.status === 'excused' || a.status === null);
                const names = (list: typeof came) => list.map((a) => `${a.name ?? a.email}${a.status !== 'attended' ? ` (${statusName(a.status)})` : ''}`).join(', ');
                return {
                  key: m.id,
                  cells: [m.occurredAt, m.subject, m.loggedBy.name, names(came), names(missing)],
                  show: [
                    dayText(m.occurredAt),
                    undefined,
                    undefined,
                    undefined,
                    <span class={missing.some((a) => a.status === 'no-show') ? 'problem' : undefined}>
                      <bdi>{names(missing)}</bdi>
                    </span>,
                  ],
                  flagged: m.attendees.some((a) => a.status === 'no-show' && a.memberId) ? t('meetings_colleague_no_show') : undefined,
                };
              })}
            />
          </Section>
        </>
      )}
    </>
  );
}
