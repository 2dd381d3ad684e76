/**
 * Acting on a contact from the card (issue 12), each through the outbox so nothing is lost offline or doubled:
 * raise a heads-up, log a call or a note (not only the thread), add a follow-up task, edit title and company; and
 * the owner line with "Make me the owner" and "Hand over…". One form is open at a time, under the row of buttons.
 */
import { useState } from 'preact/hooks';
import type { ContactSummary } from '../../shared/wire-types';
import type { Person } from '../../utils/adapters/types';
import type { ContactAction } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { ActForm, Field, useMembers } from './act';
import { RaiseHeadsUp } from './HeadsUps';
import { tx } from './isolate';
import { OUTCOMES } from './outcomes';
import { t, type MessageKey } from './t';
import { AddTask } from './Tasks';

type Act = (a: ContactAction) => Promise<boolean>;
type Open = 'heads-up' | 'call' | 'note' | 'task' | 'edit' | null;

/** A call or a note with this person, logged as an interaction of its own (its own reference: never merged). */
function LogActivity(props: { kind: 'call' | 'note'; person: Person; contact: ContactSummary; send: Send; onClose(): void; onDone(): void }) {
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | null>(null);
  // One reference per form: submitting it twice is one entry in the outbox, never two calls.
  const [ref] = useState(() => `liaison-${props.kind}:${crypto.randomUUID()}`);
  const log = async () => {
    try {
      await props.send({
        type: 'interactions:log',
        draft: {
          kind: props.kind,
          occurredAt: new Date().toISOString(),
          summary: note.trim() || null,
          outcome: outcome || null,
          sourceSite: 'liaison',
          sourceRef: ref,
          participants: [{ email: props.person.email, name: props.contact.name ?? props.person.name }],
        },
      });
      props.onDone();
      props.onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <ActForm
      label={t(props.kind === 'call' ? 'action_call_form' : 'action_note_form')}
      submit={t(props.kind === 'call' ? 'action_call_submit' : 'action_note_submit')}
      onSubmit={() => void log()}
      onCancel={props.onClose}
    >
      <Field label={t('sidebar_note')}>
        <textarea value={note} maxLength={4000} rows={3} dir="auto" onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <Field label={t('sidebar_outcome')}>
        <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
          {OUTCOMES.map(([value, key]) => (
            <option value={value}>{t(key)}</option>
          ))}
        </select>
      </Field>
      {error && (
        <p class="error" role="alert">
          {tx('sidebar_action_failed', error)}
        </p>
      )}
    </ActForm>
  );
}

function EditContact({ contact, act, onClose }: { contact: ContactSummary; act: Act; onClose(): void }) {
  const [title, setTitle] = useState(contact.title ?? '');
  const [company, setCompany] = useState(contact.company?.name ?? '');
  const save = () =>
    void act({ action: 'edit-contact', contactId: contact.id, title: title.trim() || null, company: company.trim() || null }).then((ok) => ok && onClose());
  return (
    <ActForm label={t('action_edit_form')} submit={t('action_save')} onSubmit={save} onCancel={onClose}>
      <Field label={t('sidebar_field_title')}>
        <input value={title} maxLength={200} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label={t('sidebar_field_company')}>
        <input value={company} maxLength={200} dir="auto" onInput={(e) => setCompany(e.currentTarget.value)} />
      </Field>
    </ActForm>
  );
}

/**
 * The hub's rule (hub/repo/contacts.ts): a contact's owner or an admin changes it and hands it on; one nobody owns,
 * anyone in the team. The card offers only what the hub would accept.
 */
export function mayChange(contact: ContactSummary, me: string | null, admin: boolean): boolean {
  return admin || !contact.owner || (me !== null && contact.owner.id === me);
}

/** "Owner: Sam Lee", "Make me the owner", and handing the contact to a colleague the hub knows. */
export function Owner({ contact, me, admin = false, send, act }: { contact: ContactSummary; me: string | null; admin?: boolean; send: Send; act: Act }) {
  const [handing, setHanding] = useState(false);
  const [to, setTo] = useState('');
  const members = useMembers(send, handing);
  const owner = contact.owner;
  const set = (ownerId: string) => act({ action: 'set-owner', contactId: contact.id, ownerId, expectedOwnerId: owner?.id ?? null });
  return (
    <div class="person__owner" data-liaison="owner">
      <span>{owner ? tx('sidebar_owner', owner.id === me ? t('owner_you') : owner.name) : t('owner_none')}</span>
      {me && owner?.id !== me && (admin || !owner) && (
        <button type="button" class="button button--quiet" onClick={() => void set(me)}>
          {t('owner_claim')}
        </button>
      )}
      {!mayChange(contact, me, admin) ? null : !handing ? (
        <button type="button" class="button button--quiet" onClick={() => setHanding(true)}>
          {t('owner_hand')}
        </button>
      ) : (
        <ActForm label={t('owner_hand_form')} submit={t('owner_hand_submit')} onCancel={() => setHanding(false)} onSubmit={() => to && void set(to).then((ok) => ok && setHanding(false))}>
          <Field label={t('owner_hand_to')}>
            <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
              <option value="">…</option>
              {members?.items
                .filter((m) => m.id !== owner?.id)
                .map((m) => (
                  <option value={m.id}>{m.name}</option>
                ))}
            </select>
          </Field>
        </ActForm>
      )}
    </div>
  );
}

const BUTTONS: [Exclude<Open, null>, MessageKey][] = [
  ['heads-up', 'headsup_raise_open'],
  ['call', 'action_call_open'],
  ['note', 'action_note_open'],
  ['task', 'tasks_add_open'],
  ['edit', 'action_edit_open'],
];

/** The row of actions and the one form open under it. */
export function ContactActions(props: { person: Person; contact: ContactSummary; send: Send; act: Act; onChanged(): void; mayChange?: boolean }) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const { contact, act, send } = props;
  return (
    <div class="actions" data-liaison="actions">
      <div class="act__row" role="group" aria-label={t('action_group')}>
        {BUTTONS.filter(([which]) => which !== 'edit' || props.mayChange !== false).map(([which, key]) => (
          <button type="button" class="button button--small" aria-expanded={open === which} onClick={() => setOpen(open === which ? null : which)}>
            {t(key)}
          </button>
        ))}
      </div>
      {open === 'heads-up' && <RaiseHeadsUp contact={contact} act={act} onClose={close} />}
      {(open === 'call' || open === 'note') && (
        <LogActivity key={open} kind={open} person={props.person} contact={contact} send={send} onClose={close} onDone={props.onChanged} />
      )}
      {open === 'task' && <AddTask contactId={contact.id} send={send} act={act} onClose={close} />}
      {open === 'edit' && <EditContact contact={contact} act={act} onClose={close} />}
    </div>
  );
}
