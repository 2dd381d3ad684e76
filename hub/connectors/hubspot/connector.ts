/**
 * HubSpot as a CrmConnector, through HubSpot's official Node client (@hubspot/api-client): CRM v3 objects
 * (contacts, companies, emails, meetings, calls, notes, tasks), owners, CRM search, associations v4.
 *
 * The client's own limiter and retries are off, on purpose: its limiter (bottleneck) is per process and is a
 * process-wide singleton shared by every Client instance, and its retry waits a fixed 10 s × attempt after a 429
 * whatever Retry-After says (and prints to the console). Instead every call goes through `call()` below: a slot
 * from the account's budget in PostgreSQL (limiter.ts, shared by all hub processes), Retry-After obeyed and
 * published to every process, 5xx and network errors retried with jittered backoff, 401 reported as
 * `unauthorized` (the hub pauses the connector and tells the admin). Nothing here ever logs or returns the token.
 */
import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import type { Queryable } from '../../db/index.ts';
import { block, blockedMs, depart, reserve, sleep } from '../limiter.ts';
import {
  ConnectorError,
  type AccessCheck,
  type AccountInfo,
  type ContactInput,
  type CrmConnector,
  type EngagementInput,
  type EngagementStream,
  type Page,
  type RemoteCompany,
  type RemoteContact,
  type RemoteEngagement,
  type RemoteOwner,
  type RemoteRecord,
  type Stream,
} from '../types.ts';
import { burstBudget, searchBudget, type HubSpotLimits } from './limits.ts';

/** HubSpot-defined association types, engagement → contact and → company (associations v4 reference). */
const ASSOCIATION_TYPE: Record<EngagementStream, { contact: number; company: number }> = {
  emails: { contact: 198, company: 186 },
  meetings: { contact: 200, company: 188 },
  calls: { contact: 194, company: 182 },
  notes: { contact: 202, company: 190 },
  tasks: { contact: 204, company: 192 },
};
const CONTACT_TO_COMPANY = 279;

const CONTACT_PROPS = ['email', 'hs_additional_emails', 'firstname', 'lastname', 'jobtitle', 'associatedcompanyid', 'hubspot_owner_id', 'lastmodifieddate', 'hs_merged_object_ids'];
const COMPANY_PROPS = ['name', 'domain', 'hs_additional_domains', 'hs_lastmodifieddate'];
const COMMON = ['hs_timestamp', 'hubspot_owner_id', 'hs_lastmodifieddate'];
const ENGAGEMENT_PROPS: Record<EngagementStream, { subject: string | null; body: string; props: string[] }> = {
  emails: { subject: 'hs_email_subject', body: 'hs_email_text', props: [...COMMON, 'hs_email_subject', 'hs_email_text', 'hs_email_direction'] },
  meetings: {
    subject: 'hs_meeting_title',
    body: 'hs_meeting_body',
    props: [...COMMON, 'hs_meeting_title', 'hs_meeting_body', 'hs_meeting_start_time', 'hs_meeting_end_time', 'hs_meeting_outcome'],
  },
  calls: { subject: 'hs_call_title', body: 'hs_call_body', props: [...COMMON, 'hs_call_title', 'hs_call_body', 'hs_call_disposition'] },
  notes: { subject: null, body: 'hs_note_body', props: [...COMMON, 'hs_note_body'] },
  tasks: { subject: 'hs_task_subject', body: 'hs_task_body', props: [...COMMON, 'hs_task_subject', 'hs_task_body', 'hs_task_status'] },
};
/** Contacts name their modification time differently from every other object. */
const MODIFIED: Record<Exclude<Stream, 'owners'>, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  emails: 'hs_lastmodifieddate',
  meetings: 'hs_lastmodifieddate',
  calls: 'hs_lastmodifieddate',
  notes: 'hs_lastmodifieddate',
  tasks: 'hs_lastmodifieddate',
};

const PAGE = 100; // the largest page the list endpoints give

/** What the first import asks for when it lists a stream (the benchmark's stand-in renders its pages for exactly this). */
export function listQuery(stream: Exclude<Stream, 'owners'>): { properties: string[]; associations: string[]; limit: number } {
  const properties = stream === 'contacts' ? CONTACT_PROPS : stream === 'companies' ? COMPANY_PROPS : ENGAGEMENT_PROPS[stream].props;
  const associations = stream === 'contacts' || stream === 'companies' ? [] : ['contacts', 'companies'];
  return { properties, associations, limit: PAGE };
}
const SEARCH_PAGE = 200; // the largest page CRM search gives
const MAX_429_RETRIES = 6;
const MAX_5XX_RETRIES = 3;

