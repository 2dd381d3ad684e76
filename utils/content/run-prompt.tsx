/**
 * Mounts the leave/send prompt on a mail page: its own shadow root (so Gmail's and Outlook's styles cannot reach
 * in), a live region that is always in the page (screen readers announce changes only to a region that already
 * exists), the Alt+Shift+L shortcut that brings focus to the card, and the port that tells the background when
 * this tab goes away. Site-neutral: every mail site's content script calls it the same way.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from '#imports';
import { LogPrompt } from '../../components/prompt/LogPrompt';
import { promptQuestionText } from '../../components/prompt/wording';
import type { Send } from '../../components/sidebar/api';
import { t } from '../../components/sidebar/t';
import { PAGE_PORT } from '../background/page-port';
import type { PromptQuestion, PromptVerdict } from '../messaging/protocol';
import { createLeavePrompt, type LeavePrompt } from '../prompt/leave-prompt';
import { mountPersistentHost } from './panel-host';

/** Alt+Shift+L: "answer Liaison". Gmail's own shortcuts use no Alt+Shift combination with L. */
function isPromptShortcut(e: KeyboardEvent): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyL' || e.key.toLowerCase() === 'l');
}

export interface PromptHandle {
  prompt: LeavePrompt;
  /** What the background said about each thread seen (the sidebar shows why it will not ask). */
  verdicts: Map<string, PromptVerdict>;
}

export async function runPrompt(ctx: ContentScriptContext, send: Send, onVerdict: () => void): Promise<PromptHandle> {
  const verdicts = new Map<string, PromptVerdict>();
  let question: PromptQuestion | null = null;
  /** The background's last answer ("ref:reason"), kept on the live region for tests and for support: the
   * one place that says why no prompt appeared. */
  let lastVerdict = '';
  let verdictSeq = 0;
  let container: HTMLElement | null = null;
  let shadow: ShadowRoot | null = null;
  /** Where focus was before Alt+Shift+L took it to the card: it goes back there when the card closes. */
  let returnFocus: HTMLElement | null = null;

  const prompt = createLeavePrompt({
    send,
    show(next) {
      question = next;
      paint();
    },
    onVerdict(ref, verdict) {
      verdicts.set(ref, verdict);
      lastVerdict = `${ref}:${verdict.ask ? 'ask' : verdict.reason}`;
      verdictSeq += 1;
      paint();
      if (verdicts.size > 200) verdicts.delete(verdicts.keys().next().value!);
      onVerdict();
    },
  });

  /** Focus goes back where the user was, but only if it is still in the card (they may have clicked elsewhere). */
  const giveFocusBack = () => {
    const inCard = shadow?.activeElement != null || document.activeElement === document.body;
    if (inCard && returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  };
  const close = () => {
    giveFocusBack();
    prompt.closed();
  };

  function Host({ q, verdict, seq }: { q: PromptQuestion | null; verdict: string; seq: number }) {
    const [announce] = useState(() => (q ? `${promptQuestionText(q)} ${t('prompt_shortcut_hint')}` : ''));
    return (
      <>
        <p class="sr-only" role="status" aria-live="polite" data-liaison="prompt-live" data-verdict={verdict} data-verdict-seq={seq}>
          {q ? announce : ''}
        </p>
        {q && <LogPrompt key={q.ref} question={q} answer={(kind, extras) => prompt.answer(kind, extras)} onClose={close} onAnswered={giveFocusBack} />}
      </>
    );
  }

  function paint() {
    if (container) render(<Host key={question?.ref ?? 'none'} q={question} verdict={lastVerdict} seq={verdictSeq} />, container);
  }

  // Typing a note must not trigger the mail site's shortcuts ("e" archives in Gmail): the host isolates keys.
  const ui = await mountPersistentHost(ctx, 'liaison-prompt', (root, shadowRoot) => {
    container = root;
    shadow = shadowRoot;
    paint();
  });

  window.addEventListener(
    'keydown',
    (e) => {
      if (!question || !isPromptShortcut(e) || !shadow) return;
      // The main action first; while a form is open, its first field.
      const target =
        shadow.querySelector<HTMLElement>('[data-liaison="prompt-log"]:not(:disabled)') ??
        shadow.querySelector<HTMLElement>('[data-liaison="prompt"] textarea, [data-liaison="prompt"] button:not(:disabled)');
      if (!target) return;
      e.preventDefault();
      const active = document.activeElement;
      if (active instanceof HTMLElement && active !== ui.shadowHost) returnFocus = active;
      target.focus();
    },
    { capture: true, signal: ctx.signal },
  );

  connectPagePort(ctx);
  return { prompt, verdicts };
}

/**
 * Holds a port to the background while the page is open: when the tab closes or crashes the port drops, and the
 * background puts what this tab had open on the Unlogged list. When the service worker is killed the port drops
 * from this side: reconnecting wakes the next worker, which then knows this tab is still here.
 */
function connectPagePort(ctx: ContentScriptContext): void {
  let attempts = 0;
  const connect = () => {
    if (ctx.isInvalid) return;
    try {
      const port = browser.runtime.connect({ name: PAGE_PORT });
      port.onDisconnect.addListener(() => {
        if (ctx.isInvalid) return;
        attempts += 1;
        // Quick at first (the worker restarts in moments), then at most once a minute.
        ctx.setTimeout(connect, Math.min(60_000, 500 * 2 ** Math.min(attempts, 7)));
      });
      ctx.onInvalidated(() => port.disconnect());
      ctx.setTimeout(() => (attempts = 0), 30_000);
    } catch {
      // The extension was updated or removed: this content script is finished.
    }
  };
  connect();
}
