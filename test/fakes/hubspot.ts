/**
 * A stand-in for HubSpot's API, for tests, the end-to-end run and the benchmark: an HTTP server on loopback that
 * keeps its records in memory and answers the requests HubSpot's public reference documents, in the shapes the
 * official Node client (@hubspot/api-client) sends and reads — CRM v3 objects (list, read, create, update, batch
 * read, search), owners, associations v4, account details.
 *
 * It is strict: a request it does not recognise (method and path, query parameters, required body shape, a
 * missing bearer token, a client that is not HubSpot's) is answered 400/404 *and* recorded in `unexpected`, which
 * every test checks is empty. It enforces the rolling 10-second limit and the search limit with 429 and
 * Retry-After, and fails on demand (5xx, 401, a 429 storm, a create whose answer never comes).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Props = Record<string, string | null>;
interface Obj {
  id: string;
  properties: Props;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}
export const OBJECT_TYPES = ['contacts', 'companies', 'emails', 'meetings', 'calls', 'notes', 'tasks'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
const ENGAGEMENTS = ['emails', 'meetings', 'calls', 'notes', 'tasks'] as const;
type Engagement = (typeof ENGAGEMENTS)[number];
/** HubSpot-defined association type ids, engagement → contact / company, and contact → company. */
export const ASSOC_TYPES: Record<string, number> = {
  'emails:contacts': 198, 'emails:companies': 186, 'meetings:contacts': 200, 'meetings:companies': 188,
  'calls:contacts': 194, 'calls:companies': 182, 'notes:contacts': 202, 'notes:companies': 190,
  'tasks:contacts': 204, 'tasks:companies': 192, 'contacts:companies': 279, 'companies:contacts': 280,
};
const MODIFIED: Record<ObjectType, string> = {
  contacts: 'lastmodifieddate', companies: 'hs_lastmodifieddate', emails: 'hs_lastmodifieddate', meetings: 'hs_lastmodifieddate',
  calls: 'hs_lastmodifieddate', notes: 'hs_lastmodifieddate', tasks: 'hs_lastmodifieddate',
};

class Store {
  list: Obj[] = [];
  index = new Map<string, number>();
  add(o: Obj) {
    this.index.set(o.id, this.list.length);
    this.list.push(o);
  }
  get(id: string) {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.list[i];
  }
}

export interface FakeOptions {
  token?: string;
  portalId?: string;
  uiDomain?: string;
  /** Requests allowed in any 10 s (0: no limit). */
  burstLimit?: number;
  searchPerSecond?: number;
  /** Keep every request in `requests` (off for the benchmark's hundreds of thousands). */
  keepLog?: boolean;
  /** Keep the stand-in's own time per request in `serviceMs` (the benchmark shows it is not the bottleneck). */
  keepTimings?: boolean;
}

/** A list page rendered ahead of time (`pregenerate`): sent as it is, no work per request. */
class RenderedPage {
  constructor(readonly json: string) {}
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
  body?: unknown;
}

interface Failure {
  status: number;
  match: (method: string, path: string) => boolean;
  retryAfter?: number;
  left: number;
}

