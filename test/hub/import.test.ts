/**
 * CSV import: the three layouts, row-level skips with their exact lines and reasons, whole-file rejection
 * (nothing written), strict mode, idempotent re-import and hostile cell values. Runs on the embedded server, and
 * on DATABASE_URL's when set (freshDb gives each file its own database).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../hub/db/index.ts';
import type { ContactSummary } from '../../shared/wire-types.ts';
import { importCsv, ImportRejected } from '../../hub/import/csv.ts';
import { lookup } from '../../hub/repo/contacts.ts';
import { addMember, createTeam } from '../../hub/repo/teams.ts';
import { freshDb } from './helpers/db.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

let db: Db;
let teamId: string;
let dana: string;

const TABLES = ['contacts', 'contact_emails', 'companies', 'company_domains', 'interactions', 'interaction_participants', 'interaction_loggers', 'idempotency_keys'];

/** Row counts of every table an import writes: equal before and after means nothing was written. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE team_id = $1`, [teamId]))[0]!.n;
  return out;
}

async function contactOf(email: string): Promise<ContactSummary> {
  const [result] = await lookup(db, teamId, [email]);
  expect(result?.contact, email).toBeTruthy();
  return result!.contact!;
}

async function rejected(csv: string, strict = false): Promise<ImportRejected> {
  const before = await counts();
  const err = await importCsv(db, teamId, csv, { actingMemberId: dana, strict }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportRejected);
  expect(await counts()).toEqual(before);
  return err as ImportRejected;
}

beforeAll(async () => {
  db = await freshDb();
});
afterAll(async () => {
  await db?.close();
});

// Each test gets its own team: teams never see each other, so tests cannot leak into one another.
let teamCounter = 0;
beforeEach(async () => {
  teamId = await createTeam(db, `Import ${++teamCounter}`, ['northwind.test']);
  dana = (await addMember(db, teamId, { name: 'Dana Reyes', email: 'dana@northwind.test', department: 'sales', role: 'admin' })).member.id;
  await addMember(db, teamId, { name: 'Sam Lee', email: 'sam@northwind.test', department: 'sales', role: 'member' });
  await addMember(db, teamId, { name: 'Tom Becker', email: 'tom@northwind.test', department: 'support', role: 'member' });
});

describe('HubSpot contacts export', () => {
  it('imports contacts, companies, owners and additional addresses; skips bad rows with their line', async () => {
    const report = await importCsv(db, teamId, fixture('hubspot-contacts.csv'), { actingMemberId: dana });
    expect(report.layout).toBe('hubspot-contacts');
    expect(report.rows).toBe(8);
    expect(report.imported).toBe(4);
    expect(report.contactsCreated).toBe(4);
    expect(report.contactsUpdated).toBe(0);
    expect(report.companiesCreated).toBe(2);
    expect(report.skipped).toEqual([
      { row: 6, reason: 'no email address' },
      { row: 7, reason: 'invalid email address "not-an-address"' },
      { row: 8, reason: 'jd@acme-corp.com already appears on line 2 of this file' },
      { row: 9, reason: "sam@northwind.test is a colleague's address (team member or team domain), not a contact" },
    ]);
    expect(report.warnings).toEqual([{ row: 4, message: 'owner "Nobody Known" is not a member of this team; imported without owner' }]);

    const jane = await contactOf('jane.doe@acme-corp.com');
    const raj = await contactOf('raj.patel@acme-corp.com');
    const mia = await contactOf('mia.wong@globex-industries.com');
    const leo = await contactOf('leo.fisher77@gmail.com');
    expect(jane.name).toBe('Jane Doe');
    expect(jane.title).toBe('VP Operations');
    expect(jane.emails).toEqual(['jane.doe@acme-corp.com', 'jd@acme-corp.com', 'jane@acme.io']);
    expect(jane.company).toMatchObject({ name: 'Acme Corp', domains: ['acme-corp.com', 'acme.io'] });
    expect(jane.owner?.email).toBe('sam@northwind.test'); // matched by name
    expect(raj.company?.id).toBe(jane.company?.id); // matched by domain
    expect(raj.owner?.name).toBe('Sam Lee'); // matched by address
    expect(mia.company).toMatchObject({ name: 'Globex Industries', domains: ['globex-industries.com'] });
    expect(mia.owner).toBeNull();
    expect(leo.company).toBeNull(); // free mail never makes a company
  });

  it('completes an existing contact instead of duplicating it', async () => {
    await importCsv(db, teamId, 'email,name\njd@acme-corp.com,\n', { actingMemberId: dana });
    const report = await importCsv(db, teamId, fixture('hubspot-contacts.csv'), { actingMemberId: dana });
    expect(report.contactsCreated).toBe(3);
    expect(report.contactsUpdated).toBe(1);
    const [jane] = await lookup(db, teamId, ['jd@acme-corp.com']);
    expect(jane!.contact).toMatchObject({ name: 'Jane Doe', title: 'VP Operations', company: { name: 'Acme Corp' } });
    expect(jane!.contact!.emails).toEqual(['jd@acme-corp.com', 'jane.doe@acme-corp.com', 'jane@acme.io']);
    expect((await counts()).contacts).toBe(4);
  });
});

describe('Liaison layouts', () => {
  it('imports the generic contacts layout', async () => {
    const report = await importCsv(db, teamId, fixture('liaison-contacts.csv'), { actingMemberId: dana });
    expect(report).toMatchObject({ layout: 'liaison-contacts', rows: 3, imported: 3, skipped: [], warnings: [], contactsCreated: 3, companiesCreated: 2 });
    const [olga, peter, shop] = await lookup(db, teamId, ['olga.k@initech.example', 'peter@initech.example', 'hello@tiny-shop.example']);
    expect(olga!.contact).toMatchObject({ name: 'Olga Kowalski', title: 'CFO', company: { name: 'Initech' }, owner: { email: 'sam@northwind.test' } });
    expect(peter!.contact).toMatchObject({ title: 'Engineer, TPS reports', company: { name: 'Initech' } });
    expect(shop!.contact).toMatchObject({ name: null, company: { name: 'Tiny Shop', domains: ['tiny-shop.example'] } });
  });

  it('imports the history layout, skipping bad rows with reasons', async () => {
    await importCsv(db, teamId, fixture('hubspot-contacts.csv'), { actingMemberId: dana });
    const report = await importCsv(db, teamId, fixture('liaison-history.csv'), { actingMemberId: dana });
    expect(report).toMatchObject({ layout: 'liaison-history', rows: 8, imported: 3, interactionsCreated: 3, contactsCreated: 1, companiesCreated: 1 });
    expect(report.skipped).toEqual([
      { row: 5, reason: 'occurred_at "2026-13-40 10:00" is not a date (ISO 8601 or YYYY-MM-DD HH:MM, UTC)' },
      { row: 6, reason: 'unknown kind "fax" (expected email, meeting, call, note, support, marketing)' },
      { row: 7, reason: 'contact_email "nobody@@example" is not a valid address' },
      { row: 8, reason: 'logged_by_email "ghost@northwind.test" is not a member of this team' },
      { row: 9, reason: 'same as line 2 of this file' },
    ]);
    const [jane, raj, lead] = await lookup(db, teamId, ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com', 'new.lead@startup.example']);
    expect(jane!.contact!.totalInteractions).toBe(2);
    expect(jane!.contact!.countsByDepartment).toMatchObject({ sales: 1, support: 1 });
    expect(jane!.contact!.lastInteraction).toMatchObject({ kind: 'call', occurredAt: '2026-10-02T14:00:00.000Z', loggedBy: { name: 'Tom Becker' } });
    expect(raj!.contact!.totalInteractions).toBe(1);
    // An address nobody had a contact for gets one (and its company), logged by the acting member.
    expect(lead!.contact).toMatchObject({ company: { name: 'Startup' }, lastInteraction: { kind: 'note', loggedBy: { name: 'Dana Reyes' } } });
  });

  it('re-importing the same history is idempotent: rows reported as already imported, nothing doubled', async () => {
    const first = await importCsv(db, teamId, fixture('liaison-history.csv'), { actingMemberId: dana });
    const after = await counts();
    const second = await importCsv(db, teamId, fixture('liaison-history.csv'), { actingMemberId: dana });
    expect(await counts()).toEqual(after);
    expect(second.imported).toBe(0);
    expect(second.interactionsCreated).toBe(0);
    const already = second.skipped.filter((s) => s.reason === 'already imported').map((s) => s.row);
    expect(already).toEqual([2, 3, 4]);
    expect(first.interactionsCreated).toBe(3);
    // Contacts too: importing the same contacts again updates nothing and creates nothing.
    await importCsv(db, teamId, fixture('hubspot-contacts.csv'), { actingMemberId: dana });
    const contactsAfter = await counts();
    const again = await importCsv(db, teamId, fixture('hubspot-contacts.csv'), { actingMemberId: dana });
    expect(again).toMatchObject({ contactsCreated: 0, contactsUpdated: 0, companiesCreated: 0 });
    expect(await counts()).toEqual(contactsAfter);
  });

  it('re-saving the file (other quoting, address case, date form) still counts as already imported', async () => {
    await importCsv(db, teamId, 'occurred_at,kind,contact_email,subject\n2026-10-02 14:00,call,Jane.Doe@Acme-Corp.com,Pricing\n', { actingMemberId: dana });
    const again = await importCsv(db, teamId, '"occurred_at","kind","contact_email","subject"\n"2026-10-02T14:00:00Z","call","jane.doe@acme-corp.com","Pricing"\n', { actingMemberId: dana });
    expect(again.skipped).toEqual([{ row: 2, reason: 'already imported' }]);
  });

  it('keeps two same-subject emails with one person as two interactions', async () => {
    const csv = 'occurred_at,kind,contact_email,subject\n2026-10-01 09:00,email,jane.doe@acme-corp.com,Weekly update\n2026-10-08 09:00,email,jane.doe@acme-corp.com,Weekly update\n';
    const report = await importCsv(db, teamId, csv, { actingMemberId: dana });
    expect(report.interactionsCreated).toBe(2);
  });
});

describe('files rejected whole', () => {
  it('an unbalanced quote rejects the file and writes nothing', async () => {
    const csv = 'email,name\nok@valid.example,Fine Person\n"broken@valid.example,Unclosed\nlast@valid.example,Last\n';
    const err = await rejected(csv);
    expect(err.message).toMatch(/not a well-formed CSV file: .*quote/i);
  });

  it('a row with the wrong number of cells rejects the file', async () => {
    expect((await rejected('email,name\na@valid.example,A\nb@valid.example,B,extra\n')).message).toMatch(/not a well-formed CSV/);
  });

  it('a missing required column rejects the file', async () => {
    expect((await rejected('occurred_at,kind,subject\n2026-10-01,email,Hello\n')).message).toBe(
      'liaison-history file is missing the required column "contact_email"',
    );
    expect((await rejected('First Name,Last Name,Company Name\nJane,Doe,Acme\n')).message).toBe('hubspot-contacts file is missing the required column "Email"');
  });

  it('an unrecognised header, an empty file and binary content are rejected', async () => {
    expect((await rejected('foo,bar\n1,2\n')).message).toMatch(/no recognisable layout/);
    expect((await rejected('')).message).toBe('the file is empty');
    expect((await rejected('\uFEFF\n\n')).message).toBe('the file is empty');
    expect((await rejected('PK\u0003\u0004\u0000\u0000binary')).message).toMatch(/not a CSV text file/);
  });

  it('more rows or bytes than allowed are rejected before anything is written', async () => {
    const csv = 'email\n' + 'x@y.example\n'.repeat(200_001);
    expect((await rejected(csv)).message).toMatch(/at most 200000 per file/);
    expect((await rejected(`email,name\na@b.example,${'x'.repeat(50 * 1024 * 1024)}\n`)).message).toMatch(/larger than 50 MB/);
  });

  it('strict mode rejects the file when any row would be skipped, and writes nothing', async () => {
    const err = await rejected(fixture('hubspot-contacts.csv'), true);
    expect(err.message).toMatch(/^strict mode: 4 row\(s\) would be skipped \(line 6: no email address;/);
    expect(err.skipped.map((s) => s.row)).toEqual([6, 7, 8, 9]);
    // The same file without its bad rows passes in strict mode.
    const good = fixture('hubspot-contacts.csv').split('\n').slice(0, 5).join('\n');
    expect((await importCsv(db, teamId, good, { actingMemberId: dana, strict: true })).imported).toBe(4);
  });

  it('an unexpected failure half-way rolls back the rows before it', async () => {
    const before = await counts();
    // Not a member of this team: discovered inside the transaction.
    await expect(importCsv(db, teamId, fixture('liaison-contacts.csv'), { actingMemberId: '999999' })).rejects.toThrow(ImportRejected);
    expect(await counts()).toEqual(before);
  });
});

describe('hostile values', () => {
  it('stores formulas and HTML as plain text, cuts 10k-character names, drops control characters', async () => {
    const longName = 'A'.repeat(10_000);
    const csv = [
      'email,name,title,company',
      'formula@evil.example,"=HYPERLINK(""http://evil.example"",""click"")","+cmd|\' /C calc\'!A0",@SUM(1+1)',
      `html@evil.example,"<img src=x onerror=alert(1)>","<script>alert(1)</script>",${longName}`,
      `long@evil.example,${longName},"esc\u001bape\u0007bell",`,
    ].join('\n');
    const report = await importCsv(db, teamId, csv, { actingMemberId: dana });
    expect(report.imported).toBe(3);
    expect(report.warnings).toEqual([
      { row: 3, message: 'company longer than the limit; cut' },
      { row: 4, message: 'name longer than the limit; cut' },
    ]);
    const [formula, html, long] = await lookup(db, teamId, ['formula@evil.example', 'html@evil.example', 'long@evil.example']);
    expect(formula!.contact).toMatchObject({ name: '=HYPERLINK("http://evil.example","click")', title: "+cmd|' /C calc'!A0", company: { name: '@SUM(1+1)' } });
    expect(html!.contact).toMatchObject({ name: '<img src=x onerror=alert(1)>', title: '<script>alert(1)</script>' });
    expect(html!.contact!.company!.name).toBe('A'.repeat(200));
    expect(long!.contact!.name).toBe('A'.repeat(200));
    expect(long!.contact!.title).toBe('escapebell');
  });

  it('skips a history row whose source_ref is longer than the limit instead of cutting it', async () => {
    const csv = `occurred_at,kind,contact_email,subject,source_ref\n2026-10-01,email,a@b.example,Hi,${'r'.repeat(501)}\n`;
    const report = await importCsv(db, teamId, csv, { actingMemberId: dana });
    expect(report.skipped).toEqual([{ row: 2, reason: 'source_ref longer than 500 characters' }]);
  });

  it('reports the starting line of a record whose quoted cell spans lines', async () => {
    const csv = 'email,name,title\n\n"multi@line.example","Multi\nLine","Title"\nbad,,\n';
    const report = await importCsv(db, teamId, csv, { actingMemberId: dana });
    expect(report.skipped).toEqual([{ row: 5, reason: 'invalid email address "bad"' }]);
    expect((await lookup(db, teamId, ['multi@line.example']))[0]!.contact!.name).toBe('Multi\nLine');
  });
});
