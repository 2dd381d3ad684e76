import { defineContentScript } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { runSidebar } from '../../utils/content/run-sidebar';
import { createGmailAdapter } from '../../utils/gmail/gmail-adapter';
import { sendMessage } from '../../utils/messaging/client';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  // Gmail's own frames (hangouts, attachments preview) have nothing for us.
  allFrames: false,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    await runSidebar(ctx, createGmailAdapter(), sendMessage as Send);
  },
});
