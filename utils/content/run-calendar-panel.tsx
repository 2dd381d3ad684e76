/**
 * Wires a calendar adapter (the open event, as an invite context) to the attendance feature in a panel beside
 * it, in its own shadow root. Site-neutral: the Outlook calendar uses it; the adapter alone knows the markup.
 * Nothing is added to the page while no event's details are open. Everything started here ends with `ctx`.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import { MeetingPanel } from '../../components/attendance/MeetingPanel';
import type { Send } from '../../components/sidebar/api';
import '../../components/sidebar/sidebar.css';
import '../../components/attendance/attendance.css';
import { t } from '../../components/sidebar/t';
import type { InviteContext } from '../adapters/types';
import { OUTBOX_VERSION_KEY } from './run-sidebar';

/** What the panel needs of a calendar adapter: the open event now and on every change, null when none. */
export interface CalendarSource {
  start(signal: AbortSignal, onChange: (invite: InviteContext | null) => void): void;
}

export async function runCalendarPanel(ctx: ContentScriptContext, adapter: CalendarSource, send: Send): Promise<void> {
  let invite: InviteContext | null = null;
  let refreshKey = 0;
  let mounted = false;

  const ui = await createShadowRootUi(ctx, {
    name: 'liaison-calendar',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // The calendar's single-key shortcuts must not fire while typing in our panel.
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
