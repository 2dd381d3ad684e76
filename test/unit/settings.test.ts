import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parseManagedPolicy } from '../../utils/storage/managed-policy';
import 'fake-indexeddb/auto';
import { LEGACY_TOKEN_KEY, loadSettings, readToken, saveSettings, settingsView, SETTINGS_KEY, storeToken } from '../../utils/storage/settings';

describe('settings', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await storeToken(null);
  });

  it('defaults to no hub, no body in logs, nothing managed', async () => {
    const view = await settingsView();
    expect(view).toMatchObject({ hubUrl: '', hasToken: false, includeBody: false, managed: [], neverLogDomains: [] });
  });

  it('lets valid managed values override the user’s, field by field, and shows which are managed', async () => {
    await saveSettings({ hubUrl: 'https://mine.example', neverLogDomains: ['a.example'], includeBody: true });
    await fakeBrowser.storage.managed.set({ hubUrl: 'https://hub.corp.example', includeBody: false });
    const s = await loadSettings();
    expect(s).toMatchObject({ hubUrl: 'https://hub.corp.example', includeBody: false, neverLogDomains: ['a.example'] });
    expect(s.managed.sort()).toEqual(['hubUrl', 'includeBody']);
    // The user cannot save over a managed field; other fields still save.
    await saveSettings({ hubUrl: 'https://elsewhere.example', neverLogDomains: ['b.example'] });
    expect(await loadSettings()).toMatchObject({ hubUrl: 'https://hub.corp.example', neverLogDomains: ['b.example'] });
  });

  it('ignores bad managed values with a reason, keeping the good ones and the user’s own setting', async () => {
    await saveSettings({ hubUrl: 'https://mine.example', includeBody: false });
    await fakeBrowser.storage.managed.set({
      hubUrl: 'javascript:alert(1)',
      includeBody: 'yes',
      neverLogDomains: ['lawfirm.example'],
      token: 'pushed-token',
    });
    const s = await loadSettings();
    expect(s).toMatchObject({ hubUrl: 'https://mine.example', includeBody: false, neverLogDomains: ['lawfirm.example'] });
    expect(s.managed).toEqual(['neverLogDomains']);
    expect(s.managedProblems.map((p) => p.key).sort()).toEqual(['hubUrl', 'includeBody', 'token']);
    expect(s.managedProblems.find((p) => p.key === 'hubUrl')?.reason).toMatch(/https/);
    expect(await readToken()).toBeNull();
  });

  it('validates each policy entry on its own', () => {
    expect(parseManagedPolicy({ neverLogAddresses: ['Boss@Corp.example', 'not-an-address'] })).toEqual({
      values: {},
      problems: [{ key: 'neverLogAddresses', reason: 'not an email address' }],
    });
    expect(parseManagedPolicy({ neverLogAddresses: [' Boss@Corp.example '] }).values).toEqual({ neverLogAddresses: ['boss@corp.example'] });
  });

  it('moves a token an earlier version kept in storage.local out of content scripts\' reach on first use', async () => {
    await fakeBrowser.storage.local.set({ [LEGACY_TOKEN_KEY]: 'lia_from_before' });
    expect(await readToken()).toBe('lia_from_before');
    expect(await fakeBrowser.storage.local.get(LEGACY_TOKEN_KEY)).toEqual({});
    expect(await readToken()).toBe('lia_from_before');
  });

  it('keeps the token under its own key and never in the view; a new token forgets the cached identity', async () => {
    await fakeBrowser.storage.local.set({
      [SETTINGS_KEY]: { hubUrl: 'https://hub.example', me: { member: { id: '1' }, team: {} }, teamDomains: ['old.example'] },
    });
    await saveSettings({ token: ' secret-abc ' });
    expect(await readToken()).toBe('secret-abc');
    // Not in storage.local, which content scripts can read: in the extension origin's IndexedDB.
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty(LEGACY_TOKEN_KEY);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('secret-abc');
    const view = await settingsView();
    expect(view).toMatchObject({ hasToken: true, me: null, teamDomains: [] });
    expect(JSON.stringify(view)).not.toContain('secret-abc');
    await saveSettings({ token: '' });
    expect(await readToken()).toBeNull();
  });

  it('falls back field by field when stored settings are corrupt', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { hubUrl: 42, includeBody: true, myAddresses: 'x' } });
    expect(await loadSettings()).toMatchObject({ hubUrl: '', includeBody: true, myAddresses: [] });
  });
});
