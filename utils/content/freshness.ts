/**
 * "Fresh enough to matter" (issue 12): every 30 s while the page is visible, and when it is shown again, ask the
 * background whether the hub's change counter moved. The background asks the hub at most once per 20 s for all tabs
 * together, by ETag (a 304 when nothing moved); when it moved, it writes TEAM_VERSION_KEY and every open page
 * revalidates what it shows (see onOutboxChange), so a heads-up a colleague raised appears within a minute without a
 * reload. Why polling rather than a stream of server-sent events: see the README ("Fresh enough to matter").
 *
 * The timer lives in the page, not in the service worker: the worker may be killed at any moment, and a page's
 * message wakes it. A hidden tab asks nothing (Chrome would throttle it anyway) and catches up when shown.
 */
import type { ContentScriptContext } from '#imports';
import type { Send } from '../../components/sidebar/api';

export const CHECK_EVERY_MS = 30_000;

export function pollTeamChanges(ctx: ContentScriptContext, send: Send): void {
  const check = () => {
    if (document.visibilityState !== 'visible' || ctx.isInvalid) return;
    send({ type: 'changes:check' }).catch((e: unknown) => console.debug('[liaison] change check failed', e));
  };
  ctx.setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', check, { signal: ctx.signal });
  check();
}