export interface HubSpotOptions {
  token: string;
  /** Where the request budget lives (PostgreSQL) and under which name: one per HubSpot account. */
  db: Queryable;
  budgetKey: string;
  limits: HubSpotLimits;
  /** HubSpot's API root; HUBSPOT_API_BASE points it elsewhere (tests, the benchmark's stand-in). */
  basePath?: string;
  /** Told when a 429 or a retried failure happens (never with the token). */
  onEvent?: (event: { kind: '429' | 'retry'; status: number | null; waitMs: number; what: string }) => void;
}

type Obj = { id: string; properties: Record<string, string | null | undefined>; archived?: boolean; updatedAt?: Date | string; associations?: Record<string, { results?: { id: string }[] }> };

const iso = (v: string | Date | null | undefined): string | null => {
  if (v == null || v === '') return null;
  const d = v instanceof Date ? v : /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};
const split = (v: string | null | undefined) => (v ? v.split(/[;,]/).map((s) => s.trim()).filter(Boolean) : []);
const lower = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];

/** HubSpot's rich-text bodies as plain text (the hub renders text only anyway). */
export function plainText(html: string | null | undefined): string | null {
  if (!html) return null;
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text || null;
}

export function toContact(o: Obj): RemoteContact {
  const p = o.properties;
  const name = [p.firstname, p.lastname].filter((s) => s && s.trim()).join(' ').trim() || null;
  return {
    id: String(o.id),
    emails: lower([...(p.email ? [p.email.trim()] : []), ...split(p.hs_additional_emails)]),
    name,
    title: p.jobtitle?.trim() || null,
    companyId: p.associatedcompanyid || null,
    ownerId: p.hubspot_owner_id || null,
    updatedAt: iso(p.lastmodifieddate ?? o.updatedAt) ?? new Date(0).toISOString(),
    mergedIds: split(p.hs_merged_object_ids),
    archived: o.archived === true,
  };
}

export function toCompany(o: Obj): RemoteCompany {
  const p = o.properties;
  const domains = lower([...(p.domain ? [p.domain] : []), ...split(p.hs_additional_domains)].map((d) => d.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '')));
  return { id: String(o.id), name: p.name?.trim() || null, domains, updatedAt: iso(p.hs_lastmodifieddate ?? o.updatedAt) ?? new Date(0).toISOString(), archived: o.archived === true };
}

export function toEngagement(stream: EngagementStream, o: Obj, assoc?: { contacts: string[]; companies: string[] }): RemoteEngagement {
  const p = o.properties;
  const spec = ENGAGEMENT_PROPS[stream];
  const occurredAt = iso(stream === 'meetings' ? (p.hs_meeting_start_time ?? p.hs_timestamp) : p.hs_timestamp) ?? iso(o.updatedAt) ?? new Date(0).toISOString();
  return {
    id: String(o.id),
    stream,
    occurredAt,
    endsAt: stream === 'meetings' ? iso(p.hs_meeting_end_time) : null,
    subject: spec.subject ? p[spec.subject]?.trim() || null : null,
    body: plainText(p[spec.body]),
    outcome: stream === 'meetings' ? p.hs_meeting_outcome || null : stream === 'calls' ? p.hs_call_disposition || null : null,
    ownerId: p.hubspot_owner_id || null,
    contactIds: assoc?.contacts ?? (o.associations?.contacts?.results ?? []).map((a) => String(a.id)),
    companyIds: assoc?.companies ?? (o.associations?.companies?.results ?? []).map((a) => String(a.id)),
    done: stream === 'tasks' && p.hs_task_status === 'COMPLETED',
    updatedAt: iso(p.hs_lastmodifieddate ?? o.updatedAt) ?? new Date(0).toISOString(),
    archived: o.archived === true,
  };
}

