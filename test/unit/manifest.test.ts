import { describe, expect, it } from 'vitest';
import { GECKO_ID, manifestFor, manifestProblems, OUTLOOK_HOST_PATTERNS } from '../../utils/manifest';
import { OUTLOOK_HOSTS } from '../../utils/outlook/navigation';

/** The built manifest is checked by scripts/check-manifest.ts with the same rules after `wxt build`. */
describe('manifest', () => {
  it('asks for storage, alarms and identity only, on Chrome and Firefox', () => {
    for (const browser of ['chrome', 'firefox']) {
      const manifest = manifestFor(browser);
      // identity (issue 13): "Sign in to your hub" through identity.launchWebAuthFlow; nothing else was added for it.
      expect(manifest.permissions).toEqual(['storage', 'alarms', 'identity']);
      expect(manifest).not.toHaveProperty('host_permissions');
      expect(manifestProblems(manifest, browser)).toEqual([]);
    }
    expect(manifestFor('firefox')).toMatchObject({ browser_specific_settings: { gecko: { id: GECKO_ID } } });
  });

  it('flags anything broader: tabs, <all_urls>, a hub host permission, remote code', () => {
    const chrome = manifestFor('chrome');
    expect(manifestProblems({ ...chrome, permissions: ['storage', 'alarms', 'identity', 'tabs'] }, 'chrome')).toHaveLength(1);
    expect(manifestProblems({ ...chrome, permissions: ['storage', 'alarms', 'identity', 'identity.email'] }, 'chrome')).toHaveLength(1);
    expect(manifestProblems({ ...chrome, host_permissions: ['<all_urls>'] }, 'chrome')).toHaveLength(1);
    expect(manifestProblems({ ...chrome, host_permissions: ['https://hub.example.com/*'] }, 'chrome')).toHaveLength(1);
    expect(manifestProblems({ ...chrome, content_scripts: [{ matches: ['*://*/*'] }] }, 'chrome')).toHaveLength(1);
    expect(
      manifestProblems({ ...chrome, content_security_policy: { extension_pages: "script-src 'self' 'unsafe-eval'" } }, 'chrome'),
    ).toHaveLength(1);
    expect(manifestProblems({ ...manifestFor('firefox'), browser_specific_settings: undefined }, 'firefox')).toHaveLength(1);
  });

  it('lets a content script run on Google Calendar without granting a host permission there (issue 5)', () => {
    const chrome = manifestFor('chrome');
    const scripts = [{ matches: ['https://mail.google.com/*'] }, { matches: ['https://calendar.google.com/*'] }];
    expect(manifestProblems({ ...chrome, content_scripts: scripts }, 'chrome')).toEqual([]);
    expect(manifestProblems({ ...chrome, host_permissions: ['https://calendar.google.com/*'] }, 'chrome')).toEqual([
      'host permission not allowed: https://calendar.google.com/*',
    ]);
    expect(manifestProblems({ ...chrome, content_scripts: [{ matches: ['https://*.google.com/*'] }] }, 'chrome')).toHaveLength(1);
  });

  it('runs the Outlook content script on exactly the Outlook hosts, as matches and never as host permissions (issue 6)', () => {
    const chrome = manifestFor('chrome');
    // outlook.cloud.microsoft is where Microsoft moves Outlook on the web for work and school accounts (issue 11).
    const outlook = [
      'https://outlook.office.com/*',
      'https://outlook.office365.com/*',
      'https://outlook.live.com/*',
      'https://outlook.cloud.microsoft/*',
    ];
    expect(OUTLOOK_HOST_PATTERNS).toEqual(outlook);
    // The adapter reads URLs on exactly the hosts the content script runs on.
    expect(OUTLOOK_HOSTS.map((h) => `https://${h}/*`)).toEqual(outlook);
    expect(manifestProblems({ ...chrome, content_scripts: [{ matches: outlook }] }, 'chrome')).toEqual([]);
    for (const host of outlook) {
      expect(manifestProblems({ ...chrome, host_permissions: [host] }, 'chrome')).toEqual([`host permission not allowed: ${host}`]);
    }
    for (const broad of ['https://*.office.com/*', 'https://outlook.office.com.evil.example/*', 'https://*.live.com/*', 'https://*.cloud.microsoft/*']) {
      expect(manifestProblems({ ...chrome, content_scripts: [{ matches: [broad] }] }, 'chrome')).toHaveLength(1);
    }
  });
});
