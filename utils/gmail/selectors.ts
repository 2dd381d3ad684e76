/**
 * Every Gmail selector Liaison uses, in one place. Gmail's class names are minified and change every few years;
 * the `email`/`name` attributes on people and the `data-*` ids are the most stable facts on the page (InboxSDK,
 * gmail.js, Mailvelope, FlowCrypt and Briskine all key on them). Following InboxSDK, each element is found two
 * ways: when only one way finds it, Gmail has probably changed, and we say so once through console.debug — an
 * early warning in the field, never an error in the page.
 *
 * The two ways are not equally exposed. When Gmail renames its classes, every class-based selector fails at
 * once; so for everything the adapter reads (the thread, its messages, sender, recipients and date, compose
 * forms, invitations, the account) the second way uses no class name at all — only Gmail's stable facts:
 * `email`/`name`/`data-hovercard-id` attributes, the `data-legacy-thread-id`/`data-thread-perm-id`/
 * `data-message-id` ids, roles, form names and the page's structure. test/unit/gmail-class-free.test.ts renames
 * every class of every fixture and checks the adapter reads the same. The one exception is the Send button,
 * which is only watched (never read): nothing but translated label text tells it from the compose toolbar's
 * other buttons, so both of its ways use classes, and Ctrl/Cmd+Enter is noticed without any selector.
 *
 * Facts about real pages the class-free ways rely on (DESIGN.md, "What real pages show"): the inbox list stays in
 * the DOM behind an open thread and every row carries `data-legacy-thread-id`, so a thread id is only read from
 * the subject heading up; quoted text and mailto links repeat addresses and are never participants; the user
 * appears among the recipients as `name="me"`; a reply just sent is `#msg-a:r-…` with no legacy id; and a
 * `[role=dialog]` may be Google Chat, so a compose form is found by its subject box.
 *
 * Dated as verified against test/fixtures/gmail/2026-11-*.html (written from DESIGN.md's notes).
 */

export interface TwoWaySelector {
  /** Short name used in mismatch reports. */
  name: string;
  primary: string;
  /** A second, independent way to the same element; null when Gmail offers none we trust. */
  fallback: string | null;
}

