/**
 * Every Outlook on the web selector Liaison uses, in one place (mail and calendar, on outlook.office.com,
 * outlook.office365.com, outlook.live.com and outlook.cloud.microsoft). Outlook's class names are generated at build time and change with
 * every release, so nothing here keys on a class; and its aria-labels are translated, so nothing keys on label
 * text either. What is left, and what maintained extensions (Mailvelope, Briskine, Toggl, Clockify) rely on:
 * roles, element ids, `data-app-section` / `data-testid` / `data-*` attributes and the aria structure.
 *
 * As in the Gmail adapter, each element is found two ways where Outlook offers two; when only one way finds
 * it, Outlook has probably changed, and we say so once through console.debug — never an error in the page.
 *
 * Dated as verified against test/fixtures/outlook/2026-11-*.html, written by us from DESIGN.md's notes. Facts
 * from those notes: `[role=main]`, `#ReadingPaneContainerId` (present even when empty) inside
 * `[data-app-section="MailReadCompose"][role=main]`, list rows `[role=option][data-convid]`, `[role=heading][title]`,
 * `[data-app-section="Form_Content"]`, `[data-testid="ComposeSendButton"]`, `[data-selection-index]`, persona
 * "Name <address>" in `title`/`aria-label`. 2026 pages have no `[data-app-section="ReadingPane"]`, and a URL
 * ending in `/id/<conversation id>` may show an empty reading pane. Everything else below is marked ASSUMED:
 * structure we expect from those facts, to be checked against a live page first when Outlook changes.
 */
import type { TwoWaySelector } from '../gmail/selectors';

