import type { ComponentChild } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Request, RequestType, Response, SettingsView, TestConnectionResult } from '../../utils/messaging/protocol';
import { isoList, tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';
import { signedInAs, testOutcome } from './describe';
import type { PromptMode } from '../../utils/prompt/decide-prompt';
import { Field } from './Field';
import { joinLines, parseLines } from './lines';
import { AdvancedToken } from './AdvancedToken';
import { SignInToHub } from './SignInToHub';

export type Send = <T extends RequestType>(request: Request<T>) => Promise<Response<T>>;

interface Draft {
  hubUrl: string;
  token: string;
  myAddresses: string;
  neverLogDomains: string;
  neverLogAddresses: string;
  includeBody: boolean;
  promptMode: PromptMode;
  askAboutUnknown: boolean;
}

const draftOf = (view: SettingsView): Draft => ({
  hubUrl: view.hubUrl,
  token: '',
  myAddresses: joinLines(view.myAddresses),
  // Only the person's own lists are edited here; the team's (from the hub) are shown beside them.
  neverLogDomains: joinLines(view.ownNeverLogDomains ?? view.neverLogDomains),
  neverLogAddresses: joinLines(view.ownNeverLogAddresses ?? view.neverLogAddresses),
  includeBody: view.includeBody,
  promptMode: view.promptMode,
  askAboutUnknown: view.askAboutUnknown,
});

/**
 * The options page. The token field is write-only: the background never hands the saved token back, so the
 * field starts empty and saving without typing keeps the saved one. "Test connection" saves the hub URL and
 * token it tested once the hub accepts them (and says so next to the button): a newcomer following the README
 * is connected without finding the Save button below the fold.
 */
export function OptionsForm({ send }: { send: Send }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [testText, setTestText] = useState<{ ok: boolean; text: ComponentChild } | null>(null);
  const [saveText, setSaveText] = useState<ComponentChild | null>(null);
  /** What the last successful Test connection saved, said next to it (the form's own Save is far below). */
  const [testSaved, setTestSaved] = useState<boolean>(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    send({ type: 'settings:get' })
      .then((v) => {
        setView(v);
        setDraft(draftOf(v));
        if (v.me) setTestText({ ok: true, text: signedInAs(v.me) });
      })
      .catch((e: unknown) => setSaveText(tx('options_save_failed', String(e))));
  }, [send]);

  if (!view || !draft) return <p role="status">{saveText ?? '…'}</p>;

  const managed = (key: string) => view.managed.includes(key);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const text = (key: 'hubUrl' | 'token' | 'myAddresses' | 'neverLogDomains' | 'neverLogAddresses') => (e: Event) =>
    set(key)((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value);

  const test = async () => {
    setBusy(true);
    setTestSaved(false);
    setTestText({ ok: true, text: t('options_testing') });
    try {
      const request: Request<'settings:test'> = { type: 'settings:test', save: true };
      if (!managed('hubUrl')) request.hubUrl = draft.hubUrl.trim();
      if (draft.token.trim()) request.token = draft.token.trim();
      const result: TestConnectionResult = await send(request);
      setTestText({ ok: result.ok, text: testOutcome(result) });
      if (result.ok && result.saved) {
        // Saved by the background: show the saved state, keeping whatever else the user is still editing.
        const next = await send({ type: 'settings:get' });
        setView(next);
        setDraft({ ...draft, hubUrl: next.hubUrl, token: '' });
        setTestSaved(true);
      }
    } catch (e) {
      setTestText({ ok: false, text: tx('options_test_failed', e instanceof Error ? e.message : String(e)) });
    } finally {
      setBusy(false);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const update: Request<'settings:save'> = {
        type: 'settings:save',
        myAddresses: parseLines(draft.myAddresses),
        ...(managed('hubUrl') ? {} : { hubUrl: draft.hubUrl.trim() }),
        ...(managed('neverLogDomains') ? {} : { neverLogDomains: parseLines(draft.neverLogDomains) }),
        ...(managed('neverLogAddresses') ? {} : { neverLogAddresses: parseLines(draft.neverLogAddresses) }),
        ...(managed('includeBody') ? {} : { includeBody: draft.includeBody }),
        ...(managed('promptMode') ? {} : { promptMode: draft.promptMode }),
        ...(managed('askAboutUnknown') ? {} : { askAboutUnknown: draft.askAboutUnknown }),
        ...(draft.token.trim() ? { token: draft.token.trim() } : {}),
      };
      const next = await send(update);
      setView(next);
      setDraft(draftOf(next));
      setSaveText(t('options_saved'));
      if (next.me) setTestText({ ok: true, text: signedInAs(next.me) });
    } catch (err) {
      setSaveText(tx('options_save_failed', err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  const detected = view.detectedAccounts?.[0] ?? null;

  return (
    <form onSubmit={save} aria-busy={busy}>
      <h1>{t('options_title')}</h1>
      {(view.managedProblems ?? []).map((p) => (
        <p class="problem" role="alert" key={p.key}>
          {tx('options_managed_problem', p.key, p.reason)}
        </p>
      ))}

      <fieldset>
        <legend>{t('options_connection_heading')}</legend>
        <Field id="hub-url" label={t('options_hub_url')} managed={managed('hubUrl')}>
          <input id="hub-url" type="url" value={draft.hubUrl} readOnly={managed('hubUrl')} onInput={text('hubUrl')}
            placeholder="https://hub.example.com" autocomplete="url" spellcheck={false} />
        </Field>
        <SignInToHub send={send} view={view} hubUrl={draft.hubUrl}
          onConnected={(result) => void send({ type: 'settings:get' }).then((v) => {
            setView(v);
            setDraft({ ...draftOf(v), myAddresses: draft.myAddresses });
            // "Signed in as …" shows beside the button that did it; the token test's line is for pasted tokens.
            setTestText(null);
          })} />
        <AdvancedToken>
          <Field id="token" label={t('options_token')} hint={view.hasToken ? t('options_token_saved') : null}>
            <input id="token" type="password" value={draft.token} onInput={text('token')} autocomplete="off" spellcheck={false} />
          </Field>
          <button type="button" onClick={test} disabled={busy}>
            {t('options_test')}
          </button>
        </AdvancedToken>
        {testText && (
          <p role="status" class={testText.ok ? 'ok' : 'problem'} data-liaison="connection-status">
            {testText.text}
          </p>
        )}
        {testSaved && (
          <p role="status" class="ok" data-liaison="connection-saved">
            {t('options_test_saved')}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('options_addresses_heading')}</legend>
        <Field id="my-addresses" label={t('options_my_addresses')} hint={detected ? tx('options_detected_account', detected) : null}>
          <textarea id="my-addresses" rows={3} value={draft.myAddresses} onInput={text('myAddresses')} spellcheck={false} />
        </Field>
        {view.teamDomains.length > 0 && <p class="hint">{tx('options_team_domains', isoList(view.teamDomains))}</p>}
      </fieldset>

      <fieldset>
        <legend>{t('options_privacy_heading')}</legend>
        <Field id="never-log-domains" label={t('options_never_log_domains')} managed={managed('neverLogDomains')}>
          <textarea id="never-log-domains" rows={3} value={draft.neverLogDomains} readOnly={managed('neverLogDomains')}
            onInput={text('neverLogDomains')} spellcheck={false} />
        </Field>
        <Field id="never-log-addresses" label={t('options_never_log_addresses')} managed={managed('neverLogAddresses')}>
          <textarea id="never-log-addresses" rows={3} value={draft.neverLogAddresses} readOnly={managed('neverLogAddresses')}
            onInput={text('neverLogAddresses')} spellcheck={false} />
        </Field>
        {[...(view.teamNeverLogDomains ?? []), ...(view.teamNeverLogAddresses ?? [])].length > 0 && (
          <p class="hint" data-liaison="team-never-log">
            {t('options_team_never_log', [...(view.teamNeverLogDomains ?? []), ...(view.teamNeverLogAddresses ?? [])].join(', '))}
          </p>
        )}
        <div class="field checkbox">
          <input id="include-body" type="checkbox" checked={draft.includeBody} disabled={managed('includeBody')}
            onChange={(e) => set('includeBody')((e.currentTarget as HTMLInputElement).checked)} />
          <label for="include-body">{t('options_include_body')}</label>
          {managed('includeBody') && <p class="managed">{t('options_managed')}</p>}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('options_prompt_heading')}</legend>
        <Field id="prompt-mode" label={t('options_prompt_mode')} managed={managed('promptMode')}>
          <select id="prompt-mode" value={draft.promptMode} disabled={managed('promptMode')}
            onChange={(e) => set('promptMode')((e.currentTarget as HTMLSelectElement).value as PromptMode)}>
            <option value="all">{t('options_prompt_mode_all')}</option>
            <option value="known-only">{t('options_prompt_mode_known')}</option>
            <option value="off">{t('options_prompt_mode_off')}</option>
          </select>
        </Field>
        <div class="field checkbox">
          <input id="prompt-unknown" type="checkbox" checked={draft.askAboutUnknown}
            disabled={managed('askAboutUnknown') || draft.promptMode !== 'all'}
            onChange={(e) => set('askAboutUnknown')((e.currentTarget as HTMLInputElement).checked)} />
          <label for="prompt-unknown">{t('options_prompt_unknown')}</label>
          {managed('askAboutUnknown') && <p class="managed">{t('options_managed')}</p>}
        </div>
      </fieldset>

      <button type="submit" disabled={busy}>
        {t('options_save')}
      </button>
      {saveText && <p role="status">{saveText}</p>}
    </form>
  );
}