export const gmailSelectors = {
  /**
   * The main view pane. Thread and list live under it; Gmail's own header, left nav and side panel do not,
   * so reading inside it keeps chat and the account menu out of "participants".
   */
  main: { name: 'main', primary: 'div[role="main"]', fallback: null },

  /**
   * The open thread's subject heading. Gmail puts the thread ids on this element (`data-legacy-thread-id`,
   * `data-thread-perm-id`); class-free, it is the h2 carrying them. (Inbox rows carry the same attribute on a
   * span, never on a heading.)
   */
  threadSubject: {
    name: 'threadSubject',
    primary: 'h2.hP',
    fallback: 'h2[data-legacy-thread-id], h2[data-thread-perm-id]',
  },

  /**
   * Thread id holders. `data-legacy-thread-id` is the hex id the Gmail API uses; `data-thread-perm-id`
   * ("thread-f:178…") reads the literal string "undefined" for a thread Gmail has not finished loading.
   * Looked up from the subject upwards only: list rows elsewhere on the page carry other threads' ids.
   */
  threadId: { name: 'threadId', primary: '[data-legacy-thread-id]', fallback: '[data-thread-perm-id]' },

  /**
   * One message of the thread, expanded or collapsed. `data-message-id` is "#msg-f:…" ("#msg-a:r-…" for a reply
   * the user just sent, which has no legacy id yet), so class-free it is the element carrying that id.
   */
  message: { name: 'message', primary: 'div.adn[data-message-id]', fallback: 'div[data-message-id]' },

  /**
   * The sender inside a message header: a span whose `email`/`name` attributes carry the facts. Class-free, the
   * first person named in the message: Gmail's header names the sender before the recipients, and a collapsed
   * message names nobody else (read-thread.ts skips quoted text and mailto links).
   */
  sender: { name: 'sender', primary: 'span.gD[email]', fallback: 'span[email]' },

  /**
   * Recipients in an expanded message's compact header ("to me, Sam"). Collapsed messages do not render them.
   * Gmail does not separate cc here in markup (only in translated text), so all of them count as `to`.
   * Class-free: every other person named in the message's own markup (not quoted text, not mailto links).
   */
  recipients: { name: 'recipients', primary: '.hb span[email]', fallback: 'span[email]' },

  /**
   * The message date: the visible text is relative ("2 days ago"), the `title` holds the full date. Class-free:
   * the first span in the message whose `title` reads as a date with a year and a time.
   */
  messageDate: { name: 'messageDate', primary: '.g3[title]', fallback: 'span[title]' },

  /**
   * A compose form: the popup ("New message", reply popped out) and the inline reply both use `div.M9`. The
   * subject box exists in both (hidden in inline replies), so counting it is the second way; its form is then
   * the compose form. The subject box is the anchor: a `[role=dialog]` may be Google Chat's.
   */
  composeRoot: { name: 'composeRoot', primary: 'div.M9', fallback: 'input[name="subjectbox"]' },

  /**
   * Marks a compose form as a popup window rather than an inline reply: the dialog it sits in (the compose
   * form inside it tells it from Google Chat's dialog).
   */
  composeDialog: { name: 'composeDialog', primary: 'div.AD', fallback: '[role="dialog"]' },

  /** Subject of a compose form. Inline replies keep a hidden one with "Re: …". */
  composeSubject: { name: 'composeSubject', primary: 'input[name="subjectbox"]', fallback: null },

  /**
   * The Send button of a compose form (popup or inline reply), inside its bottom toolbar: Gmail's send button
   * class `aoO` is what extensions that watch sending key on. The fallback is the toolbar's send cell
   * (`td.gU.Up`, InboxSDK's path), leaving out the "more send options" arrow next to it. Never its label text
   * ("Send", "Senden"…), which is translated.
   */
  composeSend: {
    name: 'composeSend',
    primary: 'div.T-I.aoO[role="button"]',
    fallback: 'td.gU.Up div[role="button"]:not([aria-haspopup="true"])',
  },

  /** Gmail's draft id for a compose form ("#msg-a:r-…"), absent until the draft is first saved. */
  composeDraftId: { name: 'composeDraftId', primary: 'input[name="draft"]', fallback: null },

  /**
   * Recipient chips, new compose UI: one `[role=option]` per person, address in `data-hovercard-id`, name in
   * `data-name`, grouped under `div[name=to|cc|bcc]`.
   */
  composeChip: {
    name: 'composeChip',
    primary: 'div[name="to"] [data-hovercard-id], div[name="cc"] [data-hovercard-id], div[name="bcc"] [data-hovercard-id]',
    fallback: '[role="option"][data-hovercard-id]',
  },
  /**
   * Classic compose UI: each chip `.vR` holds a hidden input named to/cc/bcc whose value is RFC 5322 text
   * ("Jane Doe <jane@…>"); the input carries the name more reliably than the chip's `span[email]`. Class-free,
   * the same inputs by their names (Gmail's 2026 compose has none: its only hidden inputs are subject, from,
   * draft and rt, and its recipients are `composeChip`s).
   */
  composeClassicInput: {
    name: 'composeClassicInput',
    primary: '.vR input[type="hidden"][name="to"], .vR input[type="hidden"][name="cc"], .vR input[type="hidden"][name="bcc"]',
    fallback: 'input[type="hidden"][name="to"], input[type="hidden"][name="cc"], input[type="hidden"][name="bcc"]',
  },

  /**
   * The Google account button in the header: its `aria-label` is translated text, but always holds the
   * address in parentheses, which is all we read from it. The primary source is `document.title`.
   */
  accountButton: {
    name: 'accountButton',
    primary: 'a[href^="https://accounts.google.com/SignOutOptions"][aria-label]',
    fallback: 'header a[aria-label*="@"]',
  },

  // ---- Meeting invitations (issue 5); verified against test/fixtures/gmail/2026-11-thread-invitation*.html ----

  /**
   * Google's invite card: the schema.org Event inside a message body. Google Calendar writes it into every
   * invitation mail (itemprop="object" of an InformAction); the fallback is any Event scope in the body, for a
   * card that comes without the InformAction wrapper (forwarded invitations, older mails).
   */
  inviteCard: {
    name: 'inviteCard',
    primary: '[itemtype$="schema.org/InformAction"] [itemprop="object"][itemtype$="schema.org/Event"]',
    fallback: '[itemscope][itemtype$="schema.org/Event"]',
  },

  /**
   * The .ics attachment chip. `download_url` holds "<mime>:<file name>:<url>" (Gmail's drag-to-desktop data);
   * class-free, any element carrying that attribute. (The chip's own link, `a.aQy[href*="view=att"]` with the file
   * name in `.aV3`, is read too when a chip has no `download_url`: see read-invite.ts.)
   */
  icsAttachment: {
    name: 'icsAttachment',
    primary: 'span.aZo[download_url]',
    fallback: '[download_url]',
  },
} as const satisfies Record<string, TwoWaySelector>;

