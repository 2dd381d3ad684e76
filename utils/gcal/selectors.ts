/**
 * Every Google Calendar selector Liaison uses, in one place, found two ways where Calendar offers two (as the
 * Gmail adapter does; a one-sided match is reported once through console.debug as an early warning of a
 * Calendar change). Calendar's class names are minified and change; the ids of the details bubble (#xDetDlg…,
 * #rAECCd) have been stable for years and are what maintained extensions (Toggl, Clockify) key on.
 *
 * Dated as verified against test/fixtures/gcal/2026-11-event-dialog.html (written from DESIGN.md's notes; what
 * is assumed rather than known is said there).
 */
import type { TwoWaySelector } from '../gmail/selectors';

export const gcalSelectors = {
  /**
   * The open event's details bubble. `data-chips-dialog` marks Calendar's event bubbles; a bare
   * `[role=dialog]` is the fallback (the detail view inside it decides whether it is an event's details).
   */
  eventDialog: { name: 'eventDialog', primary: '[role="dialog"][data-chips-dialog="true"]', fallback: '[role="dialog"]' },

  /** The details view of an existing event (a create dialog has `data-is-create="true"`). */
  detailView: { name: 'detailView', primary: '#xDetDlg', fallback: '[data-is-create="false"]' },

  /** The event's title: its heading, by id, or the first heading in the bubble. */
  title: { name: 'title', primary: '#rAECCd', fallback: '[role="heading"]' },

  /** The time as Calendar shows it ("Thursday, November 19 ⋅ 2:00 – 3:00pm"): text only, no machine-readable time. */
  when: { name: 'when', primary: '#xDetDlgWhen', fallback: null },

  /**
   * One guest row with the address: `data-hovercard-id` (Google's people chips) or `data-email` (what calendar
   * extensions read). Only inside the guest section, so the organizer's calendar row and the account menu are
   * not mistaken for guests.
   */
  guest: { name: 'guest', primary: '#xDetDlgAtt [data-hovercard-id]', fallback: '#xDetDlgAtt [data-email]' },

  /** The event id ("eid": base64url of "<event id> <calendar address>") on the bubble, as on grid chips. */
  eventId: { name: 'eventId', primary: '[data-eventid]', fallback: null },
} as const satisfies Record<string, TwoWaySelector>;

/** Addresses Calendar lists among guests that are not people: meeting rooms and group calendars. */
export const GCAL_NOT_PEOPLE = /@(resource|group)\.calendar\.google\.com$/i;

const reported = new Set<string>();

function report(selector: TwoWaySelector, detail: string): void {
  if (reported.has(selector.name)) return;
  reported.add(selector.name);
  console.debug(`[liaison] Calendar markup changed? ${selector.name}: ${detail}`);
}

/** For tests: forget which mismatches were reported. */
export function resetGcalMismatchReports(): void {
  reported.clear();
}

export function gcalQuery(root: ParentNode, selector: TwoWaySelector): Element | null {
  const primary = root.querySelector(selector.primary);
  if (selector.fallback == null) return primary;
  const fallback = root.querySelector(selector.fallback);
  if ((primary == null) !== (fallback == null)) report(selector, primary ? 'fallback found nothing' : 'only the fallback matched');
  return primary ?? fallback;
}

export function gcalQueryAll(root: ParentNode, selector: TwoWaySelector): Element[] {
  const primary = Array.from(root.querySelectorAll(selector.primary));
  if (selector.fallback == null) return primary;
  const fallback = root.querySelectorAll(selector.fallback);
  if ((primary.length === 0) !== (fallback.length === 0)) report(selector, primary.length ? 'fallback found nothing' : 'only the fallback matched');
  return primary.length ? primary : Array.from(fallback);
}
