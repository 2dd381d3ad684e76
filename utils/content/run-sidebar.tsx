/**
 * Wires a mail site's adapter to the sidebar and the leave/send prompt. Site-neutral: the adapter alone knows
 * the page's markup, so each mail site's content script is the adapter plus this call. Everything started here
 * ends with WXT's `ctx` (navigation away, extension update).
 */
import type { ContentScriptContext } from '#imports';
import type { Send } from '../../components/sidebar/api';
import { Sidebar } from '../../components/sidebar/Sidebar';
import '../../components/sidebar/sidebar.css';
import '../../components/prompt/prompt.css';
import type { PageContext, SiteAdapter } from '../adapters/types';
import { pollTeamChanges } from './freshness';
import { mountPanelHost, onOutboxChange } from './panel-host';
import { runComposeHeadsUps } from './run-compose-heads-up';
import { runPrompt, type PromptHandle } from './run-prompt';

/** Wiring only: the adapter reads, the background answers, the sidebar renders. Everything ends with `ctx`. */
export async function runSidebar(ctx: ContentScriptContext, adapter: SiteAdapter, send: Send): Promise<void> {
  let context: PageContext = { kind: 'none' };
  // The leave/send prompt (issue 4): asks before a customer conversation slips away; the sidebar shows why not.
  let prompt: PromptHandle | null = null;
  let refreshKey = 0;
  let reportedAccount: string | null = null;

  const show = await mountPanelHost(ctx, 'liaison-sidebar');

  // Issue 12: the heads-up beside compose windows knows whatever the sidebar's lookups learn (the thread's people at
  // once, every recipient from the hub, again after each change at the hub): both keep the page's one memory of
  // answers (components/sidebar/page-memory.ts, found by `send`), and a poll keeps it fresh.
  const headsUps = await runComposeHeadsUps(ctx, adapter, send);

  const paint = () => {
    const visible = context.kind === 'thread' || (context.kind === 'list' && context.composes.length > 0);
    show(
      visible ? (
        <Sidebar
          context={context}
          send={send}
          refreshKey={refreshKey}
          readNow={() => adapter.read()}
          account={adapter.readAccount()}
          promptVerdict={context.kind === 'thread' ? prompt?.verdicts.get(context.thread.threadId) : undefined}
        />
      ) : null,
    );
  };

  const reportAccount = () => {
    const account = adapter.readAccount();
    if (!account || account === reportedAccount) return;
    reportedAccount = account;
    send({ type: 'account:detected', email: account, site: adapter.site }).catch((e: unknown) =>
      console.debug('[liaison] account report failed', e),
    );
  };

  onOutboxChange(ctx, () => {
    refreshKey += 1;
    paint();
  });
  pollTeamChanges(ctx, send);

  prompt = await runPrompt(ctx, send, () => paint());
  const leave = prompt.prompt;

  adapter.start(ctx.signal, {
    onChange(next) {
      context = next;
      // First: a heads-up for a recipient already known is painted in this very pass.
      headsUps.onChange(next);
      reportAccount();
      paint();
      leave.onChange(next);
    },
    onThreadLeft: (thread, reason) => leave.onThreadLeft(thread, reason),
    onMessageSent: (compose) => leave.onMessageSent(compose),
  });
}
