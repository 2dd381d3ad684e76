/**
 * The background's answer to every request in the protocol. Reads are stale-while-revalidate: mode 'cache'
 * answers from IndexedDB at once, mode 'fresh' asks the hub, writes the cache and, when the hub cannot be had,
 * answers with what the cache holds plus the reason. Writes go through the outbox.
 *
 * "Never log" addresses and domains are honoured here, where nothing can bypass them: such an address is
 * neither looked up nor sent with a log.
 */
import { browser } from 'wxt/browser';
import type { LookupResult, Me, MemberRef, Task } from '../../shared/wire-types';
import { createHubClient, HubError, offlineReasonOf, type HubClient } from '../hub-client';
import type { Handlers } from '../messaging/server';
import type { FollowUpDraft, InteractionDraft, OfflineReason, RefStatus } from '../messaging/protocol';
import type { Outbox } from '../outbox';
import { readContacts, readFlagged, readRefs, readTimeline, writeContacts, writeRefs, writeTimeline } from '../storage/cache';
import type { LiaisonDb } from '../storage/db';
import {
  loadSettings,
  noteDetectedAccount,
  readToken,
  saveIdentity,
  saveSettings,
  settingsView,
  type EffectiveSettings,
} from '../storage/settings';
import type { RefRecord } from '../storage/types';
import { connectHub } from './connect-hub';
import { TEAM_VERSION_KEY } from '../storage/keys';
import { actionLabel, actionRequest, tasksCacheKey } from './contact-actions';
import { createConversations, type Conversations } from './conversations';
import { meetingBodyFields, parseInviteForPage } from './meetings';
import { recordFromHub, refStatus } from './ref-status';

