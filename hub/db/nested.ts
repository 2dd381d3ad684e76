/**
 * A `Db` view of an open transaction, so repo functions that start their own transaction (logInteraction,
 * setAttendance) can run inside a bigger one — a CSV import or the demo seed is written whole or not at all.
 * Each inner "transaction" is a SAVEPOINT: when it throws, only its own writes are undone and the outer
 * transaction stays usable (PostgreSQL otherwise refuses every statement after an error until ROLLBACK).
 */
import type { Db, Queryable } from './index.ts';

let savepointCounter = 0;

export function nestedDb(tx: Queryable, engine: Db['engine']): Db {
  return {
    engine,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    async transaction(fn) {
      const name = `liaison_sp_${++savepointCounter}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
    async health() {
      return { ok: true };
    },
    noteFault() {},
    async close() {
      // The outer Db owns the connection.
    },
  };
}
