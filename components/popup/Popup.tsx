import type { ComponentChild } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdoptionStats, OutboxItemView, Request, RequestType, Response, TestConnectionResult, UnloggedItem } from '../../utils/messaging/protocol';
import { tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';
import { MyTasks } from './MyTasks';
import { OutboxList } from './OutboxList';
import { AdoptionLine, UnloggedList } from './UnloggedList';

export type Send = <T extends RequestType>(request: Request<T>) => Promise<Response<T>>;

export interface PopupProps {
  send: Send;
  /** Bumped by the page when the background signals an outbox change (storage key liaison:outboxVersion). */
  version: number;
  openOptions: () => void;
  confirm?: (question: string) => boolean;
}

/** The team's and the member's names come from the hub: each isolated inside the sentence. */
function connectionText(result: TestConnectionResult | null): ComponentChild {
  if (!result) return t('popup_checking');
  return result.ok ? tx('popup_connected', result.me.team.name, result.me.member.name) : tx('popup_offline', result.reason.message);
}

export function Popup({ send, version, openOptions, confirm = (q) => window.confirm(q) }: PopupProps) {
  const [items, setItems] = useState<OutboxItemView[]>([]);
  const [connection, setConnection] = useState<TestConnectionResult | null>(null);
  const [unlogged, setUnlogged] = useState<UnloggedItem[]>([]);
  const [stats, setStats] = useState<AdoptionStats | null>(null);

  const load = useCallback(() => {
    send({ type: 'outbox:list' })
      .then((r) => setItems(r.items))
      .catch((e: unknown) => console.debug('[liaison] outbox:list failed', e));
    send({ type: 'unlogged:list' })
      .then((r) => {
        setUnlogged(r.items);
        setStats(r.stats);
      })
      .catch((e: unknown) => console.debug('[liaison] unlogged:list failed', e));
  }, [send]);

  useEffect(load, [load, version]);
  useEffect(() => {
    send({ type: 'settings:test' })
      .then(setConnection)
      .catch((e: unknown) => setConnection({ ok: false, reason: { code: 'unreachable', message: String(e) } }));
  }, [send]);

  const retry = (id: string) => void send({ type: 'outbox:retry', id }).then(load, load);
  const discard = (id: string) => {
    if (confirm(t('popup_discard_confirm'))) void send({ type: 'outbox:discard', id }).then(load, load);
  };

  const logUnlogged = (ref: string) => void send({ type: 'unlogged:log', ref }).then(load, load);
  const dismissUnlogged = (ref: string) => void send({ type: 'unlogged:dismiss', ref }).then(load, load);
  const clearUnlogged = () => {
    if (confirm(t('popup_unlogged_clear_confirm'))) void send({ type: 'unlogged:clear' }).then(load, load);
  };

  return (
    <div class="popup">
      <h1>{t('popup_title')}</h1>
      <p role="status" class={connection && !connection.ok ? 'problem' : 'ok'} data-liaison="connection-status">
        {connectionText(connection)}
      </p>
      <AdoptionLine stats={stats} />
      <h2>
        {t('popup_unlogged_heading')}
        {unlogged.length > 0 && <span class="count"> ({unlogged.length})</span>}
      </h2>
      <UnloggedList items={unlogged} onLog={logUnlogged} onDismiss={dismissUnlogged} onClear={clearUnlogged} />
      <h2>{t('popup_tasks_heading')}</h2>
      <MyTasks send={send} version={version} />
      <h2>{t('popup_outbox_heading')}</h2>
      <OutboxList items={items} onRetry={retry} onDiscard={discard} />
      <p>
        <button type="button" class="link" onClick={openOptions}>
          {t('popup_open_options')}
        </button>
      </p>
    </div>
  );
}
