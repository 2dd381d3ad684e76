/**
 * Exactly once across a killed hub: a real hub process (`serve`, embedded PostgreSQL) sends logs to the fake HubSpot;
 * HubSpot receives a create but its answer never arrives, and the hub is killed with SIGKILL while the rest of the
 * queue waits. The restarted hub finishes the queue, and HubSpot holds exactly one engagement per log.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeHubSpot } from '../fakes/hubspot.ts';
import { api, cli, startHub, tempDataDir, waitUntil, type HubProcess } from './helpers/processes.ts';

describe('HubSpot: a log reaches HubSpot exactly once across a hub killed mid-queue', () => {
  let fake: FakeHubSpot;
  let dir: string;
  let hub: HubProcess | null = null;
  let env: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    dir = tempDataDir('liaison-hubspot-crash-');
    env = {
      HUBSPOT_API_BASE: fake.url,
      LIAISON_SECRET_KEY: randomBytes(32).toString('base64'),
      LIAISON_CONNECTOR_LEASE_S: '2',
      LIAISON_CONNECTOR_JOB_EXPIRY_S: '3',
      LIAISON_CONNECTOR_MAINTENANCE_S: '1',
      LIAISON_CONNECTOR_PUSH_WORKERS: '1',
    };
    const team = await cli(dir, 'create-team', '--name', 'Crash Co', '--domains', 'crash.example');
    expect(team.code).toBe(0);
    const admin = await cli(dir, 'add-member', '--team', 'Crash Co', '--name', 'Ada Admin', '--email', 'ada@crash.example', '--department', 'sales', '--role', 'admin');
    token = admin.last;
    const acme = fake.create('companies', { name: 'Acme Corp', domain: 'acme-corp.com' });
    fake.create('contacts', { email: 'jane.doe@acme-corp.com', firstname: 'Jane', lastname: 'Doe', associatedcompanyid: acme.id });
  }, 120_000);

  afterEach(() => expect(fake.unexpected).toEqual([]));

  afterAll(async () => {
    await hub?.stop('SIGTERM');
    await fake?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the queue after SIGKILL with one engagement per log', async () => {
    hub = await startHub(dir, 'serve', { env });
    const put = await api(hub.url, token, 'PUT', '/v1/connectors/hubspot', { token: fake.token });
    expect(put.status).toBe(200);
    await waitUntil(async () => (await api(hub!.url, token, 'GET', '/v1/connectors/hubspot')).body.phase === 'incremental', 60_000, 'the first import');
    await waitUntil(async () => (await api(hub!.url, token, 'POST', '/v1/lookup', { emails: ['jane.doe@acme-corp.com'] })).body.results[0].contact?.external?.[0]?.state === 'synced', 30_000, 'Jane linked');

    fake.holdCreates = true;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api(
        hub.url,
        token,
        'POST',
        '/v1/interactions',
        { kind: 'email', occurredAt: `2026-11-2${i}T10:00:00.000Z`, subject: `Thread ${i}`, sourceSite: 'gmail', sourceRef: `crash-thread-${i}`, participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }] },
        { 'idempotency-key': `crash-key-${i}` },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.interaction.id);
    }
    // HubSpot has taken the first create, but the hub never hears back: kill it there, the rest still queued.
    await waitUntil(() => fake.createsReceived >= 1, 30_000, 'a create at HubSpot');
    const killed = await hub.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    hub = null;
    fake.holdCreates = false;
    fake.releaseHeld();
    const marked = (id: string) => fake.objects('emails').filter((e) => (e.properties.hs_email_text ?? '').includes(`liaison:i:${id}`));
    expect(ids.filter((id) => marked(id).length > 0).length).toBeLessThan(ids.length);

    hub = await startHub(dir, 'serve', { env });
    await waitUntil(() => ids.every((id) => marked(id).length >= 1), 90_000, 'every log at HubSpot');
    await new Promise((r) => setTimeout(r, 3_000));
    for (const id of ids) expect(marked(id), `interaction ${id}`).toHaveLength(1);
    const status = (await api(hub.url, token, 'GET', '/v1/connectors/hubspot')).body;
    expect(status.outbound.failed).toBe(0);
    expect(hub.output()).not.toContain(fake.token);
  }, 240_000);
});
