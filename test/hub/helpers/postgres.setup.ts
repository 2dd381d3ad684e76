/**
 * vitest global setup for the hub tests: one PostgreSQL server for the whole run, on which every test file
 * makes its own database (test/hub/helpers/db.ts). It is the embedded server the hub runs on by default,
 * started from npm's binaries in a temporary folder — or, when DATABASE_URL is set (CI sets it), that server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { attachEmbedded, type EmbeddedServer } from '../../../hub/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgEngine: 'embedded' | 'external';
  }
}

let server: EmbeddedServer | null = null;
let dir: string | null = null;

export async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    project.provide('pgUrl', external);
    project.provide('pgEngine', 'external');
    return;
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-test-pg-'));
  server = await attachEmbedded(dir, 'liaison-test');
  project.provide('pgUrl', server.url());
  project.provide('pgEngine', 'embedded');
}

export async function teardown() {
  await server?.detach();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
