/**
 * Transaction-scoped advisory locks that settle races between requests touching the same people.
 *
 * Why: under READ COMMITTED, a log that reads "no contact for jane@acme.com" while another request is creating
 * Jane would insert its participants without her contact id, and the creation's "attach past conversations"
 * update would not see those uncommitted rows: the log would never join her timeline. Both sides therefore lock
 * the addresses they read or claim. All of one statement's locks are taken in one global order (by lock id), so
 * two requests locking overlapping sets (the same addresses in opposite order) queue instead of deadlocking.
 */
import type { Queryable } from '../db/index.ts';

export const addressKey = (teamId: string, email: string) => `a:${teamId}:${email}`;
export const companyNameKey = (teamId: string, name: string) => `n:${teamId}:${name.toLowerCase()}`;

export async function lockKeys(tx: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  // OFFSET 0 keeps the sorted subquery from being flattened: locks are taken in the order the rows arrive.
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(s.k)) FROM (SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest($1::text[]) AS x ORDER BY 1 OFFSET 0) s`,
    [keys],
  );
}
