import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../hub/db/index.ts';
import { loadMigrations, migrate } from '../../hub/db/migrate.ts';
import { engineName, freshDb } from './helpers/db.ts';

describe(`migrations (${engineName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb(); // already migrated once from empty
  });
  afterAll(() => db.close());

  it('builds the whole schema from an empty database and records each version', async () => {
    const tables = (await db.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()")).map((r) => r.t);
    for (const t of ['teams', 'members', 'tokens', 'companies', 'contacts', 'contact_emails', 'interactions', 'interaction_loggers', 'interaction_participants', 'attendance', 'flags', 'tasks', 'idempotency_keys', 'schema_migrations']) {
      expect(tables).toContain(t);
    }
    const versions = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
    expect(versions).toEqual(loadMigrations().map((m) => m.version));
  });

  it('is a no-op when run again', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('refuses to start when a released migration was edited', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-mig-'));
    const real = loadMigrations();
    for (const m of real) writeFileSync(path.join(dir, `${m.name}.sql`), m.sql);
    const first = real[0]!;
    writeFileSync(path.join(dir, `${first.name}.sql`), `${first.sql}\n-- edited later\n`);
    await expect(migrate(db, loadMigrations(dir))).rejects.toThrow(/edited after it was applied/);
  });

  it('keeps the data-model invariants in the database itself', async () => {
    const [{ id: team }] = (await db.query<{ id: string }>("INSERT INTO teams (name) VALUES ('T') RETURNING id")) as [{ id: string }];
    // Upper-case addresses never reach the table: comparison is lower-cased by construction.
    await expect(db.query("INSERT INTO members (team_id, name, email, department, role) VALUES ($1, 'x', 'X@Y.COM', 'sales', 'member')", [team])).rejects.toThrow();
    await expect(db.query("INSERT INTO members (team_id, name, email, department, role) VALUES ($1, 'x', 'x@y.com', 'finance', 'member')", [team])).rejects.toThrow();
  });

  it('names migration files so they apply in order', () => {
    const files = readdirSync(path.join('hub', 'db', 'migrations'));
    expect(files.every((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))).toBe(true);
    expect(readFileSync(path.join('hub', 'db', 'migrations', files[0]!), 'utf8')).toContain('CREATE TABLE teams');
  });
});
