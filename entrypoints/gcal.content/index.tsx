import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi, defineContentScript, type ContentScriptContext } from '#imports';
import { MeetingPanel } from '../../components/attendance/MeetingPanel';
import type { Send } from '../../components/sidebar/api';
import '../../components/sidebar/sidebar.css';
import '../../components/attendance/attendance.css';
import { t } from '../../components/sidebar/t';
import type { InviteContext } from '../../utils/adapters/types';
import { createGcalAdapter, type CalendarAdapter } from '../../utils/gcal/gcal-adapter';
import { sendMessage } from '../../utils/messaging/client';

/** The background bumps this key whenever the outbox changes (see the Gmail content script). */
const OUTBOX_VERSION_KEY = 'liaison:outboxVersion';

export default defineContentScript({
  matches: ['https://calendar.google.com/*'],
  allFrames: false,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    await runCalendarPanel(ctx, createGcalAdapter(), sendMessage as Send);
  },
});

/**
 * Wiring only: the Calendar adapter reads the open event, the attendance feature renders beside it in a shadow
 * root. Nothing is added to the page while no event's details are open.
 */
async function runCalendarPanel(ctx: ContentScriptContext, adapter: CalendarAdapter, send: Send): Promise<void> {
  let invite: InviteContext | null = null;
  let refreshKey = 0;
  let mounted = false;

  const ui = await createShadowRootUi(ctx, {
    name: 'liaison-calendar',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // Calendar's single-key shortcuts ("c" creates an event) must not fire while typing in our panel.
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount: (container) => container,
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });

  const paint = () => {
    if (!invite) {
      if (mounted) ui.remove();
      mounted = false;
      return;
    }
    if (!mounted) {
      ui.mount();
      mounted = true;
    }
    const container = ui.mounted;
    if (container) {
      render(
        <aside class="calendar-panel" role="complementary" aria-label={t('attendance_calendar_panel')} data-liaison="calendar-panel">
          <MeetingPanel invites={[invite]} send={send} refreshKey={refreshKey} />
        </aside>,
        container,
      );
    }
  };

  const onStorage = (changes: Record<string, unknown>) => {
    if (!(OUTBOX_VERSION_KEY in changes)) return;
    refreshKey += 1;
    paint();
  };
  browser.storage.onChanged.addListener(onStorage);
  ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorage));

  adapter.start(ctx.signal, (next) => {
    invite = next;
    paint();
  });
}
