/**
 * One data folder, one PostgreSQL server, whatever runs on it — with real processes:
 *  - two `serve` processes on one folder share its one server (a write through one is read through the other),
 *    the second says which process already runs it, and the server stops with the last hub to leave;
 *  - `backup` while the hub serves, `restore` into a new folder: the same team, contacts and timeline; a
 *    damaged file restores nothing; a folder that has data is only replaced with --force, after saving it;
 *  - a data folder an earlier version left on PGlite is moved into the embedded server on first start.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, cli, postmasterPid, startHub, tempDataDir } from './helpers/processes.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};

describe.skipIf(!!process.env.DATABASE_URL)('one server per data folder (real processes)', () => {
  it('two hubs on one folder share its server; it stops with the last one', async () => {
    const dataDir = newDir();
    const a = await startHub(dataDir, 'serve');
    const b = await startHub(dataDir, 'serve');
    try {
      const server = postmasterPid(dataDir);
      expect(b.output()).toContain(`already running as process ${server}`);
      const team = await cli(dataDir, 'create-team', '--name', 'Shared', '--domains', 'shared.example');
      const member = await cli(dataDir, 'add-member', '--team', team.last, '--name', 'Sue', '--email', 'sue@shared.example', '--department', 'sales');
      const token = member.last;
      const created = await api(a.url, token, 'POST', '/v1/contacts', { name: 'Pat Partner', emails: ['pat@partner.example'] });
      expect(created.status).toBe(201);
      const seen = await api(b.url, token, 'POST', '/v1/lookup', { emails: ['pat@partner.example'] });
      expect(seen.body.results[0].contact.id).toBe(created.body.id);

      expect((await a.stop('SIGTERM')).code).toBe(0);
      // B is still attached: the server stays, and B keeps serving.
      expect(postmasterPid(dataDir)).toBe(server);
      expect((await api(b.url, token, 'GET', `/v1/contacts/${created.body.id}`)).status).toBe(200);
    } finally {
      await a.stop('SIGTERM');
      const last = await b.stop('SIGTERM');
      expect(last.code).toBe(0);
      expect(last.ms).toBeLessThan(5_000);
    }
    expect(postmasterPid(dataDir)).toBeNull();
  }, 120_000);

  it('backs up while serving and restores into a new folder, all or nothing', async () => {
    const source = newDir();
    const hub = await startHub(source, 'start');
    const token = /Demo token:\s+(lia_\S+)/.exec(hub.output())![1]!;
    const file = path.join(source, 'team.backup');
    let before: { lookup: unknown; timeline: unknown };
    try {
      const jane = (await api(hub.url, token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] })).body.results[0].contact;
      before = { lookup: jane, timeline: (await api(hub.url, token, 'GET', `/v1/contacts/${jane.id}/timeline?limit=100`)).body };
      const backup = await cli(source, 'backup', '--out', file);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.last).toBe(file);
      expect(backup.out).toMatch(/Backed up \d+ rows from \d+ tables/);
      // Refuses to overwrite a file.
      expect((await cli(source, 'backup', '--out', file)).code).not.toBe(0);
      // A hub runs on the source: restore refuses to touch it.
      const busy = await cli(source, 'restore', '--from', file, '--force');
      expect(busy.code).not.toBe(0);
      expect(busy.err).toMatch(/a hub is using this database/);
    } finally {
      await hub.stop('SIGTERM');
    }

    // A cut-short file restores nothing.
    const target = newDir();
    const cut = path.join(target, 'cut.backup');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const damaged = await cli(target, 'restore', '--from', cut);
    expect(damaged.code).not.toBe(0);
    expect(damaged.err, damaged.err).toMatch(/nothing restored|damaged|cut short/);

    const restored = await cli(target, 'restore', '--from', file);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/Restored \d+ rows/);
    const again = await cli(target, 'restore', '--from', file);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/--force/);

    const copy = await startHub(target, 'serve');
    try {
      const jane = (await api(copy.url, token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] })).body.results[0].contact;
      expect(jane).toEqual(before.lookup);
      expect((await api(copy.url, token, 'GET', `/v1/contacts/${jane.id}/timeline?limit=100`)).body).toEqual(before.timeline);
      // New rows continue after the restored ids.
      const added = await api(copy.url, token, 'POST', '/v1/contacts', { name: 'After Restore', emails: ['after@restore.example'] });
      expect(added.status).toBe(201);
      expect(Number(added.body.id)).toBeGreaterThan(Number(jane.id));
    } finally {
      await copy.stop('SIGTERM');
    }

    // --force replaces the data, after saving what was there.
    const forced = await cli(target, 'restore', '--from', file, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readdirSync(target).some((f) => /^before-restore-.*\.backup$/.test(f))).toBe(true);
    // The command left the server as it found it: stopped.
    expect(postmasterPid(target)).toBeNull();
    const after = await startHub(target, 'serve');
    try {
      const gone = await api(after.url, token, 'POST', '/v1/lookup', { emails: ['after@restore.example'] });
      expect(gone.body.results[0].contact).toBeNull();
    } finally {
      await after.stop('SIGTERM');
    }
  }, 180_000);

  it('moves a data folder an earlier version left on PGlite into the embedded server', async () => {
    const dataDir = newDir();
    // What an earlier version wrote: PGlite's files at the top of the data folder, at that version's schema (the first
    // migration), with a team.
    const { PGlite } = await import('@electric-sql/pglite');
    const { loadMigrations, migrate } = await import('../../hub/db/migrate.ts');
    const { createTeam, addMember } = await import('../../hub/repo/teams.ts');
    const lite = await PGlite.create(dataDir);
    const q = { query: async (sql: string, p?: unknown[]) => (await lite.query(sql, p as unknown[])).rows as any[], exec: async (sql: string) => void (await lite.exec(sql)) };
    await migrate({ ...q, engine: 'embedded', transaction: (fn) => lite.transaction((tx) => fn({ query: async (s, p) => (await tx.query(s, p as unknown[])).rows as any[], exec: async (s) => void (await tx.exec(s)) })), health: async () => ({ ok: true }), noteFault: () => {}, close: async () => {} }, loadMigrations().filter((m) => m.version === 1));
    const teamId = await createTeam(q, 'Old Team', ['old.example']);
    const { token } = await addMember(q, teamId, { name: 'Olga Old', email: 'olga@old.example', department: 'sales', role: 'admin' });
    // The contact as that schema holds it, in SQL: today's createContact also notes the change for a connected CRM, in a
    // table the first migration does not have.
    const [co] = await q.query('INSERT INTO companies (team_id, name) VALUES ($1, $2) RETURNING id', [teamId, 'Kept Co']);
    const [kept] = await q.query('INSERT INTO contacts (team_id, name, company_id) VALUES ($1, $2, $3) RETURNING id', [teamId, 'Kept Contact', co.id]);
    await q.query('INSERT INTO contact_emails (team_id, email, contact_id) VALUES ($1, $2, $3)', [teamId, 'kept@customer.example', kept.id]);
    await lite.close();
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

    const hub = await startHub(dataDir, 'serve');
    try {
      expect((await api(hub.url, token, 'GET', '/v1/me')).body.member.name).toBe('Olga Old');
      const look = await api(hub.url, token, 'POST', '/v1/lookup', { emails: ['kept@customer.example'] });
      expect(look.body.results[0].contact).toMatchObject({ name: 'Kept Contact', company: { name: 'Kept Co' } });
    } finally {
      await hub.stop('SIGTERM');
    }
    // The old files are kept, moved aside; the move is not repeated.
    expect(existsSync(path.join(dataDir, 'pglite-before-upgrade', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pglite-before-upgrade', 'UPGRADE_PENDING'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(false);
  }, 120_000);
});
