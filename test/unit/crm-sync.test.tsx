// @vitest-environment happy-dom
/**
 * The sidebar's line about a record's copy in the team's CRM (components/sidebar/CrmSync.tsx): synced with a link,
 * waiting, not synced with the hub's reason, deleted there, imported from there — in English and Dutch. The link
 * and the reason come from the hub, which is not trusted to be right: the link is followed only to the CRM's own
 * https pages, and the reason is text in an isolate of its own.
 */
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CrmSync, crmLink } from '../../components/sidebar/CrmSync';
import type { ExternalRef } from '../../shared/wire-types';
import { useLocale } from './helpers/i18n';
import { sentence } from './helpers/text';

const JANE = 'https://app-eu1.hubspot.com/contacts/24681357/record/0-1/1001';
const ref = (over: Partial<ExternalRef> = {}): ExternalRef => ({
  provider: 'hubspot',
  state: 'synced',
  id: '1001',
  url: JANE,
  reason: null,
  syncedAt: '2026-11-20T10:00:00.000Z',
  ...over,
});

beforeEach(() => {
  fakeBrowser.reset();
  useLocale('en');
});
afterEach(cleanup);

describe('CrmSync', () => {
  it('says nothing when no CRM is connected', () => {
    const { container } = render(<CrmSync external={[]} />);
    expect(container.textContent).toBe('');
    const none = render(<CrmSync />);
    expect(none.container.textContent).toBe('');
  });

  it('shows a synced record with a link that opens HubSpot in a new tab, without the opener', () => {
    const { container } = render(<CrmSync external={[ref()]} />);
    expect(screen.getByText(sentence('Synced to HubSpot · Open in HubSpot'))).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Open in HubSpot' });
    expect(link.getAttribute('href')).toBe(JANE);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(container.querySelector('[data-liaison="crm-sync"]')?.getAttribute('data-state')).toBe('synced');
  });

  it('shows a record on its way as waiting, with no link', () => {
    for (const state of ['pending', 'creating'] as const) {
      const { container } = render(<CrmSync external={[ref({ state, url: null, id: null })]} />);
      expect(container.textContent).toBe('Waiting to sync to HubSpot');
      expect(container.querySelector('a')).toBeNull();
      cleanup();
    }
  });

  it('shows why a record is not in HubSpot, with no link even if the hub sent one', () => {
    for (const state of ['failed', 'skipped'] as const) {
      const { container } = render(<CrmSync external={[ref({ state, reason: 'none of the people in it is a contact in Liaison' })]} />);
      expect(container.textContent).toBe('Not in HubSpot: none of the people in it is a contact in Liaison');
      expect(container.querySelector('a')).toBeNull();
      cleanup();
    }
    const { container } = render(<CrmSync external={[ref({ state: 'deleted', url: null })]} />);
    expect(container.textContent).toBe('Deleted in HubSpot');
  });

  it('says "from HubSpot" for history imported from it, with its link', () => {
    const { container } = render(<CrmSync external={[ref()]} source="hubspot" />);
    expect(container.textContent).toBe('from HubSpot · Open in HubSpot');
    expect(container.querySelector('a')?.getAttribute('href')).toBe(JANE);
  });

  it('speaks Dutch', () => {
    useLocale('nl');
    const { container } = render(<CrmSync external={[ref()]} />);
    expect(container.textContent).toBe('Gesynchroniseerd met HubSpot · Openen in HubSpot');
    cleanup();
    const failed = render(<CrmSync external={[ref({ state: 'failed', reason: 'x' })]} />);
    expect(failed.container.textContent).toBe('Niet in HubSpot: x');
  });

  it('links only to https pages on hubspot.com or its subdomains', () => {
    const ok = [JANE, 'https://app.hubspot.com/contacts/1/record/0-1/2', 'https://APP.HubSpot.com/x', 'https://hubspot.com/'];
    for (const url of ok) expect(crmLink('hubspot', url), url).not.toBeNull();
    const refused = [
      'http://app.hubspot.com/contacts/1',
      'https://app.hubspot.com.evil.example/contacts/1',
      'https://app.hubspot.com@evil.example/contacts/1',
      'https://user:pw@app.hubspot.com/contacts/1',
      'https://evilhubspot.com/contacts/1',
      'https://app.hubspot.com:8443/contacts/1',
      'javascript:alert(1)//app.hubspot.com/',
      'data:text/html,<script>alert(1)</script>',
      '//app.hubspot.com/contacts/1',
      '/contacts/1',
      'not a url',
      '',
    ];
    for (const url of refused) expect(crmLink('hubspot', url), url).toBeNull();
    expect(crmLink('pipedrive', JANE)).toBeNull();
    for (const url of refused) {
      const { container } = render(<CrmSync external={[ref({ url })]} />);
      expect(container.textContent, url).toBe('Synced to HubSpot');
      expect(container.querySelector('a'), url).toBeNull();
      cleanup();
    }
  });

  it('keeps hostile text from the hub in an isolate of its own, as text', () => {
    const hostile = ['\u202Egnp.exe', '<img src=x onerror=alert(1)>', 'W'.repeat(500), 'Pat\u2069 Smith'];
    for (const reason of hostile) {
      const { container } = render(<CrmSync external={[ref({ state: 'failed', reason })]} />);
      const bdi = [...container.querySelectorAll('bdi')].find((b) => b.textContent === reason);
      expect(bdi, 'the reason is its own isolate').toBeTruthy();
      // The sentence's own words stay outside the isolate, so an override in the reason cannot move them.
      expect(container.textContent).toBe(`Not in HubSpot: ${reason}`);
      expect(bdi!.textContent).not.toContain('Not in');
      expect(container.querySelector('img, script')).toBeNull();
      cleanup();
    }
  });
});
