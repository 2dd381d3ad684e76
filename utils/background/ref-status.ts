/**
 * "Is this thread logged, by whom, or still waiting?" — built from the refs cache, the hub's answer and the
 * outbox. Our own accepted log is remembered locally (`mine`), so "Logged by you · 10:42" shows offline and
 * after a reload without asking the hub.
 */
import type { LoggedRef, Me } from '../../shared/wire-types';
import type { OutboxItemView, RefStatus } from '../messaging/protocol';
import type { RefRecord } from '../storage/types';

export interface Identity {
  me: Me | null;
  myAddresses: string[];
}

export function refStatus(ref: string, record: RefRecord | undefined, pending: OutboxItemView | undefined, who: Identity): RefStatus {
  const mine = new Set(who.myAddresses.map((a) => a.toLowerCase()));
  const loggedBy = (record?.loggers ?? []).map((l) => ({
    name: l.member.name,
    isMe:
      (who.me != null && l.member.id === who.me.member.id) ||
      (record?.mine?.memberId != null && l.member.id === record.mine.memberId) ||
      mine.has(l.member.email.toLowerCase()),
    loggedAt: l.loggedAt,
  }));
  if (record?.mine && !loggedBy.some((l) => l.isMe)) {
    loggedBy.unshift({ name: who.me?.member.name ?? '', isMe: true, loggedAt: record.mine.loggedAt });
  }
  return { ref, loggedBy, pending: pending ?? null };
}

/** A fresh answer from the hub replaces what we knew; our own `mine` mark survives if the hub has not caught up. */
export function recordFromHub(ref: string, logged: LoggedRef | undefined, previous: RefRecord | undefined, at: string): RefRecord | null {
  if (!logged) return previous?.mine ? { ...previous, fetchedAt: at } : null;
  return { ref, interactionId: logged.interactionId, loggers: logged.loggers, mine: previous?.mine ?? null, fetchedAt: at };
}