/** An attachment chip's link and its file name, for a chip without `download_url`. */
export const gmailAttachmentLink = 'a.aQy[href*="view=att"]';
export const gmailAttachmentName = '.aV3';

/**
 * Where a message repeats other mail (quoted text) or lists addresses as links: never the message's own people.
 * `gmail_quote` is the class of the quoted mail itself (written by the sender's mail program), not Gmail's.
 */
export const gmailQuoted = 'blockquote, .gmail_quote, a[href^="mailto:" i]';

/** `document.title` is "Subject - account@domain - Gmail" (also "Inbox (3) - …"): the address is the last part but one. */
export const gmailTitleAccount = / - ([^\s@]+@[^\s@]+\.[^\s@]+) - [^-]+$/;

/**
 * Gmail's class for a collapsed message (expanded ones carry `h7`). Class-free, a collapsed message is one that
 * names nobody but its sender: an expanded header always names its recipients ("to me").
 */
export const gmailCollapsedClass = 'kv';

const reported = new Set<string>();

/** Reports once per selector that only one of its two ways matched: an early warning of a Gmail change. */
export function reportMismatch(selector: TwoWaySelector, detail: string): void {
  if (reported.has(selector.name)) return;
  reported.add(selector.name);
  console.debug(`[liaison] Gmail markup changed? ${selector.name}: ${detail}`);
}

/** For tests: forget which mismatches were reported. */
export function resetMismatchReports(): void {
  reported.clear();
}

/** Keeps an element a query found, or not (e.g. not inside quoted text). */
export type Keep = (el: Element) => boolean;

/**
 * The first element found by the primary way, else by the fallback; a one-sided match is reported. `keep`
 * filters both ways alike (what it drops counts as not found).
 */
export function queryTwoWays(root: ParentNode, selector: TwoWaySelector, keep?: Keep): Element | null {
  const first = (css: string) => (keep ? (Array.from(root.querySelectorAll(css)).find(keep) ?? null) : root.querySelector(css));
  const primary = first(selector.primary);
  if (selector.fallback == null) return primary;
  const fallback = first(selector.fallback);
  if ((primary == null) !== (fallback == null)) {
    reportMismatch(selector, primary ? 'fallback found nothing' : 'only the fallback matched');
  }
  return primary ?? fallback;
}

/** All elements by the primary way, else by the fallback; a one-sided match is reported. `keep` as above. */
export function queryAllTwoWays(root: ParentNode, selector: TwoWaySelector, keep?: Keep): Element[] {
  const all = (css: string) => {
    const found = Array.from(root.querySelectorAll(css));
    return keep ? found.filter(keep) : found;
  };
  const primary = all(selector.primary);
  if (selector.fallback == null) return primary;
  const fallback = all(selector.fallback);
  if ((primary.length === 0) !== (fallback.length === 0)) {
    reportMismatch(selector, primary.length ? 'fallback found nothing' : 'only the fallback matched');
  }
  return primary.length ? primary : fallback;
}
