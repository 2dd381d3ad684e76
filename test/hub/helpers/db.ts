/**
 * A migrated, empty database for one test file: a brand-new database on the run's PostgreSQL server (the
 * embedded one by default, DATABASE_URL's when set — see postgres.setup.ts), dropped again on close. The same
 * tests therefore run on the embedded default (PostgreSQL 17 from npm) and on the external server CI starts.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../../hub/db/index.ts';
import { migrate } from '../../../hub/db/migrate.ts';

export const engineName = inject('pgEngine');

/** A new, empty database on the test server; returns its URL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject('pgUrl');
  const name = `liaison_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(server);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function freshDb(): Promise<Db & { url: string }> {
  const { url, drop } = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: url, engine: engineName, poolSize: 25 });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    url,
    async close() {
      await close();
      await drop();
    },
  });
}
