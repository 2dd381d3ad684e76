/**
 * A contact's open follow-up tasks on the card (issue 12) — mine and the team's, due date, assignee, overdue first —
 * each completable in one click, and the form that adds one.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Task } from '../../shared/wire-types';
import type { ContactAction } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { ActForm, endOfDay, Field, useMembers } from './act';
import { shortDate } from './format';
import { tx } from './isolate';
import { t } from './t';

/**
 * Overdue (earliest due) first, undated last. (No U+FFFF sentinel: Chrome refuses to load a content script holding
 * that noncharacter as "not UTF-8 encoded".)
 */
export const byDue = (a: Task, b: Task) => (a.dueAt == null ? 1 : 0) - (b.dueAt == null ? 1 : 0) || (a.dueAt ?? '').localeCompare(b.dueAt ?? '');

/** "due 3 Dec 2026 · for Sam Lee", or "overdue since …": the line under a task's title. */
export function TaskMeta({ task, now = Date.now() }: { task: Task; now?: number }) {
  const overdue = task.dueAt != null && Date.parse(task.dueAt) < now;
  return (
    <span class={overdue ? 'task__meta task__meta--overdue' : 'task__meta'}>
      {task.dueAt && tx(overdue ? 'tasks_overdue' : 'tasks_due', shortDate(task.dueAt))}
      {task.dueAt && task.assignee && ' · '}
      {task.assignee && tx('tasks_for', task.assignee.name)}
    </span>
  );
}

export function Tasks(props: { contactId: string; send: Send; refreshKey: number; act(a: ContactAction): Promise<boolean> }) {
  const { contactId, send, refreshKey } = props;
  const [items, setItems] = useState<Task[] | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    let fresh = false;
    const apply = (isFresh: boolean) => (r: { items: Task[] | null }) => {
      if (!live || !r.items || (!isFresh && fresh)) return;
      fresh ||= isFresh;
      setItems(r.items);
    };
    const quiet = (e: unknown) => console.debug('[liaison] tasks failed', e);
    send({ type: 'tasks:list', contactId, mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'tasks:list', contactId, mode: 'fresh' }).then(apply(true)).catch(quiet);
    return () => {
      live = false;
    };
  }, [contactId, send, refreshKey]);

  const open = (items ?? []).filter((task) => !task.doneAt && !done.has(task.id)).sort(byDue);
  if (open.length === 0) return null;
  const complete = (task: Task) =>
    void props.act({ action: 'complete-task', taskId: task.id }).then((ok) => ok && setDone(new Set([...done, task.id])));
  return (
    <section class="tasks" aria-label={t('tasks_heading')} data-liaison="tasks">
      <h4>{t('tasks_heading')}</h4>
      <ul>
        {open.map((task) => (
          <li key={task.id} class="task" data-liaison="task">
            <span class="task__title">
              <bdi>{task.title}</bdi>
            </span>
            <TaskMeta task={task} />
            <button type="button" class="button button--quiet" aria-label={`${t('tasks_complete')}: ${task.title}`} onClick={() => complete(task)}>
              {t('tasks_complete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A follow-up for this contact: what, by when (optional), for whom (me unless chosen). */
export function AddTask(props: { contactId: string; send: Send; act(a: ContactAction): Promise<boolean>; onClose(): void }) {
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [assignee, setAssignee] = useState('');
  const members = useMembers(props.send, true);
  const add = () => {
    if (!title.trim()) return;
    void props
      .act({ action: 'create-task', contactId: props.contactId, title: title.trim(), dueAt: endOfDay(due), assigneeId: assignee || null })
      .then((ok) => ok && props.onClose());
  };
  return (
    <ActForm label={t('tasks_add_form')} submit={t('tasks_add_submit')} onSubmit={add} onCancel={props.onClose}>
      <Field label={t('tasks_title')}>
        <input value={title} required maxLength={300} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label={t('tasks_due_label')}>
        <input type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
      </Field>
      <Field label={t('tasks_assignee')}>
        <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
          <option value="">{t('tasks_assignee_me')}</option>
          {members?.items
            .filter((m) => m.id !== members.me)
            .map((m) => (
              <option value={m.id}>{m.name}</option>
            ))}
        </select>
      </Field>
    </ActForm>
  );
}
