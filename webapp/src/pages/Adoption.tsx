/** Adoption: customer conversations seen versus logged, per member, department and team, week by week. */
import type { AdoptionReport, AdoptionSeries } from '../../../shared/insights-types';
import { t } from '../i18n';
import { ChartView } from '../insights/Chart';
import { DataTable } from '../insights/DataTable';
import { apiQuery, FilterBar, periodText, readFilters, useMembers, useSearch } from '../insights/filters';
import { locale, percent, percentText, Section, useReport, weekText } from '../insights/shared';
import { navigate } from '../router';
import { PageTitle, Status, departmentName } from '../ui';

const share = (s: { seen: number; logged: number }) => percent(s.logged, s.seen);
const trendText = (trend: number | null) => (trend === null ? '–' : t('adoption_trend_value', trend > 0 ? `+${trend}` : String(trend)));

export function Adoption() {
  const search = useSearch();
  const filters = readFilters(search);
  const members = useMembers();
  const { data, problem } = useReport<AdoptionReport>(`/reports/adoption?${apiQuery(filters)}`);
  const focus = data && filters.member ? data.members.find((m) => m.member.id === filters.member) : undefined;
  const lines: { label: string; series: AdoptionSeries }[] = !data
    ? []
    : focus
      ? [{ label: focus.member.name, series: focus }, ...(data.scope === 'team' ? [{ label: t('adoption_team'), series: data.team }] : [])]
      : data.scope === 'self'
        ? [{ label: data.members[0]?.member.name ?? t('adoption_you'), series: data.team }]
        : [{ label: t('adoption_team'), series: data.team }, ...data.departments.map((d) => ({ label: departmentName(d.department), series: d }))];
  const main = focus ?? data?.team;

  return (
    <>
      <section class="card">
        <PageTitle>{t('adoption_title')}</PageTitle>
        <p>{t('adoption_intro')}</p>
        {data && <p class="hint">{t(data.scope === 'team' ? 'adoption_scope_team' : 'adoption_scope_self')}</p>}
        {data && data.sharing === 'off' && (
          <p class="notice" role="note">
            {t('adoption_sharing_off')}
          </p>
        )}
        <FilterBar filters={filters} members={members} showPeople={data?.scope !== 'self'} />
        <Status text={problem} error />
        {!data && !problem && <p role="status">{t('loading')}</p>}
      </section>
      {data && main && (
        <>
          <Section id="adoption-trend" title={t('adoption_trend_title', periodText(filters, locale()))}>
            <p class="figures" data-liaison="adoption-headline">
              {t('adoption_headline', main.total.logged, main.total.seen, percentText(share(main.total)), trendText(main.trend))}
            </p>
            <div class="report-pair stack">
              <ChartView
                id="adoption"
                kind="line"
                percent
                title={t('adoption_chart')}
                summary={t('adoption_chart_summary', lines.map((l) => `${l.label}: ${percentText(share(l.series.total))}, ${trendText(l.series.trend)}`).join('; '))}
                labels={data.weeks.map(weekText)}
                series={lines.map((l) => ({ label: l.label, data: l.series.weeks.map(share) }))}
              />
              <DataTable
                id="adoption-weeks"
                caption={t('adoption_weeks_caption', focus ? focus.member.name : data.scope === 'self' ? t('adoption_you') : t('adoption_team'))}
                filename="liaison-adoption-by-week.csv"
                columns={[
                  { label: t('adoption_week') },
                  { label: t('adoption_seen'), numeric: true },
                  { label: t('adoption_logged'), numeric: true },
                  { label: t('adoption_share'), numeric: true },
                  { label: t('adoption_from_prompt'), numeric: true },
                  { label: t('adoption_later'), numeric: true },
                  { label: t('adoption_sidebar'), numeric: true },
                  { label: t('adoption_dismissed'), numeric: true },
                ]}
                rows={main.weeks.map((w) => ({
                  key: w.week,
                  cells: [w.week, w.seen, w.logged, share(w), w.loggedFromPrompt, w.loggedLater, w.loggedSidebar, w.dismissed],
                  show: [weekText(w.week), undefined, undefined, percentText(share(w))],
                }))}
              />
            </div>
          </Section>
          {data.scope === 'team' && (
            <Section id="adoption-members" title={t('adoption_members_title')} intro={t('adoption_members_intro')}>
              <DataTable
                id="adoption-members"
                quietCaption
                caption={t('adoption_members_title')}
                filename="liaison-adoption-by-member.csv"
                columns={[
                  { label: t('report_member') },
                  { label: t('report_department') },
                  { label: t('adoption_seen'), numeric: true },
                  { label: t('adoption_logged'), numeric: true },
                  { label: t('adoption_share'), numeric: true },
                  { label: t('adoption_from_prompt'), numeric: true },
                  { label: t('adoption_later'), numeric: true },
                  { label: t('adoption_dismissed'), numeric: true },
                  { label: t('adoption_trend'), numeric: true },
                ]}
                rows={data.members.map((m) => ({
                  key: m.member.id,
                  cells: [m.member.name, departmentName(m.member.department), m.total.seen, m.total.logged, share(m.total), m.total.loggedFromPrompt, m.total.loggedLater, m.total.dismissed, m.trend],
                  show: [
                    <a
                      href={`/insights/adoption?from=${filters.from}&to=${filters.to}&member=${m.member.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate((e.currentTarget as HTMLAnchorElement).getAttribute('href')!);
                      }}
                      aria-current={m.member.id === filters.member ? 'true' : undefined}
                    >
                      <bdi>{m.member.name}</bdi>
                    </a>,
                    undefined,
                    undefined,
                    undefined,
                    percentText(share(m.total)),
                    undefined,
                    undefined,
                    undefined,
                    trendText(m.trend),
                  ],
                }))}
              />
              <DataTable
                id="adoption-departments"
                caption={t('adoption_departments_title')}
                filename="liaison-adoption-by-department.csv"
                columns={[
                  { label: t('report_department') },
                  { label: t('adoption_seen'), numeric: true },
                  { label: t('adoption_logged'), numeric: true },
                  { label: t('adoption_share'), numeric: true },
                  { label: t('adoption_trend'), numeric: true },
                ]}
                rows={data.departments.map((d) => ({
                  key: d.department,
                  cells: [departmentName(d.department), d.total.seen, d.total.logged, share(d.total), d.trend],
                  show: [undefined, undefined, undefined, percentText(share(d.total)), trendText(d.trend)],
                }))}
              />
            </Section>
          )}
        </>
      )}
    </>
  );
}
