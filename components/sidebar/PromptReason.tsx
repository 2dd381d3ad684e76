import type { PromptVerdict } from '../../utils/messaging/protocol';
import type { NoReason } from '../../utils/prompt/decide-prompt';
import { t, type MessageKey } from './t';

/**
 * Why Liaison will not ask to log this thread when the user leaves it — only for reasons the user could not
 * guess from the rest of the sidebar (a logged or queued thread already says so in its status line).
 */
const EXPLAINED: Partial<Record<NoReason, MessageKey>> = {
  'prompt-off': 'prompt_why_prompt_off',
  'never-log': 'prompt_why_never_log',
  'automated-sender': 'prompt_why_automated_sender',
  'already-asked': 'prompt_why_already_asked',
  'unknown-people-only': 'prompt_why_unknown_people_only',
};

export function PromptReason({ verdict }: { verdict: PromptVerdict | undefined }) {
  if (!verdict || verdict.ask) return null;
  const key = EXPLAINED[verdict.reason];
  if (!key) return null;
  return (
    <p class="muted prompt-reason" data-liaison="prompt-reason" data-reason={verdict.reason}>
      {t(key)}
    </p>
  );
}
