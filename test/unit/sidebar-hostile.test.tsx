// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Sidebar } from '../../components/sidebar/Sidebar';
import type { PageContext } from '../../utils/adapters/types';
import { detectGmailPage } from '../../utils/gmail/gmail-adapter';
import { loadFixture } from './helpers/gmail-fixture';
import { useLocale } from './helpers/i18n';
import { contact, fakeBackground, interaction, sam } from './helpers/sidebar-data';

const markup = '<img src=x onerror=alert(1)>';
const rtl = '\u202Egnp.exe';
const long = 'A'.repeat(300);

beforeEach(() => useLocale('en'));
afterEach(cleanup);

it('reads hostile page text from the fixture as plain strings', () => {
  const ctx = detectGmailPage(loadFixture('2026-11-thread-hostile.html'), 'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4ea00');
  expect(ctx.kind).toBe('thread');
  if (ctx.kind !== 'thread') return;
  expect(ctx.thread.subject).toBe(markup);
  expect(ctx.thread.participants.map((p) => p.name)).toEqual([rtl, 'Dana Reyes', long]);
});

it('renders hostile page and hub text as literal text, never as markup', async () => {
  const page = detectGmailPage(loadFixture('2026-11-thread-hostile.html'), 'https://mail.google.com/mail/u/0/#inbox/18f3a1b2c3d4ea00') as Extract<
    PageContext,
    { kind: 'thread' }
  >;
  const withCompose: PageContext = {
    ...page,
    composes: [
      { site: 'gmail', composeId: 'local:1', kind: 'popup', threadId: null, subject: markup, recipients: [{ email: 'mallory@evil-example.com', name: markup }] },
    ],
  };
  const hostileContact = contact({
    id: 'c-evil',
    emails: ['mallory@evil-example.com'],
    name: rtl,
    title: markup,
    company: { id: 'co', name: `<script>alert(2)</script>`, domains: [] },
    openFlags: [{ id: 'f', kind: '<b>bold</b>', note: markup, open: true, setBy: sam, setAt: new Date().toISOString(), closedBy: null, closedAt: null }],
  });
  const bg = fakeBackground(
    [
      { email: 'mallory@evil-example.com', contact: hostileContact, member: null },
      { email: 'long@evil-example.com', contact: null, member: null },
    ],
    {
      'contacts:timeline': () => ({
        page: { items: [interaction('t', '2026-11-01T00:00:00.000Z', { ...sam, name: markup }, markup)], nextCursor: null },
        source: 'hub',
        offline: null,
      }),
    },
  );
  const { container } = render(<Sidebar context={withCompose} send={bg.send} refreshKey={0} />);
  const card = await screen.findByRole('article', { name: rtl });
  await within(card).findByText(markup, { selector: '.timeline__subject bdi' });

  expect(container.querySelector('img, script, b')).toBeNull();
  expect(within(card).getByText(rtl, { selector: 'bdi' }).textContent).toBe(rtl);
  expect(within(card).getByText(markup, { selector: '.flag__note bdi' }).textContent).toBe(markup);
  expect(within(card).getByText('<script>alert(2)</script>').textContent).toBe('<script>alert(2)</script>');
  expect(screen.getByRole('article', { name: long }).textContent).toContain(long);
  expect(screen.getByRole('region', { name: 'Message being written' }).textContent).toContain(markup);
  // Bidi overrides are isolated so they cannot flip the text around them.
  expect(within(card).getByText(rtl, { selector: 'bdi' }).tagName).toBe('BDI');
});
