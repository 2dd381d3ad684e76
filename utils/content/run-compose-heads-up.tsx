/**
 * Mounts the heads-up beside compose windows (components/compose/ComposeHeadsUp.tsx) on a mail page (issue 12).
 * Site-neutral: the adapter reads each compose window's recipients and says where the window is on screen; this asks
 * the background about recipients it has not seen (the IndexedDB cache first, then the hub) and paints in the same
 * turn as the answer. A recipient already known on this page paints in the very pass that read the chip.
 *
 * Two live regions are in the page from the start (screen readers announce changes only to a region that already
 * exists): polite for a heads-up, assertive for "do not contact". The card never takes focus and never touches the
 * compose form or its Send: it is a fixed card beside the window, in its own shadow root.
 */
import { render } from 'preact';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import { announcement, ComposeHeadsUp, placeBeside, warningsFor, type ComposeWarning } from '../../components/compose/ComposeHeadsUp';
import '../../components/compose/compose.css';
import type { Send } from '../../components/sidebar/api';
import type { LookupResult } from '../../shared/wire-types';
import type { ComposeContext, PageContext, SiteAdapter } from '../adapters/types';

export interface ComposeHeadsUps {
  onChange(context: PageContext): void;
  /** Something may have changed at the hub (a colleague's heads-up, our own queued change): ask again. */
  revalidate(): void;
}

const quiet = (e: unknown) => console.debug('[liaison] compose heads-up lookup failed', e);

export async function runComposeHeadsUps(ctx: ContentScriptContext, adapter: SiteAdapter, send: Send): Promise<ComposeHeadsUps> {
  const known = new Map<string, LookupResult>();
  /** Answered by the hub on this page (a late cache answer must not replace it); asked of the hub (once each). */
  const fromHub = new Set<string>();
  const askedHub = new Set<string>();
  let composes: ComposeContext[] = [];
  /** Compose window → the heads-ups the user hid there; new ones show again. */
  const hidden = new Map<string, string>();
  const announced = new Set<string>();
  let polite = '';
  let urgent = '';
  let container: HTMLElement | null = null;
  let showing = false;
  let framePending = false;

  const paint = () => {
    if (!container) return;
    const cards: { compose: ComposeContext; warnings: ComposeWarning[]; key: string; place: Record<string, string> }[] = [];
    for (const compose of composes) {
      const warnings = warningsFor(compose, (email) => known.get(email));
      if (warnings.length === 0) continue;
      for (const w of warnings) {
        const said = `${compose.composeId}:${w.flag.id}`;
        if (announced.has(said)) continue;
        announced.add(said);
        if (w.flag.kind === 'do-not-contact') urgent = announcement(w);
        else polite = announcement(w);
      }
      const key = warnings.map((w) => w.flag.id).join(',');
      if (hidden.get(compose.composeId) === key) continue;
      // Layout is read only here, for a window that has something to show beside it.
      const box = adapter.composeBox?.(compose.composeId);
      if (box) cards.push({ compose, warnings, key, place: placeBeside(box, { width: window.innerWidth, height: window.innerHeight }) });
    }
    showing = cards.length > 0;
    render(
      <>
        <p class="sr-only" role="status" aria-live="polite" data-liaison="compose-live">
          {polite}
        </p>
        <p class="sr-only" role="alert" aria-live="assertive" data-liaison="compose-live-urgent">
          {urgent}
        </p>
        {cards.map((c) => (
          <ComposeHeadsUp
            key={c.compose.composeId}
            warnings={c.warnings}
            place={c.place}
            onHide={() => {
              hidden.set(c.compose.composeId, c.key);
              paint();
            }}
          />
        ))}
      </>,
      container,
    );
  };

  /** The window moved (scrolling, resizing): place the card again at the next frame, only while one shows. */
  const follow = () => {
    if (!showing || framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      paint();
    });
  };
  window.addEventListener('resize', follow, { passive: true, signal: ctx.signal });
  document.addEventListener('scroll', follow, { capture: true, passive: true, signal: ctx.signal });

  const ask = (emails: string[], mode: 'cache' | 'fresh') =>
    send({ type: 'contacts:lookup', emails, mode })
      .then((answer) => {
        if (ctx.isInvalid) return;
        // The cache without the hub answers an uncached address with nothing: keep what we know instead.
        for (const result of answer.results) {
          if (mode === 'fresh' && answer.source === 'hub') fromHub.add(result.email);
          else if (fromHub.has(result.email)) continue;
          known.set(result.email, result);
        }
        paint();
      })
      .catch(quiet);

  const ui = await createShadowRootUi(ctx, {
    name: 'liaison-compose',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount: (root) => {
      container = root;
      paint();
      return root;
    },
    onRemove: (root) => {
      if (root) render(null, root);
    },
  });
  ui.mount();

  const recipients = () => [...new Set(composes.flatMap((c) => c.recipients.map((p) => p.email)))];

  return {
    onChange(context) {
      composes = context.kind === 'none' ? [] : context.composes.filter((c) => c.recipients.length > 0);
      paint();
      const emails = recipients();
      const unseen = emails.filter((e) => !known.has(e));
      const unasked = emails.filter((e) => !askedHub.has(e));
      if (unseen.length) void ask(unseen, 'cache');
      if (unasked.length) {
        for (const e of unasked) askedHub.add(e);
        void ask(unasked, 'fresh');
      }
    },
    revalidate() {
      askedHub.clear();
      const emails = recipients();
      if (emails.length) {
        for (const e of emails) askedHub.add(e);
        void ask(emails, 'fresh');
      }
    },
  };
}
