/**
 * The request budget every hub process shares for one CRM account (hub/connectors/limiter.ts): a sliding log of
 * the last N start times in PostgreSQL. What is asserted is which request must wait for which, with windows short
 * enough for a test and tolerances wide enough for a busy machine; the real figures are in the benchmark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../hub/db/index.ts';
import { block, depart, reserve, usage, type Budget } from '../../hub/connectors/limiter.ts';
import { engineName, freshDb } from './helpers/db.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const budget: Budget = { limit: 2, windowMs: 1_000, marginMs: 0, daily: 0 };

describe(`connector request budget (${engineName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(() => db.close());

  it('lets N requests go at once, and the next one only when the oldest is a window old', async () => {
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push((await reserve(db, 'test:a:burst', budget)).waitMs);
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBe(0);
    expect(waits[2]).toBeGreaterThan(800);
    expect(waits[2]).toBeLessThanOrEqual(1_000);
    // The one after that waits for the second slot, a window after it.
    expect((await reserve(db, 'test:a:burst', budget)).waitMs).toBeGreaterThan(800);
    expect((await usage(db, 'test:a:burst')).total).toBe(4);
  });

  it('counts a request that left late from when it left, so that the next window is not opened too soon', async () => {
    // Two buckets, each with two requests that leave 300 ms after their slots; only one bucket is told.
    const told = [await reserve(db, 'test:told:burst', budget), await reserve(db, 'test:told:burst', budget)];
    await reserve(db, 'test:untold:burst', budget);
    await reserve(db, 'test:untold:burst', budget);
    await sleep(300);
    for (const r of told) await depart(db, 'test:told:burst', r.slot);
    const untold = (await reserve(db, 'test:untold:burst', budget)).waitMs;
    const afterDepart = (await reserve(db, 'test:told:burst', budget)).waitMs;
    // Untold, the third request may go a window after the slots (about 700 ms from now); told, a window after
    // the requests really left (about 1,000 ms from now).
    expect(untold).toBeLessThan(800);
    expect(afterDepart).toBeGreaterThan(untold + 150);
    expect(afterDepart).toBeLessThanOrEqual(1_000);
  });

  it('leaves a slot alone when its request left on time', async () => {
    await reserve(db, 'test:ontime:burst', budget);
    await reserve(db, 'test:ontime:burst', budget);
    const future = await reserve(db, 'test:ontime:burst', budget); // due in about a second
    expect(future.waitMs).toBeGreaterThan(800);
    await depart(db, 'test:ontime:burst', future.slot); // "leaving" before its slot: nothing moves
    const [row] = await db.query<{ has: boolean }>('SELECT $2::timestamptz = ANY(slots) AS has FROM connector_rate WHERE bucket = $1', ['test:ontime:burst', future.slot]);
    expect(row!.has).toBe(true);
  });

  it('holds every request back while a 429 pause runs, and counts the 429', async () => {
    await block(db, 'test:blocked:burst', 600);
    const r = await reserve(db, 'test:blocked:burst', { ...budget, limit: 100 });
    expect(r.waitMs).toBeGreaterThan(400);
    expect((await usage(db, 'test:blocked:burst')).rejected).toBe(1);
  });
});
