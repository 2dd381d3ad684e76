/**
 * The background's client for the hub's HTTP API (wire types in shared/wire-types.ts). Only the
 * background uses it: the bearer token never leaves the service worker except in the Authorization header.
 *
 * Every failure becomes a `HubError` whose `failure` says what the user and the outbox need to know:
 * - `offline` (with an `OfflineReason` code): try again later — unreachable, timeout, server-error (5xx, 408,
 *   429), unauthorized (401/403: a settings problem, not the request's), not-configured;
 * - `rejected`: the hub refused this very request (another 4xx) with its own message — retrying cannot help.
 *
 * Nothing here logs: error messages are built from status codes and the hub's own error text, never from
 * request headers, so the token cannot end up in a console or a stored `lastError`.
 */
import type { LoggedRefsResponse, LookupResponse, Me, Member, Task, TeamChanges, TimelinePage } from '../shared/wire-types';
import type { OfflineReason } from './messaging/protocol';

export type HubFailure =
  /** `detail`: the hub's own error message when it answered at all (a 5xx's reason, shown by the outbox). */
  | { kind: 'offline'; reason: OfflineReason; status: number | null; detail?: string | null }
  | { kind: 'rejected'; status: number; code: string; message: string; field: string | null };

export class HubError extends Error {
  constructor(readonly failure: HubFailure) {
    super(failure.kind === 'offline' ? failure.reason.message : failure.message);
    this.name = 'HubError';
  }
}

export interface HubConfig {
  hubUrl: string;
  token: string | null;
  /** Per request; the hub answers a lookup in milliseconds, so 10 s means it is not going to. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface HubClient {
  me(): Promise<Me>;
  lookup(emails: string[]): Promise<LookupResponse>;
  timeline(contactId: string, cursor?: string | null, limit?: number): Promise<TimelinePage>;
  loggedRefs(refs: string[]): Promise<LoggedRefsResponse>;
  /** A read of any `/v1` route (issue 14: the team's insights setting). */
  get<T>(path: string): Promise<T>;
  /** A write; `idempotencyKey` is sent as `Idempotency-Key` so a retry is recognised by the hub. */
  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<T>;
  /** Issue 12: a write with another method (PATCH, PUT): the outbox's contact actions. */
  send<T>(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown, idempotencyKey?: string): Promise<T>;
  /** The team's change counter; null when it still is `etag` (304). */
  changes(etag?: string | null): Promise<(TeamChanges & { etag: string | null }) | null>;
  members(): Promise<{ items: Member[] }>;
  tasks(query: { contactId?: string | null; mine?: boolean }): Promise<{ items: Task[] }>;
}

const offline = (code: OfflineReason['code'], message: string, status: number | null = null, detail: string | null = null) =>
  new HubError({ kind: 'offline', reason: { code, message }, status, detail });

function baseUrl(hubUrl: string): URL | null {
  try {
    const url = new URL(hubUrl.trim().replace(/\/+$/, '') + '/');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

async function hubMessage(response: Response): Promise<{ code: string; message: string; field: string | null }> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const e = body.error ?? {};
    return {
      code: typeof e.code === 'string' ? e.code : `http_${response.status}`,
      message: typeof e.message === 'string' ? e.message.slice(0, 500) : `HTTP ${response.status}`,
      field: typeof e.field === 'string' ? e.field : null,
    };
  } catch {
    return { code: `http_${response.status}`, message: `HTTP ${response.status}`, field: null };
  }
}

/** Maps an HTTP answer that is not 2xx to what it means for us. Exported for the outbox's tests. */
export async function failureFor(response: Response): Promise<HubError> {
  const status = response.status;
  const { code, message, field } = await hubMessage(response);
  if (status === 401 || status === 403) {
    return offline('unauthorized', `the hub refused the access token (${message})`, status);
  }
  if (status >= 500 || status === 408 || status === 429) {
    return offline('server-error', `the hub answered ${status} (${message})`, status, message);
  }
  return new HubError({ kind: 'rejected', status, code, message, field });
}

export function createHubClient(config: HubConfig): HubClient {
  const timeoutMs = config.timeoutMs ?? 10_000;
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
    extra: Record<string, string> = {},
    onHeaders?: (headers: Headers, status: number) => void,
  ): Promise<T> {
    if (!config.hubUrl.trim() || !config.token) {
      throw offline('not-configured', 'no hub URL or access token is set (see the options page)');
    }
    const base = baseUrl(config.hubUrl);
    if (!base) throw offline('not-configured', 'the hub URL is not an http(s) address');
    const headers: Record<string, string> = { Authorization: `Bearer ${config.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    Object.assign(headers, extra);

    let response: Response;
    try {
      response = await doFetch(new URL(path.replace(/^\//, ''), base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // Bearer tokens only: a cookie for the hub's host must never authenticate us (or be sent at all).
        credentials: 'omit',
        // Our own If-None-Match, and the 304 to it, pass through untouched; the hub never lets an answer be cached.
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw offline('timeout', `the hub did not answer within ${Math.round(timeoutMs / 1000)} s`);
      }
      throw offline('unreachable', `the hub at ${base.origin} cannot be reached`);
    }
    onHeaders?.(response.headers, response.status);
    if (response.status === 304) return null as T;
    if (!response.ok) throw await failureFor(response);
    try {
      return (await response.json()) as T;
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw offline('timeout', `the hub did not answer within ${Math.round(timeoutMs / 1000)} s`);
      }
      throw offline('server-error', 'the hub sent an answer that is not JSON', response.status);
    }
  }

  return {
    me: () => request<Me>('GET', '/v1/me'),
    lookup: (emails) => request<LookupResponse>('POST', '/v1/lookup', { emails }),
    timeline: (contactId, cursor, limit = 20) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      return request<TimelinePage>('GET', `/v1/contacts/${encodeURIComponent(contactId)}/timeline?${query}`);
    },
    loggedRefs: (refs) => request<LoggedRefsResponse>('POST', '/v1/interactions/logged', { refs }),
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown, idempotencyKey?: string) => request<T>('POST', path, body, idempotencyKey),
    send: (method, path, body, idempotencyKey) => request(method, path, body, idempotencyKey),
    async changes(etag) {
      let seen: string | null = null;
      const answer = await request<TeamChanges | null>('GET', '/v1/changes', undefined, undefined, etag ? { 'If-None-Match': etag } : {}, (h) => {
        seen = h.get('etag');
      });
      return answer && { ...answer, etag: seen };
    },
    members: () => request<{ items: Member[] }>('GET', '/v1/members'),
    tasks: ({ contactId, mine }) => {
      const query = new URLSearchParams({ status: 'open', assignee: mine ? 'me' : 'all' });
      if (contactId) query.set('contactId', contactId);
      return request<{ items: Task[] }>('GET', `/v1/tasks?${query}`);
    },
  };
}

/** The reason to show next to cached data, whatever went wrong. */
export function offlineReasonOf(error: unknown): OfflineReason {
  if (error instanceof HubError) {
    return error.failure.kind === 'offline'
      ? error.failure.reason
      : { code: 'server-error', message: error.failure.message };
  }
  return { code: 'server-error', message: error instanceof Error ? error.message : String(error) };
}
