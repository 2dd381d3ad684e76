/**
 * The shadow-root host every Liaison panel on a page uses (sidebar, calendar panel): mounted only while there is
 * something to show — silence means the host element is removed, not merely hidden — and isolated from the
 * site's keyboard shortcuts (Gmail: "c" composes, "e" archives) while the user types in our forms.
 */
import { render, type ComponentChild } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import { OUTBOX_VERSION_KEY, SETTINGS_KEY, TEAM_VERSION_KEY } from '../storage/keys';

/** Returns `show`: content to render in the panel, or null to take the panel off the page. */
export async function mountPanelHost(ctx: ContentScriptContext, name: string): Promise<(content: ComponentChild | null) => void> {
  let mounted = false;
  const ui = await createShadowRootUi(ctx, {
    name,
    position: 'inline',
    anchor: 'body',
    append: 'last',
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount: (container) => container,
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });
  return (content) => {
    if (content == null) {
      if (mounted) ui.remove();
      mounted = false;
      return;
    }
    if (!mounted) {
      ui.mount();
      mounted = true;
    }
    if (ui.mounted) render(content, ui.mounted);
  };
}

/**
 * Calls `listener` whenever the background says the outbox or the Unlogged list moved, or the settings changed
 * (Liaison was just connected to a hub), or the hub's data changed (issue 12: a colleague raised a heads-up), until
 * `ctx` ends. A hidden tab revalidates for a hub change when it is shown again, not at once.
 */
export function onOutboxChange(ctx: ContentScriptContext, listener: () => void): void {
  let owed = false;
  const onStorage = (changes: Record<string, { oldValue?: unknown }>) => {
    if (OUTBOX_VERSION_KEY in changes || SETTINGS_KEY in changes) listener();
    else if (changes[TEAM_VERSION_KEY]?.oldValue != null) {
      if (document.visibilityState === 'visible') listener();
      else owed = true;
    }
  };
  document.addEventListener(
    'visibilitychange',
    () => {
      if (owed && document.visibilityState === 'visible') {
        owed = false;
        listener();
      }
    },
    { signal: ctx.signal },
  );
  browser.storage.onChanged.addListener(onStorage);
  ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorage));
}
