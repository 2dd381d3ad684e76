/**
 * The leave/send prompt's memory, in the background: which customer conversations are open, which the prompt is
 * asking about, and which wait on the "Unlogged conversations" list — all in IndexedDB, because the service
 * worker may be killed at any moment and a crashed browser must not lose the list either.
 *
 * The decision itself is the pure `decidePrompt`; this module gathers its inputs (settings, what the hub and the
 * outbox know, what was asked already), moves a conversation through its states and keeps the adoption counts:
 *
 *   seen ──► viewing ──leave──► prompted ──Log──► (logged: deleted)
 *                │                 ├──Not now / closed / ignored──► listed ──Log / Dismiss / Clear──► (deleted)
 *                └──tab closed, browser crashed──────────────────────┘
 */
import type { ContactSummary } from '../../shared/wire-types';
import { domainOf } from '../adapters/person';
import { colleagueDomains, companyFromEmail, isFreeMail } from '../company';
import type {
  AdoptionStats,
  ConversationCandidate,
  FollowUpDraft,
  InteractionDraft,
  OutboxState,
  PromptAnswer,
  PromptPerson,
  PromptVerdict,
  RefStatus,
  UnloggedItem,
} from '../messaging/protocol';
import type { Handlers } from '../messaging/server';
import { decidePrompt, type PromptSettings } from '../prompt/decide-prompt';
import type { LiaisonDb } from '../storage/db';
import { addNeverLog, loadSettings, settingsView } from '../storage/settings';
import type { AdoptionRecord, ConversationRecord } from '../storage/types';
import { SHARING_KEY, type SharingState } from './adoption-upload';

export interface ConversationDeps {
  db: LiaisonDb;
  /** The background's own read handlers: the prompt asks exactly what the sidebar asks, cache first. */
  lookup: Handlers['contacts:lookup'];
  status: Handlers['interactions:status'];
  /** Queues a log (or contact) through the outbox, exactly as the sidebar's button does. */
  enqueueLog(draft: InteractionDraft, followUp: FollowUpDraft | null): Promise<{ outboxId: string; state: OutboxState }>;
  enqueueContact(person: PromptPerson): Promise<void>;
  /** The toolbar badge counts the list; called after every change to it. */
  changed(): Promise<void>;
  now?: () => number;
}

const KEEP_ADOPTION_MS = 60 * 24 * 3600_000;

/** Monday 00:00 local time of the week `at` falls in: "this week" as people say it. */
export function weekStart(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d.getTime();
}

export function adoptionStats(records: AdoptionRecord[], since: number): AdoptionStats {
  const week = records.filter((r) => r.seenAt >= since);
  const count = (test: (r: AdoptionRecord) => boolean) => week.filter(test).length;
  return {
    since: new Date(since).toISOString(),
    conversations: week.length,
    logged: count((r) => r.outcome === 'logged-prompt' || r.outcome === 'logged-later' || r.outcome === 'logged-sidebar'),
    prompted: count((r) => r.promptedAt != null),
    loggedFromPrompt: count((r) => r.outcome === 'logged-prompt'),
    dismissed: count((r) => r.outcome === 'dismissed'),
    listed: count((r) => r.listedAt != null),
    loggedLater: count((r) => r.outcome === 'logged-later'),
  };
}

