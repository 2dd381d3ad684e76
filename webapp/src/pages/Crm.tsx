/**
 * The team's CRM (issue 15), for admins: connect HubSpot with a private app's access token, see what the connector
 * is doing (first import or incremental sync, last sync, what waits to go out, what failed and why), and test,
 * pause, resume, sync now, retry failures or disconnect. The same routes as `npm run hub -- hubspot …`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConnectorFailure, ConnectorFailurePage, ConnectorStatus } from '../../../shared/wire-types';
import { api, v1 } from '../api';
import { lang, t, when, type Key } from '../i18n';
import { Field, PageTitle, Status, errorText } from '../ui';

const base = v1('/connectors/hubspot');
const TIERS = ['starter', 'professional', 'enterprise', 'capacity-pack'] as const;
/** How much of the past goes to HubSpot at connect: the last N days, none (0) or everything (null). */
const HISTORY: [string, number | null, Key][] = [
  ['0', 0, 'crm_history_none'],
  ['30', 30, 'crm_history_30'],
  ['90', 90, 'crm_history_90'],
  ['365', 365, 'crm_history_365'],
  ['all', null, 'crm_history_all'],
];

interface TestResult {
  ok: boolean;
  checks: { what: string; ok: boolean; message: string | null }[];
  message: string | null;
}


