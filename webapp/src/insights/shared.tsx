/** What the report pages share: loading a report for the filters in the URL, formatting, links to customers. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CompanyRef, ContactRef } from '../../../shared/insights-types';
import type { MemberRef } from '../../../shared/wire-types';
import { api, v1 } from '../api';
import { lang, t } from '../i18n';
import { follow } from '../router';
import { errorText } from '../ui';

export function useReport<T>(path: string | null): { data: T | null; problem: string | null } {
  const [state, setState] = useState<{ data: T | null; problem: string | null }>({ data: null, problem: null });
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ data: s.data, problem: null }));
    api<T>('GET', v1(path))
      .then((data) => live && setState({ data, problem: null }))
      .catch((e: unknown) => live && setState({ data: null, problem: errorText(e) }));
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

export const locale = () => (lang.value === 'nl' ? 'nl-NL' : 'en-GB');
export const dayText = (iso: string) => new Date(iso).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
export const weekText = (monday: string) => new Date(`${monday}T00:00:00Z`).toLocaleDateString(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((100 * part) / whole) : null);
export const percentText = (p: number | null) => (p === null ? '–' : `${p}%`);

export function ContactLink({ contact }: { contact: ContactRef }) {
  return (
    <a href={`/customers/contact/${contact.id}`} onClick={follow}>
      <bdi>{contact.name ?? t('customers_unnamed')}</bdi>
    </a>
  );
}

export function CompanyLink({ company }: { company: CompanyRef | null }) {
  if (!company) return null;
  return (
    <a href={`/customers/company/${company.id}`} onClick={follow}>
      <bdi>{company.name}</bdi>
    </a>
  );
}

export const memberName = (m: MemberRef | null | undefined) => m?.name ?? t('report_nobody');

export function Section({ id, title, children, intro }: { id: string; title: string; intro?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={`h-${id}`} data-liaison={`section-${id}`}>
      <h2 id={`h-${id}`}>{title}</h2>
      {intro && <p class="hint">{intro}</p>}
      {children}
    </section>
  );
}
