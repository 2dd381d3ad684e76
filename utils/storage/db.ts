/**
 * The background's IndexedDB database (idb). One object store per kind of thing, each read by its primary key,
 * so a cache read is one keyed `get` whatever the cache holds (budget: ≤ 2 ms with 100,000 contacts).
 *
 * Bump DB_VERSION and add a step to `upgrade` for any change of stores or indexes; never edit an old step.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { FLAG_KINDS_BEFORE_WRITING, type LookupResult } from '../../shared/wire-types';
import type { AdoptionRecord, CachedContact, CachedTimeline, ConversationRecord, OutboxEntry, RefRecord } from './types';

const BEFORE_WRITING = new Set<string>(FLAG_KINDS_BEFORE_WRITING);

/** Whether a lookup result carries an open heads-up that matters before writing (the `flagged` store's rule). */
export function headsUpBeforeWriting(result: LookupResult, now = Date.now()): boolean {
  return (result.contact?.openFlags ?? []).some((f) => f.open && BEFORE_WRITING.has(f.kind) && (!f.until || Date.parse(f.until) > now));
}

export const DB_NAME = 'liaison';
const DB_VERSION = 3;

export interface LiaisonDbSchema extends DBSchema {
  contacts: { key: string; value: CachedContact };
  timelines: { key: [string, string]; value: CachedTimeline };
  refs: { key: string; value: RefRecord };
  outbox: {
    key: string;
    value: OutboxEntry;
    indexes: { 'by-sourceRef': string; 'by-state': string };
  };
  /** Small facts that must survive the worker: e.g. when the hub was last reachable. */
  meta: { key: string; value: unknown };
  /** Customer conversations not (yet) logged: the leave prompt's memory and the "Unlogged conversations" list. */
  conversations: { key: string; value: ConversationRecord; indexes: { 'by-state': string } };
  /** What became of each conversation, for the popup's local adoption counts. */
  adoption: { key: string; value: AdoptionRecord; indexes: { 'by-seenAt': number } };
  /**
   * Issue 12: the cached contacts that carry an open heads-up that matters before writing (do not contact, an open
   * service or billing issue, churn risk), kept beside `contacts` by every cache write. A mail page loads them once,
   * so a heads-up beside a compose window needs no round trip when the recipient is added (the worker may be asleep).
   */
  flagged: { key: string; value: CachedContact };
}

export type LiaisonDb = IDBPDatabase<LiaisonDbSchema>;

export function openLiaisonDb(name: string = DB_NAME): Promise<LiaisonDb> {
  return openDB<LiaisonDbSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        db.createObjectStore('contacts', { keyPath: 'email' });
        db.createObjectStore('timelines', { keyPath: ['contactId', 'cursor'] });
        db.createObjectStore('refs', { keyPath: 'ref' });
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        // Entries without a sourceRef (create-contact) hold null there and are simply left out of this index.
        outbox.createIndex('by-sourceRef', 'sourceRef');
        outbox.createIndex('by-state', 'state');
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        const conversations = db.createObjectStore('conversations', { keyPath: 'ref' });
        conversations.createIndex('by-state', 'state');
        const adoption = db.createObjectStore('adoption', { keyPath: 'ref' });
        adoption.createIndex('by-seenAt', 'seenAt');
      }
      if (oldVersion < 3) {
        const flagged = db.createObjectStore('flagged', { keyPath: 'email' });
        // What the cache already holds counts from the start (one pass, once, inside the upgrade).
        if (oldVersion >= 1) {
          void transaction
            .objectStore('contacts')
            .getAll()
            .then((all) => Promise.all(all.filter((c) => headsUpBeforeWriting(c.result)).map((c) => flagged.put(c))));
        }
      }
    },
  });
}
