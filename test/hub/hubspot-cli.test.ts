/**
 * `npm run hub -- hubspot connect|status|test|pause|resume|history|disconnect` as an admin runs it: real CLI
 * processes beside a real hub process (`serve`, embedded PostgreSQL) that does the syncing, against the HubSpot
 * stand-in in this process. The token goes in from a file and never comes out: not in any command's output, not in
 * the hub's log (at debug level), not anywhere in the data folder in clear.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeHubSpot } from '../fakes/hubspot.ts';
import { api, cli, cliWithEnv, startHub, tempDataDir, waitUntil, type CliResult, type HubProcess } from './helpers/processes.ts';

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // a file PostgreSQL removed meanwhile
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        try {
          if (readFileSync(p).includes(bytes)) hits.push(p);
        } catch {
          // unreadable (a socket, a file being replaced): not ours
        }
      }
    }
  };
  walk(dir);
  return hits;
}

describe('hubspot command line, beside a running hub', () => {
  let fake: FakeHubSpot;
  let dir: string;
  let secrets: string;
  let tokenFile: string;
  let hub: HubProcess | null = null;
  let env: Record<string, string>;
  let lia: string;
  const outputs: CliResult[] = [];

  const hubspot = async (...args: string[]) => {
    const res = await cliWithEnv(dir, env, 'hubspot', ...args);
    outputs.push(res);
    return res;
  };
  const text = (r: CliResult) => `${r.out}\n${r.err}`;
  const engagementsWith = (needle: string) => fake.objects('emails').filter((e) => (e.properties.hs_email_text ?? '').includes(needle));

  beforeAll(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    const acme = fake.create('companies', { name: 'Acme Corp', domain: 'acme-corp.com' });
    fake.create('contacts', { email: 'jane.doe@acme-corp.com', firstname: 'Jane', lastname: 'Doe', associatedcompanyid: acme.id });
    dir = tempDataDir('liaison-hubspot-cli-');
    // The token file lives outside the data folder, as an admin would keep it.
    secrets = mkdtempSync(path.join(os.tmpdir(), 'liaison-hubspot-token-'));
    tokenFile = path.join(secrets, 'hubspot-token.txt');
    writeFileSync(tokenFile, `${fake.token}\n`, { mode: 0o600 });
    // No LIAISON_SECRET_KEY: on the embedded database the hub and the CLI share one they make in the data folder.
    env = { HUBSPOT_API_BASE: fake.url, LOG_LEVEL: 'debug' };
    expect((await cli(dir, 'create-team', '--name', 'CLI Co', '--domains', 'cli.example')).code).toBe(0);
    lia = (await cli(dir, 'add-member', '--team', 'CLI Co', '--name', 'Ada Admin', '--email', 'ada@cli.example', '--department', 'sales', '--role', 'admin')).last;
    expect(lia).toMatch(/^lia_/);
    hub = await startHub(dir, 'serve', { env });
  }, 120_000);

  afterEach(() => expect(fake.unexpected).toEqual([]));

  afterAll(async () => {
    await hub?.stop('SIGTERM');
    await fake?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (secrets) rmSync(secrets, { recursive: true, force: true });
  });

  it('refuses a token HubSpot refuses, naming why, and stores nothing', async () => {
    const wrong = path.join(secrets, 'wrong.txt');
    writeFileSync(wrong, 'pat-eu1-not-the-right-token-000000\n', { mode: 0o600 });
    const res = await hubspot('connect', '--team', 'CLI Co', '--token-file', wrong);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/HubSpot refused the access token \(401\)/);
    expect(text(res)).not.toContain('pat-eu1-not-the-right-token');
    const status = await hubspot('status', '--team', 'CLI Co');
    expect(status.out).toMatch(/HubSpot: not-connected/);
    const bad = await hubspot('connect', '--team', 'CLI Co', '--token-file', tokenFile, '--history', 'lots');
    expect(bad.code).not.toBe(0);
    expect(text(bad)).toMatch(/--history must be a number of days/);
  });

  it('connects from a token file, and status shows the account, the first import and the history chosen', async () => {
    const res = await hubspot('connect', '--team', 'CLI Co', '--token-file', tokenFile, '--history', 'none');
    expect(res.code, text(res)).toBe(0);
    expect(res.out).toMatch(/^Connected\./m);
    expect(res.out).toMatch(new RegExp(`account ${fake.portalId} \\(${fake.uiDomain.replace(/\./g, '\\.')}\\), connected by Ada Admin`));
    expect(res.out).toMatch(/history: nothing of the past: 0 of 0 sent, 0 waiting/);
    expect(statSync(path.join(dir, 'secret-key')).mode & 0o777).toBe(0o600);
    await waitUntil(async () => /incremental sync/.test((await hubspot('status', '--team', 'CLI Co')).out), 60_000, 'the first import by the running hub');
    const status = await hubspot('status', '--team', 'CLI Co');
    expect(status.out).toMatch(/HubSpot: active/);
    expect(status.out).toMatch(/contacts\s+1 in/);
    expect(status.out).toMatch(/budget: 190 requests \/ 10 s, search 4\/s, \d+ of 650000 used today, 0 answered 429/);
  }, 90_000);

  it('tests the stored token: every kind of data readable', async () => {
    const res = await hubspot('test', '--team', 'CLI Co');
    expect(res.code, text(res)).toBe(0);
    expect(res.out.match(/^ {2}ok {3}/gm)).toHaveLength(5);
    expect(res.last).toBe('The token works.');
  });

  it('pauses (a log waits) and resumes (it goes out)', async () => {
    const paused = await hubspot('pause', '--team', 'CLI Co');
    expect(paused.out).toMatch(/HubSpot: paused \(paused by an admin\)/);
    const log = await api(hub!.url, lia, 'POST', '/v1/interactions', {
      kind: 'email', occurredAt: new Date().toISOString(), subject: 'Renewal via the CLI test', sourceSite: 'gmail', sourceRef: 'cli-thread-1',
      participants: [{ email: 'jane.doe@acme-corp.com' }, { email: 'ada@cli.example' }],
    }, { 'idempotency-key': 'cli-test-log-1' });
    expect(log.status).toBe(201);
    const id = log.body.interaction.id;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(engagementsWith(`liaison:i:${id}`)).toHaveLength(0);
    expect((await hubspot('status', '--team', 'CLI Co')).out).toMatch(/out: 0 synced, 1 waiting/);
    const resumed = await hubspot('resume', '--team', 'CLI Co');
    expect(resumed.out).toMatch(/HubSpot: active/);
    await waitUntil(() => engagementsWith(`liaison:i:${id}`).length === 1, 30_000, 'the log in HubSpot');
    await waitUntil(async () => /out: 1 synced, 0 waiting/.test((await hubspot('status', '--team', 'CLI Co')).out), 15_000, 'status to count it');
  }, 90_000);

  it('chooses again how much of the past goes out', async () => {
    const res = await hubspot('history', '--team', 'CLI Co', '--history', '30');
    expect(res.code, text(res)).toBe(0);
    expect(res.out).toMatch(/history: the last 30 days \(from \d{4}-\d{2}-\d{2}\): 0 of 0 sent, 0 waiting/);
    const missing = await hubspot('history', '--team', 'CLI Co');
    expect(missing.code).not.toBe(0);
    expect(text(missing)).toMatch(/--history is required/);
  });

  it('disconnects: the token is forgotten, and commands that need one say so', async () => {
    const res = await hubspot('disconnect', '--team', 'CLI Co');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/HubSpot: disconnected/);
    const test = await hubspot('test', '--team', 'CLI Co');
    expect(test.code).toBe(1);
    expect(test.err).toMatch(/HubSpot is not connected/);
    expect((await hubspot('status', '--team', 'CLI Co')).out).toMatch(/HubSpot: disconnected/);
  });

  it('never shows the token: not in any output, not in the hub’s log, not in clear anywhere in the data folder', async () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const r of outputs) expect(text(r)).not.toContain(fake.token);
    const log = hub!.output();
    expect(log).toMatch(/"route":"\/v1\/interactions"/); // the hub logged one line per request
    expect(log).not.toContain(fake.token);
    expect(filesContaining(dir, fake.token)).toEqual([]);
  });
});
