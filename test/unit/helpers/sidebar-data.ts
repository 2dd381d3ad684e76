import { vi } from 'vitest';
import type { Send } from '../../../components/sidebar/api';
import type { ContactSummary, Interaction, LookupResult, MemberRef } from '../../../shared/wire-types';
import type { ProtocolMap, RefStatus, Request, RequestType, SettingsView } from '../../../utils/messaging/protocol';

export const dana: MemberRef = { id: '1', name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales' };
export const sam: MemberRef = { id: '2', name: 'Sam Lee', email: 'sam@northwind-demo.com', department: 'support' };

export function settings(over: Partial<SettingsView> = {}): SettingsView {
  return {
    hubUrl: 'http://127.0.0.1:8787',
    hasToken: true,
    myAddresses: ['dana@northwind-demo.com'],
    neverLogDomains: [],
    neverLogAddresses: [],
    includeBody: false,
    promptMode: 'all',
    askAboutUnknown: true,
    managed: [],
    teamDomains: ['northwind-demo.com'],
    me: null,
    ...over,
  };
}

export function contact(over: Partial<ContactSummary> & { id: string; emails: string[] }): ContactSummary {
  return {
    name: null,
    title: null,
    company: null,
    owner: null,
    openFlags: [],
    lastInteraction: null,
    countsByDepartment: { sales: 0, marketing: 0, support: 0, it: 0, leadership: 0, other: 0 },
    totalInteractions: 0,
    attendance: { meetings: 0, attended: 0, late: 0, noShow: 0, excused: 0, lastNoShowAt: null },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export function interaction(id: string, occurredAt: string, by: MemberRef, subject: string): Interaction {
  return {
    id,
    kind: 'email',
    occurredAt,
    endsAt: null,
    subject,
    summary: null,
    outcome: null,
    department: by.department,
    loggers: [{ member: by, department: by.department, loggedAt: occurredAt, sourceSite: 'gmail', sourceRef: null }],
    participants: [],
    icalUid: null,
    recurrenceId: null,
    attendance: [],
    createdAt: occurredAt,
  };
}

type Handlers = { [T in RequestType]?: (req: Request<T>) => ProtocolMap[T][1] | Promise<ProtocolMap[T][1]> };

export interface FakeBackground {
  send: Send;
  calls: Request[];
  handlers: Handlers;
}

/** A background that answers from the given handlers and records every request, as the real one would see it. */
export function fakeBackground(results: LookupResult[], over: Handlers = {}): FakeBackground {
  const calls: Request[] = [];
  const handlers: Handlers = {
    'settings:get': () => settings(),
    'contacts:lookup': (req) => ({
      results: results.filter((r) => req.emails.includes(r.email)),
      source: req.mode === 'cache' ? 'cache' : 'hub',
      fetchedAt: null,
      offline: null,
    }),
    'contacts:timeline': () => ({ page: { items: [], nextCursor: null }, source: 'hub', offline: null }),
    'interactions:status': (req) => ({ results: req.refs.map((ref): RefStatus => ({ ref, loggedBy: [], pending: null })), offline: null }),
    'interactions:log': () => ({ outboxId: 'o1', state: 'sent', duplicate: false }),
    'contacts:create': () => ({ outboxId: 'o2', state: 'queued' }),
    // Issue 12: a card asks for its contact's tasks; the popup for mine.
    'tasks:list': () => ({ items: [], offline: null }),
    'team:members': () => ({ items: [dana, sam], me: dana.id }),
    'outbox:list': () => ({ items: [] }),
    ...over,
  };
  const send = vi.fn(async (req: Request) => {
    calls.push(req);
    const handler = handlers[req.type] as ((r: Request) => unknown) | undefined;
    if (!handler) throw new Error(`unexpected ${req.type}`);
    return handler(req);
  }) as unknown as Send;
  return { send, calls, handlers };
}
