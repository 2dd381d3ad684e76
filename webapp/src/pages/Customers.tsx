/**
 * Customers: search by name, address, company or domain (typos forgiven by the hub's trigram index), a company with
 * its people, owners, heads-ups and the team's timeline, and a contact with the same and the edits an admin or the
 * contact's owner may make (anyone, while nobody owns it). The search text is kept in the URL like the reports' filters.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CompanyPage, CustomerSearchResult } from '../../../shared/insights-types';
import type { ContactSummary, Interaction, Member, TimelinePage } from '../../../shared/wire-types';
import { api, v1 } from '../api';
import { t, when, type Key } from '../i18n';
import { DataTable } from '../insights/DataTable';
import { useMembers, useSearch } from '../insights/filters';
import { CompanyLink, ContactLink, dayText, memberName, Section, useReport } from '../insights/shared';
import { navigate } from '../router';
import { Field, PageTitle, Status, departmentName, errorText } from '../ui';
import { flagName } from './Attention';
import { statusName } from './Meetings';

export function Customers() {
  const search = useSearch();
  const q = new URLSearchParams(search).get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const { data, problem } = useReport<CustomerSearchResult>(q.trim().length >= 2 ? `/customers/search?q=${encodeURIComponent(q.trim())}` : null);
  return (
    <>
      <section class="card">
        <PageTitle>{t('customers_title')}</PageTitle>
        <form
          role="search"
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(`/customers?q=${encodeURIComponent(text.trim())}`);
          }}
        >
          <Field id="customer-q" label={t('customers_search_label')} hint={t('customers_search_hint')}>
            <div class="row">
              <input id="customer-q" type="search" value={text} minLength={2} required onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
              <button type="submit" class="primary">
                {t('customers_search')}
              </button>
            </div>
          </Field>
        </form>
        <Status text={problem} error />
        {data && (
          <p role="status" class="hint">
            {t('customers_found', data.companies.length, data.contacts.length)}
          </p>
        )}
      </section>
      {data && (
        <Section id="results" title={t('customers_results')}>
          <DataTable
            id="companies"
            caption={t('customers_companies')}
            filename="liaison-company-search.csv"
            columns={[{ label: t('report_company') }, { label: t('customers_domains') }, { label: t('customers_people'), numeric: true }]}
            rows={data.companies.map((c) => ({ key: c.id, cells: [c.name, c.domains.join(' '), c.people], show: [<CompanyLink company={c} />] }))}
          />
          <DataTable
            id="contacts"
            caption={t('customers_contacts')}
            filename="liaison-contact-search.csv"
            columns={[{ label: t('report_customer') }, { label: t('customers_title_col') }, { label: t('report_company') }, { label: t('customers_emails') }, { label: t('customers_owner') }]}
            rows={data.contacts.map((c) => ({
              key: c.id,
              cells: [c.name, c.title, c.company?.name ?? null, c.emails.join(' '), c.owner?.name ?? null],
              show: [<ContactLink contact={c} />, undefined, <CompanyLink company={c.company} />],
            }))}
          />
        </Section>
      )}
    </>
  );
}

function Timeline({ path }: { path: string }) {
  const [items, setItems] = useState<Interaction[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async (from: string | null) => {
    try {
      const page = await api<TimelinePage>('GET', v1(`${path}?limit=20${from ? `&cursor=${from}` : ''}`));
      setItems((old) => (from ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setProblem(errorText(e));
    }
  };
  useEffect(() => void load(null), [path]);
  return (
    <Section id="timeline" title={t('customers_timeline')}>
      <Status text={problem} error />
      <ol class="timeline" data-liaison="timeline">
        {items.map((i) => (
          <li key={i.id}>
            <p>
              <strong>{when(i.occurredAt)}</strong> · {t(`kind_${i.kind}` as Key)} · {departmentName(i.department)} · <bdi>{i.loggers.map((l) => l.member.name).join(', ')}</bdi>
            </p>
            {i.subject && (
              <p>
                <bdi>{i.subject}</bdi>
              </p>
            )}
            {(i.summary || i.outcome) && (
              <p class="hint">
                <bdi>{[i.summary, i.outcome].filter(Boolean).join(' — ')}</bdi>
              </p>
            )}
            {i.attendance.length > 0 && (
              <p class="hint">
                <bdi>{i.attendance.map((a) => `${a.name ?? a.email}: ${statusName(a.status)}`).join(', ')}</bdi>
              </p>
            )}
          </li>
        ))}
      </ol>
      {items.length === 0 && !problem && <p class="hint">{t('report_empty')}</p>}
      {cursor && (
        <button type="button" onClick={() => load(cursor)}>
          {t('customers_older')}
        </button>
      )}
    </Section>
  );
}

function Flags({ flags }: { flags: { id: string; kind: string; note: string | null; setBy: { name: string }; setAt: string; contact?: { id: string; name: string | null } }[] }) {
  if (flags.length === 0) return <p class="hint">{t('customers_no_flags')}</p>;
  return (
    <ul class="flags" data-liaison="heads-ups">
      {flags.map((f) => (
        <li key={f.id} class="notice">
          <strong>{flagName(f.kind)}</strong>
          {f.contact && (
            <>
              {' '}
              · <ContactLink contact={f.contact} />
            </>
          )}{' '}
          · {t('customers_raised', f.setBy.name, dayText(f.setAt))}
          {f.note && (
            <>
              {' '}
              — <bdi>{f.note}</bdi>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function CompanyView({ id }: { id: string }) {
  const { data, problem } = useReport<CompanyPage>(`/companies/${id}`);
  return (
    <>
      <section class="card">
        {data ? <PageTitle>{data.company.name}</PageTitle> : <p role="status">{t('loading')}</p>}
        <Status text={problem} error />
        {data && (
          <dl class="facts">
            <dt>{t('customers_domains')}</dt>
            <dd>{data.company.domains.join(', ') || '–'}</dd>
            <dt>{t('customers_owners')}</dt>
            <dd>
              <bdi>{data.owners.map((o) => `${o.member.name} (${o.contacts})`).join(', ') || t('attention_no_owner')}</bdi>
            </dd>
            <dt>{t('customers_interactions')}</dt>
            <dd>
              {t(
                'customers_by_department',
                data.totalInteractions,
                Object.entries(data.countsByDepartment)
                  .filter(([, n]) => n > 0)
                  .map(([d, n]) => `${departmentName(d as Member['department'])} ${n}`)
                  .join(', ') || '–',
              )}
            </dd>
          </dl>
        )}
      </section>
      {data && (
        <>
          <Section id="company-flags" title={t('customers_heads_ups')}>
            <Flags flags={data.openFlags} />
          </Section>
          <Section id="people" title={t('customers_people')}>
            <DataTable
              id="people"
              quietCaption
              caption={t('customers_people')}
              filename="liaison-company-people.csv"
              columns={[{ label: t('report_customer') }, { label: t('customers_title_col') }, { label: t('customers_emails') }, { label: t('customers_owner') }, { label: t('customers_heads_ups') }, { label: t('customers_last') }]}
              rows={data.people.map((p) => ({
                key: p.id,
                cells: [p.name, p.title, p.emails.join(' '), p.owner?.name ?? null, p.openFlags.map((f) => flagName(f.kind)).join(', '), p.lastInteraction?.occurredAt ?? null],
                show: [<ContactLink contact={p} />, undefined, undefined, undefined, undefined, p.lastInteraction ? dayText(p.lastInteraction.occurredAt) : '–'],
              }))}
            />
          </Section>
          <Timeline path={`/companies/${id}/timeline`} />
        </>
      )}
    </>
  );
}

export function ContactView({ id, me }: { id: string; me: Member }) {
  const [contact, setContact] = useState<ContactSummary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api<ContactSummary>('GET', v1(`/contacts/${id}`))
      .then(setContact)
      .catch((e: unknown) => setProblem(errorText(e)));
  }, [id]);
  // The hub's rule (hub/repo/contacts.ts): its owner or an admin; a contact nobody owns, anyone in the team.
  const mayEdit = contact !== null && (me.role === 'admin' || !contact.owner || contact.owner.id === me.id);
  return (
    <>
      <section class="card">
        {contact ? <PageTitle>{contact.name ?? contact.emails[0] ?? t('customers_unnamed')}</PageTitle> : <p role="status">{t('loading')}</p>}
        <Status text={problem} error />
        {contact && (
          <dl class="facts">
            <dt>{t('customers_title_col')}</dt>
            <dd>
              <bdi>{contact.title ?? '–'}</bdi>
            </dd>
            <dt>{t('report_company')}</dt>
            <dd>{contact.company ? <CompanyLink company={contact.company} /> : '–'}</dd>
            <dt>{t('customers_emails')}</dt>
            <dd>{contact.emails.join(', ')}</dd>
            <dt>{t('customers_owner')}</dt>
            <dd>
              <bdi>{memberName(contact.owner)}</bdi>
            </dd>
            <dt>{t('customers_interactions')}</dt>
            <dd>{contact.totalInteractions}</dd>
            <dt>{t('customers_attendance')}</dt>
            <dd>{t('customers_attendance_value', contact.attendance.attended + contact.attendance.late, contact.attendance.meetings, contact.attendance.noShow)}</dd>
          </dl>
        )}
      </section>
      {contact && (
        <>
          <Section id="contact-flags" title={t('customers_heads_ups')}>
            <Flags flags={contact.openFlags} />
          </Section>
          {mayEdit && <EditContact contact={contact} onSaved={setContact} />}
          <Timeline path={`/contacts/${id}/timeline`} />
        </>
      )}
    </>
  );
}

function EditContact({ contact, onSaved }: { contact: ContactSummary; onSaved(c: ContactSummary): void }) {
  const members = useMembers();
  const [name, setName] = useState(contact.name ?? '');
  const [title, setTitle] = useState(contact.title ?? '');
  const [company, setCompany] = useState(contact.company?.name ?? '');
  const [owner, setOwner] = useState(contact.owner?.id ?? '');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const input = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  return (
    <Section id="edit" title={t('customers_edit')}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const saved = await api<ContactSummary>('PATCH', v1(`/contacts/${contact.id}`), { name: name.trim() || null, title: title.trim() || null, company: company.trim() || null, ownerId: owner || null });
            onSaved(saved);
            setStatus({ text: t('saved') });
          } catch (err) {
            setStatus({ text: errorText(err), error: true });
          }
        }}
      >
        <div class="grid">
          <Field id="edit-name" label={t('invite_name')}>
            <input id="edit-name" type="text" value={name} onInput={input(setName)} />
          </Field>
          <Field id="edit-title" label={t('customers_title_col')}>
            <input id="edit-title" type="text" value={title} onInput={input(setTitle)} />
          </Field>
          <Field id="edit-company" label={t('report_company')}>
            <input id="edit-company" type="text" value={company} onInput={input(setCompany)} />
          </Field>
          <Field id="edit-owner" label={t('customers_owner')}>
            <select id="edit-owner" value={owner} onChange={input(setOwner)}>
              <option value="">{t('report_nobody')}</option>
              {members.map((m) => (
                <option value={m.id}>{m.name}</option>
              ))}
            </select>
          </Field>
        </div>
        <button type="submit" class="primary">
          {t('save')}
        </button>
        {status && <Status text={status.text} error={status.error} />}
      </form>
    </Section>
  );
}
