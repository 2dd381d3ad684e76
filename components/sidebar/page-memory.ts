/**
 * What one mail page has learnt from the background: the settings, and the latest answer for each address and thread.
 * The sidebar unmounts whenever the page shows a list, so each thread opened would otherwise wait for the service
 * worker (a round trip, and a wake-up when it sleeps) before painting anyone; the heads-up at compose must paint a
 * recipient it knows in the very pass that read the chip. Both read this one memory, and every lookup either of them
 * makes is learnt here. Kept per `send` (one per page; each test has its own), and bounded.
 */
import type { LookupResult } from '../../shared/wire-types';
import type { DataSource, RefStatus, SettingsView } from '../../utils/messaging/protocol';
import type { Send } from './api';

/** Enough for a long day of mail; the heads-up at compose loads at most 500 flagged contacts when the page opens. */
const LIMIT = 2_000;

function remember<T>(map: Map<string, T>, key: string, value: T, evicted?: (key: string) => void): void {
  map.delete(key); // re-inserted last: the oldest entry is the first to go
  map.set(key, value);
  if (map.size > LIMIT) {
    const oldest = map.keys().next().value!;
    map.delete(oldest);
    evicted?.(oldest);
  }
}

export class PageMemory {
  settings: SettingsView | null = null;
  private readonly results = new Map<string, LookupResult>();
  /** Answered by the hub on this page: a late answer from the cache must not replace it. */
  private readonly fromHub = new Set<string>();
  private readonly statuses = new Map<string, RefStatus>();
  private readonly listeners = new Set<() => void>();

  /** A lookup's answer. The hub's replaces what was known; the cache's never replaces the hub's. */
  learn({ results, source }: { results: LookupResult[]; source: DataSource }): void {
    for (const result of results) {
      if (source === 'hub') this.fromHub.add(result.email);
      else if (this.fromHub.has(result.email)) continue;
      remember(this.results, result.email, result, (email) => this.fromHub.delete(email));
    }
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each answer learnt; returns how to stop. */
  onLearn(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(email: string): LookupResult | undefined {
    return this.results.get(email);
  }

  has(email: string): boolean {
    return this.results.has(email);
  }

  /** Every address asked for, or nothing: half a thread painted would look like strangers. */
  recall(emails: string[]): LookupResult[] | null {
    if (emails.length === 0) return null;
    const found: LookupResult[] = [];
    for (const email of emails) {
      const result = this.results.get(email);
      if (!result) return null;
      found.push(result);
    }
    return found;
  }

  /** Which threads are logged: a fresh answer replaces what was known, a cached one only fills a gap. */
  learnStatuses(statuses: RefStatus[], fresh: boolean): void {
    for (const status of statuses) if (fresh || !this.statuses.has(status.ref)) remember(this.statuses, status.ref, status);
  }

  /** Every thread asked for, or nothing. */
  recallStatuses(refs: string[]): Map<string, RefStatus> | null {
    if (refs.length === 0 || !refs.every((ref) => this.statuses.has(ref))) return null;
    return new Map(refs.map((ref) => [ref, this.statuses.get(ref)!]));
  }
}

const memories = new WeakMap<Send, PageMemory>();

/** The memory of the page whose requests go through `send`. */
export function pageMemory(send: Send): PageMemory {
  let memory = memories.get(send);
  if (!memory) memories.set(send, (memory = new PageMemory()));
  return memory;
}
