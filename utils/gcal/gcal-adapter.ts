import type { InviteContext } from '../adapters/types';
import { scheduleFrame, watchValue, type Schedule, type WatchOptions } from '../adapters/watch-page';
import { readEventDialog } from './read-event';

/**
 * Google Calendar has no threads: what Liaison reads there is the event whose details are open. The adapter
 * watches the page, coalesces mutation bursts into one read per frame, and reports only changes — null when
 * no event is open, so the feature can remove itself. Everything it starts stops with `signal`.
 */
export interface CalendarAdapter {
  readonly site: 'gcal';
  start(signal: AbortSignal, onChange: (invite: InviteContext | null) => void): void;
  read(): InviteContext | null;
}

export interface GcalAdapterOptions {
  doc?: Document;
  win?: Window;
  schedule?: Schedule;
}

export function createGcalAdapter(options: GcalAdapterOptions = {}): CalendarAdapter {
  const watch: WatchOptions = {
    doc: options.doc ?? document,
    win: options.win ?? window,
    schedule: options.schedule ?? scheduleFrame,
    // Calendar fills the bubble in place (guests arrive after the title); attribute changes of the ids matter.
    attributeFilter: ['data-eventid', 'data-is-create', 'data-hovercard-id', 'data-email'],
    navigationEvent: 'popstate',
  };
  const read = () => readEventDialog(watch.doc, watch.win.location.href);
  return {
    site: 'gcal',
    read,
    start: (signal, onChange) => watchValue(watch, signal, read, onChange),
  };
}
