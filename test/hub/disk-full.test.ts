/**
 * A full disk ends in a clear answer and loses nothing: the embedded server's data folder on a small tmpfs,
 * filled up while writers keep logging (retrying with the same idempotency key, like the outbox). The hub must
 * answer 503 with Retry-After (never hang, never 500), /healthz must say the disk is full, and once space is
 * freed the hub recovers by itself — every acknowledged write stored exactly once.
 *
 * Needs to mount a tmpfs (root with CAP_SYS_ADMIN, as in CI); elsewhere it is skipped, saying why.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { api, cli, embeddedUrl, startHub, waitUntil } from './helpers/processes.ts';

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'liaison-diskfull-'));
const mounted = !process.env.DATABASE_URL && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0755', 'tmpfs', mountPoint]).status === 0;
if (!process.env.DATABASE_URL && !mounted) console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)');

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a full disk under the embedded server (real processes)', () => {
  it('answers 503 while the disk is full, then recovers by itself with every acknowledged write stored once', async () => {
    const dataDir = path.join(mountPoint, 'data');
    expect((await cli(dataDir, 'create-team', '--name', 'Full', '--domains', 'full.example')).code).toBe(0);
    const token = (await cli(dataDir, 'add-member', '--team', 'Full', '--name', 'Fran', '--email', 'fran@full.example', '--department', 'support')).last;
    // Writers retry every 100–200 ms through the fault: the per-token rate limit is not what is tested here.
    const hub = await startHub(dataDir, 'serve', { env: { HUB_TOKEN_REQUESTS_PER_MINUTE: '0' } });
    const filler = path.join(mountPoint, 'filler');
    try {
      // Leave 12 MB: room for table pages, none for the next 16 MB WAL segment — PostgreSQL's hardest case (a
      // PANIC, then a server that cannot finish recovery until space is freed).
      const fs = statfsSync(mountPoint);
      writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 12 * 1024 * 1024)));

      const acked = new Set<string>();
      const statuses = new Map<number, number>();
      let freed = false;
      let next = 0;
      const writer = async () => {
        while (next < 60) {
          const key = `full-disk-key-${next++}`;
          for (;;) {
            let status = 0;
            try {
              const res = await api(hub.url, token, 'POST', '/v1/interactions', {
                kind: 'note',
                occurredAt: '2026-11-20T10:00:00Z',
                subject: `Disk ${key}`,
                // Incompressible and wide (many participants, each a row and two index entries): the next WAL
                // segment is needed after a few dozen writes.
                summary: randomBytes(3000).toString('base64').slice(0, 4000),
                sourceRef: key,
                participants: Array.from({ length: 300 }, (_, i) => ({ email: `${key}-${i}-${randomBytes(20).toString('hex')}@full-disk.example` })),
              }, { 'idempotency-key': key });
              status = res.status;
              if (status === 503) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
            } catch {
              status = -1; // the hub must keep answering; counted and asserted below
            }
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status === 200 || status === 201) {
              acked.add(key);
              break;
            }
            if (status !== 503) throw new Error(`unexpected answer ${status}`);
            await new Promise((r) => setTimeout(r, freed ? 100 : 200));
          }
        }
      };
      const writing = Promise.all([writer(), writer()]);
      writing.catch(() => {});

      // The disk fills up: writes get 503, and /healthz says what is wrong while it answers at once.
      await waitUntil(() => (statuses.get(503) ?? 0) > 0, 90_000, 'a 503 from the full disk');
      await waitUntil(async () => {
        const started = Date.now();
        const res = await fetch(`${hub.url}/healthz`);
        expect(Date.now() - started).toBeLessThan(5_000);
        return res.status === 503 && (await res.json()).database === 'disk-full';
      }, 30_000, '/healthz to report the fault');

      rmSync(filler);
      freed = true;
      await writing;
      expect(acked.size).toBe(60);
      expect(statuses.get(500)).toBeUndefined();
      expect(statuses.get(-1)).toBeUndefined();
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

      const client = new pg.Client({ connectionString: embeddedUrl(dataDir) });
      await client.connect();
      const rows = (await client.query<{ ref: string; n: number }>(
        "SELECT source_ref AS ref, count(*)::int AS n FROM interaction_loggers WHERE source_ref LIKE 'full-disk-key-%' GROUP BY source_ref",
      )).rows;
      await client.end();
      const stored = new Map(rows.map((r) => [r.ref, r.n]));
      for (const key of acked) expect(stored.get(key), key).toBe(1);
      expect(stored.size).toBe(acked.size);
    } finally {
      rmSync(filler, { force: true });
      const stopped = await hub.stop('SIGTERM');
      expect(stopped.ms).toBeLessThan(5_000);
    }
  }, 240_000);
});
