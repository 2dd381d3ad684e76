import { defineContentScript } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { runCalendarPanel } from '../../utils/content/run-calendar-panel';
import { runSidebar } from '../../utils/content/run-sidebar';
import { sendMessage } from '../../utils/messaging/client';
import { OUTLOOK_HOST_PATTERNS } from '../../utils/manifest';
import { createOutlookAdapter, createOutlookCalendarAdapter } from '../../utils/outlook/outlook-adapter';

export default defineContentScript({
  matches: [...OUTLOOK_HOST_PATTERNS],
  // Outlook's frames (the compose editor's, attachment previews) have nothing for us; pop-out windows are
  // top-level pages of their own and get their own instance.
  allFrames: false,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    const send = sendMessage as Send;
    // Mail and calendar are one app on one host: the mail adapter is silent on calendar routes and the
    // calendar adapter on mail routes, so both run and each shows up only where it has something.
    await Promise.all([runSidebar(ctx, createOutlookAdapter(), send), runCalendarPanel(ctx, createOutlookCalendarAdapter(), send)]);
  },
});
