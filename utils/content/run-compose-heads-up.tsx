/**
 * Mounts the heads-up beside compose windows (components/compose/ComposeHeadsUp.tsx) on a mail page (issue 12).
 * Site-neutral: the adapter reads each compose window's recipients and says where the window is on screen.
 *
 * What it knows about people comes from three places: the cached contacts with such a heads-up, loaded once when the
 * page opens; every lookup the sidebar makes on this page (thread participants and compose recipients, from the cache
 * and then the hub — `learn`); and, for a recipient still unknown, its own read of the IndexedDB cache through the
 * background, painted the moment it answers. So a recipient with a heads-up is usually painted in the very pass that
 * read the chip. Freshness is the sidebar's: it asks the hub for every
 * recipient, and again whenever the team's data changes, and this learns each answer.
 *
 * Two live regions are in the page from the start (screen readers announce changes only to a region that already
 * exists): polite for a heads-up, assertive for "do not contact". The card never takes focus and never touches the
 * compose form or its Send: it is a fixed card beside the window, in its own shadow root.
 */
import { render } from 'preact';
import type { ContentScriptContext } from '#imports';
import { announcement, ComposeHeadsUp, placeBeside, warningsFor, type ComposeWarning } from '../../components/compose/ComposeHeadsUp';
import '../../components/compose/compose.css';
import type { Send } from '../../components/sidebar/api';
import { pageMemory } from '../../components/sidebar/page-memory';
import type { ComposeContext, PageContext, SiteAdapter } from '../adapters/types';
import { mountPersistentHost } from './panel-host';

export interface ComposeHeadsUps {
  onChange(context: PageContext): void;
}

const quiet = (e: unknown) => console.debug('[liaison] compose heads-up lookup failed', e);

export async function runComposeHeadsUps(ctx: ContentScriptContext, adapter: SiteAdapter, send: Send): Promise<ComposeHeadsUps> {
  // What the page knows of people: the sidebar's lookups and this file's own (components/sidebar/page-memory.ts).
  const memory = pageMemory(send);
  /** Asked of the cache already (once each). */
  const askedCache = new Set<string>();
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
      const warnings = warningsFor(compose, (email) => memory.get(email));
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

  // Whatever the page learns (here or in the sidebar) may be about a recipient of an open compose window.
  const stop = memory.onLearn(() => {
    if (!ctx.isInvalid && composes.length > 0) paint();
  });
  ctx.onInvalidated(stop);

  await mountPersistentHost(ctx, 'liaison-compose', (root) => {
    container = root;
    paint();
  });
  // Everyone the cache knows to have a heads-up that matters before writing, once per page: adding one of them to a
  // compose window then paints at once, even while the service worker sleeps.
  send({ type: 'contacts:flagged' })
    .then(({ results }) => memory.learn({ results, source: 'cache' }))
    .catch(quiet);

  return {
    onChange(context) {
      composes = context.kind === 'none' ? [] : context.composes.filter((c) => c.recipients.length > 0);
      paint();
      const unseen = [...new Set(composes.flatMap((c) => c.recipients.map((p) => p.email)))].filter((e) => !memory.has(e) && !askedCache.has(e));
      if (unseen.length === 0) return;
      for (const e of unseen) askedCache.add(e);
      send({ type: 'contacts:lookup', emails: unseen, mode: 'cache' })
        .then((answer) => memory.learn(answer))
        .catch(quiet);
    },
  };
}
