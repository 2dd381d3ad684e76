import { useCallback, useEffect, useState } from 'preact/hooks';
import type { OutboxItemView, Request, RequestType, Response, TestConnectionResult } from '../../utils/messaging/protocol';
import { t } from '../sidebar/t';
import { OutboxList } from './OutboxList';

export type Send = <T extends RequestType>(request: Request<T>) => Promise<Response<T>>;

export interface PopupProps {
  send: Send;
  /** Bumped by the page when the background signals an outbox change (storage key liaison:outboxVersion). */
  version: number;
  openOptions: () => void;
  confirm?: (question: string) => boolean;
}

function connectionText(result: TestConnectionResult | null): string {
  if (!result) return t('popup_checking');
  return result.ok ? t('popup_connected', result.me.team.name, result.me.member.name) : t('popup_offline', result.reason.message);
}

export function Popup({ send, version, openOptions, confirm = (q) => window.confirm(q) }: PopupProps) {
  const [items, setItems] = useState<OutboxItemView[]>([]);
  const [connection, setConnection] = useState<TestConnectionResult | null>(null);

  const load = useCallback(() => {
    send({ type: 'outbox:list' })
      .then((r) => setItems(r.items))
      .catch((e: unknown) => console.debug('[liaison] outbox:list failed', e));
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

  return (
    <div class="popup">
      <h1>{t('popup_title')}</h1>
      <p role="status" class={connection && !connection.ok ? 'problem' : 'ok'} data-liaison="connection-status">
        {connectionText(connection)}
      </p>
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
