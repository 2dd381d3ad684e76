/**
 * Backups people can use: `npm run hub -- backup --out FILE` and `restore --from FILE`.
 *
 * The embedded server's npm package ships the server, initdb and pg_ctl but not pg_dump, and a pg_dump from
 * the operating system refuses a newer server. So Liaison writes its own logical backup with the tools
 * PostgreSQL offers every client: one REPEATABLE READ, READ ONLY transaction (a consistent snapshot while the
 * hub keeps serving) and `COPY … TO STDOUT` for every table, gzip-compressed:
 *
 *   LIAISON-BACKUP 1
 *   {"format":1,"createdAt":…,"server":…,"migrations":[{version,name,checksum}…],"tables":[{name,columns}…]}
 *   == <table>
 *   <COPY text rows: one row per line, tabs and newlines escaped by PostgreSQL>
 *   \.
 *   …
 *   == end {"rows":{"<table>":n,…}}
 *
 * The schema is not in the file: it is the migrations, which the restore runs up to the backup's version
 * (refusing a file whose migrations differ from this code's) before loading the rows in one transaction, then
 * runs the newer ones. So a backup of the embedded default restores into a production server of any supported
 * version, and a truncated or altered file restores nothing.
 */
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { loadMigrations, migrate, type Migration } from './migrate.ts';
import { openDatabase } from './index.ts';

const MAGIC = 'LIAISON-BACKUP 1';

export interface BackupHeader {
  format: 1;
  createdAt: string;
  server: string;
  migrations: { version: number; name: string; checksum: string }[];
  tables: { name: string; columns: string[] }[];
}

export interface BackupSummary {
  tables: number;
  rows: Record<string, number>;
}

