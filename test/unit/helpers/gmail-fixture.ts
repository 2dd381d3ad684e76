import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Vitest runs from the repository root; happy-dom replaces URL, so import.meta.url paths are not used here.
const fixtureDir = join(process.cwd(), 'test/fixtures/gmail/');

export function fixtureHtml(name: string): string {
  return readFileSync(fixtureDir + name, 'utf8');
}

/** A detached document of a fixture, as Gmail's page would be. */
export function loadFixture(name: string): Document {
  return new DOMParser().parseFromString(fixtureHtml(name), 'text/html');
}

export function documentFrom(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}