export function createConversations(deps: ConversationDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();

  async function adoption(ref: string, change: (r: AdoptionRecord) => AdoptionRecord): Promise<void> {
    const tx = db.transaction('adoption', 'readwrite');
    const existing = await tx.store.get(ref);
    const current = existing ?? { ref, seenAt: now(), promptedAt: null, listedAt: null, outcome: null, endedAt: null };
    const next = change(current);
    // Seeing a thread again changes nothing: no write for every view of it.
    if (next !== existing) await tx.store.put(next);
    await tx.done;
  }

  /** Everything decidePrompt needs, asked of the cache first and of the hub where the cache has nothing. */
  async function verdictFor(candidate: ConversationCandidate, statusMode: 'cache' | 'fresh'): Promise<{ verdict: PromptVerdict; record?: ConversationRecord }> {
    const settings = await loadSettings();
    const view = await settingsView(settings);
    const draft = candidate.draft;
    const ref = draft.sourceRef;
    const participants = draft.participants.map((p) => ({ email: p.email.toLowerCase(), name: p.name ?? null }));
    const promptSettings: PromptSettings = {
      mode: settings.promptMode,
      askAboutUnknown: settings.askAboutUnknown,
      myAddresses: view.myAddresses,
      // Before Liaison is connected, the signed-in mail accounts' domains stand in for the team's.
      teamDomains: colleagueDomains(view.teamDomains, view.me != null, view.detectedAccounts ?? []),
      neverLogDomains: settings.neverLogDomains,
      neverLogAddresses: settings.neverLogAddresses,
    };
    // Settings alone may already say no (off, internal, never-log, machines): then the hub is not asked at all.
    const early = decidePrompt(participants, promptSettings, { loggedBy: [], knownEmails: new Set(), pendingInOutbox: false, alreadyAsked: false });
    if (!early.ask && early.reason !== 'unknown-people-only') return { verdict: early };

    const emails = participants.map((p) => p.email);
    const contacts = new Map<string, ContactSummary | null>();
    const members = new Set<string>();
    const cached = await deps.lookup({ type: 'contacts:lookup', emails, mode: 'cache' }, { sender: 'content-script', tabId: null });
    for (const r of cached.results) {
      contacts.set(r.email, r.contact);
      if (r.member) members.add(r.email);
    }
    const missing = emails.filter((e) => !contacts.has(e));
    if (missing.length > 0) {
      const fresh = await deps.lookup({ type: 'contacts:lookup', emails: missing, mode: 'fresh' }, { sender: 'content-script', tabId: null });
      for (const r of fresh.results) {
        contacts.set(r.email, r.contact);
        if (r.member) members.add(r.email);
      }
    }
    const statusAnswer = await deps.status({ type: 'interactions:status', refs: [ref], mode: statusMode }, { sender: 'content-script', tabId: null });
    const status: RefStatus | undefined = statusAnswer.results[0];
    const record = await db.get('conversations', ref);
    // A colleague the hub knows by address counts as internal, like a team domain.
    const people = participants.filter((p) => !members.has(p.email));
    const decision = decidePrompt(people.length ? people : participants, promptSettings, {
      loggedBy: status ? status.loggedBy.map((l) => l.name) : null,
      knownEmails: new Set([...contacts].filter(([, c]) => c != null).map(([e]) => e)),
      pendingInOutbox: status?.pending != null,
      alreadyAsked: record?.state === 'listed',
    });
    if (!decision.ask) return { verdict: decision, record };

    const promptPeople: PromptPerson[] = decision.people.map((p) => {
      const contact = contacts.get(p.email) ?? null;
      return { email: p.email, name: contact?.name ?? p.name, company: contact?.company?.name ?? companyFromEmail(p.email) };
    });
    const domains = [...new Set(promptPeople.map((p) => domainOf(p.email)))];
    const domain = domains.length === 1 && !isFreeMail(promptPeople[0]!.email) ? domains[0]! : null;
    const question = {
      ref,
      trigger: candidate.trigger,
      subject: draft.subject ?? null,
      people: promptPeople,
      unknown: decision.unknown.map((p) => p.email),
      neverAddresses: settings.managed.includes('neverLogAddresses') ? null : promptPeople.map((p) => p.email),
      neverDomain: settings.managed.includes('neverLogDomains') ? null : domain,
    };
    // What is stored (and later sent) leaves never-log addresses out, as every log does.
    const never = new Set(settings.neverLogAddresses);
    const neverDomains = new Set(settings.neverLogDomains);
    const storedDraft = { ...draft, participants: draft.participants.filter((p) => !never.has(p.email) && !neverDomains.has(domainOf(p.email))) };
    return {
      verdict: { ask: true, question },
      record: {
        ref,
        state: record?.state ?? 'viewing',
        draft: storedDraft,
        people: promptPeople,
        unknown: question.unknown,
        trigger: candidate.trigger,
        tabId: record?.tabId ?? null,
        firstSeenAt: record?.firstSeenAt ?? iso(),
        updatedAt: iso(),
      },
    };
  }

  async function put(record: ConversationRecord): Promise<void> {
    await db.put('conversations', record);
  }

  async function toList(record: ConversationRecord): Promise<void> {
    await put({ ...record, state: 'listed', tabId: null, updatedAt: iso() });
    await adoption(record.ref, (a) => ({ ...a, listedAt: a.listedAt ?? now() }));
    await deps.changed();
  }

  /** The conversation ended (logged or dismissed): off the list, outcome counted once. */
  async function end(ref: string, outcome: NonNullable<AdoptionRecord['outcome']>): Promise<void> {
    const had = await db.get('conversations', ref);
    await db.delete('conversations', ref);
    await adoption(ref, (a) => {
      if (a.outcome && a.outcome !== 'dismissed') return a;
      const later = outcome === 'logged-sidebar' && (a.promptedAt != null || a.listedAt != null);
      return { ...a, outcome: later ? 'logged-later' : outcome, endedAt: now() };
    });
    if (had?.state === 'listed') await deps.changed();
  }

  async function logRecord(record: ConversationRecord, extras: { note?: string | null; outcome?: string | null; followUp?: FollowUpDraft | null }, outcome: 'logged-prompt' | 'logged-later') {
    const settings = await loadSettings();
    // "Add to CRM and log": the contacts go first in the outbox, so the log links to them at the hub.
    if (settings.askAboutUnknown && record.unknown.length > 0) {
      for (const person of record.people.filter((p) => record.unknown.includes(p.email))) await deps.enqueueContact(person);
    }
    const draft: InteractionDraft = {
      ...record.draft,
      summary: extras.note?.trim() ? extras.note.trim().slice(0, 4000) : (record.draft.summary ?? null),
      outcome: extras.outcome || record.draft.outcome || null,
    };
    const queued = await deps.enqueueLog(draft, extras.followUp ?? null);
    await end(record.ref, outcome);
    return { ok: true, outboxId: queued.outboxId, state: queued.state };
  }

  return {
    /** A thread is open in a tab: remember it (so a closed tab lists it) and say whether leaving will ask. */
    async seen(candidate: ConversationCandidate, tabId: number | null): Promise<PromptVerdict> {
      const { verdict, record } = await verdictFor(candidate, 'fresh');
      if (verdict.ask && record) {
        // Only a conversation merely open is refreshed (more people once messages expand); one being asked about
        // (after Send, say) keeps what it is being asked about, and a listed one stays listed.
        if (record.state === 'viewing') await put({ ...record, tabId });
        await adoption(record.ref, (a) => a);
      } else if (!verdict.ask && record && record.state !== 'listed' && verdict.reason !== 'already-asked') {
        // Logged meanwhile (here or by a teammate), or the settings changed: nothing to ask about any more.
        await db.delete('conversations', record.ref);
      }
      return verdict;
    },

    async left(ref: string, reason: 'navigation' | 'unload' | 'sent', candidate: ConversationCandidate | undefined, tabId: number | null): Promise<PromptVerdict> {
      const stored = await db.get('conversations', ref);
      const basis = candidate ?? (stored ? { trigger: stored.trigger, draft: stored.draft } : null);
      if (!basis) return { ask: false, reason: 'no-external-people' };
      if (reason === 'unload') {
        // The page is going away: no time for the hub. What we knew when it was seen decides.
        if (stored && stored.state !== 'listed') await toList(stored);
        else if (!stored && candidate) {
          const { verdict, record } = await verdictFor(candidate, 'cache');
          if (verdict.ask && record) await toList(record);
          return verdict;
        }
        return stored ? { ask: false, reason: 'already-asked' } : { ask: false, reason: 'no-external-people' };
      }
      // Leaving is when a teammate's log matters most: ask the hub by reference again (cache if it is away).
      const { verdict, record } = await verdictFor(basis, 'fresh');
      if (verdict.ask && record) {
        await put({ ...record, state: 'prompted', tabId });
        await adoption(ref, (a) => ({ ...a, promptedAt: a.promptedAt ?? now() }));
      } else if (!verdict.ask && stored && stored.state !== 'listed' && verdict.reason !== 'already-asked') {
        await db.delete('conversations', ref);
      }
      return verdict;
    },

    async answer(ref: string, answer: PromptAnswer, extras: { note?: string | null; outcome?: string | null; followUp?: FollowUpDraft | null }) {
      const record = await db.get('conversations', ref);
      if (!record) return { ok: false, outboxId: null, state: null };
      if (answer === 'log') return logRecord(record, extras, 'logged-prompt');
      if (answer === 'not-now' || answer === 'dismissed') {
        await toList(record);
        return { ok: true, outboxId: null, state: null };
      }
      if (answer === 'never-address') {
        for (const person of record.people) await addNeverLog('address', person.email);
      } else {
        const domains = [...new Set(record.people.map((p) => domainOf(p.email)))];
        if (domains.length !== 1 || isFreeMail(record.people[0]!.email)) return { ok: false, outboxId: null, state: null };
        await addNeverLog('domain', domains[0]!);
      }
      await end(ref, 'dismissed');
      return { ok: true, outboxId: null, state: null };
    },

    /** The sidebar's Log button logged this reference: whatever the prompt knew of it is done. */
    async loggedElsewhere(ref: string): Promise<void> {
      const record = await db.get('conversations', ref);
      const seen = await db.get('adoption', ref);
      if (record || seen) await end(ref, 'logged-sidebar');
    },

    async list(): Promise<{ items: UnloggedItem[]; stats: AdoptionStats }> {
      const listed = await db.getAllFromIndex('conversations', 'by-state', 'listed');
      const items = listed
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map((r) => ({
          ref: r.ref,
          subject: r.draft.subject ?? null,
          people: r.people,
          unknown: r.unknown,
          site: r.draft.sourceSite,
          occurredAt: r.draft.occurredAt,
          listedAt: r.updatedAt,
        }));
      const since = weekStart(now());
      const records = await db.getAllFromIndex('adoption', 'by-seenAt', IDBKeyRange.lowerBound(since));
      const sharing = ((await db.get('meta', SHARING_KEY)) as SharingState | undefined)?.sharing ?? null;
      return { items, stats: { ...adoptionStats(records, since), sharing } };
    },

    async logListed(ref: string) {
      const record = await db.get('conversations', ref);
      if (!record || record.state !== 'listed') return { ok: false, outboxId: null, state: null };
      const result = await logRecord(record, {}, 'logged-later');
      await deps.changed();
      return result;
    },

    async dismiss(ref: string): Promise<boolean> {
      const record = await db.get('conversations', ref);
      if (!record || record.state !== 'listed') return false;
      await end(ref, 'dismissed');
      return true;
    },

    async clear(): Promise<number> {
      const listed = await db.getAllFromIndex('conversations', 'by-state', 'listed');
      for (const record of listed) await end(record.ref, 'dismissed');
      await deps.changed();
      return listed.length;
    },

    /** A tab went away (closed, crashed, reloaded): what it had open or was asking about goes on the list. */
    async tabGone(tabId: number): Promise<void> {
      const open = [
        ...(await db.getAllFromIndex('conversations', 'by-state', 'viewing')),
        ...(await db.getAllFromIndex('conversations', 'by-state', 'prompted')),
      ];
      for (const record of open.filter((r) => r.tabId === tabId)) await toList(record);
    },

    /**
     * After a browser start, or once a restarted worker has heard from the tabs still open: anything left
     * "open" in a tab that is not there any more goes on the list. `liveTabs` null means "no tab is open".
     */
    async sweep(liveTabs: ReadonlySet<number> | null): Promise<void> {
      const open = [
        ...(await db.getAllFromIndex('conversations', 'by-state', 'viewing')),
        ...(await db.getAllFromIndex('conversations', 'by-state', 'prompted')),
      ];
      for (const record of open) {
        if (liveTabs == null || record.tabId == null || !liveTabs.has(record.tabId)) await toList(record);
      }
      // Adoption counts are for "this week": two months is plenty.
      const old = await db.getAllKeysFromIndex('adoption', 'by-seenAt', IDBKeyRange.upperBound(now() - KEEP_ADOPTION_MS));
      for (const key of old) await db.delete('adoption', key);
    },

    async listedCount(): Promise<number> {
      return db.countFromIndex('conversations', 'by-state', 'listed');
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