/** Tables of the public schema in an order where every foreign key points backwards (parents first). */
export async function tablesInLoadOrder(client: { query: pg.Client['query'] }): Promise<{ name: string; columns: string[] }[]> {
  const tables = (
    await client.query<{ name: string; columns: string[] }>(
      `SELECT c.relname AS name,
              array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'
        GROUP BY c.relname ORDER BY c.relname`,
    )
  ).rows;
  const deps = (
    await client.query<{ child: string; parent: string }>(
      `SELECT DISTINCT cl.relname AS child, pl.relname AS parent
         FROM pg_constraint k
         JOIN pg_class cl ON cl.oid = k.conrelid
         JOIN pg_class pl ON pl.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'
        WHERE k.contype = 'f' AND cl.oid <> pl.oid`,
    )
  ).rows;
  const ordered: typeof tables = [];
  const placed = new Set<string>();
  const remaining = new Map(tables.map((t) => [t.name, t]));
  while (remaining.size) {
    const ready = [...remaining.values()].filter((t) => deps.every((d) => d.child !== t.name || placed.has(d.parent) || !remaining.has(d.parent)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...remaining.keys()].join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
      remaining.delete(t.name);
    }
  }
  return ordered;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Writes a backup of the database at `url` to `file` (written beside it, then renamed: never half a file). */
export async function backupToFile(url: string, file: string): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const client = new pg.Client({ connectionString: url, application_name: 'liaison-backup' });
  client.on('error', () => {}); // a lost connection fails the statement in progress; that is reported
  await client.connect();
  const rows: Record<string, number> = {};
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ version }] = (await client.query<{ version: string }>('SHOW server_version')).rows as [{ version: string }];
    const migrations = (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
    const tables = await tablesInLoadOrder(client);
    const header: BackupHeader = { format: 1, createdAt: new Date().toISOString(), server: `PostgreSQL ${version}`, migrations, tables };
    const text = new PassThrough();
    const written = pipeline(text, createGzip(), createWriteStream(partial, { mode: 0o600 }));
    const write = async (s: string | Buffer) => {
      if (!text.write(s)) await once(text, 'drain');
    };
    await write(`${MAGIC}\n${JSON.stringify(header)}\n`);
    for (const t of tables) {
      await write(`== ${t.name}\n`);
      const out = client.query(copyTo(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) TO STDOUT`));
      for await (const chunk of out as Readable) await write(chunk as Buffer);
      rows[t.name] = (out as unknown as { rowCount: number }).rowCount;
      await write('\\.\n');
    }
    await write(`== end ${JSON.stringify({ rows })}\n`);
    text.end();
    await written;
    await client.query('COMMIT');
    renameSync(partial, file);
    return { tables: tables.length, rows };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

export class RestoreRefused extends Error {}

/** Reads and checks a backup's header without loading anything. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = backupLines(file);
  try {
    return await header(lines);
  } finally {
    lines.return?.(undefined);
  }
}

/**
 * The file's lines. A file that is cut short or not gzip ends the lines early (the gzip error is swallowed
 * here): the reader then finds a table or the trailer missing and refuses the file by name.
 */
function backupLines(file: string): AsyncIterator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  const rl = readline.createInterface({ input: gunzip, crlfDelay: Infinity });
  source.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', () => rl.close());
  // readline re-emits its input's errors; once a reader has stopped listening, they must not end the process.
  rl.on('error', () => {});
  source.pipe(gunzip);
  const lines = rl[Symbol.asyncIterator]();
  const stop = lines.return?.bind(lines);
  lines.return = async (value?: unknown) => {
    source.destroy();
    gunzip.destroy();
    rl.close();
    return stop ? stop(value) : { done: true, value: undefined };
  };
  return lines;
}

async function header(lines: AsyncIterator<string>): Promise<BackupHeader> {
  const first = await lines.next().catch(() => ({ done: true, value: '' }));
  if (first.done || first.value !== MAGIC) throw new RestoreRefused('not a Liaison backup (made by `npm run hub -- backup`)');
  const second = await lines.next();
  const h = JSON.parse(second.value as string) as BackupHeader;
  if (h.format !== 1) throw new RestoreRefused(`backup format ${String(h.format)} is not one this version reads`);
  return h;
}

function checkMigrations(h: BackupHeader, known: Migration[]): number {
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const m of h.migrations) {
    const mine = byVersion.get(m.version);
    if (!mine) throw new RestoreRefused(`the backup was made by a newer Liaison (migration ${m.name} is unknown here): upgrade first`);
    if (mine.checksum !== m.checksum) throw new RestoreRefused(`migration ${m.name} differs from this version's: the backup belongs to another schema`);
  }
  return h.migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/**
 * Loads a backup into the (empty) database at `url`: migrations up to the backup's version, every row in one
 * transaction with the counts checked against the file's trailer, identity sequences moved past the restored
 * ids, then the remaining migrations. Refuses a database that already holds a team.
 */
export async function restoreFromFile(url: string, file: string): Promise<BackupSummary> {
  const known = loadMigrations();
  const h = await readBackupHeader(file);
  const upTo = checkMigrations(h, known);
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    const existing = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'teams'");
    if (existing[0]!.n > 0 && (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM teams'))[0]!.n > 0) {
      throw new RestoreRefused('the database already holds data: restore into an empty database (or use --force on the embedded one)');
    }
    await migrate(db, known.filter((m) => m.version <= upTo));
  } finally {
    await db.close();
  }

  const client = new pg.Client({ connectionString: url, application_name: 'liaison-restore' });
  client.on('error', () => {}); // a lost connection fails the statement in progress; that is reported
  await client.connect();
  const lines = backupLines(file);
  const rows: Record<string, number> = {};
  let copying: (Writable & { rowCount: number }) | null = null;
  try {
    await header(lines);
    await client.query('BEGIN');
    // Tables that triggers derive from others (migration 0006's heads_up_contacts) come from the backup itself.
    await client.query("SET LOCAL liaison.restoring = 'on'");
    const tables = new Map(h.tables.map((t) => [t.name, t]));
    let trailer: { rows: Record<string, number> } | null = null;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = next.value;
      if (line.startsWith('== end ')) {
        trailer = JSON.parse(line.slice(7)) as { rows: Record<string, number> };
        break;
      }
      const m = /^== (.+)$/.exec(line);
      const t = m && tables.get(m[1]!);
      if (!t) throw new RestoreRefused(`damaged backup: unexpected line "${line.slice(0, 60)}"`);
      const sink = client.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`)) as unknown as Writable & { rowCount: number };
      copying = sink;
      const done = new Promise<void>((resolve, reject) => {
        sink.on('finish', resolve);
        sink.on('error', reject);
      });
      done.catch(() => {});
      let ended = false;
      for (let r = await lines.next(); !r.done; r = await lines.next()) {
        if (r.value === '\\.') {
          ended = true;
          break;
        }
        if (!sink.write(`${r.value}\n`)) await once(sink, 'drain');
      }
      if (!ended) throw new RestoreRefused(`damaged backup: table ${t.name} is cut short`);
      sink.end();
      await done;
      copying = null;
      rows[t.name] = sink.rowCount;
    }
    if (!trailer) throw new RestoreRefused('damaged backup: the file is cut short');
    for (const [name, n] of Object.entries(trailer.rows)) {
      if (rows[name] !== n) throw new RestoreRefused(`damaged backup: ${name} has ${rows[name] ?? 0} rows, the backup says ${n}`);
    }
    // Identity columns keep counting after the highest restored id.
    const identities = await client.query<{ table: string; column: string }>(
      `SELECT c.relname AS table, a.attname AS column FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE a.attidentity <> '' AND NOT a.attisdropped`,
    );
    for (const { table, column } of identities.rows) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(column)}) FROM ${ident(table)}), 0) + 1, false)`,
        [table, column],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    // A COPY still open must be failed first (the server then aborts it), or the connection waits for rows forever.
    const open = copying as (Writable & { rowCount: number }) | null;
    if (open && !open.destroyed) {
      const closed = new Promise((r) => open.once('close', r));
      open.destroy(new Error('restore abandoned'));
      await closed;
    }
    await client.query('ROLLBACK').catch(() => {});
    if (err instanceof RestoreRefused) throw err;
    if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check/.test((err as Error).message)) {
      throw new RestoreRefused('damaged backup: the file is cut short or not gzip');
    }
    throw err;
  } finally {
    lines.return?.(undefined);
    await client.end().catch(() => {});
  }
  const db2 = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await migrate(db2, known);
  } finally {
    await db2.close();
  }
  return { tables: Object.keys(rows).length, rows };
}
