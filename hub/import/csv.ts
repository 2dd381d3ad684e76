/**
 * CSV import of contacts and history into one team: `importCsv(db, teamId, csvText, { actingMemberId })`.
 *
 * Layouts, recognised from the header row (full reference: hub/import/README.md):
 *  - HubSpot contacts export: Email, Additional email addresses (`;`-separated), First Name, Last Name,
 *    Job Title, Company Name, Contact owner (a member's name or address); other columns ignored.
 *  - Liaison contacts: email (required), additional_emails (`;`-separated), name | first_name + last_name,
 *    title, company, owner_email.
 *  - Liaison history: occurred_at, kind, contact_email (`;`-separated) (all three required), subject, summary,
 *    outcome, logged_by_email (default: the acting member), source_ref, source_site.
 *
 * A file is imported whole or not at all: file-level problems throw ImportRejected before anything is
 * written, and every row is written in ONE transaction, so an unexpected error rolls all of it back. Row-level
 * problems skip the row with a reason (or, with `strict`, reject the file).
 */
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/index.ts';
import { nestedDb } from '../db/nested.ts';
import { importContactRow } from './contact-rows.ts';
import { importHistoryRow } from './history-rows.ts';
import { detectLayout } from './layouts.ts';
import { MAX_FILE_BYTES, MAX_ROWS } from './limits.ts';
import { ImportRejected, type ImportContext, type ImportReport, type TeamMember } from './types.ts';

export { ImportRejected, type ImportReport } from './types.ts';

export interface ImportOptions {
  /** The member recorded as importer; history rows without logged_by_email are logged as this member. */
  actingMemberId: string;
  /** Reject the whole file when any row would be skipped. */
  strict?: boolean;
  /**
   * Run every row exactly as a real import would, then roll the transaction back: the report is what committing
   * would do (the web app's preview), and nothing is written.
   */
  dryRun?: boolean;
}

/** Thrown inside the transaction to undo a dry run's rows; carries the report out. */
class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** The header row and the first data rows as the file has them (the web app shows them before importing). */
export function sampleRows(csvText: string, max = 5): { header: string[]; sample: string[][] } {
  const records = parseFile(csvText);
  return { header: records[0]?.cells ?? [], sample: records.slice(1, 1 + max).map((r) => r.cells) };
}

interface ParsedRecord {
  cells: string[];
  /** Line where the record starts (a quoted cell can span lines). */
  line: number;
}

export async function importCsv(db: Db, teamId: string, csvText: string, opts: ImportOptions): Promise<ImportReport> {
  const records = parseFile(csvText);
  const [header, ...data] = records;
  if (!header) throw new ImportRejected('the file is empty');
  const detection = detectLayout(header.cells);
  if (!detection.ok) throw new ImportRejected(detection.message);

  const newReport = (): ImportReport => ({
    layout: detection.detected.layout,
    rows: data.length,
    imported: 0,
    skipped: [],
    warnings: [],
    contactsCreated: 0,
    contactsUpdated: 0,
    interactionsCreated: 0,
    companiesCreated: 0,
  });

  const run = db.transaction(async (tx) => {
    // Made inside: a transaction that meets a deadlock runs again from the start, and so does its report.
    const report = newReport();
    const members = await tx.query<TeamMember>(
      'SELECT id::text AS id, name, email, department, role FROM members WHERE team_id = $1 ORDER BY id',
      [teamId],
    );
    const actingMember = members.find((m) => m.id === String(opts.actingMemberId));
    if (!actingMember) throw new ImportRejected('the acting member is not a member of this team');
    const domains = await tx.query<{ domain: string }>('SELECT domain FROM team_domains WHERE team_id = $1', [teamId]);
    const companiesBefore = await countCompanies(tx, teamId);

    const ctx: ImportContext = {
      tx,
      db: nestedDb(tx, db.engine),
      teamId,
      actingMember,
      members,
      teamDomains: new Set(domains.map((d) => d.domain)),
      report,
      seen: new Map(),
      skip: (row, reason) => void report.skipped.push({ row, reason }),
      warn: (row, message) => void report.warnings.push({ row, message }),
    };
    // Rows run one after another: a transaction is one connection, and later rows must see earlier ones
    // (an address claimed on line 3 is taken on line 9).
    for (const record of data) {
      if (detection.kind === 'contacts') await importContactRow(ctx, detection.detected.columns, record.cells, record.line);
      else await importHistoryRow(ctx, detection.detected.columns, record.cells, record.line);
    }
    report.companiesCreated = (await countCompanies(tx, teamId)) - companiesBefore;

    if (opts.strict && report.skipped.length > 0) {
      const first = report.skipped.slice(0, 5).map((s) => `line ${s.row}: ${s.reason}`).join('; ');
      // Throwing inside the transaction is what undoes the rows already written.
      throw new ImportRejected(`strict mode: ${report.skipped.length} row(s) would be skipped (${first})`, report.skipped);
    }
    if (opts.dryRun) throw new DryRunDone(report);
    return report;
  });
  return run.catch((err: unknown) => {
    if (err instanceof DryRunDone) return err.report;
    throw err;
  });
}

async function countCompanies(tx: { query: Db['query'] }, teamId: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM companies WHERE team_id = $1', [teamId]);
  return row?.n ?? 0;
}

function parseFile(csvText: string): ParsedRecord[] {
  if (typeof csvText !== 'string') throw new ImportRejected('the file is not text');
  if (Buffer.byteLength(csvText, 'utf8') > MAX_FILE_BYTES) {
    throw new ImportRejected(`the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into smaller files`);
  }
  // A NUL byte never occurs in a text export: this is a spreadsheet (.xlsx), an archive or UTF-16 text.
  if (csvText.includes('\u0000')) throw new ImportRejected('not a CSV text file (binary content; save the sheet as CSV, UTF-8)');
  if (csvText.replace(/^\uFEFF/, '').trim() === '') throw new ImportRejected('the file is empty');

  let parsed: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(csvText, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
      delimiter: detectDelimiter(csvText),
      info: true,
      raw: true,
    }) as unknown as typeof parsed;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    throw new ImportRejected(`not a well-formed CSV file: ${message.slice(0, 300)}`);
  }
  if (parsed.length - 1 > MAX_ROWS) {
    throw new ImportRejected(`the file has ${parsed.length - 1} rows; at most ${MAX_ROWS} per file — split it`);
  }
  return parsed.map(({ record, info, raw }) => {
    // info.lines is the line the record ends on; raw also carries skipped blank lines before it.
    const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    const spanned = (body.match(/\n/g) ?? []).length;
    return { cells: record, line: info.lines - spanned };
  });
}

/** Comma unless the header row clearly uses tabs or semicolons (spreadsheets saved in some locales). */
function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => firstLine.split(c).length - 1;
  if (count(',') > 0) return ',';
  if (count('\t') > 0) return '\t';
  if (count(';') > 0) return ';';
  return ',';
}
