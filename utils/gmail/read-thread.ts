import { makePerson, uniquePeople } from '../adapters/person';
import type { MessageContext, Person, ThreadContext } from '../adapters/types';
import { readInvites } from './read-invite';
import {
  gmailCollapsedClass,
  gmailQuoted,
  gmailSelectors as S,
  queryAllTwoWays,
  queryTwoWays,
  type Keep,
} from './selectors';

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

/** People and dates of the message itself: nothing inside quoted mail or a mailto link (a body may list a hundred). */
const ownOf =
  (messageEl: Element): Keep =>
  (el) => {
    const quoted = el.closest(gmailQuoted);
    return quoted == null || !messageEl.contains(quoted);
  };

function personFrom(el: Element): Person | null {
  const email = el.getAttribute('email') ?? '';
  return makePerson(email, el.getAttribute('name') ?? el.textContent);
}

/**
 * Gmail names the user among the recipients by a placeholder ("me", in the reader's language) both as the name
 * attribute and as the text; that is not their name (their own messages' sender span has the real one).
 */
function recipientFrom(el: Element, account: string | null): Person | null {
  const person = personFrom(el);
  if (!person || account == null || person.email !== account) return person;
  const name = (el.getAttribute('name') ?? '').trim();
  return name !== '' && name === (el.textContent ?? '').trim() ? { ...person, name: null } : person;
}

/** Gmail's `title` is locale text ("Tue, Nov 10, 2026, 10:42 AM"); an unparseable one is no date rather than a wrong one. */
function parseTitleDate(title: string | null | undefined): string | null {
  if (!title) return null;
  const time = Date.parse(title.replace(/\u202f/g, ' ').replace(/ at /, ' '));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A title that is a full date: a four-digit year and a clock time (what the date span's title always holds). */
const looksLikeDateTitle = (el: Element) => {
  const title = el.getAttribute('title') ?? '';
  return /\b\d{4}\b/.test(title) && /\d:\d\d/.test(title) && parseTitleDate(title) != null;
};

function readDate(messageEl: Element, own: Keep): string | null {
  const el = queryTwoWays(messageEl, S.messageDate, (candidate) => own(candidate) && looksLikeDateTitle(candidate));
  return parseTitleDate(el?.getAttribute('title'));
}

/**
 * Collapsed messages render their sender only. With Gmail's classes known, its collapsed class says so; without
 * them (only the class-free way found the message), a message that names nobody but its sender is collapsed —
 * an expanded header always names its recipients ("to me").
 */
function isCollapsed(messageEl: Element, senderEl: Element | null, own: Keep): boolean {
  if (messageEl.matches(S.message.primary)) return messageEl.classList.contains(gmailCollapsedClass);
  return Array.from(messageEl.querySelectorAll(S.recipients.fallback)).every((el) => el === senderEl || !own(el));
}

function readMessage(messageEl: Element, index: number, account: string | null): MessageContext {
  const messageId =
    usableId(messageEl.getAttribute('data-legacy-message-id')) ??
    usableId(messageEl.getAttribute('data-message-id')) ??
    `index-${index}`;
  const own = ownOf(messageEl);
  const senderEl = queryTwoWays(messageEl, S.sender, own);
  const from = senderEl ? personFrom(senderEl) : null;
  const collapsed = isCollapsed(messageEl, senderEl, own);
  const to = collapsed
    ? []
    : uniquePeople(
        queryAllTwoWays(messageEl, S.recipients, own)
          .filter((el) => el !== senderEl)
          .map((el) => recipientFrom(el, account))
          .filter((p): p is Person => p != null),
      );
  return { messageId, from, to, cc: [], date: readDate(messageEl, own), collapsed };
}

/**
 * Reads the open thread, or null when the page shows none (a list, settings, or markup we do not recognise).
 * `urlThreadId` is only a fallback id: Gmail's newer URL ids (`FMfcgz…`) differ from the DOM's legacy ids.
 * `account` is the signed-in address, whose placeholder name ("me") is not taken for a name.
 */
export function readThread(doc: Document, urlThreadId: string | null, account: string | null = null): ThreadContext | null {
  const scope: ParentNode = doc.querySelector(S.main.primary) ?? doc;
  const subjectEl = queryTwoWays(scope, S.threadSubject);
  if (!subjectEl) return null;
  const threadId = readThreadId(subjectEl, urlThreadId);
  if (!threadId) return null;
  const messageEls = queryAllTwoWays(scope, S.message);
  const messages = messageEls.map((el, i) => readMessage(el, i, account));
  const participants = uniquePeople(messages.flatMap((m) => [...(m.from ? [m.from] : []), ...m.to, ...m.cc]));
  const subject = (subjectEl.textContent ?? '').replace(/\s+/g, ' ').trim();
  // Issue 5: a thread without invitations keeps exactly the shape it had (no `invites` key at all).
  const invites = readInvites(messageEls, messages.map((m) => m.messageId));
  return { site: 'gmail', threadId, subject, messages, participants, ...(invites.length > 0 ? { invites } : {}) };
}
