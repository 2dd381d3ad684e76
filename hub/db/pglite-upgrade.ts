/**
 * A one-time move for data folders made by Liaison versions that ran the hub on PGlite (PostgreSQL compiled to
 * WebAssembly, in-process). Such a folder holds PGlite's files at its top level. On the first start of this
 * version they are moved into `pglite-before-upgrade/` (kept, never deleted), read with PGlite one last time,
 * written as a Liaison backup beside them, and restored into the new embedded server. A marker file makes an
 * interrupted move resume on the next start instead of leaving an empty database.
 *
 * This is the only place PGlite is still used.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { restoreFromFile, tablesInLoadOrder } from './backup.ts';
import type { EmbeddedPaths } from './embedded.ts';

const FOLDER = 'pglite-before-upgrade';
const MARKER = 'UPGRADE_PENDING';
const OURS = new Set(['pg', 'pg-password', 'pg.log', 'pg-server.lock', 'demo-token', FOLDER]);

function detect(p: EmbeddedPaths): string | null {
  const legacy = path.join(p.root, FOLDER);
  if (existsSync(path.join(legacy, MARKER))) return legacy;
  if (!existsSync(path.join(p.root, 'PG_VERSION')) || !existsSync(path.join(p.root, 'base'))) return null;
  mkdirSync(legacy, { recursive: true });
  writeFileSync(path.join(legacy, MARKER), 'A PGlite data folder is being moved into the embedded PostgreSQL server.\n');
  for (const entry of readdirSync(p.root)) {
    if (!OURS.has(entry)) renameSync(path.join(p.root, entry), path.join(legacy, entry));
  }
  return legacy;
}

async function dumpPglite(dir: string, file: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  try {
    const migrations = (await db.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
    const tables = await tablesInLoadOrder(db as never);
    const text = new PassThrough();
    const written = pipeline(text, createGzip(), createWriteStream(file, { mode: 0o600 }));
    const write = async (s: string) => {
      if (!text.write(s)) await once(text, 'drain');
    };
    await write(`LIAISON-BACKUP 1\n${JSON.stringify({ format: 1, createdAt: new Date().toISOString(), server: 'PGlite', migrations, tables })}\n`);
    const rows: Record<string, number> = {};
    for (const t of tables) {
      const cols = t.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
      const result = await db.query(`COPY "${t.name}" (${cols}) TO '/dev/blob'`);
      const body = result.blob ? await result.blob.text() : '';
      rows[t.name] = body ? body.split('\n').length - (body.endsWith('\n') ? 1 : 0) : 0;
      await write(`== ${t.name}\n${body}${body && !body.endsWith('\n') ? '\n' : ''}\\.\n`);
    }
    await write(`== end ${JSON.stringify({ rows })}\n`);
    text.end();
    await written;
  } finally {
    await db.close();
  }
}

async function runUpgrade(_p: EmbeddedPaths, legacy: string, url: string): Promise<void> {
  const file = path.join(legacy, 'upgrade.liaison-backup');
  await dumpPglite(legacy, file);
  await restoreFromFile(url, file);
  rmSync(path.join(legacy, MARKER), { force: true });
  console.log(`Moved the data of an earlier PGlite folder into embedded PostgreSQL; the old files are kept in ${legacy}.`);
}

export const upgradeFromPglite = { detect, run: runUpgrade };
