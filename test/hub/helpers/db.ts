/**
 * A migrated, empty database for one test file: embedded PGlite in memory by default, or — when DATABASE_URL
 * is set (CI sets it) — a brand-new database on that PostgreSQL server, dropped again on close. The same
 * tests therefore run on both engines the hub supports.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db } from '../../../hub/db/index.ts';
import { migrate } from '../../../hub/db/migrate.ts';

export const engineName = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export async function freshDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
    return db;
  }
  const name = `liaison_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: target.toString(), poolSize: 25 });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
}
