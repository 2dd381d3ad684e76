import { useLayoutEffect, useState } from 'preact/hooks';
import type { LookupResult } from '../../shared/wire-types';
import { uniquePeople } from '../../utils/adapters/person';
import type { PageContext, Person } from '../../utils/adapters/types';
import type { DataSource, OfflineReason, RefStatus, Request, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
import { pageMemory } from './page-memory';
import { composeRef } from './people';

export interface LookupState {
  results: LookupResult[];
  source: DataSource;
  offline: OfflineReason | null;
  /** The fresh answer has arrived (from the hub, or the cache with the reason it could not be had): nothing more is coming. */
  settled: boolean;
}

export interface SidebarData {
  settings: SettingsView | null;
  lookup: LookupState | null;
  statuses: Map<string, RefStatus>;
  statusOffline: OfflineReason | null;
}

export function peopleOf(context: PageContext): Person[] {
  if (context.kind === 'none') return [];
  const fromThread = context.kind === 'thread' ? context.thread.participants : [];
  return uniquePeople([...fromThread, ...context.composes.flatMap((c) => c.recipients)]);
}

export function refsOf(context: PageContext): string[] {
  if (context.kind === 'none') return [];
  const refs = context.kind === 'thread' ? [context.thread.threadId] : [];
  return [...new Set([...refs, ...context.composes.map(composeRef)])];
}

/** Background failures never reach the page; the sidebar just keeps what it has. */
const quiet = (error: unknown) => console.debug('[liaison] background request failed', error);

/**
 * Stale-while-revalidate from the sidebar's side: ask the cache (paints at once), then the hub (replaces). A late
 * cache answer never overwrites a fresh one. `refreshKey` changes when the outbox moves, so a queued log turns into
 * "Logged by you" without a reload. The requests go out as layout effects: in the same task as the render that
 * needs them, not a frame later after the browser has painted.
 */
export function useSidebarData(send: Send, context: PageContext, refreshKey: number): SidebarData {
  // The page's memory of earlier answers (page-memory.ts): shown until this view's own answers arrive.
  const memory = pageMemory(send);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  // Each answer is kept with the addresses (or threads) it was for: until this view's own answer arrives, the
  // page's memory of them is shown instead.
  const [lookup, setLookup] = useState<(LookupState & { key: string }) | null>(null);
  const [statuses, setStatuses] = useState<{ key: string; map: Map<string, RefStatus> }>({ key: '', map: new Map() });
  const [statusOffline, setStatusOffline] = useState<OfflineReason | null>(null);

  const emails = peopleOf(context).map((p) => p.email);
  const refs = refsOf(context);
  const emailsKey = emails.join(',');
  const refsKey = refs.join(',');

  const active = context.kind !== 'none';

  useLayoutEffect(() => {
    let live = true;
    if (!active) return;
    // The protocol's empty payload (`Record<string, never>`) also swallows `type`, so spell the request out.
    send({ type: 'settings:get' } as unknown as Request<'settings:get'>)
      .then((view) => {
        memory.settings = view;
        if (live) setSettings(view);
      })
      .catch(quiet);
    return () => {
      live = false;
    };
  }, [send, refreshKey, active]);

  useLayoutEffect(() => {
    let live = true;
    let freshArrived = false;
    if (emails.length === 0) {
      setLookup(null);
      return;
    }
    send({ type: 'contacts:lookup', emails, mode: 'cache' })
      .then((r) => {
        if (freshArrived) return;
        memory.learn(r);
        if (live) setLookup({ key: emailsKey, results: r.results, source: r.source, offline: r.offline, settled: false });
      })
      .catch(quiet);
    send({ type: 'contacts:lookup', emails, mode: 'fresh' })
      .then((r) => {
        freshArrived = true;
        memory.learn(r);
        if (live) setLookup({ key: emailsKey, results: r.results, source: r.source, offline: r.offline, settled: true });
      })
      .catch(quiet);
    return () => {
      live = false;
    };
    // emailsKey stands for emails: the array is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [send, emailsKey, refreshKey]);

  useLayoutEffect(() => {
    let live = true;
    let freshArrived = false;
    if (refs.length === 0) {
      setStatuses({ key: '', map: new Map() });
      return;
    }
    const apply = (fresh: boolean) => (r: { results: RefStatus[]; offline: OfflineReason | null }) => {
      if (!fresh && freshArrived) return;
      if (fresh) freshArrived = true;
      memory.learnStatuses(r.results, fresh);
      if (!live) return;
      setStatuses({ key: refsKey, map: new Map(r.results.map((s) => [s.ref, s])) });
      setStatusOffline(r.offline);
    };
    send({ type: 'interactions:status', refs, mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'interactions:status', refs, mode: 'fresh' }).then(apply(true)).catch(quiet);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [send, refsKey, refreshKey]);

  const recalled = lookup?.key === emailsKey ? null : memory.recall(emails);
  const shownLookup = recalled ? { results: recalled, source: 'cache' as const, offline: null, settled: false } : lookup;
  const shownStatuses = statuses.key === refsKey ? statuses.map : (memory.recallStatuses(refs) ?? statuses.map);
  return { settings: settings ?? memory.settings, lookup: shownLookup, statuses: shownStatuses, statusOffline };
}
