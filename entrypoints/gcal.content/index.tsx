import { defineContentScript } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { runCalendarPanel } from '../../utils/content/run-calendar-panel';
import { createGcalAdapter } from '../../utils/gcal/gcal-adapter';
import { sendMessage } from '../../utils/messaging/client';

/**
 * Google Calendar: the open event's details feed attendance capture in a panel beside the bubble. Wiring only:
 * the adapter reads the event, the shared calendar panel renders it; nothing is added while no event is open.
 */
export default defineContentScript({
  matches: ['https://calendar.google.com/*'],
  allFrames: false,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    await runCalendarPanel(ctx, createGcalAdapter(), sendMessage as Send);
  },
});
