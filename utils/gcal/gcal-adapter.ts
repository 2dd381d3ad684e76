import type { InviteContext } from '../adapters/types';
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
  schedule?: (run: () => void, signal: AbortSignal) => void;
}

function scheduleFrame(run: () => void, signal: AbortSignal): void {
  const handle = requestAnimationFrame(run);
  signal.addEventListener('abort', () => cancelAnimationFrame(handle), { once: true });
}

export function createGcalAdapter(options: GcalAdapterOptions = {}): CalendarAdapter {
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  const schedule = options.schedule ?? scheduleFrame;
  const read = () => readEventDialog(doc, win.location.href);

  return {
    site: 'gcal',
    read,
    start(signal, onChange) {
      if (signal.aborted) return;
      let pending = false;
      let lastKey = 'null';
      const detect = () => {
        pending = false;
        if (signal.aborted) return;
        const invite = read();
        const key = JSON.stringify(invite);
        if (key === lastKey) return;
        lastKey = key;
        try {
          onChange(invite);
        } catch (error) {
          console.debug('[liaison] calendar handler failed', error);
        }
      };
      const request = () => {
        if (pending || signal.aborted) return;
        pending = true;
        schedule(detect, signal);
      };
      const observer = new MutationObserver(request);
      // Calendar fills the bubble in place (guests arrive after the title); attribute changes of the ids matter.
      observer.observe(doc.body ?? doc.documentElement, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['data-eventid', 'data-is-create', 'data-hovercard-id', 'data-email'],
      });
      signal.addEventListener('abort', () => observer.disconnect(), { once: true });
      win.addEventListener('popstate', request, { signal });
      detect();
    },
  };
}