function engagementProperties(input: EngagementInput): Record<string, string> {
  if (input.statusOnly) return { hs_task_status: input.done ? 'COMPLETED' : 'NOT_STARTED' };
  const spec = ENGAGEMENT_PROPS[input.stream];
  const props: Record<string, string> = { hs_timestamp: input.occurredAt };
  if (input.ownerId) props.hubspot_owner_id = input.ownerId;
  if (spec.subject && input.subject) props[spec.subject] = input.subject;
  props[spec.body] = input.body;
  if (input.stream === 'emails') {
    props.hs_email_direction = 'EMAIL';
    props.hs_email_status = 'SENT';
  }
  if (input.stream === 'meetings') {
    props.hs_meeting_start_time = input.occurredAt;
    props.hs_meeting_end_time = input.endsAt ?? input.occurredAt;
    if (input.outcome) props.hs_meeting_outcome = input.outcome;
  }
  if (input.stream === 'calls') props.hs_call_status = 'COMPLETED';
  if (input.stream === 'tasks') {
    props.hs_task_status = input.done ? 'COMPLETED' : 'NOT_STARTED';
    props.hs_task_type = 'TODO';
  }
  return props;
}

const category = (body: unknown): string | undefined => (body && typeof body === 'object' ? ((body as { category?: string }).category ?? undefined) : undefined);
const bodyMessage = (body: unknown): string | undefined =>
  body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message.slice(0, 300) : undefined;

/** How long a 429 asks us to wait: Retry-After when HubSpot sends it, else by the policy it names. */
function retryAfterMs(headers: Record<string, string> | undefined, body: unknown): number {
  const h = headers?.['retry-after'];
  if (h && /^\d+(\.\d+)?$/.test(h.trim())) return Math.ceil(Number(h) * 1000);
  if (h && !Number.isNaN(Date.parse(h))) return Math.max(0, Date.parse(h) - Date.now());
  const policy = body && typeof body === 'object' ? (body as { policyName?: string }).policyName : undefined;
  return policy === 'TEN_SECONDLY_ROLLING' ? 10_000 : 1_000;
}

export class HubSpotConnector implements CrmConnector {
  readonly provider = 'hubspot';
  readonly maxChangedResults = 10_000;
  private readonly client: Client;
  private readonly burst: string;
  private readonly search: string;

  constructor(private readonly opts: HubSpotOptions) {
    const base = opts.basePath?.replace(/\/+$/, '');
    const agent = base?.startsWith('http://') ? new http.Agent({ keepAlive: true, maxSockets: 16 }) : new https.Agent({ keepAlive: true, maxSockets: 16 });
    this.client = new Client({ accessToken: opts.token, numberOfApiCallRetries: 0, httpAgent: agent, ...(base ? { basePath: base } : {}) });
    this.burst = `${opts.budgetKey}:burst`;
    this.search = `${opts.budgetKey}:search`;
  }

  /** Every request: a slot from the shared budget, then the call, with the retry rules of the file comment. */
  private async call<T>(what: string, fn: () => Promise<T>, opts: { search?: boolean } = {}): Promise<T> {
    let limited = 0;
    let failed = 0;
    for (;;) {
      const slot = await reserve(this.opts.db, this.burst, burstBudget(this.opts.limits));
      if (this.opts.limits.daily && slot.dayCount > this.opts.limits.daily) {
        const midnight = new Date();
        midnight.setUTCHours(24, 0, 0, 0);
        throw new ConnectorError('rate-limited', `HubSpot's daily limit of ${this.opts.limits.daily} requests is used up`, 429, midnight.getTime() - Date.now());
      }
      const searchSlot = opts.search ? await reserve(this.opts.db, this.search, searchBudget(this.opts.limits)) : null;
      const due = performance.now() + Math.max(slot.waitMs, searchSlot?.waitMs ?? 0);
      if (due > performance.now()) {
        await sleep(due - performance.now());
        // A 429 may have come in for another process while this one slept on an earlier reservation.
        const still = await blockedMs(this.opts.db, this.burst);
        if (still > 0) await sleep(still);
      }
      // Leaving later than the slot (a 429's pause, a process busy when the slot came or when the reservation's
      // answer arrived): the budget counts it from now (limiter.ts). A no-op in the database when on time.
      await depart(this.opts.db, this.burst, slot.slot);
      if (searchSlot) await depart(this.opts.db, this.search, searchSlot.slot);
      try {
        return await fn();
      } catch (err) {
        const e = err as { code?: unknown; body?: unknown; headers?: Record<string, string>; message?: string; type?: string };
        const status = typeof e.code === 'number' ? e.code : null;
        if (status === 429) {
          const ms = retryAfterMs(e.headers, e.body);
          const searchPolicy = opts.search && (e.body as { policyName?: string } | undefined)?.policyName !== 'TEN_SECONDLY_ROLLING';
          await block(this.opts.db, searchPolicy ? this.search : this.burst, ms);
          this.opts.onEvent?.({ kind: '429', status, waitMs: ms, what });
          if (++limited > MAX_429_RETRIES) throw new ConnectorError('rate-limited', `HubSpot kept answering 429 to ${what}`, 429, ms);
          continue;
        }
        if (status === null || status >= 500) {
          if (++failed > MAX_5XX_RETRIES) {
            throw new ConnectorError('unavailable', status ? `HubSpot answered ${status} to ${what}` : `HubSpot could not be reached (${what}): ${String(e.message ?? err).slice(0, 200)}`, status);
          }
          const backoff = Math.min(8_000, 400 * 2 ** failed) * (0.5 + Math.random());
          this.opts.onEvent?.({ kind: 'retry', status, waitMs: backoff, what });
          await sleep(backoff);
          continue;
        }
        const message = bodyMessage(e.body);
        if (status === 401) throw new ConnectorError('unauthorized', 'HubSpot refused the access token (401): it was revoked or rotated; connect again with a new token', 401);
        if (status === 403) {
          throw new ConnectorError('forbidden', `HubSpot refused ${what} (403${category(e.body) ? ` ${category(e.body)}` : ''}): the private app lacks a scope — ${message ?? 'see the README for the scopes'}`, 403);
        }
        if (status === 404) throw new ConnectorError('not-found', `${what}: not found in HubSpot`, 404);
        if (status === 409) {
          const existing = /Existing ID:\s*(\d+)/i.exec(message ?? '')?.[1] ?? null;
          throw new ConnectorError('conflict', `${what}: ${message ?? 'conflict'}`, 409, null, existing);
        }
        throw new ConnectorError('rejected', `HubSpot refused ${what} (${status}): ${message ?? 'no reason given'}`, status);
      }
    }
  }