export class FakeHubSpot {
  token: string;
  portalId: string;
  uiDomain: string;
  burstLimit: number;
  searchPerSecond: number;
  readonly stores = new Map<ObjectType, Store>(OBJECT_TYPES.map((t) => [t, new Store()]));
  owners: { id: string; email: string; firstName: string; lastName: string; userId: number; archived: boolean }[] = [];
  /** type:id → associated ids by object type, both directions. */
  private assoc = new Map<string, Map<string, Set<string>>>();
  private mergedInto = new Map<string, string>();
  private nextId = 1000;
  private server: http.Server | null = null;
  url = '';
  /** Requests it did not recognise or that did not follow the reference: a test fails when this is not empty. */
  unexpected: string[] = [];
  requests: RequestRecord[] = [];
  counts = { total: 0, byRoute: new Map<string, number>(), rejected429: 0, served: 0 };
  /** Request start times in the last 10 s, and the most seen in any 10 s. */
  private window: number[] = [];
  private searchWindow: number[] = [];
  maxIn10s = 0;
  /** For each 429 of the burst limit: how much sooner than allowed the request came, ms. */
  earlyByMs: number[] = [];
  /** Requests that arrived while a Retry-After we sent had not yet passed. */
  earlyAfter429 = 0;
  private blockedUntil = 0;
  private blockedSince = 0;
  private blocked(at: number, ms: number) {
    if (at >= this.blockedUntil) this.blockedSince = at;
    this.blockedUntil = Math.max(this.blockedUntil, at + ms);
  }
  private failures: Failure[] = [];
  private storm: { until: number; retryAfter: number } | null = null;
  /** Creates that were applied but whose answer is held back (a hub killed mid-request). */
  holdCreates = false;
  createsReceived = 0;
  private held: (() => void)[] = [];
  /** ms to wait before answering any request (to make a queue observable). */
  delayMs = 0;
  private keepLog: boolean;
  private keepTimings: boolean;
  /** The stand-in's own time for each request answered (from its body read to its answer written), ms. */
  serviceMs: number[] = [];
  /** Told of every record a client creates, as it is created. */
  onCreate: ((type: ObjectType, o: Obj) => void) | null = null;
  /** Pre-rendered list pages by type, then by query; a write to the type drops them. */
  private pages = new Map<ObjectType, Map<string, RenderedPage>>();
  pageHits = 0;

  constructor(opts: FakeOptions = {}) {
    this.token = opts.token ?? 'pat-eu1-11111111-2222-3333-4444-555555555555';
    this.portalId = opts.portalId ?? '24681357';
    this.uiDomain = opts.uiDomain ?? 'app-eu1.hubspot.com';
    this.burstLimit = opts.burstLimit ?? 190;
    this.searchPerSecond = opts.searchPerSecond ?? 4;
    this.keepLog = opts.keepLog ?? true;
    this.keepTimings = opts.keepTimings ?? false;
  }

  /**
   * Renders every page of a type's list, as a client asking for these properties and associations will read it,
   * so that serving it is only writing bytes (the benchmark's first import of hundreds of thousands of records).
   * Any write to the type afterwards drops the rendered pages, which are then rendered per request again.
   */
  pregenerate(type: ObjectType, query: { properties: string[]; associations?: string[]; limit?: number }): number {
    const rendered = new Map<string, RenderedPage>();
    const limit = query.limit ?? 100;
    const assoc = query.associations ?? [];
    let after: string | null = null;
    do {
      const page = this.listPage(type, after, limit, query.properties, assoc, false);
      rendered.set(this.pageKey(after, limit, query.properties, assoc, false), new RenderedPage(JSON.stringify(page.payload)));
      after = page.next;
    } while (after !== null);
    this.pages.set(type, rendered);
    return rendered.size;
  }

  private pageKey(after: string | null, limit: number, props: string[], assoc: string[], archived: boolean) {
    return `${after ?? ''}|${limit}|${props.join(',')}|${assoc.join(',')}|${archived}`;
  }

  private listPage(type: ObjectType, after: string | null, limit: number, props: string[], assoc: string[], archived: boolean) {
    const list = this.stores.get(type)!.list;
    const results: unknown[] = [];
    let i = Number(after ?? 0);
    for (; i < list.length && results.length < limit; i++) if (list[i]!.archived === archived) results.push(this.view(type, list[i]!, props, assoc));
    while (i < list.length && list[i]!.archived !== archived) i++;
    const path = `/crm/v3/objects/${type}`;
    const next = i < list.length ? String(i) : null;
    return { payload: { results, ...(next ? { paging: { next: { after: next, link: `${path}?after=${next}` } } } : {}) }, next };
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const release of this.held.splice(0)) release();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  // ------------------------------------------------------------------------------------------ test controls

  private id() {
    return String(this.nextId++);
  }
  private now() {
    return new Date().toISOString();
  }

