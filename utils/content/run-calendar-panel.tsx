/**
 * Wires a calendar adapter (the open event, as an invite context) to the attendance feature in a panel beside
 * it, in its own shadow root. Site-neutral: the Outlook calendar uses it; the adapter alone knows the markup.
 * Nothing is added to the page while no event's details are open. Everything started here ends with `ctx`.
 */
import type { ContentScriptContext } from '#imports';
import { MeetingPanel } from '../../components/attendance/MeetingPanel';
import type { Send } from '../../components/sidebar/api';
import '../../components/sidebar/sidebar.css';
import '../../components/attendance/attendance.css';
import { t } from '../../components/sidebar/t';
import type { InviteContext } from '../adapters/types';
import { mountPanelHost, onOutboxChange } from './panel-host';

/** What the panel needs of a calendar adapter: the open event now and on every change, null when none. */
export interface CalendarSource {
  start(signal: AbortSignal, onChange: (invite: InviteContext | null) => void): void;
}

export async function runCalendarPanel(ctx: ContentScriptContext, adapter: CalendarSource, send: Send): Promise<void> {
  let invite: InviteContext | null = null;
  let refreshKey = 0;

  const show = await mountPanelHost(ctx, 'liaison-calendar');

  const paint = () =>
    show(
      invite ? (
        <aside class="calendar-panel" role="complementary" aria-label={t('attendance_calendar_panel')} data-liaison="calendar-panel">
          <MeetingPanel invites={[invite]} send={send} refreshKey={refreshKey} />
        </aside>
      ) : null,
    );

  onOutboxChange(ctx, () => {
    refreshKey += 1;
    paint();
  });

  adapter.start(ctx.signal, (next) => {
    invite = next;
    paint();
  });
}
