/**
 * The shadow-root host every Liaison panel on a page uses (sidebar, calendar panel): mounted only while there is
 * something to show — silence means the host element is removed, not merely hidden — and isolated from the
 * site's keyboard shortcuts (Gmail: "c" composes, "e" archives) while the user types in our forms.
 */
import { render, type ComponentChild } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import { OUTBOX_VERSION_KEY, SETTINGS_KEY, TEAM_VERSION_KEY } from '../storage/keys';

/** Where and how every Liaison host sits: last in the body, keys typed inside never reaching the site. */
function hostOptions(name: string) {
  return {
    name,
    position: 'inline' as const,
    anchor: 'body',
    append: 'last' as const,
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onRemove: (container: HTMLElement | undefined) => {
      if (container) render(null, container);
    },
  };
}

/** Returns `show`: content to render in the panel, or null to take the panel off the page. */
export async function mountPanelHost(ctx: ContentScriptContext, name: string): Promise<(content: ComponentChild | null) => void> {
  let mounted = false;
  const ui = await createShadowRootUi(ctx, { ...hostOptions(name), onMount: (container) => container });
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
 * A host that stays on the page for as long as the content script runs, for what keeps a live region (the leave
 * prompt, the heads-up at compose): a screen reader announces changes only to a region that already exists.
 * `onMount` gets the container to render into; the returned UI gives the shadow host.
 */
export async function mountPersistentHost(ctx: ContentScriptContext, name: string, onMount: (container: HTMLElement, shadow: ShadowRoot) => void) {
  const ui = await createShadowRootUi(ctx, {
    ...hostOptions(name),
    onMount: (container, shadow) => {
      onMount(container, shadow);
      return container;
    },
  });
  ui.mount();
  return ui;
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
