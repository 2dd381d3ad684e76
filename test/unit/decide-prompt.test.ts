import { describe, expect, it } from 'vitest';
import type { Person } from '../../utils/adapters/types';
import { decidePrompt, isAutomatedAddress, type HubKnowledge, type PromptSettings } from '../../utils/prompt/decide-prompt';

const me = { email: 'dana@northwind-demo.com', name: 'Dana Reyes' };
const sam = { email: 'sam@northwind-demo.com', name: 'Sam Lee' };
const jane = { email: 'jane.doe@acme-corp.com', name: 'Jane Doe' };
const newbie = { email: 'new.person@globex-industries.com', name: 'New Person' };
const lawyer = { email: 'counsel@lawfirm.example', name: 'Counsel' };
const robot = { email: 'no-reply@acme-corp.com', name: 'Acme' };
const list = { email: 'team@googlegroups.com', name: 'A list' };

const settings = (over: Partial<PromptSettings> = {}): PromptSettings => ({
  mode: 'all', askAboutUnknown: true, myAddresses: [me.email], teamDomains: ['northwind-demo.com'],
  neverLogDomains: ['lawfirm.example'], neverLogAddresses: ['secret@acme-corp.com'], ...over,
});
const hub = (over: Partial<HubKnowledge> = {}): HubKnowledge => ({
  loggedBy: [], knownEmails: new Set([jane.email]), pendingInOutbox: false, alreadyAsked: false, ...over,
});

describe('decidePrompt', () => {
  // [rule, participants, settings, hub, expected]
  const table: [string, Person[], PromptSettings, HubKnowledge, unknown][] = [
    ['asks about a known external person', [me, jane], settings(), hub(), { ask: true, people: [jane], unknown: [] }],
    ['the prompt can be turned off', [me, jane], settings({ mode: 'off' }), hub(), { ask: false, reason: 'prompt-off' }],
    ['internal-only threads never ask', [me, sam], settings(), hub(), { ask: false, reason: 'no-external-people' }],
    ['my own addresses are not external', [me], settings(), hub(), { ask: false, reason: 'no-external-people' }],
    ['never-log domains are honoured', [me, lawyer], settings(), hub(), { ask: false, reason: 'never-log' }],
    ['never-log addresses are honoured', [me, { email: 'secret@acme-corp.com', name: null }], settings(), hub(), { ask: false, reason: 'never-log' }],
    ['no-reply senders never ask', [me, robot], settings(), hub(), { ask: false, reason: 'automated-sender' }],
    ['mailing lists never ask', [me, list], settings(), hub(), { ask: false, reason: 'automated-sender' }],
    ['already logged by anyone', [me, jane], settings(), hub({ loggedBy: ['Sam Lee'] }), { ask: false, reason: 'already-logged' }],
    ['waiting in my outbox', [me, jane], settings(), hub({ pendingInOutbox: true }), { ask: false, reason: 'pending-in-outbox' }],
    ['asked already in this visit', [me, jane], settings(), hub({ alreadyAsked: true }), { ask: false, reason: 'already-asked' }],
    ['unknown people: asks by default, marked unknown', [me, newbie], settings(), hub(), { ask: true, people: [newbie], unknown: [newbie] }],
    ['unknown people: not when the setting says so', [me, newbie], settings({ askAboutUnknown: false }), hub(), { ask: false, reason: 'unknown-people-only' }],
    ['known-only mode skips unknown people', [me, newbie], settings({ mode: 'known-only' }), hub(), { ask: false, reason: 'unknown-people-only' }],
    ['known-only mode still asks about the known ones', [me, jane, newbie], settings({ mode: 'known-only' }), hub(), { ask: true, people: [jane], unknown: [] }],
    ['hub unreachable counts as not logged', [me, jane], settings(), hub({ loggedBy: null }), { ask: true, people: [jane], unknown: [] }],
    ['a human beside a robot still asks, about the human', [me, robot, jane], settings(), hub(), { ask: true, people: [jane], unknown: [] }],
  ];
  for (const [rule, people, s, h, expected] of table) {
    it(rule, () => expect(decidePrompt(people, s, h)).toEqual(expected));
  }
});

describe('isAutomatedAddress', () => {
  it.each([
    ['noreply@x.com', true], ['no-reply@x.com', true], ['do-not-reply@x.com', true], ['mailer-daemon@x.com', true],
    ['notifications@github.com', true], ['dev-bounces+jane=x.com@lists.example.org', true], ['team@googlegroups.com', true],
    ['jane.doe@acme-corp.com', false], ['noah@x.com', false], ['newsom@x.com', false], ['info@acme-corp.com', false],
  ])('%s → %s', (email, expected) => expect(isAutomatedAddress(email)).toBe(expected));
});
