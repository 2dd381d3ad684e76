/**
 * The web app's calls to its hub: the same routes as the `/v1` API, mounted under `/web` and authenticated by
 * the session cookie; every write carries the session's CSRF token. Types come from shared/ (never from hub/).
 */
import type { WebSession } from '../../shared/web-types';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let csrfToken: string | null = null;

export async function loadSession(): Promise<WebSession | null> {
  const res = await fetch('/web/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) return null;
  if (!res.ok) throw new ApiError(res.status, 'session', `the hub answered ${res.status}`);
  const session = (await res.json()) as WebSession;
  csrfToken = session.csrfToken;
  return session;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `the hub answered ${res.status}`);
  }
  return data as T;
}

/** The route table under the web app's prefix: `v1('/members')` → `/web/v1/members`. */
export const v1 = (path: string) => `/web/v1${path}`;
