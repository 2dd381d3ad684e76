import { useEffect, useState } from 'preact/hooks';
import type { Department, Role } from '../../../shared/wire-types';
import type { InviteCreated, InviteView, MemberAdmin } from '../../../shared/web-types';
import { api, v1 } from '../api';
import { t, when, type Key } from '../i18n';
import { Copyable, DepartmentSelect, Field, PageTitle, RoleSelect, Status, departmentName, errorText } from '../ui';
import { TokenTable } from './TokenTable';

/** Members: invite (a link to copy), department and role, deactivate, each member's tokens; invite links below. */
export function Members({ myId }: { myId: string }) {
  const [members, setMembers] = useState<MemberAdmin[] | null>(null);
  const [invites, setInvites] = useState<InviteView[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [made, setMade] = useState<InviteCreated | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ name: string; email: string; department: Department; role: Role }>({ name: '', email: '', department: 'sales', role: 'member' });

  const load = async () => {
    try {
      const [m, i] = await Promise.all([api<{ items: MemberAdmin[] }>('GET', v1('/admin/members')), api<{ items: InviteView[] }>('GET', v1('/invites'))]);
      setMembers(m.items);
      setInvites(i.items);
    } catch (e) {
      setStatus({ text: errorText(e), error: true });
    }
  };
  useEffect(() => void load(), []);

  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) setStatus({ text: ok });
      await load();
    } catch (e) {
      setStatus({ text: errorText(e), error: true });
    }
  };
  const invite = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      setMade(await api<InviteCreated>('POST', v1('/invites'), { ...draft, name: draft.name.trim(), email: draft.email.trim() }));
      setDraft({ ...draft, name: '', email: '' });
    });
  };
  const newLink = (m: MemberAdmin) =>
    act(async () => setMade(await api<InviteCreated>('POST', v1('/invites'), { name: m.name, email: m.email, department: m.department, role: m.role })));
  const change = (m: MemberAdmin, body: Partial<{ department: Department; role: Role; active: boolean }>) =>
    act(() => api('PATCH', v1(`/members/${m.id}`), body), t('saved'));

  return (
    <>
      <section class="card">
        <PageTitle>{t('members_title')}</PageTitle>
        <form onSubmit={invite} class="grid" aria-labelledby="invite-h">
          <h2 id="invite-h" class="span">{t('invite_form_title')}</h2>
          <Field id="invite-name" label={t('invite_name')}>
            <input id="invite-name" type="text" required value={draft.name} onInput={(e) => setDraft({ ...draft, name: (e.currentTarget as HTMLInputElement).value })} />
          </Field>
          <Field id="invite-email" label={t('invite_email')}>
            <input id="invite-email" type="email" required value={draft.email} onInput={(e) => setDraft({ ...draft, email: (e.currentTarget as HTMLInputElement).value })} />
          </Field>
          <Field id="invite-department" label={t('invite_department')}>
            <DepartmentSelect id="invite-department" value={draft.department} onChange={(department) => setDraft({ ...draft, department })} />
          </Field>
          <Field id="invite-role" label={t('invite_role')}>
            <RoleSelect id="invite-role" value={draft.role} onChange={(role) => setDraft({ ...draft, role })} />
          </Field>
          <div class="span">
            <button type="submit" class="primary">
              {t('invite_button')}
            </button>
          </div>
        </form>
        {made && (
          <div class="made" data-liaison="invite-made">
            <p>{t('invite_made', made.invite.member.name)}</p>
            <Copyable id="invite-link" label={t('invite_link')} value={made.url} />
          </div>
        )}
        {status && <Status text={status.text} error={status.error} />}
      </section>

      <section class="card" aria-labelledby="members-h">
        <h2 id="members-h">{t('members_table')}</h2>
        {!members ? (
          <p role="status">{t('loading')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('members_person')}</th>
                  <th scope="col">{t('invite_department')}</th>
                  <th scope="col">{t('invite_role')}</th>
                  <th scope="col">{t('members_status')}</th>
                  <th scope="col">{t('members_last')}</th>
                  <th scope="col">{t('members_actions')}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <>
                    <tr key={m.id} data-member={m.email} class={m.active ? '' : 'inactive'}>
                      <th scope="row">
                        <bdi>{m.name}</bdi>
                        <br />
                        <span class="hint">{m.email}</span>
                      </th>
                      <td>
                        <DepartmentSelect id={`dep-${m.id}`} label={t('members_department_of', m.name)} value={m.department} onChange={(department) => change(m, { department })} />
                      </td>
                      <td>
                        <RoleSelect id={`role-${m.id}`} label={t('members_role_of', m.name)} value={m.role} disabled={m.id === myId} onChange={(role) => change(m, { role })} />
                      </td>
                      <td>{m.active ? t('members_active') : t('members_inactive')}</td>
                      <td>{when(m.lastActiveAt)}</td>
                      <td class="actions">
                        {/* Short words to see, the person's name for screen readers (a row of "Deactivate" buttons says nothing). */}
                        <button type="button" aria-expanded={open === m.id} aria-label={t('members_tokens', m.name, m.activeTokens)} onClick={() => setOpen(open === m.id ? null : m.id)}>
                          {t('members_tokens_short', m.activeTokens)}
                        </button>
                        {m.active && (
                          <button type="button" aria-label={t('members_new_link', m.name)} onClick={() => newLink(m)}>
                            {t('members_new_link_short')}
                          </button>
                        )}
                        {m.id !== myId &&
                          (m.active ? (
                            <button type="button" class="danger" aria-label={t('members_deactivate', m.name)} onClick={() => confirm(t('members_confirm_deactivate', m.name)) && change(m, { active: false })}>
                              {t('members_deactivate_short')}
                            </button>
                          ) : (
                            <button type="button" aria-label={t('members_reactivate', m.name)} onClick={() => change(m, { active: true })}>
                              {t('members_reactivate_short')}
                            </button>
                          ))}
                      </td>
                    </tr>
                    {open === m.id && (
                      <tr class="sub">
                        <td colSpan={6}>
                          <TokenTable path={`/members/${m.id}/tokens`} caption={t('members_tokens', m.name, m.activeTokens)} />
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="invites-h">
        <h2 id="invites-h">{t('invites_table')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('members_person')}</th>
                <th scope="col">{t('invite_department')}</th>
                <th scope="col">{t('members_status')}</th>
                <th scope="col">{t('invites_expires')}</th>
                <th scope="col">{t('members_actions')}</th>
              </tr>
            </thead>
            <tbody>
              {invites.map((i) => (
                <tr key={i.id} data-invite={i.member.email}>
                  <th scope="row">
                    <bdi>{i.member.name}</bdi>
                    <br />
                    <span class="hint">{i.member.email}</span>
                  </th>
                  <td>{departmentName(i.member.department)}</td>
                  <td>{t(`invite_state_${i.state}` as Key)}</td>
                  <td>{when(i.expiresAt)}</td>
                  <td>
                    {i.state === 'pending' && (
                      <button type="button" class="danger" aria-label={t('invites_withdraw', i.member.name)} onClick={() => act(() => api('DELETE', v1(`/invites/${i.id}`)), t('saved'))}>
                        {t('invites_withdraw_short')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