  create(type: ObjectType, properties: Props, assoc: { contacts?: string[]; companies?: string[] } = {}, at = this.now()): Obj {
    const id = this.id();
    const p: Props = { ...properties, hs_object_id: id, [MODIFIED[type]]: at, ...(type === 'contacts' ? { createdate: at } : { hs_createdate: at }) };
    const o: Obj = { id, properties: p, createdAt: at, updatedAt: at, archived: false };
    this.stores.get(type)!.add(o);
    this.pages.delete(type);
    for (const c of assoc.contacts ?? []) this.link(type, id, 'contacts', c);
    for (const c of assoc.companies ?? []) this.link(type, id, 'companies', c);
    if (type === 'contacts' && properties.associatedcompanyid) this.link('contacts', id, 'companies', properties.associatedcompanyid);
    return o;
  }

  addOwner(email: string, firstName: string, lastName: string) {
    const o = { id: this.id(), email, firstName, lastName, userId: this.nextId++, archived: false };
    this.owners.push(o);
    return o;
  }

  update(type: ObjectType, id: string, properties: Props, at = this.now()) {
    const o = this.stores.get(type)!.get(id)!;
    Object.assign(o.properties, properties, { [MODIFIED[type]]: at });
    o.updatedAt = at;
    this.pages.delete(type);
    return o;
  }

  archive(type: ObjectType, id: string) {
    const o = this.stores.get(type)!.get(id)!;
    o.archived = true;
    o.archivedAt = this.now();
    this.pages.delete(type);
  }

  /** Merges contact `mergedId` into `primaryId` as HubSpot does: one record survives, listing the merged id. */
  mergeContacts(primaryId: string, mergedId: string) {
    const store = this.stores.get('contacts')!;
    const primary = store.get(primaryId)!;
    const merged = store.get(mergedId)!;
    const extra = [merged.properties.email, ...(merged.properties.hs_additional_emails ?? '').split(';')].filter(Boolean);
    const additional = [...(primary.properties.hs_additional_emails ?? '').split(';').filter(Boolean), ...extra];
    const ids = [...(primary.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean), mergedId];
    // The merged record disappears (it is not listed as archived); reads of its id answer the survivor.
    store.list.splice(store.index.get(mergedId)!, 1);
    store.index = new Map(store.list.map((o, i) => [o.id, i]));
    this.mergedInto.set(mergedId, primaryId);
    for (const [type, ids2] of this.assoc.get(`contacts:${mergedId}`) ?? []) for (const other of ids2) this.link(type as ObjectType, other, 'contacts', primaryId);
    this.update('contacts', primaryId, { hs_additional_emails: additional.join(';'), hs_merged_object_ids: ids.join(';') });
  }

  revoke() {
    this.token = `revoked-${this.token}`;
  }

  /** The next `count` requests matching `match` answer `status` (429 with Retry-After when given). */
  failNext(count: number, status: number, match: (method: string, path: string) => boolean = () => true, retryAfter?: number) {
    this.failures.push({ status, match, retryAfter, left: count });
  }

  /** Every request answers 429 for `ms`, telling clients to wait `retryAfterS`. */
  stormFor(ms: number, retryAfterS: number) {
    this.storm = { until: Date.now() + ms, retryAfter: retryAfterS };
  }

  releaseHeld() {
    for (const release of this.held.splice(0)) release();
  }

  associated(type: ObjectType, id: string, to: 'contacts' | 'companies'): string[] {
    return [...(this.assoc.get(`${type}:${id}`)?.get(to) ?? [])];
  }

  objects(type: ObjectType): Obj[] {
    return this.stores.get(type)!.list.filter((o) => !o.archived);
  }

