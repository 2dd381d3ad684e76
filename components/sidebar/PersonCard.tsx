import { DEPARTMENTS, type AttendanceSummary, type ContactSummary } from '../../shared/wire-types';
import type { Person } from '../../utils/adapters/types';
import type { Send } from './api';
import { AddToCrm } from './AddToCrm';
import { ActStatus, useAct } from './act';
import { ContactActions, mayChange, Owner } from './ContactActions';
import { dayMonth, departmentLabel, kindLabel, relativeTime } from './format';
import { HeadsUps } from './HeadsUps';
import { Tasks } from './Tasks';
import { tx } from './isolate';
import { t } from './t';
import { Timeline } from './Timeline';
import { CrmSync } from './CrmSync';

interface Props {
  person: Person;
  /** undefined: not known (yet); null: the hub does not know this address. */
  contact: ContactSummary | null | undefined;
  /** An answer about this person may still come: only then does an unknown contact read "Loading…". */
  pending?: boolean;
  send: Send;
  refreshKey: number;
  onChanged(): void;
  /** This browser's member id at the hub (issue 12: "Make me the owner"), when known. */
  me?: string | null;
  /** Whether this browser's member is an admin (may change anyone's contact). */
  admin?: boolean;
}

/**
 * "Meetings attended: 4 of 5; late 1×; no-show 12 Mar": who came (late counts as came), then what a colleague
 * should know before the next one. Counts are over every meeting recorded for this person. Worded without
 * plurals, because Chrome's i18n has none ("1 meetings").
 */
export function attendanceLine(a: AttendanceSummary): string {
  const parts = [t('attendance_card_summary', a.attended + a.late, a.meetings)];
  if (a.late > 0) parts.push(t('attendance_card_late', a.late));
  if (a.noShow > 0) {
    const last = a.lastNoShowAt ? dayMonth(a.lastNoShowAt) : '';
    parts.push(a.noShow === 1 ? t('attendance_card_no_show_once', last) : t('attendance_card_no_show_many', a.noShow, last));
  }
  return parts.join('; ');
}

function Summary({ contact }: { contact: ContactSummary }) {
  const last = contact.lastInteraction;
  const counts = DEPARTMENTS.filter((d) => (contact.countsByDepartment[d] ?? 0) > 0);
  const a = contact.attendance;
  return (
    <>
      {last ? (
        <p class="last-touch">{tx('sidebar_last_touch', kindLabel(last.kind), last.loggedBy.name, relativeTime(last.occurredAt))}</p>
      ) : (
        <p class="muted">{t('sidebar_no_history')}</p>
      )}
      {counts.length > 0 && (
        <ul class="counts" aria-label={t('sidebar_counts_label')}>
          {counts.map((d) => (
            <li key={d} class={`badge badge--${d}`}>
              {t('sidebar_count', departmentLabel(d), contact.countsByDepartment[d])}
            </li>
          ))}
        </ul>
      )}
      {a.meetings > 0 && (
        <p class="attendance" data-liaison="attendance">
          {attendanceLine(a)}
        </p>
      )}
    </>
  );
}

/** One external participant: who they are to the company, flags first, then history; or "Add to CRM". */
export function PersonCard({ person, contact, pending = true, send, refreshKey, onChanged, me = null, admin = false }: Props) {
  const name = contact?.name ?? person.name ?? person.email;
  const { act, queued, error } = useAct(send, { name, emails: contact?.emails ?? [person.email] }, onChanged);
  return (
    <article class="person" aria-label={name} data-liaison="person" data-email={person.email}>
      <h3 class="person__name">
        <bdi>{name}</bdi>
      </h3>
      {contact && <HeadsUps flags={contact.openFlags} act={act} />}
      <p class="person__meta">
        {contact?.title && (
          <span>
            <bdi>{contact.title}</bdi>
          </span>
        )}
        {contact?.company && (
          <span>
            <bdi>{contact.company.name}</bdi>
          </span>
        )}
        <span class="person__email">
          <bdi>{person.email}</bdi>
        </span>
      </p>
      {contact && <Owner contact={contact} me={me} admin={admin} send={send} act={act} />}
      {contact?.external?.length ? <p class="person__crm"><CrmSync external={contact.external} /></p> : null}
      {/* No "Loading…" that can never finish: once the hub could not be asked, an uncached person shows as is. */}
      {contact === undefined && pending && <p class="muted">{t('sidebar_loading')}</p>}
      {contact === null && <AddToCrm person={person} send={send} onAdded={onChanged} />}
      {contact && <Summary contact={contact} />}
      {contact && <Tasks contactId={contact.id} send={send} refreshKey={refreshKey} act={act} />}
      {contact && <ContactActions person={person} contact={contact} send={send} act={act} onChanged={onChanged} mayChange={mayChange(contact, me, admin)} />}
      <ActStatus send={send} outboxId={queued} error={error} refreshKey={refreshKey} />
      {contact && <Timeline contactId={contact.id} send={send} refreshKey={refreshKey} />}
    </article>
  );
}