  async account(): Promise<AccountInfo> {
    const res = await this.call('account details', async () => {
      const r = await this.client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
      if (!r.ok) {
        let body: unknown = null;
        try {
          body = await r.json();
        } catch {
          // not JSON
        }
        const headers: Record<string, string> = {};
        r.headers.forEach((v: string, k: string) => (headers[k] = v));
        throw Object.assign(new Error(`HTTP ${r.status}`), { code: r.status, body, headers });
      }
      return (await r.json()) as { portalId: number | string; uiDomain?: string };
    });
    return { accountId: String(res.portalId), uiDomain: res.uiDomain || 'app.hubspot.com' };
  }

  async checkAccess(): Promise<AccessCheck[]> {
    const checks: [string, () => Promise<unknown>][] = [
      ['owners (crm.objects.owners.read)', () => this.client.crm.owners.ownersApi.getPage(undefined, undefined, 1)],
      ['contacts (crm.objects.contacts.read/write)', () => this.client.crm.objects.basicApi.getPage('contacts', 1)],
      ['companies (crm.objects.companies.read/write)', () => this.client.crm.objects.basicApi.getPage('companies', 1)],
      ['emails (sales-email-read)', () => this.client.crm.objects.basicApi.getPage('emails', 1)],
      ['meetings, calls, notes, tasks (crm.objects.contacts.read/write)', () => this.client.crm.objects.basicApi.getPage('meetings', 1)],
    ];
    const out: AccessCheck[] = [];
    for (const [what, fn] of checks) {
      try {
        await this.call(what, fn);
        out.push({ what, ok: true, message: null });
      } catch (err) {
        if (err instanceof ConnectorError && (err.kind === 'unauthorized' || err.kind === 'unavailable')) throw err;
        out.push({ what, ok: false, message: (err as Error).message });
      }
    }
    return out;
  }

  async list(stream: Stream, after: string | null, opts: { archived?: boolean } = {}): Promise<Page<RemoteRecord>> {
    const archived = opts.archived ? true : undefined;
    if (stream === 'owners') {
      const res: any = await this.call('owners page', () => this.client.crm.owners.ownersApi.getPage(undefined, after ?? undefined, PAGE, archived));
      const items: RemoteOwner[] = (res.results ?? []).map((o: any) => ({
        id: String(o.id),
        email: o.email ? String(o.email).toLowerCase() : null,
        name: [o.firstName, o.lastName].filter(Boolean).join(' ').trim() || null,
        archived: o.archived === true,
      }));
      return { items, next: res.paging?.next?.after ?? null };
    }
    const q = listQuery(stream);
    const assoc = q.associations.length ? q.associations : undefined;
    const res: any = await this.call(`${stream} page`, () => this.client.crm.objects.basicApi.getPage(stream, q.limit, after ?? undefined, q.properties, undefined, assoc, archived));
    return { items: (res.results ?? []).map((o: Obj) => this.convert(stream, o)), next: res.paging?.next?.after ?? null };
  }

