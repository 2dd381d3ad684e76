/**
 * Heads-ups (the hub's flags) on a contact card (issue 12): the open ones at the top of the card — what, who raised
 * it, their department and when, the note, how long — each closable with a resolution note; and the form that
 * raises one on the person or on their whole company, in two clicks (open it, raise with the defaults).
 */
import { useState } from 'preact/hooks';
import { FLAG_KINDS, type ContactSummary, type Flag } from '../../shared/wire-types';
import { ActForm, endOfDay, Field } from './act';
import { departmentLabel, flagLabel, relativeTime, shortDate } from './format';
import { tx } from './isolate';
import { t } from './t';
import type { ContactAction } from '../../utils/messaging/protocol';

/** Newest first, "do not contact" before anything else: the warning that must not be missed leads. */
export function byUrgency(a: Flag, b: Flag): number {
  const dnc = Number(b.kind === 'do-not-contact') - Number(a.kind === 'do-not-contact');
  return dnc || b.setAt.localeCompare(a.setAt);
}

/** Still open now: not closed, not past its `until` (a cached copy may have lapsed since). */
export const isOpen = (flag: Flag, now = Date.now()) => flag.open && (!flag.until || Date.parse(flag.until) > now);

/** What a heads-up says, wherever it shows (the card, beside a compose window). Every hub text isolated. */
export function HeadsUpBody({ flag }: { flag: Flag }) {
  return (
    <>
      <strong>{tx('sidebar_flag', departmentLabel(flag.setBy.department), flagLabel(flag.kind), relativeTime(flag.setAt))}</strong>
      {flag.scope === 'company' && flag.company && <span class="flag__by">{tx('headsup_company', flag.company.name)}</span>}
      <span class="flag__by">{tx('headsup_raised_by', flag.setBy.name)}</span>
      {flag.note && (
        <span class="flag__note">
          <bdi>{flag.note}</bdi>
        </span>
      )}
      {flag.until && <span class="flag__by">{tx('headsup_until', shortDate(flag.until))}</span>}
    </>
  );
}

function CloseForm({ flag, act, onClose }: { flag: Flag; act(a: ContactAction): Promise<boolean>; onClose(): void }) {
  const [resolution, setResolution] = useState('');
  return (
    <ActForm
      label={t('headsup_close_form')}
      submit={t('headsup_close_submit')}
      onCancel={onClose}
      onSubmit={() => void act({ action: 'close-heads-up', flagId: flag.id, resolution: resolution.trim() || null }).then((ok) => ok && onClose())}
    >
      <Field label={t('headsup_resolution')}>
        <input value={resolution} maxLength={1000} dir="auto" onInput={(e) => setResolution(e.currentTarget.value)} />
      </Field>
    </ActForm>
  );
}

/** The open heads-ups, at the top of the card. */
export function HeadsUps({ flags, act }: { flags: Flag[]; act(a: ContactAction): Promise<boolean> }) {
  const [closing, setClosing] = useState<string | null>(null);
  const open = flags.filter((f) => isOpen(f)).sort(byUrgency);
  if (open.length === 0) return null;
  return (
    <ul class="flags" data-liaison="flags" aria-label={t('headsup_heading')}>
      {open.map((flag) => (
        <li key={flag.id} class={`flag flag--${flag.kind}`} data-liaison="heads-up" data-kind={flag.kind}>
          <HeadsUpBody flag={flag} />
          {closing === flag.id ? (
            <CloseForm flag={flag} act={act} onClose={() => setClosing(null)} />
          ) : (
            <button
              type="button"
              class="button button--quiet flag__close"
              aria-label={`${t('headsup_close_submit')}: ${flagLabel(flag.kind)} (${flag.setBy.name})`}
              onClick={() => setClosing(flag.id)}
            >
              {t('headsup_close_open')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Raise a heads-up on this person or their whole company: kind, a short note, optionally an "until" date. */
export function RaiseHeadsUp({ contact, act, onClose }: { contact: ContactSummary; act(a: ContactAction): Promise<boolean>; onClose(): void }) {
  const [kind, setKind] = useState<string>(FLAG_KINDS[0]);
  const [onCompany, setOnCompany] = useState(false);
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const raise = () =>
    void act({
      action: 'raise-heads-up',
      contactId: contact.id,
      companyId: onCompany && contact.company ? contact.company.id : null,
      kind,
      note: note.trim() || null,
      until: endOfDay(until),
    }).then((ok) => ok && onClose());
  return (
    <ActForm label={t('headsup_raise_form')} submit={t('headsup_raise_submit')} onSubmit={raise} onCancel={onClose}>
      <Field label={t('headsup_kind')}>
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          {FLAG_KINDS.map((k) => (
            <option value={k}>{flagLabel(k)}</option>
          ))}
        </select>
      </Field>
      {contact.company && (
        <fieldset class="act__choice">
          <legend>{t('headsup_on')}</legend>
          <label>
            <input type="radio" name={`on-${contact.id}`} checked={!onCompany} onChange={() => setOnCompany(false)} />
            {tx('headsup_on_person', contact.name ?? contact.emails[0] ?? '')}
          </label>
          <label>
            <input type="radio" name={`on-${contact.id}`} checked={onCompany} onChange={() => setOnCompany(true)} />
            {tx('headsup_company', contact.company.name)}
          </label>
        </fieldset>
      )}
      <Field label={t('headsup_note')}>
        <input value={note} maxLength={1000} dir="auto" onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <Field label={t('headsup_until_label')}>
        <input type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
      </Field>
    </ActForm>
  );
}
