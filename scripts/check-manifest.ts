/**
 * Asserts the built manifests are as narrow as utils/manifest.ts says (the unit test checks the config; this
 * checks what WXT actually wrote, which is what a browser installs). Run after `wxt build` (and `-b firefox`):
 *   tsx scripts/check-manifest.ts            # every build present under .output/
 *   tsx scripts/check-manifest.ts chrome-mv3 # one; fails when it is missing
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SCRIPT_MATCHES, manifestProblems, OUTLOOK_HOST_PATTERNS } from '../utils/manifest.ts';

const targets = process.argv.slice(2);
const builds = targets.length > 0 ? targets : ['chrome-mv3', 'firefox-mv2', 'firefox-mv3'].filter((d) => existsSync(join('.output', d)));
if (builds.length === 0) {
  console.error('check-manifest: no build under .output/ (run `npx wxt build` first)');
  process.exit(1);
}

let failed = false;
for (const build of builds) {
  const file = join('.output', build, 'manifest.json');
  if (!existsSync(file)) {
    console.error(`check-manifest: ${file} is missing`);
    failed = true;
    continue;
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const problems = manifestProblems(manifest, build.startsWith('firefox') ? 'firefox' : 'chrome');
  // The config cannot show this (WXT adds content scripts from entrypoints/): every site Liaison reads must
  // have its content script in what the browser installs.
  const matches = ((manifest.content_scripts ?? []) as { matches?: string[] }[]).flatMap((c) => c.matches ?? []);
  for (const wanted of CONTENT_SCRIPT_MATCHES) {
    if (!matches.includes(wanted)) problems.push(`no content script for ${wanted}`);
  }
  // Outlook's script (issue 6) runs on the Outlook hosts and nowhere else: a mix-up with another site's script
  // would put the Outlook adapter on Gmail, or Gmail's on Outlook.
  const outlook = new Set<string>(OUTLOOK_HOST_PATTERNS);
  for (const script of (manifest.content_scripts ?? []) as { matches?: string[] }[]) {
    const m = script.matches ?? [];
    if (m.some((x) => outlook.has(x)) && (m.length !== outlook.size || !m.every((x) => outlook.has(x)))) {
      problems.push(`the Outlook content script must match exactly ${[...outlook].join(', ')}; got ${m.join(', ')}`);
    }
  }
  // Chrome refuses to load the whole extension when a content script is "not UTF-8 encoded", which to it includes
  // noncharacters such as U+FFFF that a minifier writes out literally (a sort sentinel did, once).
  for (const script of (manifest.content_scripts ?? []) as { js?: string[] }[]) {
    for (const js of script.js ?? []) {
      const text = readFileSync(join('.output', build, js), 'utf8');
      const bad = /[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
      if (bad) problems.push(`${js} holds U+${bad[0].charCodeAt(0).toString(16).toUpperCase()} at ${bad.index}: Chrome would refuse to load the extension`);
    }
  }
  for (const p of problems) console.error(`check-manifest: ${build}: ${p}`);
  if (problems.length === 0) console.log(`check-manifest: ${build}: ok`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
