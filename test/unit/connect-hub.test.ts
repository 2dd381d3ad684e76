/**
 * "Sign in to your hub" in the background (issue 13): the identity flow's answer is accepted only with the state
 * we sent and at our own redirect URL, the token is kept in the background's storage and never handed to the page,
 * and the team's never-log lists from the hub join the person's own and managed policy's (the union).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { HubClient } from '../../utils/hub-client';
import { browserLabel, connectHub } from '../../utils/background/connect-hub';
import { loadSettings, readToken, saveIdentity, saveSettings, settingsView, storeToken } from '../../utils/storage/settings';
import { ME } from './helpers/local-hub';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const TOKEN = 'lia_' + 'x'.repeat(43);

function identity(answer: (url: URL) => string) {
  const opened: URL[] = [];
  return {
    opened,
    api: {
      getRedirectURL: () => REDIRECT,
      launchWebAuthFlow: async ({ url }: { url: string; interactive: boolean }) => {
        const u = new URL(url);
        opened.push(u);
        return answer(u);
      },
    },
  };
}

const hubFor = (seen: string[]) => (url: string, token: string | null) =>
  ({ me: async () => (seen.push(`${url} ${token}`), ME) }) as unknown as HubClient;

describe('Sign in to your hub', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await storeToken(null);
  });

  it('opens the hub’s connect page with our redirect URL, a state and a label, and keeps the token it gets', async () => {
    const flow = identity((u) => `${REDIRECT}#${new URLSearchParams({ token: TOKEN, state: u.searchParams.get('state')! })}`);
    const seen: string[] = [];
    const result = await connectHub('https://hub.example.com/', { identity: flow.api, hubFor: hubFor(seen), platform: async () => ({ os: 'linux' }), userAgent: 'Mozilla/5.0 Chrome/140' });
    expect(result).toEqual({ ok: true, me: ME });
    const opened = flow.opened[0]!;
    expect(opened.origin + opened.pathname).toBe('https://hub.example.com/connect');
    expect(opened.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(opened.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(opened.searchParams.get('label')).toBe('Chrome on Linux');
    expect(await readToken()).toBe(TOKEN);
    expect(seen).toEqual([`https://hub.example.com ${TOKEN}`]);
    const view = await settingsView();
    expect(view).toMatchObject({ hubUrl: 'https://hub.example.com', hasToken: true });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
  });

  it('refuses an answer with another state or at another address, and keeps nothing', async () => {
    for (const answer of [`${REDIRECT}#token=${TOKEN}&state=someone-elses-state-000000`, `https://evil.example/#token=${TOKEN}&state=x`, `${REDIRECT}#state=x`]) {
      const flow = identity(() => answer);
      const result = await connectHub('https://hub.example.com', { identity: flow.api, hubFor: hubFor([]) });
      expect(result.ok, answer).toBe(false);
      expect(await readToken()).toBeNull();
    }
  });

  it('says why when the window was closed', async () => {
    const result = await connectHub('https://hub.example.com', {
      identity: { getRedirectURL: () => REDIRECT, launchWebAuthFlow: async () => Promise.reject(new Error('The user did not approve access.')) },
    });
    expect(result).toEqual({ ok: false, reason: { code: 'unreachable', message: 'The user did not approve access.' } });
  });

  it('names the browser and system for the token’s label', async () => {
    expect(await browserLabel({ platform: async () => ({ os: 'mac' }), userAgent: 'Mozilla/5.0 (Macintosh) Gecko/20100101 Firefox/140.0' })).toBe('Firefox on macOS');
    expect(await browserLabel({ platform: async () => ({ os: 'win' }), userAgent: 'Mozilla/5.0 Chrome/140 Edg/140' })).toBe('Edge on Windows');
  });

  it('adds the team’s never-log lists to the person’s own and to managed policy: the union', async () => {
    await saveSettings({ neverLogDomains: ['mine.example'], neverLogAddresses: ['me@mine.example'] });
    await saveIdentity({ ...ME, policy: { neverLogDomains: ['lawfirm.example'], neverLogAddresses: ['ceo@bigclient.example'] } });
    let s = await loadSettings();
    expect(s.neverLogDomains.sort()).toEqual(['lawfirm.example', 'mine.example']);
    expect(s.neverLogAddresses.sort()).toEqual(['ceo@bigclient.example', 'me@mine.example']);
    await fakeBrowser.storage.managed.set({ neverLogDomains: ['policy.example'] });
    s = await loadSettings();
    expect(s.neverLogDomains.sort()).toEqual(['lawfirm.example', 'policy.example']);
    const view = await settingsView();
    expect(view.ownNeverLogDomains).toEqual(['policy.example']);
    expect(view.teamNeverLogDomains).toEqual(['lawfirm.example']);
    // Saving the options page's own lists never writes the team's into them.
    await saveSettings({ neverLogAddresses: ['other@mine.example'] });
    expect((await settingsView()).ownNeverLogAddresses).toEqual(['other@mine.example']);
  });
});
