import type { TwoWaySelector } from '../gmail/selectors';
import { uniquePeople } from '../adapters/person';
import type { InviteContext, MessageContext, Person, ThreadContext } from '../adapters/types';
import { isPerson, personFromPersona } from './people';
import { readMessageInvite } from './read-event';
import { outlookQuery, outlookQueryAll, outlookSelectors as S } from './selectors';

/**
 * Where the open conversation is: the reading pane (right or bottom), else — reading pane off, or a pop-out
 * read window — the main region, else the document. Never the message list: its rows show other people.
 */
export function conversationScope(doc: Document): ParentNode {
  return outlookQuery(doc, S.readingPane) ?? doc.querySelector(S.main.primary) ?? doc;
}

function readDate(messageEl: Element): string | null {
  const el = outlookQuery(messageEl, S.messageDate);
  const value = el?.getAttribute('datetime') ?? null;
  if (!value || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function readMessage(messageEl: Element, index: number): MessageContext {
  const messageId = messageEl.getAttribute('data-item-id')?.trim() || `index-${index}`;
  const senderEl = outlookQuery(messageEl, S.sender);
  const from = senderEl ? personFromPersona(senderEl) : null;
  // A collapsed message shows its sender and a preview only; recipients appear once it is expanded.
  const collapsed = messageEl.getAttribute('aria-expanded') === 'false';
  const people = (selector: TwoWaySelector) =>
    collapsed ? [] : uniquePeople(outlookQueryAll(messageEl, selector).filter((el) => el !== senderEl).map(personFromPersona).filter(isPerson));
  return { messageId, from, to: people(S.toRecipients), cc: people(S.ccRecipients), date: readDate(messageEl), collapsed };
}

/**
 * Reads the open conversation, or null while none is shown (or the markup is not recognised). The id is the
 * conversation's (`data-convid`) wherever the page shows it, so a log made from the reading pane, the full view
 * and a pop-out window is stored under one reference; the URL's id is the last resort.
 */
export function readThread(doc: Document, urlId: string | null, origin: string): ThreadContext | null {
  const scope = conversationScope(doc);
  const conversation = outlookQuery(scope, S.conversation);
  const root: ParentNode =
    conversation == null ? scope : conversation.matches(S.conversation.primary) ? conversation : (conversation.closest('[data-convid]') ?? scope);
  const subjectEl = outlookQuery(root, S.subject);
  if (!subjectEl) return null;
  const threadId =
    (root instanceof Element ? root.closest('[data-convid]')?.getAttribute('data-convid') : null) ??
    outlookQuery(doc, S.selectedRow)?.getAttribute('data-convid') ??
    urlId;
  if (!threadId) return null;
  const subject = (subjectEl.getAttribute('title') ?? subjectEl.textContent ?? '').replace(/\s+/g, ' ').trim();
  const messageEls = outlookQueryAll(root, S.message);
  const messages = messageEls.map(readMessage);
  const participants = uniquePeople(messages.flatMap((m): Person[] => [...(m.from ? [m.from] : []), ...m.to, ...m.cc]));
  const invites = messageEls
    .map((el, i) => readMessageInvite(el, messages[i]!.messageId, origin))
    .filter((i): i is InviteContext => i != null);
  return { site: 'outlook', threadId, subject, messages, participants, ...(invites.length > 0 ? { invites } : {}) };
}
