/**
 * One request budget per CRM account, kept in PostgreSQL so that every hub process (and every team connected to
 * the same account) draws on the same one — never a storm of 429s from processes that each think they have the
 * whole allowance.
 *
 * The CRM counts a rolling window (HubSpot: at most N requests in any 10 seconds). A token bucket would let
 * 2N−1 requests into one such window (a full bucket, then the refill rate), so the budget is a sliding log
 * instead: the row holds the start times of the last N requests, and a request may start once the N-th latest
 * one is a window (plus a safety margin for network jitter) old. Taking a slot is one UPDATE that reserves the
 * earliest allowed start time under the row lock and returns it; the caller sleeps until then. Times come from
 * the database's clock, the one clock all processes share.
 *
 * A request that leaves later than its slot — it waited out a 429's pause, or its process was busy when the slot
 * came — moves its slot to when it really left (`depart`): the CRM counts it from then, for a whole window, and a
 * log that still said the earlier time would let another request out too soon ten seconds later (a 429 that
 * echoes every ten seconds). The log is kept newest first, and the N-th latest is found by sorting, since a moved
 * slot can overtake others.
 *
 * A 429 sets `blocked_until` (Retry-After, or a default) on the row: every process waits it out, once.
 */
import type { Queryable } from '../db/index.ts';

export interface Budget {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Added to the window: requests leave here a little before the CRM counts them. */
  marginMs: number;
  /** Requests per day (UTC); 0 = no daily bookkeeping. */
  daily: number;
}

export interface Reservation {
  /** How long to wait before sending, ms. */
  waitMs: number;
  /** Requests counted today on this bucket, this one included. */
  dayCount: number;
  /** The slot taken, as the database wrote it: `depart` moves it to when the request really left. */
  slot: string;
}

export async function reserve(db: Queryable, bucket: string, b: Budget): Promise<Reservation> {
  const [row] = await db.query<{ wait_ms: number; day_count: number; slot: string }>(
    `WITH ensure AS (INSERT INTO connector_rate (bucket) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1),
          cur AS (SELECT slots, blocked_until, day, day_count, clock_timestamp() AS now
                    FROM connector_rate WHERE bucket = $1 FOR UPDATE),
          calc AS (SELECT cur.*, greatest(
                      cur.now,
                      coalesce(cur.blocked_until, '-infinity'::timestamptz),
                      CASE WHEN cardinality(cur.slots) >= $2
                           THEN (SELECT x FROM unnest(cur.slots) x ORDER BY x DESC OFFSET $2 - 1 LIMIT 1) + make_interval(secs => $3::float8 / 1000)
                           ELSE '-infinity'::timestamptz END) AS start
                     FROM cur)
     UPDATE connector_rate r SET
       slots = ARRAY(SELECT x FROM unnest(calc.slots || calc.start) x ORDER BY x DESC LIMIT $2),
       day = (calc.now AT TIME ZONE 'UTC')::date,
       day_count = CASE WHEN calc.day = (calc.now AT TIME ZONE 'UTC')::date THEN calc.day_count + 1 ELSE 1 END,
       total = r.total + 1
     FROM calc WHERE r.bucket = $1
     RETURNING greatest(0, extract(epoch FROM calc.start - calc.now) * 1000)::float8 AS wait_ms, r.day_count, calc.start::text AS slot`,
    [bucket, b.limit, b.windowMs + b.marginMs],
  );
  if (!row) {
    // The row did not exist yet: the INSERT in the CTE is not visible to the UPDATE of the same statement.
    return reserve(db, bucket, b);
  }
  return { waitMs: Number(row.wait_ms), dayCount: row.day_count, slot: row.slot };
}

/** The request is leaving now: its slot moves to now if that is later than the slot (see the file comment). */
export async function depart(db: Queryable, bucket: string, slot: string): Promise<void> {
  await db.query(
    `UPDATE connector_rate SET slots = array_replace(slots, $2::timestamptz, clock_timestamp())
      WHERE bucket = $1 AND clock_timestamp() > $2::timestamptz AND $2::timestamptz = ANY(slots)`,
    [bucket, slot],
  );
}

/** After a 429: nobody on this bucket sends before `ms` from now. */
export async function block(db: Queryable, bucket: string, ms: number): Promise<void> {
  await db.query(
    `INSERT INTO connector_rate (bucket, blocked_until, rejected) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000), 1)
     ON CONFLICT (bucket) DO UPDATE SET
       blocked_until = greatest(coalesce(connector_rate.blocked_until, '-infinity'::timestamptz), excluded.blocked_until),
       rejected = connector_rate.rejected + 1`,
    [bucket, ms],
  );
}

/** How long a 429's pause still has to run on this bucket, ms (0 when none). */
export async function blockedMs(db: Queryable, bucket: string): Promise<number> {
  const [row] = await db.query<{ ms: number }>(
    `SELECT greatest(0, extract(epoch FROM blocked_until - clock_timestamp()) * 1000)::float8 AS ms FROM connector_rate WHERE bucket = $1`,
    [bucket],
  );
  return Number(row?.ms ?? 0);
}

export async function usage(db: Queryable, bucket: string): Promise<{ usedToday: number; rejected: number; total: number }> {
  const [row] = await db.query<{ used: number; rejected: string; total: string }>(
    `SELECT CASE WHEN day = (now() AT TIME ZONE 'UTC')::date THEN day_count ELSE 0 END AS used, rejected, total
       FROM connector_rate WHERE bucket = $1`,
    [bucket],
  );
  return { usedToday: row?.used ?? 0, rejected: Number(row?.rejected ?? 0), total: Number(row?.total ?? 0) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
