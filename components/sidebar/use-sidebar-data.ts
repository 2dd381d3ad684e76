import { useLayoutEffect, useState } from 'preact/hooks';
import type { LookupResult } from '../../shared/wire-types';
import { uniquePeople } from '../../utils/adapters/person';
import type { PageContext, Person } from '../../utils/adapters/types';
import type { DataSource, OfflineReason, RefStatus, Request, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';
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
 * What this page's sidebar last learnt: the settings, and the latest answer for each address and thread. The
 * sidebar unmounts whenever the page shows a list, so each thread opened would otherwise wait for the service
 * worker (a round trip, and a wake-up when it sleeps) before painting anyone; from here a thread whose people the
 * page has seen paints in the same pass that read it, marked as cached, and the cache and the hub then replace it
 * as before. Kept per `send` (one per page; each test has its own), and bounded.
 */
interface PageMemory {
  settings: SettingsView | null;
  results: Map<string, LookupResult>;
  statuses: Map<string, RefStatus>;
}
const MEMORY_LIMIT = 500;
const memories = new WeakMap<Send, PageMemory>();
function memoryOf(send: Send): PageMemory {
  let memory = memories.get(send);
  if (!memory) memories.set(send, (memory = { settings: null, results: new Map(), statuses: new Map() }));
  return memory;
}
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key); // re-inserted last: the oldest entry is the first to go
  map.set(key, value);
  if (map.size > MEMORY_LIMIT) map.delete(map.keys().next().value!);
}
/** Every address of the thread known to the page, or nothing: half a thread painted would look like strangers. */
function recallLookup(memory: PageMemory, emails: string[]): LookupState | null {
  if (emails.length === 0) return null;
  const results: LookupResult[] = [];
  for (const email of emails) {
    const result = memory.results.get(email);
    if (!result) return null;
    results.push(result);
  }
  return { results, source: 'cache', offline: null, settled: false };
}
function recallStatuses(memory: PageMemory, refs: string[]): Map<string, RefStatus> | null {
  const known = refs.flatMap((ref) => (memory.statuses.has(ref) ? [memory.statuses.get(ref)!] : []));
  return known.length === refs.length && refs.length > 0 ? new Map(known.map((s) => [s.ref, s])) : null;
}

/**
 * Stale-while-revalidate from the sidebar's side: ask the cache (paints at once), then the hub (replaces). A late
 * cache answer never overwrites a fresh one. `refreshKey` changes when the outbox moves, so a queued log turns into
 * "Logged by you" without a reload. The requests go out as layout effects: in the same task as the render that
 * needs them, not a frame later after the browser has painted.
 */
export function useSidebarData(send: Send, context: PageContext, refreshKey: number): SidebarData {
  const memory = memoryOf(send);
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
        for (const result of r.results) if (!memory.results.has(result.email)) remember(memory.results, result.email, result);
        if (live) setLookup({ key: emailsKey, results: r.results, source: r.source, offline: r.offline, settled: false });
      })
      .catch(quiet);
    send({ type: 'contacts:lookup', emails, mode: 'fresh' })
      .then((r) => {
        freshArrived = true;
        for (const result of r.results) remember(memory.results, result.email, result);
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
      for (const status of r.results) if (fresh || !memory.statuses.has(status.ref)) remember(memory.statuses, status.ref, status);
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

  const shownLookup = lookup?.key === emailsKey ? lookup : (recallLookup(memory, emails) ?? lookup);
  const shownStatuses = statuses.key === refsKey ? statuses.map : (recallStatuses(memory, refs) ?? statuses.map);
  return { settings: settings ?? memory.settings, lookup: shownLookup, statuses: shownStatuses, statusOffline };
}
