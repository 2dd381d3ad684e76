/**
 * Sends the member's daily adoption counts to the hub (issue 14), when — and only when — the team's setting is
 * `counts`. What leaves the browser is, per calendar day: how many customer conversations Liaison saw and what
 * became of them (prompted, logged from the prompt, later, from the sidebar, dismissed, listed). Never a subject,
 * an address, a name or a thread reference: those stay in the `adoption` store, which only this module reads.
 *
 * The service worker may be killed at any moment, so the job is driven by an alarm and keeps what it sent in
 * IndexedDB (`meta`), per day with the counts it sent. A day is sent when it is over (yesterday and earlier) and
 * again whenever its counts changed (a conversation seen on Monday and logged on Wednesday changes Monday). The hub
 * replaces a member's day, so a day sent twice — a worker killed between the answer and the write below — counts once.
 */
import type { AdoptionDay, AdoptionSharing, InsightsSettings } from '../../shared/insights-types';
import { HubError, type HubClient } from '../hub-client';
import type { LiaisonDb } from '../storage/db';
import type { AdoptionRecord } from '../storage/types';

export const ADOPTION_ALARM = 'liaison:adoption';
/** Four times a day is plenty for figures read by the week. */
export const ADOPTION_PERIOD_MINUTES = 360;
const SENT_KEY = 'adoption-sent';
export const SHARING_KEY = 'adoption-sharing';
/** The hub takes at most this many days per request. */
const MAX_DAYS = 120;

/** The calendar day, in the browser's time zone, of an epoch time: the day as the member lives it. */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Per day a conversation was first seen: counts only. Today (not over yet) and later days are left out. */
export function dailyAggregates(records: AdoptionRecord[], today: string): AdoptionDay[] {
  const days = new Map<string, AdoptionDay>();
  for (const r of records) {
    const day = localDay(r.seenAt);
    if (day >= today) continue;
    const d = days.get(day) ?? { day, seen: 0, prompted: 0, loggedFromPrompt: 0, loggedLater: 0, loggedSidebar: 0, dismissed: 0, listed: 0 };
    d.seen += 1;
    if (r.promptedAt != null) d.prompted += 1;
    if (r.listedAt != null) d.listed += 1;
    if (r.outcome === 'logged-prompt') d.loggedFromPrompt += 1;
    if (r.outcome === 'logged-later') d.loggedLater += 1;
    if (r.outcome === 'logged-sidebar') d.loggedSidebar += 1;
    if (r.outcome === 'dismissed') d.dismissed += 1;
    days.set(day, d);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

const signature = (d: AdoptionDay) => [d.seen, d.prompted, d.loggedFromPrompt, d.loggedLater, d.loggedSidebar, d.dismissed, d.listed].join(',');

export interface AdoptionUploadDeps {
  db: LiaisonDb;
  hub(): Promise<HubClient>;
  now?: () => number;
}

export type UploadOutcome = { sharing: AdoptionSharing | null; sent: number; result: 'off' | 'sent' | 'nothing' | 'offline' };

export interface SharingState {
  sharing: AdoptionSharing;
  checkedAt: string;
}

export function createAdoptionUpload(deps: AdoptionUploadDeps) {
  const now = deps.now ?? Date.now;
  const remember = (sharing: AdoptionSharing) => deps.db.put('meta', { sharing, checkedAt: new Date(now()).toISOString() } satisfies SharingState, SHARING_KEY);

  return {
    /** One run: ask the team's setting, then send the days that are over and not sent as they are now. */
    async run(): Promise<UploadOutcome> {
      let hub: HubClient;
      let sharing: AdoptionSharing;
      try {
        hub = await deps.hub();
        sharing = (await hub.get<InsightsSettings>('/v1/team/insights')).adoptionSharing;
      } catch (e) {
        if (e instanceof HubError) return { sharing: null, sent: 0, result: 'offline' };
        throw e;
      }
      await remember(sharing);
      if (sharing !== 'counts') return { sharing, sent: 0, result: 'off' };

      const records = await deps.db.getAll('adoption');
      const sent = ((await deps.db.get('meta', SENT_KEY)) as Record<string, string> | undefined) ?? {};
      const due = dailyAggregates(records, localDay(now()))
        .filter((d) => sent[d.day] !== signature(d))
        .slice(-MAX_DAYS);
      if (due.length === 0) return { sharing, sent: 0, result: 'nothing' };
      try {
        await hub.post('/v1/adoption/daily', { days: due });
      } catch (e) {
        if (e instanceof HubError && e.failure.kind === 'rejected' && e.failure.code === 'adoption_sharing_off') {
          await remember('off');
          return { sharing: 'off', sent: 0, result: 'off' };
        }
        if (e instanceof HubError) return { sharing, sent: 0, result: 'offline' };
        throw e;
      }
      // Only days the adoption store still holds are worth remembering (it keeps 60 days).
      const next: Record<string, string> = {};
      const kept = new Set(dailyAggregates(records, localDay(now())).map((d) => d.day));
      for (const [day, sig] of Object.entries(sent)) if (kept.has(day)) next[day] = sig;
      for (const d of due) next[d.day] = signature(d);
      await deps.db.put('meta', next, SENT_KEY);
      return { sharing, sent: due.length, result: 'sent' };
    },
  };
}
