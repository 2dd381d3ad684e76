/**
 * The heads-up beside a compose window (issue 12): when someone the message goes to has an open heads-up of a kind
 * that matters before writing (do not contact, open service issue, billing issue, churn risk), it says so — who
 * raised it, when, the note — next to the form being written. It never blocks, delays or changes the send: it is a
 * card beside the window, nothing in the form. "Do not contact" leads and is shown most prominently.
 */
import { FLAG_KINDS_BEFORE_WRITING, type Flag, type LookupResult } from '../../shared/wire-types';
import type { Box, ComposeContext } from '../../utils/adapters/types';
import { byUrgency, HeadsUpBody, isOpen } from '../sidebar/HeadsUps';
import { departmentLabel, flagLabel, relativeTime } from '../sidebar/format';
import { isoList, tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';

const BEFORE_WRITING = new Set<string>(FLAG_KINDS_BEFORE_WRITING);

/** A heads-up for a compose window, and the recipient (or recipients, for a company's) it is about. */
export interface ComposeWarning {
  flag: Flag;
  names: string[];
}

/** The heads-ups that matter before writing to these recipients: one entry per heads-up, most urgent first. */
export function warningsFor(compose: ComposeContext, known: (email: string) => LookupResult | undefined, now = Date.now()): ComposeWarning[] {
  const byId = new Map<string, ComposeWarning>();
  for (const person of compose.recipients) {
    const contact = known(person.email)?.contact;
    for (const flag of contact?.openFlags ?? []) {
      if (!BEFORE_WRITING.has(flag.kind) || !isOpen(flag, now)) continue;
      const name = contact?.name ?? person.name ?? person.email;
      const seen = byId.get(flag.id);
      // A company's heads-up names everyone at that company the message goes to, once.
      if (seen) seen.names.push(name);
      else byId.set(flag.id, { flag, names: [name] });
    }
  }
  return [...byId.values()].sort((a, b) => byUrgency(a.flag, b.flag));
}

/** What a screen reader hears when a warning first appears (the card itself never takes focus). */
export function announcement(w: ComposeWarning): string {
  const f = w.flag;
  const parts = [t('compose_headsup_announce', w.names.join(', '), flagLabel(f.kind), f.setBy.name, departmentLabel(f.setBy.department), relativeTime(f.setAt))];
  if (f.note) parts.push(f.note);
  return parts.join(' ');
}

/**
 * Beside the window, never over it: to its left where there is room (a popup docked at the bottom right), else under
 * it where the page has room (an inline reply at the end of a thread), else above it; kept inside the viewport.
 * Fixed positioning: the card follows the window, and the page's own layout is untouched.
 */
export function placeBeside(box: Box, viewport: { width: number; height: number }, width = 300): Record<string, string> {
  const gap = 8;
  if (box.left >= width + 2 * gap) return { left: `${box.left - width - gap}px`, bottom: `${Math.max(gap, viewport.height - (box.top + box.height))}px` };
  const left = `${Math.min(Math.max(gap, box.left), Math.max(gap, viewport.width - width - gap))}px`;
  const below = viewport.height - (box.top + box.height);
  if (below >= 220 || box.top <= 160) return { left, top: `${Math.min(box.top + box.height + gap, viewport.height - 160)}px` };
  return { left, bottom: `${viewport.height - box.top + gap}px` };
}

export function ComposeHeadsUp(props: { warnings: ComposeWarning[]; place: Record<string, string>; onHide(): void }) {
  const dnc = props.warnings.some((w) => w.flag.kind === 'do-not-contact');
  return (
    <section
      class={dnc ? 'chu chu--dnc' : 'chu'}
      style={props.place}
      role="region"
      aria-label={t('compose_headsup_name')}
      data-liaison="compose-heads-up"
      data-kinds={props.warnings.map((w) => w.flag.kind).join(' ')}
    >
      <h2 class="chu__title">{t(dnc ? 'compose_headsup_dnc' : 'compose_headsup_title')}</h2>
      <ul class="flags">
        {props.warnings.map((w) => (
          <li key={w.flag.id} class={`flag flag--${w.flag.kind}`}>
            <span class="chu__who">{tx('compose_headsup_to', isoList(w.names))}</span>
            <HeadsUpBody flag={w.flag} />
          </li>
        ))}
      </ul>
      <button type="button" class="button button--quiet" onClick={props.onHide}>
        {t('compose_headsup_hide')}
      </button>
    </section>
  );
}
