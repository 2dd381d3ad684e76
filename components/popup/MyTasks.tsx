/**
 * "My open tasks" in the toolbar popup (issue 12): the follow-ups assigned to me, overdue first, each with the
 * contact it is about — from the cache at once, then the hub.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Task } from '../../shared/wire-types';
import type { OfflineReason } from '../../utils/messaging/protocol';
import { byDue, TaskMeta } from '../sidebar/Tasks';
import { t } from '../sidebar/t';
import type { Send } from './Popup';

export function MyTasks({ send, version }: { send: Send; version: number }) {
  const [items, setItems] = useState<Task[] | null>(null);
  useEffect(() => {
    let live = true;
    let fresh = false;
    const apply = (isFresh: boolean) => (r: { items: Task[] | null; offline: OfflineReason | null }) => {
      if (!live || !r.items || (!isFresh && fresh)) return;
      fresh ||= isFresh;
      setItems(r.items);
    };
    const quiet = (e: unknown) => console.debug('[liaison] tasks:list failed', e);
    send({ type: 'tasks:list', mine: true, mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'tasks:list', mine: true, mode: 'fresh' }).then(apply(true)).catch(quiet);
    return () => {
      live = false;
    };
  }, [send, version]);
  const open = (items ?? []).filter((task) => !task.doneAt).sort(byDue);
  if (items == null) return <p class="empty">{t('sidebar_loading')}</p>;
  if (open.length === 0) return <p class="empty">{t('popup_tasks_empty')}</p>;
  return (
    <ul class="tasks" data-liaison="my-tasks">
      {open.map((task) => (
        <li key={task.id} class="item">
          <span class="label">
            <bdi>{task.title}</bdi>
          </span>
          {task.contact && (
            <span class="state">
              <bdi>{task.contact.name ?? task.contact.email ?? ''}</bdi>
            </span>
          )}
          <TaskMeta task={task} />
        </li>
      ))}
    </ul>
  );
}
