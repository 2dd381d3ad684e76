/** What an import reports, and the error that refuses a whole file. */
import type { Queryable, Db } from '../db/index.ts';
import type { Department, Role } from '../../shared/wire-types.ts';
import type { Layout } from './layouts.ts';

export interface ImportReport {
  layout: Layout;
  /** Data rows in the file (the header row not counted). */
  rows: number;
  imported: number;
  /** `row` is the 1-based line in the file where the record starts, the header being line 1. */
  skipped: { row: number; reason: string }[];
  warnings: { row: number; message: string }[];
  contactsCreated: number;
  contactsUpdated: number;
  interactionsCreated: number;
  companiesCreated: number;
}

/** The file as a whole cannot be imported; nothing was written. */
export class ImportRejected extends Error {
  constructor(
    message: string,
    /** In strict mode: the rows that would have been skipped. */
    readonly skipped: ImportReport['skipped'] = [],
  ) {
    super(message);
    this.name = 'ImportRejected';
  }
}

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  department: Department;
  role: Role;
}

/** Everything a row importer needs; one per import, inside its transaction. */
export interface ImportContext {
  tx: Queryable;
  /** The transaction seen as a Db (savepoints), for repo functions that open their own transaction. */
  db: Db;
  teamId: string;
  actingMember: TeamMember;
  members: TeamMember[];
  teamDomains: Set<string>;
  report: ImportReport;
  /** Addresses (contacts) or row keys (history) already met in this file → the line that had them. */
  seen: Map<string, number>;
  skip(row: number, reason: string): void;
  warn(row: number, message: string): void;
}
