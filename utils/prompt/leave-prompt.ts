/**
 * The leave/send prompt's page side, site-neutral: it listens to the adapter's events (a thread is open, the user
 * left it, a message was sent), asks the background whether to ask, and hands a question to the UI. The rules
 * live in the background (decidePrompt, with the hub's and the outbox's knowledge); this file only keeps track of
 * what the page shows. It never blocks or delays the mail site: every call is fire-and-forget from the adapter's
 * point of view, and the prompt appears whenever the background answers — usually on the next screen.
 */
import { composeDraft, threadDraft } from '../../components/sidebar/people';
import type { Send } from '../../components/sidebar/api';
import type { ComposeContext, LeaveReason, PageContext, ThreadContext } from '../adapters/types';
import type { ConversationCandidate, FollowUpDraft, PromptAnswer, PromptQuestion, PromptVerdict, SettingsView } from '../messaging/protocol';

export interface LeavePromptDeps {
  send: Send;
  /** Shows a question, or takes the prompt away (null). */
  show(question: PromptQuestion | null): void;
  /** Told what the background said about the open thread, so the sidebar can say why it will not ask. */
  onVerdict?(ref: string, verdict: PromptVerdict): void;
  /**
   * When to tell the background about a thread that was opened or left. Not at once: the sidebar's own cache
   * read for the screen now open must paint first (budget 50 ms), without the prompt's requests ahead of it.
   */
  defer?: (run: () => void) => void;
}

const SEEN_DELAY_MS = 300;

const NO_SETTINGS: Pick<SettingsView, 'myAddresses' | 'teamDomains' | 'neverLogAddresses' | 'neverLogDomains'> = {
  myAddresses: [],
  teamDomains: [],
  neverLogAddresses: [],
  neverLogDomains: [],
};

export function createLeavePrompt(deps: LeavePromptDeps) {
  const { send } = deps;
  const defer = deps.defer ?? ((run: () => void) => void setTimeout(run, SEEN_DELAY_MS));
  let current: PromptQuestion | null = null;
  /** Which thread (and which of its people) the background was last told about. */
  let seenKey: string | null = null;

  const quiet = (what: string) => (error: unknown) => console.debug(`[liaison] ${what} failed`, error);

  async function settings() {
    try {
      return await send({ type: 'settings:get' });
    } catch {
      return NO_SETTINGS;
    }
  }

  function threadCandidate(thread: ThreadContext, s: typeof NO_SETTINGS): ConversationCandidate {
    return { trigger: 'thread', draft: threadDraft(thread, s) };
  }

  function present(question: PromptQuestion): void {
    if (current && current.ref === question.ref) return;
    // A newer question replaces an unanswered one, which goes on the Unlogged list rather than vanishing.
    if (current) void send({ type: 'prompt:answer', ref: current.ref, answer: 'dismissed' }).catch(quiet('prompt:answer'));
    current = question;
    deps.show(question);
  }

  return {
    /** The adapter saw the page change: a thread that is open now is remembered (a closed tab lists it). */
    onChange(context: PageContext): void {
      if (context.kind !== 'thread') {
        if (context.kind === 'list') seenKey = null;
        return;
      }
      const thread = context.thread;
      if (thread.participants.length === 0) return;
      // Expanding a message adds people: tell the background again, so the prompt names everyone.
      const key = `${thread.threadId}|${thread.participants.map((p) => p.email).join(',')}`;
      if (key === seenKey) return;
      seenKey = key;
      defer(() => {
        // Already somewhere else: leaving sent the thread along, nothing more to say about it.
        if (seenKey !== key) return;
        void settings()
          .then((s) => send({ type: 'prompt:seen', candidate: threadCandidate(thread, s) }))
          .then((answer) => deps.onVerdict?.(thread.threadId, answer.verdict))
          .catch(quiet('prompt:seen'));
      });
    },

    /** Left by navigation (ask on the next screen) or by the page going away (put on the list, no UI). */
    onThreadLeft(thread: ThreadContext, reason: LeaveReason): void {
      seenKey = null;
      if (reason === 'unload') {
        // The page is going: no time to read settings first. The background has the thread from "seen".
        void send({ type: 'prompt:left', ref: thread.threadId, reason: 'unload' }).catch(quiet('prompt:left'));
        if (current && current.ref !== thread.threadId) {
          void send({ type: 'prompt:left', ref: current.ref, reason: 'unload' }).catch(quiet('prompt:left'));
        }
        return;
      }
      // After the next screen has painted: the question is about the past, the sidebar about what is open now.
      defer(() => {
        void settings()
          .then((s) => send({ type: 'prompt:left', ref: thread.threadId, reason: 'navigation', candidate: threadCandidate(thread, s) }))
          .then((answer) => {
            deps.onVerdict?.(thread.threadId, answer.verdict);
            if (answer.verdict.ask) present(answer.verdict.question);
          })
          .catch(quiet('prompt:left'));
      });
    },

    /** A message went out: "Log this email to Acme?" — after the fact, so the send itself is never held up. */
    onMessageSent(compose: ComposeContext): void {
      if (compose.recipients.length === 0) return;
      void settings()
        .then((s) => {
          const draft = composeDraft(compose, s);
          return send({ type: 'prompt:left', ref: draft.sourceRef, reason: 'sent', candidate: { trigger: 'send', draft } }).then((answer) => ({ answer, ref: draft.sourceRef }));
        })
        .then(({ answer, ref }) => {
          deps.onVerdict?.(ref, answer.verdict);
          if (answer.verdict.ask) present(answer.verdict.question);
        })
        .catch(quiet('prompt:left'));
    },

    /** The user answered the question on screen. */
    async answer(kind: PromptAnswer, extras: { note?: string; outcome?: string; followUp?: FollowUpDraft | null } = {}) {
      if (!current) return { ok: false as const, error: 'no question' };
      const ref = current.ref;
      try {
        const result = await send({
          type: 'prompt:answer',
          ref,
          answer: kind,
          note: extras.note?.trim() ? extras.note : null,
          outcome: extras.outcome || null,
          followUp: extras.followUp ?? null,
        });
        if (!result.ok) return { ok: false as const, error: 'this conversation is no longer waiting to be logged' };
        return { ok: true as const, state: result.state };
      } catch (error) {
        return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
      }
    },

    /** The card is gone (answered and confirmed). */
    closed(): void {
      current = null;
      deps.show(null);
    },

    current: () => current,
  };
}

export type LeavePrompt = ReturnType<typeof createLeavePrompt>;
