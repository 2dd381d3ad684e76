import { useState } from 'preact/hooks';
import type { Person } from '../../utils/adapters/types';
import type { OutboxState } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { companyFromEmail } from './people';
import { tx } from './isolate';
import { t } from './t';

interface Props {
  person: Person;
  send: Send;
  onAdded(): void;
}

/** Someone the hub does not know: one form, prefilled from what the page shows, to make them a contact. */
export function AddToCrm({ person, send, onAdded }: Props) {
  const [name, setName] = useState(person.name ?? '');
  const [company, setCompany] = useState(companyFromEmail(person.email) ?? '');
  const [title, setTitle] = useState('');
  const [state, setState] = useState<OutboxState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idBase = `liaison-add-${person.email.replace(/[^a-z0-9]/g, '-')}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || state) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await send({
        type: 'contacts:create',
        email: person.email,
        name: name.trim() || null,
        company: company.trim() || null,
        title: title.trim() || null,
      });
      setState(answer.state);
      onAdded();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (state) {
    return (
      <p class="muted" role="status" data-liaison="add-status">
        {t(state === 'sent' ? 'sidebar_added' : 'sidebar_add_queued')}
      </p>
    );
  }
  return (
    <form class="add" onSubmit={submit} data-liaison="add-to-crm">
      <p class="muted">{t('sidebar_unknown_person')}</p>
      <label for={`${idBase}-name`}>{t('sidebar_field_name')}</label>
      {/* Prefilled from the page: dir=auto gives a right-to-left name its own direction inside the field. */}
      <input id={`${idBase}-name`} value={name} maxLength={200} dir="auto" onInput={(e) => setName(e.currentTarget.value)} />
      <label for={`${idBase}-company`}>{t('sidebar_field_company')}</label>
      <input id={`${idBase}-company`} value={company} maxLength={200} dir="auto" onInput={(e) => setCompany(e.currentTarget.value)} />
      <label for={`${idBase}-title`}>{t('sidebar_field_title')}</label>
      <input id={`${idBase}-title`} value={title} maxLength={200} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} />
      <button type="submit" class="button" disabled={busy}>
        {t('sidebar_add_to_crm')}
      </button>
      {error && (
        <p class="error" role="alert">
          {tx('sidebar_action_failed', error)}
        </p>
      )}
    </form>
  );
}
