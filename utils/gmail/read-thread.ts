import { makePerson, uniquePeople } from '../adapters/person';
import type { MessageContext, Person, ThreadContext } from '../adapters/types';
import { readInvites } from './read-invite';
import { gmailCollapsedClass, gmailSelectors as S, queryAllTwoWays, queryTwoWays } from './selectors';

/** `data-thread-perm-id` reads "undefined" (the string) while Gmail is still loading a thread. */
function usableId(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim().replace(/^#/, '');
  if (trimmed === '' || trimmed === 'undefined' || trimmed === 'null') return null;
  return trimmed;
}

/** Prefers the legacy hex id (what the Gmail API and older URLs use) so a log made here matches one made elsewhere. */
export function readThreadId(subjectEl: Element, urlThreadId: string | null): string | null {
  // Only the subject and its ancestors: list rows elsewhere in the page carry ids of other threads.
  const legacy = usableId(subjectEl.closest(S.threadId.primary)?.getAttribute('data-legacy-thread-id'));
  if (legacy) return legacy;
  const perm = usableId(subjectEl.closest(S.threadId.fallback)?.getAttribute('data-thread-perm-id'));
  return perm ?? urlThreadId;
}

function personFrom(el: Element): Person | null {
  const email = el.getAttribute('email') ?? '';
  return makePerson(email, el.getAttribute('name') ?? el.textContent);
}

/** Gmail's `title` is locale text ("Tue, Nov 10, 2026, 10:42 AM"); an unparseable one is no date rather than a wrong one. */
function readDate(messageEl: Element): string | null {
  const title = queryTwoWays(messageEl, S.messageDate)?.getAttribute('title');
  if (!title) return null;
  const time = Date.parse(title.replace(/\u202f/g, ' ').replace(/ at /, ' '));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function readMessage(messageEl: Element, index: number): MessageContext {
  const messageId =
    usableId(messageEl.getAttribute('data-legacy-message-id')) ??
    usableId(messageEl.getAttribute('data-message-id')) ??
    `index-${index}`;
  const senderEl = queryTwoWays(messageEl, S.sender);
  const from = senderEl ? personFrom(senderEl) : null;
  const collapsed = messageEl.classList.contains(gmailCollapsedClass);
  const to = collapsed
    ? []
    : uniquePeople(
        queryAllTwoWays(messageEl, S.recipients)
          .filter((el) => el !== senderEl)
          .map(personFrom)
          .filter((p): p is Person => p != null),
      );
  return { messageId, from, to, cc: [], date: readDate(messageEl), collapsed };
}

/**
 * Reads the open thread, or null when the page shows none (a list, settings, or markup we do not recognise).
 * `urlThreadId` is only a fallback id: Gmail's newer URL ids (`FMfcgz…`) differ from the DOM's legacy ids.
 */
export function readThread(doc: Document, urlThreadId: string | null): ThreadContext | null {
  const scope: ParentNode = doc.querySelector(S.main.primary) ?? doc;
  const subjectEl = queryTwoWays(scope, S.threadSubject);
  if (!subjectEl) return null;
  const threadId = readThreadId(subjectEl, urlThreadId);
  if (!threadId) return null;
  const messageEls = queryAllTwoWays(scope, S.message);
  const messages = messageEls.map(readMessage);
  const participants = uniquePeople(messages.flatMap((m) => [...(m.from ? [m.from] : []), ...m.to, ...m.cc]));
  const subject = (subjectEl.textContent ?? '').replace(/\s+/g, ' ').trim();
  // Issue 5: a thread without invitations keeps exactly the shape it had (no `invites` key at all).
  const invites = readInvites(messageEls, messages.map((m) => m.messageId));
  return { site: 'gmail', threadId, subject, messages, participants, ...(invites.length > 0 ? { invites } : {}) };
}