export interface HandlerDeps {
  db: LiaisonDb;
  outbox: Outbox;
  /** Starts a flush without holding up the answer (the background logs its failures). */
  kick: (options?: { force?: boolean }) => void;
  hubFor?: (hubUrl: string, token: string | null) => HubClient;
  now?: () => number;
  /** Refreshes the toolbar badge (outbox waiting + unlogged conversations) and tells open pages. */
  changed?: () => Promise<void>;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

export function neverLogged(settings: Pick<EffectiveSettings, 'neverLogAddresses' | 'neverLogDomains'>) {
  const addresses = new Set(settings.neverLogAddresses.map((a) => a.toLowerCase()));
  const domains = new Set(settings.neverLogDomains.map((d) => d.toLowerCase()));
  return (email: string) => addresses.has(email) || domains.has(domainOf(email));
}

const KIND_LABELS: Record<InteractionDraft['kind'], string> = {
  email: 'Email',
  meeting: 'Meeting',
  call: 'Call',
  note: 'Note',
  support: 'Support',
  marketing: 'Marketing',
};

export function createHandlers(deps: HandlerDeps): Handlers & { conversations: Conversations } {
  const { db, outbox } = deps;
  const now = deps.now ?? Date.now;
  const hubFor = deps.hubFor ?? ((hubUrl, token) => createHubClient({ hubUrl, token }));

  async function hub(settings?: EffectiveSettings): Promise<HubClient> {
    const s = settings ?? (await loadSettings());
    return hubFor(s.hubUrl, await readToken());
  }

  /** The hub answered: whatever waits in the outbox can go now instead of at its backoff time. */
  async function hubIsBack(): Promise<void> {
    if ((await outbox.waitingCount()) > 0) deps.kick({ force: true });
  }

  async function fresh<T>(settings: EffectiveSettings, call: (client: HubClient) => Promise<T>) {
    try {
      const value = await call(await hub(settings));
      // Not awaited: the page's answer does not depend on the outbox being nudged.
      hubIsBack().catch((error: unknown) => console.debug('[liaison] outbox kick failed', error));
      return { value, offline: null as OfflineReason | null };
    } catch (error) {
      if (!(error instanceof HubError)) console.warn('[liaison] hub request failed', error);
      return { value: null, offline: offlineReasonOf(error) };
    }
  }

  async function statuses(refs: string[], records: Map<string, RefRecord>, settings: EffectiveSettings): Promise<RefStatus[]> {
    const pending = await outbox.pendingByRef(refs);
    const view = await settingsView(settings);
    return refs.map((ref) => refStatus(ref, records.get(ref), pending.get(ref), view));
  }

  /** Every log goes this way: never-log addresses dropped here, where nothing can bypass it; then the outbox. */
  async function queueLog(draft: InteractionDraft, followUp: FollowUpDraft | null, allowRepeat = false) {
    const settings = await loadSettings();
    const skip = neverLogged(settings);
    const participants = draft.participants
      .filter((p) => !skip(p.email))
      .map((p) => ({ email: p.email, name: p.name ?? null }));
    if (participants.length === 0) throw new Error('Everyone on this conversation is on your never-log list; nothing was logged.');
    const body = {
      kind: draft.kind,
      occurredAt: draft.occurredAt,
      subject: draft.subject ?? null,
      summary: draft.summary ?? null,
      outcome: draft.outcome ?? null,
      sourceSite: draft.sourceSite,
      sourceRef: draft.sourceRef,
      participants,
      ...(followUp ? { followUp } : {}),
      // Issue 5: a meeting's end, UID and per-person attendance (nothing for other kinds).
      ...meetingBodyFields(draft, skip),
    };
    // A call or a note logged from a card (issue 12) has no subject and a made-up reference: name the person instead.
    const about = draft.kind === 'call' || draft.kind === 'note' ? participants[0]?.name || participants[0]?.email : null;
    const label = `${KIND_LABELS[draft.kind]} · ${draft.subject || about || draft.sourceRef}`;
    const result = await outbox.enqueueLog(body, label, { allowRepeat });
    if (!result.duplicate) deps.kick();
    return result;
  }

  async function queueContact(person: { email: string; name: string | null; company: string | null }) {
    const settings = await loadSettings();
    if (neverLogged(settings)(person.email)) return;
    const label = `Contact · ${person.name ?? person.email}${person.company ? ` (${person.company})` : ''}`;
    await outbox.enqueueCreateContact({ name: person.name, title: null, company: person.company, emails: [person.email] }, label);
    deps.kick();
  }

  /** Issue 12: when the hub's change counter was last asked, in this worker's life (many tabs ask; one goes). */
  let changesAskedAt = 0;

  const conversations = createConversations({
    db,
    lookup: (request, context) => handlers['contacts:lookup'](request, context),
    status: (request, context) => handlers['interactions:status'](request, context),
    enqueueLog: queueLog,
    enqueueContact: queueContact,
    changed: deps.changed ?? (async () => undefined),
    now,
  });

  const handlers: Handlers = {
    async 'contacts:lookup'({ emails, mode }) {
      const settings = await loadSettings();
      const skip = neverLogged(settings);
      const wanted = [...new Set(emails)];
      const asked = wanted.filter((e) => !skip(e));
      const silent: LookupResult[] = wanted.filter(skip).map((email) => ({ email, contact: null, member: null }));
      const cached = await readContacts(db, asked);
      const fromCache = () => {
        const entries = asked.flatMap((e) => (cached.has(e) ? [cached.get(e)!] : []));
        const oldest = entries.map((e) => e.fetchedAt).sort()[0] ?? null;
        return { results: [...entries.map((e) => e.result), ...silent], fetchedAt: oldest };
      };
      if (mode === 'cache' || asked.length === 0) return { ...fromCache(), source: 'cache', offline: null };
      const answer = await fresh(settings, (c) => c.lookup(asked));
      if (!answer.value) return { ...fromCache(), source: 'cache', offline: answer.offline };
      const fetchedAt = new Date(now()).toISOString();
      // The page is answered without waiting for the cache write: IndexedDB runs transactions on the same store in
      // the order they were made, so any later read (this page's next thread, another tab) still sees it.
      writeContacts(db, answer.value.results, fetchedAt).catch((error: unknown) => console.warn('[liaison] cache write failed', error));
      return { results: [...answer.value.results, ...silent], fetchedAt, source: 'hub', offline: null };
    },

    async 'contacts:timeline'({ contactId, cursor, mode }) {
      const cached = await readTimeline(db, contactId, cursor);
      if (mode === 'cache') return { page: cached?.page ?? null, source: 'cache', offline: null };
      const answer = await fresh(await loadSettings(), (c) => c.timeline(contactId, cursor));
      if (!answer.value) return { page: cached?.page ?? null, source: 'cache', offline: answer.offline };
      await writeTimeline(db, contactId, cursor, answer.value, new Date(now()).toISOString());
      return { page: answer.value, source: 'hub', offline: null };
    },

    async 'contacts:create'({ name, email, company, title }) {
      const settings = await loadSettings();
      if (neverLogged(settings)(email)) throw new Error('This address is on your never-log list.');
      const label = `Contact · ${name ?? email}${company ? ` (${company})` : ''}`;
      const result = await outbox.enqueueCreateContact({ name, title, company, emails: [email] }, label);
      deps.kick();
      return result;
    },

    async 'interactions:log'({ draft, correction }) {
      // Only a meeting can be corrected: the hub merges it by UID, so sending it again cannot double it.
      const result = await queueLog(draft, null, correction === true && draft.kind === 'meeting' && draft.icalUid != null);
      // Logged from the sidebar: the prompt has nothing left to ask about this conversation.
      await conversations.loggedElsewhere(draft.sourceRef);
      return result;
    },

    // Issue 5: an invitation's .ics, fetched by the content script, parsed here where ical.js lives.
    async 'invites:parse'({ icsText }) {
      return parseInviteForPage(icsText);
    },

    async 'interactions:status'({ refs, mode }) {
      const settings = await loadSettings();
      const unique = [...new Set(refs)];
      const cached = await readRefs(db, unique);
      if (mode === 'cache' || unique.length === 0) {
        return { results: await statuses(unique, cached, settings), offline: null };
      }
      const answer = await fresh(settings, (c) => c.loggedRefs(unique));
      if (!answer.value) return { results: await statuses(unique, cached, settings), offline: answer.offline };
      const at = new Date(now()).toISOString();
      const logged = new Map(answer.value.results.map((r) => [r.ref, r]));
      const records = new Map<string, RefRecord>();
      for (const ref of unique) {
        const record = recordFromHub(ref, logged.get(ref), cached.get(ref), at);
        if (record) records.set(ref, record);
      }
      await writeRefs(db, [...records.values()]);
      return { results: await statuses(unique, records, settings), offline: null };
    },

    async 'outbox:list'() {
      return { items: await outbox.list() };
    },

    async 'outbox:retry'({ id }) {
      const ok = await outbox.retry(id);
      if (ok) deps.kick();
      return { ok };
    },

    async 'outbox:discard'({ id }) {
      return { ok: await outbox.discard(id) };
    },

    async 'settings:get'() {
      return settingsView();
    },

    async 'settings:save'(update) {
      const before = await loadSettings();
      const beforeToken = await readToken();
      const after = await saveSettings(update);
      const token = await readToken();
      // A new hub or token: learn who we are there (team domains) now, so the sidebar is right at once.
      if ((after.hubUrl !== before.hubUrl || token !== beforeToken) && after.hubUrl && token) {
        try {
          await saveIdentity(await hubFor(after.hubUrl, token).me());
          deps.kick({ force: true });
        } catch {
          // The options page runs "Test connection" for the reason; saving must not fail because the hub is away.
        }
      }
      return settingsView();
    },

    async 'settings:test'({ hubUrl, token, save }) {
      const settings = await loadSettings();
      const savedToken = await readToken();
      // A managed hub URL cannot be swapped out for a test either: the token must only ever go to that hub.
      const url = settings.managed.includes('hubUrl') ? settings.hubUrl : (hubUrl ?? settings.hubUrl);
      const testToken = token?.trim() ? token.trim() : savedToken;
      let me: Me;
      try {
        me = await hubFor(url, testToken).me();
      } catch (error) {
        // A failed test saves nothing: what worked before keeps working.
        return { ok: false, reason: offlineReasonOf(error) };
      }
      // What the hub just accepted is saved at once when asked (the options page's Test connection): a newcomer
      // who tests and goes to their mail is connected, with nothing else to press.
      const saving = save === true && (url !== settings.hubUrl || testToken !== savedToken);
      if (saving) await saveSettings({ ...(settings.managed.includes('hubUrl') ? {} : { hubUrl: url }), ...(testToken ? { token: testToken } : {}) });
      const stored = await loadSettings();
      if (stored.hubUrl === url.trim().replace(/\/+$/, '') && (await readToken()) === testToken) {
        await saveIdentity(me);
        await hubIsBack();
      }
      return { ok: true, me, ...(save === true ? { saved: true } : {}) };
    },

    async 'options:open'() {
      await browser.runtime.openOptionsPage();
      return { ok: true };
    },

    // Issue 13: "Sign in to your hub" — the identity flow, the token kept here, the identity learnt at once.
    async 'hub:connect'({ hubUrl }) {
      const result = await connectHub(hubUrl, { hubFor });
      if (result.ok) deps.kick({ force: true });
      return result;
    },

    async 'account:detected'({ email }) {
      await noteDetectedAccount(email);
      return { ok: true };
    },

    async 'prompt:seen'({ candidate }, { tabId }) {
      return { verdict: await conversations.seen(candidate, tabId) };
    },

    async 'prompt:left'({ ref, reason, candidate }, { tabId }) {
      return { verdict: await conversations.left(ref, reason, candidate, tabId) };
    },

    async 'prompt:answer'({ ref, answer, note, outcome, followUp }) {
      return conversations.answer(ref, answer, { note, outcome, followUp });
    },

    async 'unlogged:list'() {
      return conversations.list();
    },

    async 'unlogged:log'({ ref }) {
      return conversations.logListed(ref);
    },

    async 'unlogged:dismiss'({ ref }) {
      return { ok: await conversations.dismiss(ref) };
    },

    async 'unlogged:clear'() {
      return { cleared: await conversations.clear() };
    },

    // ---- Issue 12: heads-ups, tasks, edits and ownership through the outbox; the change counter ----
    async 'contacts:act'({ act, about }) {
      const settings = await loadSettings();
      const skip = neverLogged(settings);
      // A never-log address is neither sent nor named: the label and the cache keys leave it out.
      const emails = about.emails.filter((e) => !skip(e));
      const subject = { name: emails.length ? about.name : null, emails };
      const result = await outbox.enqueueAction(actionRequest(act), actionLabel(act, subject), emails);
      if (!result.duplicate) deps.kick();
      return { outboxId: result.outboxId, state: result.state };
    },

    async 'tasks:list'({ contactId, mine, mode }) {
      const key = tasksCacheKey(mine ? null : contactId);
      const cached = ((await db.get('meta', key)) as { items: Task[] } | undefined)?.items ?? null;
      if (mode === 'cache' || (!mine && !contactId)) return { items: cached, offline: null };
      const answer = await fresh(await loadSettings(), (c) => c.tasks({ contactId, mine }));
      if (!answer.value) return { items: cached, offline: answer.offline };
      await db.put('meta', { items: answer.value.items }, key);
      return { items: answer.value.items, offline: null };
    },

    async 'team:members'() {
      const settings = await loadSettings();
      const me = settings.me?.member.id ?? null;
      const answer = await fresh(settings, (c) => c.members());
      const strip = ({ id, name, email, department }: MemberRef): MemberRef => ({ id, name, email, department });
      if (answer.value) {
        const items = answer.value.items.map(strip);
        await db.put('meta', items, 'members');
        return { items, me };
      }
      return { items: ((await db.get('meta', 'members')) as MemberRef[] | undefined) ?? [], me };
    },

    async 'contacts:flagged'() {
      const skip = neverLogged(await loadSettings());
      return { results: (await readFlagged(db)).filter((c) => !skip(c.email)).map((c) => c.result) };
    },

    async 'changes:check'() {
      if (now() - changesAskedAt < 20_000) return { changed: false };
      changesAskedAt = now();
      const settings = await loadSettings();
      if (!settings.hubUrl) return { changed: false };
      const seen = (await browser.storage.local.get(TEAM_VERSION_KEY))[TEAM_VERSION_KEY] as { version?: string; etag?: string | null } | undefined;
      const answer = await fresh(settings, (c) => c.changes(seen?.etag ?? null));
      // Unchanged (304), or the hub away: nothing to revalidate.
      if (!answer.value || answer.value.version === seen?.version) return { changed: false };
      await browser.storage.local.set({ [TEAM_VERSION_KEY]: { version: answer.value.version, etag: answer.value.etag, at: new Date(now()).toISOString() } });
      return { changed: seen?.version != null };
    },
  };
  return Object.assign(handlers, { conversations });
}