export function Crm() {
  const [state, setState] = useState<ConnectorStatus | null>(null);
  const [failures, setFailures] = useState<ConnectorFailure[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const [token, setToken] = useState('');
  const [tier, setTier] = useState<(typeof TIERS)[number]>('professional');
  const [history, setHistory] = useState('90');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const s = await api<ConnectorStatus>('GET', base);
    setState(s);
    if (s.state === 'active' || s.state === 'paused') setFailures((await api<ConnectorFailurePage>('GET', `${base}/failures`)).items);
    else setFailures([]);
  };
  useEffect(() => {
    load().catch((e: unknown) => setStatus({ text: errorText(e), error: true }));
    // While the page is open it follows the import: the state moves by itself.
    const timer = setInterval(() => void load().catch(() => undefined), 10_000);
    return () => clearInterval(timer);
  }, []);

  const run = async (what: () => Promise<unknown>, done: Key) => {
    setBusy(true);
    try {
      await what();
      await load();
      setStatus({ text: t(done) });
    } catch (e) {
      setStatus({ text: errorText(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  const connect = (e: Event) => {
    e.preventDefault();
    const days = HISTORY.find(([v]) => v === history)![1];
    void run(async () => {
      await api('PUT', base, { token: token.trim(), tier, historyDays: days });
      setToken('');
    }, 'crm_connected');
  };

  const connected = state && (state.state === 'active' || state.state === 'paused');
  return (
    <>
      <section class="card" data-liaison="crm">
        <PageTitle>{t('crm_title')}</PageTitle>
        <p class="hint">{t('crm_intro')}</p>
        {state === null && !status && <p role="status">{t('loading')}</p>}
        {state && !connected && (
          <form onSubmit={connect}>
            <p>{t('crm_scopes')}</p>
            <ul class="scopes">
              {['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write', 'crm.objects.owners.read', 'sales-email-read'].map((s) => (
                <li>
                  <code>{s}</code>
                </li>
              ))}
            </ul>
            <Field id="crm-token" label={t('crm_token')} hint={t('crm_token_hint')}>
              <input id="crm-token" type="password" autocomplete="off" required value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} spellcheck={false} />
            </Field>
            <Field id="crm-tier" label={t('crm_tier')} hint={t('crm_tier_hint')}>
              <select id="crm-tier" value={tier} onChange={(e) => setTier((e.currentTarget as HTMLSelectElement).value as (typeof TIERS)[number])}>
                {TIERS.map((x) => (
                  <option value={x}>{t(`crm_tier_${x.replace('-', '_')}` as Key)}</option>
                ))}
              </select>
            </Field>
            <Field id="crm-history" label={t('crm_history')} hint={t('crm_history_hint')}>
              <select id="crm-history" value={history} onChange={(e) => setHistory((e.currentTarget as HTMLSelectElement).value)}>
                {HISTORY.map(([value, , key]) => (
                  <option value={value}>{t(key)}</option>
                ))}
              </select>
            </Field>
            <button type="submit" class="primary" disabled={busy}>
              {t('crm_connect')}
            </button>
          </form>
        )}
        {state && connected && <ConnectorState state={state} />}
        {state && connected && (
          <div class="row actions" role="group" aria-label={t('crm_actions')}>
            <button type="button" disabled={busy} onClick={() => void run(async () => setTest(await api<TestResult>('POST', `${base}/test`)), 'crm_tested')}>
              {t('crm_test')}
            </button>
            {state.state === 'active' ? (
              <button type="button" disabled={busy} onClick={() => void run(() => api('POST', `${base}/pause`), 'crm_paused')}>
                {t('crm_pause')}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void run(() => api('POST', `${base}/resume`), 'crm_resumed')}>
                {t('crm_resume')}
              </button>
            )}
            <button type="button" disabled={busy || state.state !== 'active'} onClick={() => void run(() => api('POST', `${base}/sync`), 'crm_synced')}>
              {t('crm_sync')}
            </button>
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => {
                if (confirm(t('crm_disconnect_confirm'))) void run(() => api('DELETE', base), 'crm_disconnected');
              }}
            >
              {t('crm_disconnect')}
            </button>
          </div>
        )}
        {test && (
          <div data-liaison="crm-test">
            <h2>{t(test.ok ? 'crm_test_ok' : 'crm_test_problem')}</h2>
            {test.message && <p>{test.message}</p>}
            <ul>
              {test.checks.map((c) => (
                <li class={c.ok ? 'ok' : 'problem'}>
                  {c.what}: {c.ok ? t('crm_check_ok') : c.message ?? t('crm_check_failed')}
                </li>
              ))}
            </ul>
          </div>
        )}
        {status && <Status text={status.text} error={status.error} />}
      </section>
      {connected && (
        <section class="card" data-liaison="crm-failures">
          <h2>{t('crm_failures')}</h2>
          {failures.length === 0 ? (
            <p>{t('crm_failures_none')}</p>
          ) : (
            <>
              <button type="button" disabled={busy} onClick={() => void run(() => api('POST', `${base}/failures/retry`, {}), 'crm_retried')}>
                {t('crm_retry_all')}
              </button>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('crm_what')}</th>
                      <th scope="col">{t('crm_reason')}</th>
                      <th scope="col">{t('crm_attempts')}</th>
                      <th scope="col">{t('crm_when')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('crm_actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {failures.map((f) => (
                      <tr>
                        <td>
                          {t(`crm_entity_${f.entity}` as Key)} {f.localId}
                        </td>
                        <td dir="auto">{f.reason ?? '—'}</td>
                        <td>{f.attempts}</td>
                        <td>{when(f.updatedAt)}</td>
                        <td>
                          <button type="button" disabled={busy} onClick={() => void run(() => api('POST', `${base}/failures/retry`, { entity: f.entity, localId: f.localId }), 'crm_retried')}>
                            {t('crm_retry')}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
    </>
  );
}

const n = (x: number) => x.toLocaleString(lang.value === 'nl' ? 'nl-NL' : 'en-GB');

/** What the connector is doing, in words and a few figures. */
function ConnectorState({ state }: { state: ConnectorStatus }) {
  const h = state.history;
  return (
    <dl class="facts" data-liaison="crm-state">
      <dt>{t('crm_state')}</dt>
      <dd>
        {t(state.state === 'active' ? 'crm_state_active' : state.pausedBy === 'unauthorized' ? 'crm_state_refused' : 'crm_state_paused')}
        {state.message && (
          <>
            {' — '}
            <span dir="auto">{state.message}</span>
          </>
        )}
      </dd>
      {state.account && (
        <>
          <dt>{t('crm_account')}</dt>
          <dd>{state.account.id}</dd>
        </>
      )}
      <dt>{t('crm_connected_by')}</dt>
      <dd>
        <bdi>{state.connectedBy?.name ?? '—'}</bdi>, {when(state.connectedAt)}
      </dd>
      <dt>{t('crm_phase')}</dt>
      <dd>{t(state.phase === 'first-import' ? 'crm_phase_first' : 'crm_phase_incremental')}</dd>
      <dt>{t('crm_last_sync')}</dt>
      <dd>{when(state.lastSyncAt)}</dd>
      <dt>{t('crm_outbound')}</dt>
      <dd>{t('crm_outbound_counts', String(state.outbound.pending + state.outbound.creating), String(state.outbound.synced), String(state.outbound.failed))}</dd>
      {h && (
        <>
          <dt>{t('crm_history_progress')}</dt>
          <dd>
            {t('crm_history_counts', String(h.sent), String(h.queued), String(h.waiting), String(h.failed))}
            {h.waiting > 0 ? ` ${t('crm_history_left', String(Math.ceil(h.minSecondsLeft / 60)))}` : ''}
          </dd>
        </>
      )}
      <dt>{t('crm_budget')}</dt>
      <dd>{t('crm_budget_text', n(state.limits.requestsPer10s), n(state.limits.usedToday), n(state.limits.daily), n(state.limits.rejected429))}</dd>
    </dl>
  );
}