  private convert(stream: Exclude<Stream, 'owners'>, o: Obj, assoc?: { contacts: string[]; companies: string[] }): RemoteRecord {
    if (stream === 'contacts') return toContact(o);
    if (stream === 'companies') return toCompany(o);
    return toEngagement(stream, o, assoc);
  }

  async changedSince(stream: Exclude<Stream, 'owners'>, since: Date, after: string | null): Promise<Page<RemoteRecord>> {
    const props = stream === 'contacts' ? CONTACT_PROPS : stream === 'companies' ? COMPANY_PROPS : ENGAGEMENT_PROPS[stream].props;
    const request = {
      filterGroups: [{ filters: [{ propertyName: MODIFIED[stream], operator: 'GTE', value: String(since.getTime()) }] }],
      sorts: [{ propertyName: MODIFIED[stream], direction: 'ASCENDING' }],
      properties: props,
      limit: SEARCH_PAGE,
      ...(after ? { after } : {}),
    };
    const res: any = await this.call(`${stream} search`, () => this.client.crm.objects.searchApi.doSearch(stream, request as any), { search: true });
    const objects: Obj[] = res.results ?? [];
    let assoc: Map<string, { contacts: string[]; companies: string[] }> | undefined;
    if (stream !== 'contacts' && stream !== 'companies' && objects.length) {
      // Search answers carry no associations: two batch reads per page fetch them.
      const ids = objects.map((o) => String(o.id));
      const contacts = await this.associations(stream, 'contacts', ids);
      const companies = await this.associations(stream, 'companies', ids);
      assoc = new Map(ids.map((id) => [id, { contacts: contacts.get(id) ?? [], companies: companies.get(id) ?? [] }]));
    }
    return { items: objects.map((o) => this.convert(stream, o, assoc?.get(String(o.id)))), next: res.paging?.next?.after ?? null };
  }

  private async associations(from: string, to: string, ids: string[]): Promise<Map<string, string[]>> {
    const res: any = await this.call(`${from} → ${to} associations`, () =>
      this.client.crm.associations.v4.batchApi.getPage(from, to, { inputs: ids.map((id) => ({ id })) } as any),
    );
    const out = new Map<string, string[]>();
    for (const r of res.results ?? []) out.set(String(r._from?.id ?? r.from?.id), (r.to ?? []).map((t: any) => String(t.toObjectId)));
    return out;
  }

  async findContactsByEmail(emails: string[]): Promise<RemoteContact[]> {
    if (emails.length === 0) return [];
    const res: any = await this.call('contacts by email', () =>
      this.client.crm.objects.batchApi.read('contacts', { idProperty: 'email', inputs: emails.map((id) => ({ id })), properties: CONTACT_PROPS, propertiesWithHistory: [] }),
    );
    return (res.results ?? []).map((o: Obj) => toContact(o));
  }

