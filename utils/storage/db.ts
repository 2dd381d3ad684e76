/**
 * The background's IndexedDB database (idb). One object store per kind of thing, each read by its primary key,
 * so a cache read is one keyed `get` whatever the cache holds (budget: ≤ 2 ms with 100,000 contacts).
 *
 * Bump DB_VERSION and add a step to `upgrade` for any change of stores or indexes; never edit an old step.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AdoptionRecord, CachedContact, CachedTimeline, ConversationRecord, OutboxEntry, RefRecord } from './types';

export const DB_NAME = 'liaison';
const DB_VERSION = 2;

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
}

export type LiaisonDb = IDBPDatabase<LiaisonDbSchema>;

export function openLiaisonDb(name: string = DB_NAME): Promise<LiaisonDb> {
  return openDB<LiaisonDbSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
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
    },
  });
}
