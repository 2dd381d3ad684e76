import { uniquePeople } from '../adapters/person';
import { boxOf, type Box, type ComposeContext } from '../adapters/types';
import { isPerson, personFromPersona } from './people';
import { outlookQuery, outlookQueryAll, outlookSelectors as S } from './selectors';

/** Outlook shows no draft id in the form; a per-element id keeps "this compose" stable while it is open. */
const localIds = new WeakMap<Element, string>();
let nextLocalId = 1;

function composeIdFor(root: Element): string {
  let id = localIds.get(root);
  if (!id) {
    id = `local:${nextLocalId++}`;
    localIds.set(root, id);
  }
  return id;
}

/** The compose forms on the page; a Send button's nearest form, dialog or region is the second way to one. */
export function composeRoots(doc: Document): Element[] {
  const found = outlookQueryAll(doc, S.composeRoot);
  const roots = found.map((el) =>
    el.matches(S.composeRoot.primary) ? el : (el.closest('form, [role="dialog"], [role="region"]') ?? el.parentElement ?? el),
  );
  return [...new Set(roots)];
}

/** The compose form an element (Send, the editor) belongs to; when Send sits outside it, the only open form. */
export function composeRootOf(el: Element, doc: Document): Element | null {
  const own = el.closest(S.composeRoot.primary);
  if (own) return own;
  const roots = composeRoots(doc);
  return roots.length === 1 ? roots[0]! : null;
}

/**
 * Reads one compose form. A form inside the reading pane while a conversation is open there is a reply to it
 * ("inline"); anything else — a new message, a pop-out compose window — is a message of its own ("popup").
 */
export function readCompose(root: Element, inConversation: boolean, threadId: string | null, threadSubject: string | null): ComposeContext {
  const kind = inConversation ? 'inline' : 'popup';
  const subjectInput = outlookQuery(root, S.composeSubject) as HTMLInputElement | null;
  const typed = (subjectInput?.value ?? '').replace(/\s+/g, ' ').trim();
  return {
    site: 'outlook',
    composeId: composeIdFor(root),
    kind,
    threadId: kind === 'inline' ? threadId : null,
    subject: typed || (kind === 'inline' ? (threadSubject ?? '') : ''),
    recipients: uniquePeople(
      outlookQueryAll(root, S.composeChip)
        .map((chip) => (chip.matches('[title*="@"], [aria-label*="@"]') ? chip : chip.querySelector('[title*="@"], [aria-label*="@"]')))
        .filter((el): el is Element => el != null)
        .map(personFromPersona)
        .filter(isPerson),
    ),
  };
}

/** Issue 12: where compose form `composeId` is on screen, so a heads-up can be placed beside it. */
export function composeBox(doc: Document, composeId: string): Box | null {
  const root = composeRoots(doc).find((r) => composeIdFor(r) === composeId);
  return root ? boxOf(root) : null;
}
