/**
 * Every Gmail selector Liaison uses, in one place. Gmail's class names are minified and change every few years;
 * the `email`/`name` attributes on people and the `data-*` ids are the most stable facts on the page (InboxSDK,
 * gmail.js, Mailvelope, FlowCrypt and Briskine all key on them). Following InboxSDK, each element is found two
 * ways: when only one way finds it, Gmail has probably changed, and we say so once through console.debug — an
 * early warning in the field, never an error in the page.
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
   * `data-thread-perm-id`). InboxSDK's older path `.ha h2` is the fallback.
   */
  threadSubject: { name: 'threadSubject', primary: 'h2.hP', fallback: '.ha h2' },

  /**
   * Thread id holders. `data-legacy-thread-id` is the hex id the Gmail API uses; `data-thread-perm-id`
   * ("thread-f:178…") reads the literal string "undefined" for a thread Gmail has not finished loading.
   * Looked up from the subject upwards only: list rows elsewhere on the page carry other threads' ids.
   */
  threadId: { name: 'threadId', primary: '[data-legacy-thread-id]', fallback: '[data-thread-perm-id]' },

  /** One message of the thread, expanded or collapsed. `data-message-id` is "#msg-f:…"; the legacy id is hex. */
  message: { name: 'message', primary: 'div.adn[data-message-id]', fallback: 'div[data-legacy-message-id]' },

  /** The sender inside a message header: a span whose `email`/`name` attributes carry the facts. */
  sender: { name: 'sender', primary: 'span.gD[email]', fallback: 'td.gF span[email]' },

  /**
   * Recipients in an expanded message's compact header ("to me, Sam"). Collapsed messages do not render them.
   * Gmail does not separate cc here in markup (only in translated text), so all of them count as `to`.
   */
  recipients: { name: 'recipients', primary: '.hb span[email]', fallback: 'span.g2[email]' },

  /** The message date: the visible text is relative ("2 days ago"), the `title` holds the full date. */
  messageDate: { name: 'messageDate', primary: '.g3[title]', fallback: 'td.gH span[title]' },

  /**
   * A compose form: the popup ("New message", reply popped out) and the inline reply both use `div.M9`. The
   * subject box exists in both (hidden in inline replies), so counting it is the second way.
   */
  composeRoot: { name: 'composeRoot', primary: 'div.M9', fallback: 'input[name="subjectbox"]' },

  /** Marks a compose form as a popup window rather than an inline reply. */
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
   * ("Jane Doe <jane@…>") and a `span[email]` with the address; the input carries the name more reliably.
   */
  composeClassicInput: {
    name: 'composeClassicInput',
    primary: '.vR input[type="hidden"][name="to"], .vR input[type="hidden"][name="cc"], .vR input[type="hidden"][name="bcc"]',
    fallback: '.vR span[email]',
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
   * the fallback is the chip's own link to the attachment (`view=att`), whose file name is in `.aV3`.
   */
  icsAttachment: {
    name: 'icsAttachment',
    primary: 'span.aZo[download_url]',
    fallback: 'a.aQy[href*="view=att"]',
  },
} as const satisfies Record<string, TwoWaySelector>;

/** The file name of an attachment chip's link (fallback way of `icsAttachment`). */
export const gmailAttachmentName = '.aV3';

/** `document.title` is "Subject - account@domain - Gmail" (also "Inbox (3) - …"): the address is the last part but one. */
export const gmailTitleAccount = / - ([^\s@]+@[^\s@]+\.[^\s@]+) - [^-]+$/;

/** Gmail's class for a collapsed message (expanded ones carry `h7`). */
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

/** The first element found by the primary way, else by the fallback; a one-sided match is reported. */
export function queryTwoWays(root: ParentNode, selector: TwoWaySelector): Element | null {
  const primary = root.querySelector(selector.primary);
  if (selector.fallback == null) return primary;
  const fallback = root.querySelector(selector.fallback);
  if ((primary == null) !== (fallback == null)) {
    reportMismatch(selector, primary ? 'fallback found nothing' : 'only the fallback matched');
  }
  return primary ?? fallback;
}

/** All elements by the primary way, else by the fallback; a one-sided match is reported. */
export function queryAllTwoWays(root: ParentNode, selector: TwoWaySelector): Element[] {
  const primary = Array.from(root.querySelectorAll(selector.primary));
  if (selector.fallback == null) return primary;
  const fallback = root.querySelectorAll(selector.fallback);
  if ((primary.length === 0) !== (fallback.length === 0)) {
    reportMismatch(selector, primary.length ? 'fallback found nothing' : 'only the fallback matched');
  }
  return primary.length ? primary : Array.from(fallback);
}
