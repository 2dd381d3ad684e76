/**
 * The mail sites the shared end-to-end scenarios run on (test/e2e/sites.e2e.ts): where each one's stand-in
 * conversations are, how a user moves and sends there. A scenario says what a user does and sees; only this
 * file knows which site it is on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser } from './harness.ts';
import { OUTLOOK_ORIGIN, routeOutlook } from './outlook-shell.ts';

export interface Conversation {
  /** The reference a log is stored under at the hub (the site's thread or conversation id). */
  ref: string;
  subject: string;
}

export interface SiteUnderTest {
  name: 'gmail' | 'outlook';
  /** The README's picture of this site's sidebar, or null where another end-to-end file takes it. */
  screenshot: string | null;
  /** Jane Doe (Acme) and Raj Patel, with Sam Lee (colleague): "Renewal terms for 2027". */
  renewal: Conversation;
  /** Jane's "Pilot feedback", with Dana's reply open under it. */
  reply: Conversation & { replySubject: string };
  /** A conversation carrying a meeting invitation; `meeting` is its title, `attendees` in the panel's order. */
  invitation: Conversation & { meeting: string; attendees: string[]; meetingRef: string };
  /**
   * The site's own calendar with an event open, when the calendar is part of the site (Outlook). Google
   * Calendar is a site of its own, tested in attendance.e2e.ts.
   */
  calendar: { url: string; meeting: string; attendees: string[] } | null;
  /** Routes the site's stand-in into the browser (before any of its pages opens). */
  install(browser: Browser): Promise<void>;
  open(browser: Browser, conversation: Conversation): Promise<Page>;
  /** What the user does to go back to the list (Gmail: the hash; Outlook: a folder click, pushState). */
  toList(page: Page): Promise<void>;
  sendButton(page: Page): ReturnType<Page['locator']>;
  composeForms(page: Page): ReturnType<Page['locator']>;
}

const GMAIL_ICS = readFileSync(path.resolve('test/fixtures/gmail/2026-11-invitation.ics'), 'utf8');

export const gmail: SiteUnderTest = {
  name: 'gmail',
  screenshot: null, // gmail-sidebar.e2e.ts takes gmail-sidebar.png
  renewal: { ref: '18f3a1b2c3d4e5f6', subject: 'Renewal terms for 2027' },
  reply: { ref: '18f3a1b2c3d4e800', subject: 'Pilot feedback', replySubject: 'Re: Pilot feedback' },
  invitation: {
    ref: '18f3a1b2c3d4eb00',
    subject: 'Invitation: Acme onboarding kickoff',
    meeting: 'Acme onboarding kickoff',
    attendees: ['jane.doe@acme-corp.com', 'dana@northwind-demo.com', 'raj.patel@acme-corp.com', 'ana@northwind-demo.com'],
    meetingRef: '4k2q8v1m3n5p7r9t0w2y4a6c8e@google.com',
  },
  calendar: null,
  async install(browser) {
    // Gmail's attachment download URL answers the invitation's .ics (the harness serves the Gmail shell).
    await browser.context.route(
      (url) => url.hostname === 'mail.google.com' && url.searchParams.get('view') === 'att',
      (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/calendar; charset=utf-8' }, body: GMAIL_ICS }),
    );
  },
  open: (browser, c) => browser.openGmail(`#inbox/${c.ref}`),
  toList: async (page) => {
    await page.evaluate(() => (location.hash = '#inbox'));
  },
  sendButton: (page) => page.locator('div.aoO[role="button"]'),
  composeForms: (page) => page.locator('div.M9'),
};

export const outlook: SiteUnderTest = {
  name: 'outlook',
  screenshot: 'outlook-sidebar.png',
  renewal: { ref: 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAJ7sQ1Q4Yk1Ppp7q0a3v5cM=', subject: 'Renewal terms for 2027' },
  reply: { ref: 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAPilotFeedback0001=', subject: 'Pilot feedback', replySubject: 'RE: Pilot feedback' },
  invitation: {
    ref: 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAQbrMeeting0001=',
    subject: 'Quarterly business review',
    meeting: 'Quarterly business review',
    attendees: ['jane.doe@acme-corp.com', 'raj.patel@acme-corp.com', 'dana@northwind-demo.com'],
    // Outlook's pages do not show the iCalendar UID: the meeting is known by the message it came in.
    meetingRef: 'outlook-invite:AAMkADqbrmsg0001',
  },
  calendar: {
    url: `${OUTLOOK_ORIGIN}/calendar/item/AAMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAAAAcal0001%3D`,
    meeting: 'Acme onboarding kickoff',
    attendees: ['dana@northwind-demo.com', 'jane.doe@acme-corp.com', 'raj.patel@acme-corp.com', 'maria.garcia@acme-corp.com', 'sam@northwind-demo.com'],
  },
  install: (browser) => routeOutlook(browser.context),
  async open(browser, c) {
    const page = await browser.context.newPage();
    await page.goto(`${OUTLOOK_ORIGIN}/mail/inbox/id/${encodeURIComponent(c.ref)}`);
    return page;
  },
  toList: async (page) => {
    await page.evaluate(() => (window as any).__outlookGo('/mail/inbox'));
  },
  sendButton: (page) => page.locator('[data-testid="ComposeSendButton"]'),
  composeForms: (page) => page.locator('[data-app-section="Form_Content"]'),
};

export const SITES: SiteUnderTest[] = [gmail, outlook];