export const outlookSelectors = {
  /** The app's main region: message list and reading pane live under it; the suite header does not. */
  main: { name: 'main', primary: '[role="main"]', fallback: null },

  /**
   * The reading pane (on the right or at the bottom; with the pane off, the open conversation takes its place
   * in the main region). Its id has been stable for years and is there even when the pane is empty. The second
   * way is the read/compose region that holds it (`data-app-section="MailReadCompose"` on the main role): where
   * the id goes, the conversation is looked for in that region. (`data-app-section="ReadingPane"`, the old second
   * way, is gone from 2026 pages.)
   */
  readingPane: { name: 'readingPane', primary: '#ReadingPaneContainerId', fallback: '[data-app-section="MailReadCompose"][role="main"]' },

  /**
   * The open conversation. ASSUMED: `data-app-section="ConversationContainer"` carries the conversation id
   * (`data-convid`, as the message list's rows do); the subject heading is the second way to it.
   */
  conversation: {
    name: 'conversation',
    primary: '[data-app-section="ConversationContainer"]',
    fallback: '[data-convid] [role="heading"][title]',
  },

  /** The conversation's subject: a heading whose `title` is the full subject (the text may be cut short). */
  subject: { name: 'subject', primary: '[role="heading"][title]', fallback: '[role="heading"][aria-level]' },

  /**
   * The selected row of the message list: its `data-convid` is the conversation's id (second source of the id).
   * A click selects the row before the conversation is rendered, so a selected row naming the URL's conversation
   * over an empty pane means "opening", where an empty pane with nothing selected means "none open".
   */
  selectedRow: { name: 'selectedRow', primary: '[role="option"][aria-selected="true"][data-convid]', fallback: null },

  /**
   * One message of the conversation, expanded or collapsed (ASSUMED: a listitem with `data-item-id` and
   * `aria-expanded`), looked up inside the open conversation: by its role, or the second way by its item id.
   */
  message: { name: 'message', primary: '[role="listitem"][aria-expanded]', fallback: '[data-item-id]' },

  /** The sender persona: "Name <address>" in its `title` (ASSUMED test id; the From section is the second way). */
  sender: { name: 'sender', primary: '[data-testid="SenderPersona"]', fallback: '[data-app-section="From"] [title*="@"]' },

  /** To recipients: persona elements in the To section (ASSUMED section names, as Outlook's own headers). */
  toRecipients: {
    name: 'toRecipients',
    primary: '[data-app-section="To"] [data-testid="RecipientPersona"]',
    fallback: '[data-app-section="To"] [title*="@"]',
  },

  /** Cc and Bcc recipients (Bcc shows on the user's own sent mail): counted as cc. */
  ccRecipients: {
    name: 'ccRecipients',
    primary: '[data-app-section="Cc"] [data-testid="RecipientPersona"], [data-app-section="Bcc"] [data-testid="RecipientPersona"]',
    fallback: '[data-app-section="Cc"] [title*="@"], [data-app-section="Bcc"] [title*="@"]',
  },

  /** The message's date: ASSUMED a `time[datetime]` (the visible text is locale text, never parsed). */
  messageDate: { name: 'messageDate', primary: '[data-testid="SentReceivedSavedTime"]', fallback: 'time[datetime]' },

  /**
   * A compose form: new message, inline reply, or the form of a pop-out compose window. The Send button is the
   * second way (its nearest form, dialog or region is the compose form).
   */
  composeRoot: { name: 'composeRoot', primary: '[data-app-section="Form_Content"]', fallback: '[data-testid="ComposeSendButton"]' },

  /**
   * Send. The test id is what Outlook's own tests use; the form's submit button is the second way. Never the
   * label text ("Send", "Senden"…), and never the split button's "more options" arrow (it has a popup).
   */
  composeSend: {
    name: 'composeSend',
    primary: '[data-testid="ComposeSendButton"]',
    fallback: '[data-app-section="Form_Content"] button[type="submit"]:not([aria-haspopup])',
  },

  /** Recipient chips in To, Cc and Bcc: each has `data-selection-index`; "Name <address>" is in a `title`. */
  composeChip: { name: 'composeChip', primary: '[data-selection-index]', fallback: '[role="listbox"] [title*="@"]' },

  /** The subject box: the form's one plain text input (the recipient inputs are comboboxes). */
  composeSubject: {
    name: 'composeSubject',
    primary: 'input[type="text"]:not([role="combobox"])',
    fallback: 'input[maxlength="255"]',
  },

  /**
   * The signed-in account: the Microsoft account control's secondary line holds the address (its primary line
   * is the name). ASSUMED second way: a `title` with an address inside the account control's trigger.
   */
  account: { name: 'account', primary: '#mectrl_currentAccount_secondary', fallback: '#O365_MainLink_Me [title*="@"]' },

  // ---- Meetings: the calendar's open event, and invitations in the reading pane (ASSUMED markup) --------------

  /**
   * The open calendar event: the peek card over the calendar, or the full event view (`/calendar/item/<id>`).
   * Both are sections named by `data-app-section`; a dialog is the second way (it must hold a titled heading).
   */
  calendarEvent: {
    name: 'calendarEvent',
    primary: '[data-app-section="CalendarItemPeek"], [data-app-section="CalendarItemView"]',
    fallback: '[role="dialog"]',
  },

  /** A meeting request's card inside a message (Accept / Tentative / Decline above the event's details). */
  inviteCard: { name: 'inviteCard', primary: '[data-app-section="MeetingRequest"]', fallback: null },

  /** The event's start and end, machine-readable (`datetime`); the visible text is locale text, never parsed. */
  eventTimes: { name: 'eventTimes', primary: '[data-app-section="EventTime"] time[datetime]', fallback: 'time[datetime]' },

  /** The organizer's persona. */
  organizer: { name: 'organizer', primary: '[data-app-section="Organizer"] [title*="@"]', fallback: null },

  /**
   * One attendee with their response. `data-response` holds Exchange's response type (Accept, Decline,
   * Tentative, NoResponseReceived, Organizer; Graph spells them accepted, declined, tentativelyAccepted,
   * notResponded, organizer): the untranslated fact behind the translated "Accepted" heading.
   */
  attendee: {
    name: 'attendee',
    primary: '[data-app-section="Attendees"] [data-response]',
    fallback: '[data-app-section="Attendees"] [title*="@"]',
  },

  /** An .ics attachment offered for download on Outlook's own origin. */
  icsAttachment: { name: 'icsAttachment', primary: 'a[href][download$=".ics" i]', fallback: null },
} as const satisfies Record<string, TwoWaySelector>;

const reported = new Set<string>();

function report(selector: TwoWaySelector, detail: string): void {
  if (reported.has(selector.name)) return;
  reported.add(selector.name);
  console.debug(`[liaison] Outlook markup changed? ${selector.name}: ${detail}`);
}

/** For tests: forget which mismatches were reported. */
export function resetOutlookMismatchReports(): void {
  reported.clear();
}

/** The first element by the primary way, else by the fallback; a one-sided match is reported once. */
export function outlookQuery(root: ParentNode, selector: TwoWaySelector): Element | null {
  const primary = root.querySelector(selector.primary);
  if (selector.fallback == null) return primary;
  const fallback = root.querySelector(selector.fallback);
  if ((primary == null) !== (fallback == null)) report(selector, primary ? 'fallback found nothing' : 'only the fallback matched');
  return primary ?? fallback;
}

/** All elements by the primary way, else by the fallback; a one-sided match is reported once. */
export function outlookQueryAll(root: ParentNode, selector: TwoWaySelector): Element[] {
  const primary = Array.from(root.querySelectorAll(selector.primary));
  if (selector.fallback == null) return primary;
  const fallback = root.querySelectorAll(selector.fallback);
  if ((primary.length === 0) !== (fallback.length === 0)) report(selector, primary.length ? 'fallback found nothing' : 'only the fallback matched');
  return primary.length ? primary : Array.from(fallback);
}
