import { makePerson, parseAddressText, uniquePeople } from '../adapters/person';
import { boxOf, type Box, type ComposeContext, type Person } from '../adapters/types';
import { gmailSelectors as S, queryAllTwoWays, queryTwoWays } from './selectors';

/** Compose forms have no id until Gmail saves a draft; a per-element id keeps "this compose" stable meanwhile. */
const localIds = new WeakMap<Element, string>();
let nextLocalId = 1;

function composeIdFor(root: Element): string {
  const draft = root.querySelector<HTMLInputElement>(S.composeDraftId.primary)?.value?.trim();
  if (draft && draft !== 'undefined') return `draft:${draft.replace(/^#/, '')}`;
  let id = localIds.get(root);
  if (!id) {
    id = `local:${nextLocalId++}`;
    localIds.set(root, id);
  }
  return id;
}

function readRecipients(root: Element): Person[] {
  const chips = queryAllTwoWays(root, S.composeChip);
  if (chips.length) {
    return uniquePeople(
      chips
        .map((chip) => makePerson(chip.getAttribute('data-hovercard-id') ?? '', chip.getAttribute('data-name')))
        .filter((p): p is Person => p != null),
    );
  }
  // Classic UI: hidden inputs hold "Name <address>" text, which needs a real address parser.
  const classic = queryAllTwoWays(root, S.composeClassicInput);
  return uniquePeople(
    classic.flatMap((el) =>
      el.tagName === 'INPUT'
        ? parseAddressText((el as HTMLInputElement).value ?? '')
        : [makePerson(el.getAttribute('email') ?? '', el.getAttribute('name') ?? el.textContent)].filter(
            (p): p is Person => p != null,
          ),
    ),
  );
}

/** The compose roots on the page; the subject box is the second way to find them. */
function composeRoots(doc: Document): Element[] {
  const found = queryAllTwoWays(doc, S.composeRoot);
  const roots = found.map((el) => (el.matches(S.composeRoot.primary) ? el : rootOfSubject(el)));
  return [...new Set(roots)];
}

/** Reads one compose form (popup or inline reply) as it is now. */
export function readCompose(root: Element, threadId: string | null, threadSubject: string | null): ComposeContext {
  const popup = root.closest(S.composeDialog.primary) ?? root.closest(S.composeDialog.fallback!);
  const kind = popup ? 'popup' : 'inline';
  const subjectInput = queryTwoWays(root, S.composeSubject) as HTMLInputElement | null;
  const typed = (subjectInput?.value ?? '').replace(/\s+/g, ' ').trim();
  return {
    site: 'gmail' as const,
    composeId: composeIdFor(root),
    kind,
    // A popup may be a brand-new message while a thread is open behind it: only inline replies surely belong.
    threadId: kind === 'inline' ? threadId : null,
    subject: typed || (kind === 'inline' ? (threadSubject ?? '') : ''),
    recipients: readRecipients(root),
  };
}

/** The form a subject box belongs to: the compose root when it is found the class-free way. */
function rootOfSubject(subject: Element): Element {
  return subject.closest('form') ?? subject.parentElement ?? subject;
}

/**
 * The compose form an element (a Send button, a focused editor) belongs to, or null. Class-free: the nearest
 * ancestor holding a subject box is the compose window (or inline reply) — provided it holds exactly one and is
 * not a larger part of the page (no thread message, not the main region), so that Ctrl+Enter in Gmail's search
 * box is not taken for sending a compose form elsewhere on the page.
 */
export function composeRootOf(el: Element): Element | null {
  const root = el.closest(S.composeRoot.primary);
  if (root) return root;
  for (let node: Element | null = el; node; node = node.parentElement) {
    const subjects = node.querySelectorAll(S.composeSubject.primary);
    if (subjects.length === 0) continue;
    const isPagePart = subjects.length > 1 || node.matches(S.main.primary) || node.querySelector(`${S.main.primary}, ${S.message.fallback}`) != null;
    return isPagePart ? null : rootOfSubject(subjects[0]!);
  }
  return null;
}

/**
 * Reads every open compose form: popups (new message, popped-out reply) and inline replies. `threadId` is the
 * open thread's id, which an inline reply belongs to.
 */
export function readComposes(doc: Document, threadId: string | null, threadSubject: string | null): ComposeContext[] {
  return composeRoots(doc).map((root) => readCompose(root, threadId, threadSubject));
}

/**
 * Issue 12: where compose form `composeId` is on screen — a popup's whole window (the dialog it sits in), an inline
 * reply's own form — so a heads-up can be placed beside it.
 */
export function composeBox(doc: Document, composeId: string): Box | null {
  const root = composeRoots(doc).find((r) => composeIdFor(r) === composeId);
  if (!root) return null;
  return boxOf(root.closest(S.composeDialog.primary) ?? root.closest(S.composeDialog.fallback!) ?? root);
}