  async getContact(id: string): Promise<RemoteContact | null> {
    try {
      const o: any = await this.call('contact', () => this.client.crm.objects.basicApi.getById('contacts', id, CONTACT_PROPS));
      return toContact(o);
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  async createContact(input: ContactInput): Promise<RemoteContact> {
    const [first, ...rest] = (input.name ?? '').trim().split(/\s+/);
    const properties: Record<string, string> = { email: input.emails[0]! };
    if (first) properties.firstname = first;
    if (rest.length) properties.lastname = rest.join(' ');
    if (input.title) properties.jobtitle = input.title;
    if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
    if (input.emails.length > 1) properties.hs_additional_emails = input.emails.slice(1).join(';');
    const associations = input.companyId ? [{ to: { id: input.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CONTACT_TO_COMPANY }] }] : [];
    const o: any = await this.call('contact create', () => this.client.crm.objects.basicApi.create('contacts', { properties, associations } as any));
    return toContact(o);
  }

  async updateContact(id: string, patch: Partial<Pick<ContactInput, 'name' | 'title' | 'ownerId'>>): Promise<void> {
    const properties: Record<string, string> = {};
    if (patch.name !== undefined) {
      const [first, ...rest] = (patch.name ?? '').trim().split(/\s+/);
      properties.firstname = first ?? '';
      properties.lastname = rest.join(' ');
    }
    if (patch.title !== undefined) properties.jobtitle = patch.title ?? '';
    if (patch.ownerId !== undefined) properties.hubspot_owner_id = patch.ownerId ?? '';
    if (Object.keys(properties).length === 0) return;
    await this.call('contact update', () => this.client.crm.objects.basicApi.update('contacts', id, { properties }));
  }

  async findCompanyByDomain(domain: string): Promise<RemoteCompany | null> {
    const request = { filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: domain }] }], properties: COMPANY_PROPS, limit: 1 };
    const res: any = await this.call('company by domain', () => this.client.crm.objects.searchApi.doSearch('companies', request as any), { search: true });
    const o = res.results?.[0];
    return o ? toCompany(o) : null;
  }

  async createCompany(input: { name: string; domains: string[] }): Promise<RemoteCompany> {
    const properties: Record<string, string> = { name: input.name };
    if (input.domains[0]) properties.domain = input.domains[0];
    const o: any = await this.call('company create', () => this.client.crm.objects.basicApi.create('companies', { properties, associations: [] }));
    return toCompany(o);
  }

  async associateContactWithCompany(contactId: string, companyId: string): Promise<void> {
    await this.call('contact → company association', () =>
      this.client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: contactId }, to: { id: companyId } }] } as any),
    );
  }

  async createEngagement(input: EngagementInput): Promise<{ id: string }> {
    const types = ASSOCIATION_TYPE[input.stream];
    const associations = [
      ...input.contactIds.map((id) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: types.contact }] })),
      ...input.companyIds.map((id) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: types.company }] })),
    ];
    const o: any = await this.call(`${input.stream} create`, () =>
      this.client.crm.objects.basicApi.create(input.stream, { properties: engagementProperties(input), associations } as any),
    );
    return { id: String(o.id) };
  }

  async updateEngagement(id: string, input: EngagementInput): Promise<void> {
    await this.call(`${input.stream} update`, () => this.client.crm.objects.basicApi.update(input.stream, id, { properties: engagementProperties(input) }));
    if (input.statusOnly) return;
    // A later merge can add people: associate them too (associating twice is a no-op at HubSpot).
    for (const [to, ids] of [['contacts', input.contactIds], ['companies', input.companyIds]] as const) {
      if (ids.length === 0) continue;
      await this.call(`${input.stream} → ${to} associations`, () =>
        this.client.crm.associations.v4.batchApi.createDefault(input.stream, to, { inputs: ids.map((toId) => ({ _from: { id }, to: { id: toId } })) } as any),
      );
    }
  }

  async findEngagementByMarker(stream: EngagementStream, marker: string, on: { contactId: string } | { companyId: string }): Promise<string | null> {
    // Associations are read straight from the record (no search index lag): every engagement of this kind on
    // the contact (or company), then their bodies in batches, looking for the marker our create carried.
    const [fromType, fromId] = 'contactId' in on ? ['contacts', on.contactId] : ['companies', on.companyId];
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const res: any = await this.call(`${fromType} associations`, () => this.client.crm.associations.v4.basicApi.getPage(fromType, fromId, stream, after, 500));
      for (const r of res.results ?? []) ids.push(String(r.toObjectId));
      after = res.paging?.next?.after ?? undefined;
    } while (after);
    const bodyProp = ENGAGEMENT_PROPS[stream].body;
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const res: any = await this.call(`${stream} batch read`, () =>
        this.client.crm.objects.batchApi.read(stream, { inputs: chunk.map((id) => ({ id })), properties: [bodyProp], propertiesWithHistory: [] }),
      );
      const hit = (res.results ?? []).find((o: Obj) => (o.properties[bodyProp] ?? '').includes(marker));
      if (hit) return String(hit.id);
    }
    return null;
  }

  recordUrl(account: AccountInfo, kind: 'contact' | 'company' | EngagementStream, id: string, contactId?: string | null): string {
    const base = `https://${account.uiDomain}/contacts/${encodeURIComponent(account.accountId)}/record`;
    if (kind === 'company') return `${base}/0-2/${encodeURIComponent(id)}`;
    if (kind === 'contact') return `${base}/0-1/${encodeURIComponent(id)}`;
    // An activity has no page of its own in HubSpot: it is on the timeline of the records it is associated with.
    return contactId ? `${base}/0-1/${encodeURIComponent(contactId)}` : `https://${account.uiDomain}/contacts/${encodeURIComponent(account.accountId)}`;
  }
}
