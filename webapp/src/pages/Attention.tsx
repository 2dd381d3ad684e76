/**
 * Needs attention: what a leader should catch before a customer does — open heads-ups and their age, customers
 * contacted despite one, accounts one department works without the other, accounts nobody owns or the owner does
 * not work, and overdue follow-ups.
 */
import type { AttentionReport } from '../../../shared/insights-types';
import { t } from '../i18n';
import { ChartView } from '../insights/Chart';
import { DataTable } from '../insights/DataTable';
import { apiQuery, FilterBar, periodText, readFilters, useMembers, useSearch } from '../insights/filters';
import { CompanyLink, ContactLink, dayText, locale, memberName, Section, useReport } from '../insights/shared';
import { when } from '../i18n';
import { PageTitle, Status, departmentName } from '../ui';

export const flagName = (kind: string) =>
  ({ 'open-service-issue': t('flag_open_service_issue'), 'do-not-contact': t('flag_do_not_contact'), 'key-account': t('flag_key_account'), 'billing-issue': t('flag_billing_issue'), 'churn-risk': t('flag_churn_risk') })[kind] ?? kind;

export function Attention() {
  const search = useSearch();
  const filters = readFilters(search);
  const members = useMembers();
  const { data, problem } = useReport<AttentionReport>(`/reports/attention?${apiQuery(filters)}`);

  return (
    <>
      <section class="card">
        <PageTitle>{t('attention_title')}</PageTitle>
        <p>{t('attention_intro')}</p>
        <FilterBar filters={filters} members={members} />
        <Status text={problem} error />
        {!data && !problem && <p role="status">{t('loading')}</p>}
        {data && (
          <ul class="figures-list" data-liaison="attention-headline">
            <li>{t('attention_count_flags', data.openFlags.byKind.reduce((n, k) => n + k.total, 0))}</li>
            <li class={data.contactedDespite.length ? 'problem' : undefined}>{t('attention_count_despite', data.contactedDespite.length)}</li>
            <li>{t('attention_count_gaps', data.marketingOnly.length, data.salesOnly.length)}</li>
            <li>{t('attention_count_ownership', data.ownership.length)}</li>
            <li>{t('attention_count_overdue', data.overdueTasks.byAssignee.reduce((n, a) => n + a.overdue, 0))}</li>
          </ul>
        )}
      </section>
      {data && (
        <>
          <Section id="despite" title={t('attention_despite_title')} intro={t('attention_despite_intro', periodText(filters, locale()))}>
            <DataTable
              id="despite"
              quietCaption
              caption={t('attention_despite_title')}
              filename="liaison-contacted-despite-heads-up.csv"
              empty={t('attention_despite_none')}
              columns={[
                { label: t('report_customer') },
                { label: t('report_company') },
                { label: t('attention_heads_up') },
                { label: t('attention_raised') },
                { label: t('attention_contacted_by') },
                { label: t('attention_contacted_at') },
                { label: t('meetings_subject') },
              ]}
              rows={data.contactedDespite.map((r) => ({
                key: `${r.flag.id}-${r.interaction.id}-${r.by.id}`,
                cells: [r.contact.name, r.company?.name ?? null, flagName(r.flag.kind), `${r.flag.setBy.name}, ${r.flag.setAt}`, `${r.by.name} (${departmentName(r.by.department)})`, r.interaction.occurredAt, r.interaction.subject],
                show: [
                  <ContactLink contact={r.contact} />,
                  <CompanyLink company={r.company} />,
                  undefined,
                  <>
                    <bdi>{r.flag.setBy.name}</bdi>, {dayText(r.flag.setAt)}
                  </>,
                  undefined,
                  when(r.interaction.occurredAt),
                ],
              }))}
            />
          </Section>
          <Section id="flags" title={t('attention_flags_title')} intro={t('attention_flags_intro')}>
            <div class="report-pair">
              <ChartView
                id="flags"
                kind="bar"
                stacked
                title={t('attention_flags_chart')}
                summary={data.openFlags.byKind.map((k) => `${flagName(k.kind)}: ${k.total}`).join('; ')}
                labels={data.openFlags.byKind.map((k) => flagName(k.kind))}
                series={[
                  { label: t('attention_age_week'), data: data.openFlags.byKind.map((k) => k.week), color: '#0b6bcb' },
                  { label: t('attention_age_month'), data: data.openFlags.byKind.map((k) => k.month), color: '#8a6d00' },
                  { label: t('attention_age_quarter'), data: data.openFlags.byKind.map((k) => k.quarter), color: '#c25e00' },
                  { label: t('attention_age_older'), data: data.openFlags.byKind.map((k) => k.older), color: '#b42318' },
                ]}
              />
              <DataTable
                id="flags-by-kind"
                caption={t('attention_flags_chart')}
                filename="liaison-open-heads-ups-by-kind.csv"
                columns={[
                  { label: t('attention_kind') },
                  { label: t('attention_total'), numeric: true },
                  { label: t('attention_age_week'), numeric: true },
                  { label: t('attention_age_month'), numeric: true },
                  { label: t('attention_age_quarter'), numeric: true },
                  { label: t('attention_age_older'), numeric: true },
                ]}
                rows={data.openFlags.byKind.map((k) => ({ key: k.kind, cells: [flagName(k.kind), k.total, k.week, k.month, k.quarter, k.older] }))}
              />
            </div>
            <DataTable
              id="flags"
              caption={t('attention_flags_list')}
              filename="liaison-open-heads-ups.csv"
              columns={[
                { label: t('attention_kind') },
                { label: t('report_customer') },
                { label: t('report_company') },
                { label: t('attention_raised_by') },
                { label: t('attention_age_days'), numeric: true },
                { label: t('attention_note') },
              ]}
              rows={data.openFlags.items.map((f) => ({
                key: f.id,
                cells: [flagName(f.kind), f.contact.name, f.company?.name ?? null, f.setBy.name, f.ageDays, f.note],
                show: [undefined, <ContactLink contact={f.contact} />, <CompanyLink company={f.company} />],
              }))}
            />
          </Section>
          <Section id="gaps" title={t('attention_gaps_title')} intro={t('attention_gaps_intro', when(data.accountsAsOf))}>
            {(['marketingOnly', 'salesOnly'] as const).map((side) => (
              <DataTable
                id={side === 'marketingOnly' ? 'marketing-only' : 'sales-only'}
                caption={t(side === 'marketingOnly' ? 'attention_marketing_only' : 'attention_sales_only')}
                filename={side === 'marketingOnly' ? 'liaison-marketing-not-sales.csv' : 'liaison-sales-not-marketing.csv'}
                columns={[{ label: t('report_company') }, { label: t('department_marketing'), numeric: true }, { label: t('department_sales'), numeric: true }, { label: t('attention_last') }]}
                rows={data[side].map((g) => ({ key: g.company.id, cells: [g.company.name, g.marketing, g.sales, g.lastAt], show: [<CompanyLink company={g.company} />, undefined, undefined, dayText(g.lastAt)] }))}
              />
            ))}
          </Section>
          <Section id="ownership" title={t('attention_ownership_title')} intro={t('attention_ownership_intro', when(data.accountsAsOf))}>
            <DataTable
              id="ownership"
              quietCaption
              caption={t('attention_ownership_title')}
              filename="liaison-account-ownership.csv"
              columns={[
                { label: t('report_company') },
                { label: t('attention_why') },
                { label: t('attention_interactions'), numeric: true },
                { label: t('attention_by_owners'), numeric: true },
                { label: t('attention_owners') },
                { label: t('attention_most_active') },
              ]}
              rows={data.ownership.map((o) => ({
                key: o.company.id,
                cells: [o.company.name, t(o.reason === 'no-owner' ? 'attention_no_owner' : 'attention_others'), o.interactions, o.byOwners, o.owners.map((m) => m.name).join(', '), memberName(o.mostActive)],
                show: [<CompanyLink company={o.company} />],
              }))}
            />
          </Section>
          <Section id="overdue" title={t('attention_overdue_title')}>
            <DataTable
              id="overdue-by-assignee"
              caption={t('attention_overdue_by_assignee')}
              filename="liaison-overdue-by-assignee.csv"
              columns={[{ label: t('attention_assignee') }, { label: t('attention_overdue'), numeric: true }, { label: t('attention_oldest_due') }]}
              rows={data.overdueTasks.byAssignee.map((a) => ({ key: a.assignee?.id ?? 'none', cells: [memberName(a.assignee), a.overdue, a.oldestDueAt], show: [undefined, undefined, dayText(a.oldestDueAt)] }))}
            />
            <DataTable
              id="overdue"
              caption={t('attention_overdue_list')}
              filename="liaison-overdue-follow-ups.csv"
              columns={[{ label: t('attention_task') }, { label: t('attention_assignee') }, { label: t('report_customer') }, { label: t('attention_due') }, { label: t('attention_days_overdue'), numeric: true }]}
              rows={data.overdueTasks.items.map((o) => ({
                key: o.id,
                cells: [o.title, memberName(o.assignee), o.contact?.name ?? null, o.dueAt, o.daysOverdue],
                show: [undefined, undefined, o.contact ? <ContactLink contact={o.contact} /> : undefined, dayText(o.dueAt)],
              }))}
            />
          </Section>
        </>
      )}
    </>
  );
}
