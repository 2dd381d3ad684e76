import { describe, expect, it } from 'vitest';
import { parseGmailUrl } from '../../utils/gmail/navigation';

const base = 'https://mail.google.com/mail';

describe('parseGmailUrl', () => {
  it.each([
    [`${base}/u/0/#inbox`, { accountIndex: 0, view: 'inbox', threadId: null, kind: 'list' }],
    [`${base}/u/0/`, { accountIndex: 0, view: 'inbox', threadId: null, kind: 'list' }],
    [`${base}/u/0/#inbox/18f3a1b2c3d4e5f6`, { accountIndex: 0, view: 'inbox', threadId: '18f3a1b2c3d4e5f6', kind: 'thread' }],
    [`${base}/u/2/#inbox/FMfcgzQXJWDsKmvPzRhFbbnHTcpmRVhx`, { accountIndex: 2, view: 'inbox', threadId: 'FMfcgzQXJWDsKmvPzRhFbbnHTcpmRVhx', kind: 'thread' }],
    [`${base}/u/0/#inbox/p2`, { accountIndex: 0, view: 'inbox', threadId: null, kind: 'list' }],
    [`${base}/u/0/#label/Clients`, { accountIndex: 0, view: 'label/Clients', threadId: null, kind: 'list' }],
    [`${base}/u/0/#label/Clients/18f3a1b2c3d4e600`, { accountIndex: 0, view: 'label/Clients', threadId: '18f3a1b2c3d4e600', kind: 'thread' }],
    // A label whose name looks like an id is still a label, not a thread.
    [`${base}/u/0/#label/QuarterlyBusinessReviews2026`, { accountIndex: 0, view: 'label/QuarterlyBusinessReviews2026', threadId: null, kind: 'list' }],
    [`${base}/u/0/#label/Clients%2FAcme+Corp/18f3a1b2c3d4e600`, { accountIndex: 0, view: 'label/Clients/Acme Corp', threadId: '18f3a1b2c3d4e600', kind: 'thread' }],
    [`${base}/u/0/#search/acme+renewal/18f3a1b2c3d4e600`, { accountIndex: 0, view: 'search/acme renewal', threadId: '18f3a1b2c3d4e600', kind: 'thread' }],
    [`${base}/u/0/#category/updates`, { accountIndex: 0, view: 'category/updates', threadId: null, kind: 'list' }],
    [`${base}/u/1/#sent/18f3a1b2c3d4e700`, { accountIndex: 1, view: 'sent', threadId: '18f3a1b2c3d4e700', kind: 'thread' }],
    [`${base}/u/0/#settings/general`, { accountIndex: 0, view: 'settings', threadId: null, kind: 'other' }],
    [`${base}/u/0/?ui=2&view=pt&th=18f3a1b2c3d4e5f6`, { accountIndex: 0, view: 'pt', threadId: '18f3a1b2c3d4e5f6', kind: 'thread' }],
    [`${base}/#inbox/18f3a1b2c3d4e5f6`, { accountIndex: 0, view: 'inbox', threadId: '18f3a1b2c3d4e5f6', kind: 'thread' }],
    ['https://mail.google.com/chat/u/0/', { accountIndex: null, view: null, threadId: null, kind: 'other' }],
    ['not a url', { accountIndex: null, view: null, threadId: null, kind: 'other' }],
  ])('%s', (href, expected) => {
    expect(parseGmailUrl(href)).toEqual(expected);
  });
});
