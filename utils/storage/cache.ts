/**
 * Cache reads and writes for stale-while-revalidate. Reads are keyed `get`s only (no scans), one transaction
 * per call, so painting from cache costs the same with ten contacts cached or a hundred thousand.
 */
import type { LookupResult, TimelinePage } from '../../shared/wire-types';
import { headsUpBeforeWriting, type LiaisonDb } from './db';
import type { CachedContact, RefRecord } from './types';

export async function readContacts(db: LiaisonDb, emails: string[]): Promise<Map<string, CachedContact>> {
  const tx = db.transaction('contacts', 'readonly');
  const found = await Promise.all(emails.map((email) => tx.store.get(email)));
  await tx.done;
  const map = new Map<string, CachedContact>();
  for (const entry of found) if (entry) map.set(entry.email, entry);
  return map;
}

export async function writeContacts(db: LiaisonDb, results: LookupResult[], fetchedAt: string): Promise<void> {
  const tx = db.transaction(['contacts', 'flagged'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const flagged = tx.objectStore('flagged');
  await Promise.all([
    ...results.map((result) => contacts.put({ email: result.email, result, fetchedAt })),
    // Issue 12: the flagged store follows every write, so a heads-up closed at the hub leaves it too.
    ...results.map((result) => (headsUpBeforeWriting(result) ? flagged.put({ email: result.email, result, fetchedAt }) : flagged.delete(result.email))),
    tx.done,
  ]);
}

/** Issue 12: the cached contacts with a heads-up that matters before writing, newest answers first, at most `limit`. */
export async function readFlagged(db: LiaisonDb, limit = 500): Promise<CachedContact[]> {
  const all = await db.getAll('flagged');
  return all.sort((a, b) => b.fetchedAt.localeCompare(a.fetchedAt)).slice(0, limit);
}

export async function readTimeline(db: LiaisonDb, contactId: string, cursor: string | null | undefined) {
  return db.get('timelines', [contactId, cursor ?? '']);
}

export async function writeTimeline(
  db: LiaisonDb,
  contactId: string,
  cursor: string | null | undefined,
  page: TimelinePage,
  fetchedAt: string,
): Promise<void> {
  await db.put('timelines', { contactId, cursor: cursor ?? '', page, fetchedAt });
}

export async function readRefs(db: LiaisonDb, refs: string[]): Promise<Map<string, RefRecord>> {
  const tx = db.transaction('refs', 'readonly');
  const found = await Promise.all(refs.map((ref) => tx.store.get(ref)));
  await tx.done;
  const map = new Map<string, RefRecord>();
  for (const entry of found) if (entry) map.set(entry.ref, entry);
  return map;
}

export async function writeRefs(db: LiaisonDb, records: RefRecord[]): Promise<void> {
  const tx = db.transaction('refs', 'readwrite');
  await Promise.all([...records.map((r) => tx.store.put(r)), tx.done]);
}
