/**
 * Wires a mail site's adapter to the sidebar and the leave/send prompt. Site-neutral: the adapter alone knows
 * the page's markup, so each mail site's content script is the adapter plus this call. Everything started here
 * ends with WXT's `ctx` (navigation away, extension update).
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { Sidebar } from '../../components/sidebar/Sidebar';
import '../../components/sidebar/sidebar.css';
import '../../components/prompt/prompt.css';
import type { PageContext, SiteAdapter } from '../adapters/types';
import { runPrompt, type PromptHandle } from './run-prompt';

/** The background bumps this key whenever the outbox changes, so "Queued" turns into "Logged" by itself. */
export const OUTBOX_VERSION_KEY = 'liaison:outboxVersion';

/** Wiring only: the adapter reads, the background answers, the sidebar renders. Everything ends with `ctx`. */
export async function runSidebar(ctx: ContentScriptContext, adapter: SiteAdapter, send: Send): Promise<void> {
  let context: PageContext = { kind: 'none' };
  // The leave/send prompt (issue 4): asks before a customer conversation slips away; the sidebar shows why not.
  let prompt: PromptHandle | null = null;
  let refreshKey = 0;
  let mounted = false;
  let reportedAccount: string | null = null;

  const ui = await createShadowRootUi(ctx, {
    name: 'liaison-sidebar',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // Keys typed in our forms must not reach the site's keyboard shortcuts (Gmail: "c" = compose, "e" = archive).
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount: (container) => container,
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });

  const paint = () => {
    const visible = context.kind === 'thread' || (context.kind === 'list' && context.composes.length > 0);
    // Silence when there is nothing for us: the host element is removed, not merely hidden.
    if (!visible) {
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
        <Sidebar
          context={context}
          send={send}
          refreshKey={refreshKey}
          readNow={() => adapter.read()}
          promptVerdict={context.kind === 'thread' ? prompt?.verdicts.get(context.thread.threadId) : undefined}
        />,
        container,
      );
    }
  };

  const reportAccount = () => {
    const account = adapter.readAccount();
    if (!account || account === reportedAccount) return;
    reportedAccount = account;
    send({ type: 'account:detected', email: account, site: adapter.site }).catch((e: unknown) =>
      console.debug('[liaison] account report failed', e),
    );
  };

  const onStorage = (changes: Record<string, unknown>) => {
    if (!(OUTBOX_VERSION_KEY in changes)) return;
    refreshKey += 1;
    paint();
  };
  browser.storage.onChanged.addListener(onStorage);
  ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorage));

  prompt = await runPrompt(ctx, send, () => paint());
  const leave = prompt.prompt;

  adapter.start(ctx.signal, {
    onChange(next) {
      context = next;
      reportAccount();
      paint();
      leave.onChange(next);
    },
    onThreadLeft: (thread, reason) => leave.onThreadLeft(thread, reason),
    onMessageSent: (compose) => leave.onMessageSent(compose),
  });
}
