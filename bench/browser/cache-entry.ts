// Bundled by bench/extension.ts into a page: the background's real IndexedDB cache code, in real Chromium.
import { openLiaisonDb } from '../../utils/storage/db';
import { readContacts, writeContacts } from '../../utils/storage/cache';
import type { LookupResult } from '../../shared/wire-types';

const contact = (i: number): LookupResult => ({
  email: `person${i}@company${i % 5000}.example`,
  member: null,
  contact: {
    id: String(i), name: `Person ${i}`, title: 'Director', emails: [`person${i}@company${i % 5000}.example`],
    company: { id: String(i % 5000), name: `Company ${i % 5000}`, domains: [`company${i % 5000}.example`] },
    owner: { id: '1', name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales' },
    openFlags: [], lastInteraction: null,
    countsByDepartment: { sales: 3, marketing: 1, support: 0, it: 0, leadership: 0, other: 0 }, totalInteractions: 4,
    attendance: { meetings: 0, attended: 0, late: 0, noShow: 0, excused: 0, lastNoShowAt: null },
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  },
});

/**
 * `count` different numbers below `n`. Picks with replacement can repeat an address (a thread names each person
 * once), and a repeated pick finds one cached contact where two were expected.
 */
function distinctPicks(count: number, n: number): number[] {
  if (count > n) throw new Error(`cannot pick ${count} distinct of ${n}`);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(Math.random() * n));
  return [...picked];
}

(window as any).__cacheBench = {
  async fill(n: number) {
    const db = await openLiaisonDb('liaison-bench');
    for (let start = 0; start < n; start += 5000) {
      await writeContacts(db, Array.from({ length: Math.min(5000, n - start) }, (_, k) => contact(start + k)), new Date().toISOString());
    }
    db.close();
  },
  /** Times `rounds` thread-sized lookups (10 addresses, 8 cached) and returns each duration in ms. */
  async lookups(n: number, rounds: number) {
    const db = await openLiaisonDb('liaison-bench');
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const emails = distinctPicks(8, n).map((i) => contact(i).email).concat([`nobody${r}@x.example`, `none${r}@y.example`]);
      const t = performance.now();
      const found = await readContacts(db, emails);
      times.push(performance.now() - t);
      if (found.size !== 8) throw new Error(`expected 8 cached, got ${found.size}`);
    }
    db.close();
    return times;
  },
};
