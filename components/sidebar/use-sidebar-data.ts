import { useEffect, useState } from 'preact/hooks';
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
 * Stale-while-revalidate from the sidebar's side: ask the cache (paints at once), then the hub (replaces).
 * A late cache answer never overwrites a fresh one. `refreshKey` changes when the outbox moves, so a queued
 * log turns into "Logged by you" without a reload.
 */
export function useSidebarData(send: Send, context: PageContext, refreshKey: number): SidebarData {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [lookup, setLookup] = useState<LookupState | null>(null);
  const [statuses, setStatuses] = useState<Map<string, RefStatus>>(new Map());
  const [statusOffline, setStatusOffline] = useState<OfflineReason | null>(null);

  const emails = peopleOf(context).map((p) => p.email);
  const refs = refsOf(context);
  const emailsKey = emails.join(',');
  const refsKey = refs.join(',');

  const active = context.kind !== 'none';

  useEffect(() => {
    let live = true;
    if (!active) return;
    // The protocol's empty payload (`Record<string, never>`) also swallows `type`, so spell the request out.
    send({ type: 'settings:get' } as unknown as Request<'settings:get'>)
      .then((view) => live && setSettings(view))
      .catch(quiet);
    return () => {
      live = false;
    };
  }, [send, refreshKey, active]);

  useEffect(() => {
    let live = true;
    let freshArrived = false;
    if (emails.length === 0) {
      setLookup(null);
      return;
    }
    send({ type: 'contacts:lookup', emails, mode: 'cache' })
      .then((r) => {
        if (live && !freshArrived) setLookup({ results: r.results, source: r.source, offline: r.offline, settled: false });
      })
      .catch(quiet);
    send({ type: 'contacts:lookup', emails, mode: 'fresh' })
      .then((r) => {
        if (!live) return;
        freshArrived = true;
        setLookup({ results: r.results, source: r.source, offline: r.offline, settled: true });
      })
      .catch(quiet);
    return () => {
      live = false;
    };
    // emailsKey stands for emails: the array is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [send, emailsKey, refreshKey]);

  useEffect(() => {
    let live = true;
    let freshArrived = false;
    if (refs.length === 0) {
      setStatuses(new Map());
      return;
    }
    const apply = (fresh: boolean) => (r: { results: RefStatus[]; offline: OfflineReason | null }) => {
      if (!live || (!fresh && freshArrived)) return;
      if (fresh) freshArrived = true;
      setStatuses(new Map(r.results.map((s) => [s.ref, s])));
      setStatusOffline(r.offline);
    };
    send({ type: 'interactions:status', refs, mode: 'cache' }).then(apply(false)).catch(quiet);
    send({ type: 'interactions:status', refs, mode: 'fresh' }).then(apply(true)).catch(quiet);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [send, refsKey, refreshKey]);

  return { settings, lookup, statuses, statusOffline };
}
