/**
 * The hub with its web app, called through Fastify's inject, and a browser's side of it: a cookie jar per person,
 * requests that carry the session's CSRF token and the hub's own Origin like the web app's pages do.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { EdgeOptions } from '../../../hub/http/edge-config.ts';
import type { WebConfig } from '../../../hub/web/config.ts';
import { makeHub, type HubFixture } from './hub.ts';
import { Jar } from './oidc-provider.ts';

export const ORIGIN = 'http://hub.test';

/** A folder with a stand-in build of the web app (the real one is built by Vite; these tests need only its shape). */
export function fakeWebappDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'liaison-webapp-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="app"></div></body></html>');
  return dir;
}

export async function webHub(web: Partial<WebConfig> = {}, edge: Partial<EdgeOptions> = {}): Promise<HubFixture & { web: FastifyInstance }> {
  const config: WebConfig = { publicUrl: ORIGIN, oidcEnv: null, extensionIds: null, webappDir: fakeWebappDir(), ...web };
  const hub = await makeHub({ web: config, edge });
  return Object.assign(hub, { web: hub.app });
}

export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Record<string, unknown>;
}

/** One person's browser on the hub. */
export class Browser {
  jar = new Jar();
  csrf: string | null = null;
  constructor(readonly app: FastifyInstance) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const res = await this.app.inject({
      method: method as any,
      url,
      headers: {
        cookie: this.jar.header(),
        ...(method !== 'GET' ? { origin: ORIGIN } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers['set-cookie'];
    this.jar.take(setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [String(setCookie)]);
    let parsed: any = null;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      parsed = null;
    }
    return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers };
  }

  /** Loads the session as the web app does on start, keeping its CSRF token for later writes. */
  async session(): Promise<Res> {
    const res = await this.request('GET', '/web/session');
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }

  /** Opens an invite link's page and presses "Continue". */
  async acceptInvite(url: string): Promise<Res> {
    const code = new URL(url).pathname.split('/').pop()!;
    const res = await this.request('POST', '/web/invites/accept', { code });
    if (res.status === 200) await this.session();
    return res;
  }
}
