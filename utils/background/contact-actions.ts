/**
 * Issue 12: what a user does to a contact from the sidebar — raise or close a heads-up, add or complete a task, edit
 * the title or company, change the owner — as the one hub request that does it (queued in the outbox, sent with an
 * idempotency key), and, once the hub answered, what its answer changes in the cache the sidebar and the compose
 * heads-up paint from. Background only.
 */
import type { ContactSummary, Flag, LookupResult, Task } from '../../shared/wire-types';
import type { ActionSubject, ContactAction } from '../messaging/protocol';
import type { ActionRequest } from '../outbox';
import { readContacts, writeContacts } from '../storage/cache';
import type { LiaisonDb } from '../storage/db';
import type { OutboxEntry } from '../storage/types';

export function actionRequest(act: ContactAction): ActionRequest {
  switch (act.action) {
    case 'raise-heads-up':
      return {
        method: 'POST',
        path: act.companyId ? `/v1/companies/${act.companyId}/flags` : `/v1/contacts/${act.contactId}/flags`,
        body: { kind: act.kind, note: act.note || null, until: act.until },
      };
    case 'close-heads-up':
      return { method: 'POST', path: `/v1/flags/${act.flagId}/close`, body: { resolution: act.resolution || null } };
    case 'create-task':
      return {
        method: 'POST',
        path: '/v1/tasks',
        body: { title: act.title, dueAt: act.dueAt, contactId: act.contactId, ...(act.assigneeId ? { assigneeId: act.assigneeId } : {}) },
      };
    case 'complete-task':
      return { method: 'POST', path: `/v1/tasks/${act.taskId}/complete`, body: undefined };
    case 'edit-contact':
      return { method: 'PATCH', path: `/v1/contacts/${act.contactId}`, body: { title: act.title || null, company: act.company || null } };
    case 'set-owner':
      return { method: 'PUT', path: `/v1/contacts/${act.contactId}/owner`, body: { ownerId: act.ownerId, expectedOwnerId: act.expectedOwnerId } };
  }
}

/** One line for the popup's outbox: what, and about whom (stored as written, like the other outbox labels). */
export function actionLabel(act: ContactAction, about: ActionSubject): string {
  const who = about.name ?? about.emails[0] ?? '';
  const what: Record<ContactAction['action'], string> = {
    'raise-heads-up': `Heads-up · ${'kind' in act ? act.kind.replace(/-/g, ' ') : ''}`,
    'close-heads-up': 'Close heads-up',
    'create-task': `Task · ${'title' in act ? act.title : ''}`,
    'complete-task': 'Task done',
    'edit-contact': 'Edit contact',
    'set-owner': 'Owner',
  };
  return who ? `${what[act.action]} (${who})` : what[act.action];
}

export const tasksCacheKey = (contactId: string | null | undefined) => (contactId ? `tasks:contact:${contactId}` : 'tasks:mine');

const isFlag = (x: unknown): x is Flag => typeof x === 'object' && x != null && 'setBy' in x && 'kind' in x;
const isContact = (x: unknown): x is ContactSummary => typeof x === 'object' && x != null && 'openFlags' in x && 'emails' in x;
const isTask = (x: unknown): x is Task => typeof x === 'object' && x != null && 'title' in x && 'createdBy' in x;

/** The flag as the card shows it: an open one replaces an older copy of itself; a closed or lapsed one goes. */
function withFlag(result: LookupResult, flag: Flag): LookupResult {
  if (!result.contact) return result;
  const others = result.contact.openFlags.filter((f) => f.id !== flag.id);
  return { ...result, contact: { ...result.contact, openFlags: flag.open ? [flag, ...others] : others } };
}

/** After the hub took a contact action: the cached lookups and task lists say what it answered. */
export async function applySentAction(db: LiaisonDb, entry: OutboxEntry, response: unknown, now: () => number = Date.now): Promise<void> {
  const at = new Date(now()).toISOString();
  if (isContact(response)) {
    await writeContacts(db, response.emails.map((email) => ({ email, contact: response, member: null })), at);
    return;
  }
  if (isFlag(response)) {
    const cached = await readContacts(db, entry.cacheEmails ?? []);
    await writeContacts(db, [...cached.values()].map((c) => withFlag(c.result, response)), at);
    return;
  }
  if (isTask(response)) {
    for (const key of [tasksCacheKey(response.contactId), tasksCacheKey(null)]) {
      const list = (await db.get('meta', key)) as { items: Task[] } | undefined;
      if (!list) continue;
      const others = list.items.filter((t) => t.id !== response.id);
      // A new task joins its contact's list; "my tasks" is asked afresh whenever the popup opens.
      const contactList = key !== tasksCacheKey(null);
      await db.put('meta', { items: response.doneAt ? others : contactList ? [...others, response] : list.items }, key);
    }
  }
}