  private link(fromType: ObjectType, fromId: string, toType: string, toId: string) {
    this.pages.delete(fromType);
    this.pages.delete(toType as ObjectType);
    const add = (a: string, b: string, t: string) => {
      let m = this.assoc.get(a);
      if (!m) this.assoc.set(a, (m = new Map()));
      let s = m.get(t);
      if (!s) m.set(t, (s = new Set()));
      s.add(b);
    };
    add(`${fromType}:${fromId}`, toId, toType);
    add(`${toType}:${toId}`, fromId, fromType);
  }

  // ------------------------------------------------------------------------------------------------ serving

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const started = Date.now();
    let began = 0;
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    began = performance.now();
    let body: unknown = undefined;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (this.keepLog) this.requests.push({ method, path, status, at: started, body });
      if (status === 429) this.counts.rejected429++;
      else this.counts.served++;
      const text = payload === undefined ? '' : payload instanceof RenderedPage ? payload.json : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(text);
      if (this.keepTimings && began) this.serviceMs.push(performance.now() - began);
    };
    const error = (status: number, message: string, category: string, extra: Record<string, unknown> = {}) =>
      send(status, { status: 'error', message, correlationId: '00000000-0000-4000-8000-000000000000', category, ...extra });
    const unexpected = (why: string) => {
      this.unexpected.push(`${method} ${path}${url.search}: ${why}`);
      return error(400, why, 'VALIDATION_ERROR');
    };
    this.counts.total++;
    const route = `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    this.counts.byRoute.set(route, (this.counts.byRoute.get(route) ?? 0) + 1);
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return unexpected('body is not JSON');
      }
    }
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    // The official client's generic requests say who they are; its generated API calls go out with node-fetch's own agent.
    if (!/hubspot-api-client-nodejs|node-fetch/.test(String(req.headers['user-agent'] ?? ''))) return unexpected('not sent by the official client');
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      if (!/^Bearer \S+$/.test(String(req.headers.authorization ?? ''))) return unexpected('no bearer token');
      return error(401, 'Authentication credentials not found. This API supports OAuth 2.0 authentication.', 'INVALID_AUTHENTICATION');
    }
    // Rate limits: the rolling 10 s burst for every request, and the search limit.
    // Requests already on their way when the 429 left are not counted: only those sent after it arrived.
    if (started < this.blockedUntil && started > this.blockedSince + 250) this.earlyAfter429++;
    if (this.storm && started < this.storm.until) {
      this.blocked(started, this.storm.retryAfter * 1000);
      return send(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' }, { 'retry-after': String(this.storm.retryAfter) });
    }
    for (const f of this.failures) {
      if (f.left > 0 && f.match(method, path)) {
        f.left--;
        if (f.status === 429) {
          const after = f.retryAfter ?? 1;
          this.blocked(started, after * 1000);
          return send(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' }, { 'retry-after': String(after) });
        }
        if (f.status === 401) return error(401, 'Authentication credentials not found.', 'INVALID_AUTHENTICATION');
        return error(f.status, 'internal error', 'INTERNAL_ERROR');
      }
    }
    if (this.burstLimit) {
      while (this.window.length && this.window[0]! <= started - 10_000) this.window.shift();
      if (this.window.length >= this.burstLimit) {
        this.earlyByMs.push(this.window[0]! + 10_000 - started);
        const after = Math.max(1, Math.ceil((this.window[0]! + 10_000 - started) / 1000));
        this.blocked(started, after * 1000);
        return send(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' }, { 'retry-after': String(after) });
      }
      this.window.push(started);
      this.maxIn10s = Math.max(this.maxIn10s, this.window.length);
    }
    if (method === 'POST' && /\/search$/.test(path) && this.searchPerSecond) {
      while (this.searchWindow.length && this.searchWindow[0]! <= started - 1_000) this.searchWindow.shift();
      if (this.searchWindow.length >= this.searchPerSecond) {
        this.blocked(started, 1000);
        return send(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', category: 'RATE_LIMITS' }, { 'retry-after': '1' });
      }
      this.searchWindow.push(started);
    }
    try {
      const out = this.route(method, path, url.searchParams, body);
      if (out === null) return unexpected('no such endpoint in HubSpot’s reference');
      if ('invalid' in out) return unexpected(out.invalid);
      if ('fail' in out) return error(out.fail, out.message, out.category);
      if (out.hold) {
        this.createsReceived++;
        if (this.holdCreates) await new Promise<void>((r) => this.held.push(r));
      }
      return send(out.status, out.payload);
    } catch (err) {
      return unexpected(`fake failed: ${(err as Error).message}`);
    }
  }

  private checkQuery(q: URLSearchParams, allowed: string[]): string | null {
    for (const k of q.keys()) if (!allowed.includes(k)) return `query parameter "${k}" is not accepted here`;
    const limit = q.get('limit');
    if (limit !== null && !/^\d+$/.test(limit)) return 'limit must be a number';
    const archived = q.get('archived');
    if (archived !== null && archived !== 'true' && archived !== 'false') return 'archived must be true or false';
    return null;
  }

  private view(type: ObjectType, o: Obj, props: string[] | null, assocTypes: string[] = []) {
    const properties: Props = { hs_object_id: o.id, [type === 'contacts' ? 'createdate' : 'hs_createdate']: o.createdAt, [MODIFIED[type]]: o.properties[MODIFIED[type]] ?? o.updatedAt };
    for (const p of props ?? []) properties[p] = o.properties[p] ?? null;
    const out: Record<string, unknown> = { id: o.id, properties, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: o.archived };
    if (o.archivedAt) out.archivedAt = o.archivedAt;
    if (assocTypes.length) {
      const associations: Record<string, unknown> = {};
      for (const t of assocTypes) {
        const ids = this.associated(type, o.id, t as 'contacts');
        if (ids.length) associations[t] = { results: ids.map((id) => ({ id, type: `${type.replace(/s$/, '')}_to_${t.replace(/ies$/, 'y').replace(/s$/, '')}` })) };
      }
      if (Object.keys(associations).length) out.associations = associations;
    }
    return out;
  }

  private route(method: string, path: string, q: URLSearchParams, body: any):
    | { status: number; payload: unknown; hold?: boolean }
    | { invalid: string }
    | { fail: number; message: string; category: string }
    | null {
    const now = this.now();
    if (method === 'GET' && path === '/account-info/v3/details') {
      const bad = this.checkQuery(q, []);
      if (bad) return { invalid: bad };
      return { status: 200, payload: { portalId: Number(this.portalId), accountType: 'STANDARD', timeZone: 'Europe/Amsterdam', companyCurrency: 'EUR', additionalCurrencies: [], utcOffset: '+01:00', utcOffsetMilliseconds: 3_600_000, uiDomain: this.uiDomain, dataHostingLocation: 'eu1' } };
    }
    if (method === 'GET' && path === '/crm/v3/owners/') {
      const bad = this.checkQuery(q, ['email', 'after', 'limit', 'archived']);
      if (bad) return { invalid: bad };
      const limit = Number(q.get('limit') ?? 100);
      if (limit > 500) return { invalid: 'owners limit is at most 500' };
      const archived = q.get('archived') === 'true';
      const all = this.owners.filter((o) => o.archived === archived && (!q.get('email') || o.email === q.get('email')));
      const start = Number(q.get('after') ?? 0);
      const page = all.slice(start, start + limit);
      return {
        status: 200,
        payload: {
          results: page.map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, userId: o.userId, createdAt: now, updatedAt: now, archived: o.archived, teams: [] })),
          ...(start + limit < all.length ? { paging: { next: { after: String(start + limit), link: '' } } } : {}),
        },
      };
    }
    let m = /^\/crm\/v3\/objects\/([a-z_]+)$/.exec(path);
    if (m) {
      const type = m[1] as ObjectType;
      if (!OBJECT_TYPES.includes(type)) return null;
      if (method === 'GET') {
        const bad = this.checkQuery(q, ['limit', 'after', 'properties', 'propertiesWithHistory', 'associations', 'archived']);
        if (bad) return { invalid: bad };
        const limit = Number(q.get('limit') ?? 10);
        if (limit < 1 || limit > 100) return { invalid: 'list limit must be 1..100' };
        const archived = q.get('archived') === 'true';
        const assoc = q.getAll('associations').flatMap((a) => a.split(','));
        for (const a of assoc) if (!ASSOC_TYPES[`${type}:${a}`]) return { invalid: `no association from ${type} to ${a}` };
        const props = q.getAll('properties').flatMap((p) => p.split(','));
        const after = q.get('after');
        if (after !== null && !/^\d+$/.test(after)) return { invalid: 'after must be a paging token this server gave' };
        const rendered = this.pages.get(type)?.get(this.pageKey(after, limit, props, assoc, archived));
        if (rendered) {
          this.pageHits++;
          return { status: 200, payload: rendered };
        }
        return { status: 200, payload: this.listPage(type, after, limit, props, assoc, archived).payload };
      }
      if (method === 'POST') {
        const bad = this.checkQuery(q, []);
        if (bad) return { invalid: bad };
        if (!body || typeof body.properties !== 'object' || body.properties === null) return { invalid: 'create needs a properties object' };
        for (const [k, v] of Object.entries(body.properties)) if (typeof v !== 'string') return { invalid: `property ${k} must be a string` };
        if ((ENGAGEMENTS as readonly string[]).includes(type) && !body.properties.hs_timestamp) return { invalid: `${type}: hs_timestamp is required` };
        if (type === 'contacts' && !body.properties.email) return { invalid: 'a contact needs an email here' };
        const assoc: { contacts: string[]; companies: string[] } = { contacts: [], companies: [] };
        for (const a of body.associations ?? []) {
          const toId = String(a?.to?.id ?? '');
          const spec = a?.types?.[0];
          const toType = this.stores.get('contacts')!.get(toId) ? 'contacts' : this.stores.get('companies')!.get(toId) ? 'companies' : null;
          if (!toType) return { fail: 400, message: `association target ${toId} does not exist`, category: 'VALIDATION_ERROR' };
          if (spec?.associationCategory !== 'HUBSPOT_DEFINED' || spec?.associationTypeId !== ASSOC_TYPES[`${type}:${toType}`]) {
            return { invalid: `association ${type} → ${toType} must be HUBSPOT_DEFINED type ${ASSOC_TYPES[`${type}:${toType}`]}` };
          }
          assoc[toType].push(toId);
        }
        if (type === 'contacts') {
          const email = String(body.properties.email).toLowerCase();
          const existing = this.objects('contacts').find((c) => c.properties.email?.toLowerCase() === email);
          if (existing) return { fail: 409, message: `Contact already exists. Existing ID: ${existing.id}`, category: 'CONFLICT' };
        }
        const o = this.create(type, body.properties, assoc);
        this.onCreate?.(type, o);
        return { status: 201, payload: this.view(type, o, Object.keys(body.properties)), hold: (ENGAGEMENTS as readonly string[]).includes(type) };
      }
      return null;
    }
    m = /^\/crm\/v3\/objects\/([a-z_]+)\/(\d+)$/.exec(path);
    if (m) {
      const type = m[1] as ObjectType;
      if (!OBJECT_TYPES.includes(type)) return null;
      const id = this.mergedInto.get(m[2]!) ?? m[2]!;
      const o = this.stores.get(type)!.get(id);
      if (method === 'GET') {
        const bad = this.checkQuery(q, ['properties', 'propertiesWithHistory', 'associations', 'archived', 'idProperty']);
        if (bad) return { invalid: bad };
        if (!o || o.archived) return { fail: 404, message: 'Object not found', category: 'OBJECT_NOT_FOUND' };
        return { status: 200, payload: this.view(type, o, q.getAll('properties').flatMap((p) => p.split(','))) };
      }
      if (method === 'PATCH') {
        const bad = this.checkQuery(q, ['idProperty']);
        if (bad) return { invalid: bad };
        if (!body || typeof body.properties !== 'object') return { invalid: 'update needs a properties object' };
        if (!o || o.archived) return { fail: 404, message: 'Object not found', category: 'OBJECT_NOT_FOUND' };
        this.update(type, id, body.properties);
        return { status: 200, payload: this.view(type, o, Object.keys(body.properties)) };
      }
      return null;
    }
    m = /^\/crm\/v3\/objects\/([a-z_]+)\/search$/.exec(path);
    if (m && method === 'POST') {
      const type = m[1] as ObjectType;
      if (!OBJECT_TYPES.includes(type)) return null;
      const bad = this.checkQuery(q, []);
      if (bad) return { invalid: bad };
      if (!body || !Array.isArray(body.filterGroups)) return { invalid: 'search needs filterGroups' };
      const limit = body.limit ?? 10;
      if (typeof limit !== 'number' || limit < 1 || limit > 200) return { invalid: 'search limit must be 1..200' };
      const after = body.after === undefined ? 0 : Number(body.after);
      if (!Number.isInteger(after) || after < 0) return { invalid: 'after must be a paging token' };
      if (after + limit > 10_000) return { fail: 400, message: 'Search results are limited to 10,000', category: 'VALIDATION_ERROR' };
      const filters: { propertyName: string; operator: string; value: string }[] = [];
      for (const g of body.filterGroups) for (const f of g.filters ?? []) filters.push(f);
      for (const f of filters) if (!['EQ', 'GTE', 'GT', 'LT', 'LTE'].includes(f.operator) || typeof f.propertyName !== 'string' || typeof f.value !== 'string') return { invalid: `filter not understood: ${JSON.stringify(f)}` };
      const sorts = body.sorts ?? [];
      if (!Array.isArray(sorts) || sorts.length > 1 || sorts.some((s: any) => typeof s?.propertyName !== 'string' || !['ASCENDING', 'DESCENDING'].includes(s?.direction))) {
        return { invalid: 'sorts must be at most one {propertyName, direction}' };
      }
      const value = (o: Obj, p: string) => (p === 'hs_object_id' ? o.id : o.properties[p] ?? null);
      const cmp = (v: string | null, f: (typeof filters)[number]) => {
        if (v === null) return false;
        const num = (x: string) => (/^\d+$/.test(x) ? Number(x) : Date.parse(x));
        const a = /date|timestamp/.test(f.propertyName) ? num(v) : v.toLowerCase();
        const b = /date|timestamp/.test(f.propertyName) ? num(f.value) : f.value.toLowerCase();
        return f.operator === 'EQ' ? a === b : f.operator === 'GTE' ? a >= b : f.operator === 'GT' ? a > b : f.operator === 'LT' ? a < b : a <= b;
      };
      let hits = this.objects(type).filter((o) => filters.every((f) => cmp(value(o, f.propertyName), f)));
      if (sorts[0]) {
        const p = sorts[0].propertyName;
        const dir = sorts[0].direction === 'ASCENDING' ? 1 : -1;
        hits = [...hits].sort((x, y) => (Date.parse(value(x, p) ?? '') - Date.parse(value(y, p) ?? '')) * dir || (Number(x.id) - Number(y.id)) * dir);
      }
      const page = hits.slice(after, after + limit);
      return {
        status: 200,
        payload: { total: hits.length, results: page.map((o) => this.view(type, o, body.properties ?? [])), ...(after + limit < hits.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}) },
      };
    }
    m = /^\/crm\/v3\/objects\/([a-z_]+)\/batch\/read$/.exec(path);
    if (m && method === 'POST') {
      const type = m[1] as ObjectType;
      if (!OBJECT_TYPES.includes(type)) return null;
      const bad = this.checkQuery(q, ['archived']);
      if (bad) return { invalid: bad };
      if (!body || !Array.isArray(body.inputs) || body.inputs.length > 100 || !Array.isArray(body.properties)) return { invalid: 'batch read needs inputs (at most 100) and properties' };
      if (body.idProperty !== undefined && !(type === 'contacts' && body.idProperty === 'email')) return { invalid: `idProperty ${body.idProperty} is not unique on ${type}` };
      const found: Obj[] = [];
      const missing: string[] = [];
      for (const input of body.inputs) {
        const key = String(input?.id ?? '');
        const o =
          body.idProperty === 'email'
            ? this.objects('contacts').find((c) => c.properties.email?.toLowerCase() === key.toLowerCase() || (c.properties.hs_additional_emails ?? '').toLowerCase().split(';').includes(key.toLowerCase()))
            : this.stores.get(type)!.get(this.mergedInto.get(key) ?? key);
        if (o && !o.archived) found.push(o);
        else missing.push(key);
      }
      const payload = { status: 'COMPLETE', results: found.map((o) => this.view(type, o, body.properties)), startedAt: now, completedAt: now };
      if (missing.length) return { status: 207, payload: { ...payload, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some records', context: { ids: missing } }] } };
      return { status: 200, payload };
    }
    m = /^\/crm\/v4\/associations\/([a-z_]+)\/([a-z_]+)\/batch\/(read|associate\/default)$/.exec(path);
    if (m && method === 'POST') {
      const [, from, to, op] = m as unknown as [string, ObjectType, ObjectType, string];
      if (!ASSOC_TYPES[`${from}:${to}`]) return { invalid: `no association from ${from} to ${to}` };
      const bad = this.checkQuery(q, []);
      if (bad) return { invalid: bad };
      if (!body || !Array.isArray(body.inputs) || body.inputs.length === 0 || body.inputs.length > 1000) return { invalid: 'inputs must hold 1..1000 items' };
      if (op === 'read') {
        const results = body.inputs.map((i: any) => ({
          from: { id: String(i.id) },
          to: this.associated(from, String(i.id), to as 'contacts').map((id) => ({ toObjectId: Number(id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: ASSOC_TYPES[`${from}:${to}`], label: null }] })),
        }));
        return { status: 200, payload: { status: 'COMPLETE', results: results.filter((r: any) => r.to.length), startedAt: now, completedAt: now } };
      }
      for (const i of body.inputs) {
        const a = String(i?.from?.id ?? '');
        const b = String(i?.to?.id ?? '');
        if (!this.stores.get(from)!.get(a) || !this.stores.get(to)!.get(b)) return { fail: 400, message: `no ${from} ${a} or ${to} ${b}`, category: 'VALIDATION_ERROR' };
        this.link(from, a, to, b);
      }
      return {
        status: 200,
        payload: {
          status: 'COMPLETE',
          results: body.inputs.map((i: any) => ({ from: { id: String(i.from.id) }, to: { id: String(i.to.id) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOC_TYPES[`${from}:${to}`] } })),
          startedAt: now,
          completedAt: now,
        },
      };
    }
    m = /^\/crm\/v4\/objects\/([a-z_]+)\/(\d+)\/associations\/([a-z_]+)$/.exec(path);
    if (m && method === 'GET') {
      const [, from, id, to] = m as unknown as [string, ObjectType, string, ObjectType];
      if (!ASSOC_TYPES[`${to}:${from}`] && !ASSOC_TYPES[`${from}:${to}`]) return { invalid: `no association from ${from} to ${to}` };
      const bad = this.checkQuery(q, ['after', 'limit']);
      if (bad) return { invalid: bad };
      const limit = Number(q.get('limit') ?? 500);
      if (limit > 500) return { invalid: 'limit is at most 500' };
      const all = this.associated(from, id, to as 'contacts');
      const start = Number(q.get('after') ?? 0);
      const page = all.slice(start, start + limit);
      return {
        status: 200,
        payload: {
          results: page.map((x) => ({ toObjectId: Number(x), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: ASSOC_TYPES[`${to}:${from}`] ?? 0, label: null }] })),
          ...(start + limit < all.length ? { paging: { next: { after: String(start + limit), link: '' } } } : {}),
        },
      };
    }
    return null;
  }
}
