/**
 * The command line as an administrator uses it, in real child processes on embedded PostgreSQL — beside a
 * running hub, as the README tells admins to: create a team, add a member (token on the last line), use and
 * revoke the token, import a CSV; and `start` — the README's main command — serving the demo team, stopping cleanly on Ctrl-C, and keeping
 * its data (and the demo token) across a restart.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, cli as runCli, freePort, postmasterPid, startHub, waitUntil } from './helpers/processes.ts';

const tsx = path.resolve('node_modules/.bin/tsx');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liaison-cli-'));
const env = { ...process.env, LIAISON_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', LIAISON_SKIP_BUILD: '1' };
const cli = (...args: string[]) => {
  const res = spawnSync(tsx, ['hub/cli.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  const lines = res.stdout.trim().split('\n');
  return { code: res.status, out: res.stdout, err: res.stderr, last: lines[lines.length - 1]!.trim() };
};

async function withStartedHub<T>(port: number, fn: (url: string, out: () => string) => Promise<T>): Promise<{ result: T; exitCode: number | null; out: string }> {
  const child = spawn(tsx, ['hub/cli.ts', 'start', '--no-build'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 600 && !/Press Ctrl-C/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  expect(out).toMatch(/Press Ctrl-C/);
  const result = await fn(`http://127.0.0.1:${port}`, () => out);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  return { result, exitCode: await exited, out };
}

// Runs once, in the embedded pass: the commands run on embedded PostgreSQL whatever the pass.
describe.skipIf(!!process.env.DATABASE_URL)('hub command line (embedded PostgreSQL)', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has --help on every command', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    for (const command of ['start', 'serve', 'migrate', 'create-team', 'add-member', 'revoke-token', 'import', 'seed-demo', 'backup', 'restore']) {
      expect(top.out).toContain(command);
      const help = cli(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.out, command).toMatch(/npm (start|run hub)/);
    }
    const bad = cli('add-member', '--nonsense');
    expect(bad.code).toBe(2);
  });

  it('starts with the demo team, stops cleanly on Ctrl-C, and keeps data and token across a restart', async () => {
    const port = await freePort();
    const first = await withStartedHub(port, async (url, out) => {
      const token = /Demo token:\s+(lia_\S+)/.exec(out())![1]!;
      const me = await (await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
      expect(me.member.name).toBe('Dana Reyes');
      const look = await (await fetch(`${url}/v1/lookup`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ emails: ['jane.doe@acme-corp.com'] }) })).json();
      expect(look.results[0].contact.openFlags[0].kind).toBe('open-service-issue');
      const logged = await fetch(`${url}/v1/interactions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'cli-test-key-1' },
        body: JSON.stringify({ kind: 'note', occurredAt: '2026-11-22T09:00:00Z', subject: 'Survives restart', sourceRef: 'restart-check', participants: [{ email: 'jane.doe@acme-corp.com' }] }),
      });
      expect(logged.status).toBe(201);
      return token;
    });
    expect(first.out).toMatch(/Seeded the demo team/);
    expect(first.exitCode).toBe(0);
    const second = await withStartedHub(port, async (url, out) => {
      expect(out()).not.toMatch(/Seeded the demo team/);
      expect(out()).toContain(first.result);
      const refs = await (await fetch(`${url}/v1/interactions/logged`, { method: 'POST', headers: { authorization: `Bearer ${first.result}`, 'content-type': 'application/json' }, body: JSON.stringify({ refs: ['restart-check'] }) })).json();
      expect(refs.results).toHaveLength(1);
    });
    expect(second.exitCode).toBe(0);
  }, 120_000);

  it('works beside a running hub: one server, a new token works at once, an import shows at once, a revocation within 2 s', async () => {
    const hub = await startHub(dataDir, 'serve');
    try {
      const server = postmasterPid(dataDir);
      expect(server).not.toBeNull();
      const team = await runCli(dataDir, 'create-team', '--name', 'Acme Sales', '--domains', 'acme-sales.example');
      expect(team.code).toBe(0);
      expect(team.last).toMatch(/^\d+$/);
      const member = await runCli(dataDir, 'add-member', '--team', 'Acme Sales', '--name', 'Ann Admin', '--email', 'ann@acme-sales.example', '--department', 'sales', '--role', 'admin');
      expect(member.code).toBe(0);
      expect(member.last).toMatch(/^lia_[A-Za-z0-9_-]{43}$/);
      // The running hub answers the token the CLI just printed: both wrote to the one server.
      expect((await api(hub.url, member.last, 'GET', '/v1/me')).body.member.name).toBe('Ann Admin');
      const badDept = await runCli(dataDir, 'add-member', '--team', 'Acme Sales', '--name', 'X', '--email', 'x@acme-sales.example', '--department', 'finance');
      expect(badDept.code).not.toBe(0);
      expect(badDept.err).toMatch(/--department must be one of/);

      const csv = path.join(dataDir, 'contacts.csv');
      writeFileSync(csv, 'email,name,title,company\nkim@client.example,Kim Client,CFO,Client Co\nnot-an-address,Bad Row,,\n');
      const imported = await runCli(dataDir, 'import', '--team', 'Acme Sales', '--file', csv);
      expect(imported.code).toBe(0);
      expect(imported.out).toMatch(/Imported: 1\. Skipped: 1\./);
      expect(imported.out).toMatch(/line 3: skipped/);
      const look = await api(hub.url, member.last, 'POST', '/v1/lookup', { emails: ['kim@client.example'] });
      expect(look.body.results[0].contact).toMatchObject({ name: 'Kim Client', title: 'CFO', company: { name: 'Client Co' } });
      const broken = path.join(dataDir, 'broken.csv');
      writeFileSync(broken, 'email,name\n"unterminated@client.example,Oops\n');
      const rejected = await runCli(dataDir, 'import', '--team', 'Acme Sales', '--file', broken);
      expect(rejected.code).toBe(1);
      expect(rejected.err).toMatch(/Nothing imported/);

      const revoked = await runCli(dataDir, 'revoke-token', '--token', member.last);
      const revokedAt = Date.now();
      expect(revoked.code).toBe(0);
      expect(revoked.out).toMatch(/Revoked 1 token/);
      await waitUntil(async () => (await api(hub.url, member.last, 'GET', '/v1/me')).status === 401, 5_000, 'the revoked token to get 401');
      // The hub remembers a checked token for at most 2 s (README); allow for the request's own time.
      expect(Date.now() - revokedAt).toBeLessThan(2_500);
      expect((await runCli(dataDir, 'revoke-token', '--token', member.last)).code).toBe(1);

      // Every command attached to the hub's server and left it running: one server, the same process.
      expect(postmasterPid(dataDir)).toBe(server);
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    } finally {
      const stopped = await hub.stop('SIGTERM');
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(5_000);
    }
    // The hub was the last one attached: it stopped the server on its way out.
    expect(postmasterPid(dataDir)).toBeNull();
  }, 180_000);
});
