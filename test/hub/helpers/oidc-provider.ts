/**
 * A real OpenID provider (node-oidc-provider) in the test process, on a loopback port: discovery, the
 * authorization endpoint with its own login and consent pages (its development interactions), the token endpoint
 * and signed ID tokens. The hub's client (openid-client) talks to it over HTTP exactly as to Google or Entra ID.
 *
 * `signIn` plays the person at the provider: it follows the hub's redirect, fills in the provider's login form
 * with an account id and approves the consent page, and answers where the provider finally sends the browser
 * (the hub's callback URL with `code`, `state` and `iss`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, type JWK } from 'jose';
// @ts-expect-error oidc-provider ships no types; this helper uses a handful of its calls.
import Provider from 'oidc-provider';

export interface Account {
  email?: string;
  email_verified?: boolean;
  /** Microsoft Entra ID's optional "email domain owner verified" claim, in place of email_verified. */
  xms_edov?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** A fetch for the hub that passes through, letting a test alter the token response (see `tamper`). */
  fetch: typeof fetch;
  /** Alters the next token response's ID token, re-signed with the provider's own key. */
  tamper(change: ((claims: Record<string, unknown>) => Record<string, unknown>) | null): void;
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** A cookie jar as small as a browser's for one site: every cookie the site set, sent back to it. */
export class Jar {
  private cookies = new Map<string, string>();
  take(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
  delete(name: string): void {
    this.cookies.delete(name);
  }
}

export async function startProvider(opts: { accounts: Record<string, Account>; redirectUris: string[] }): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'liaison-hub';
  const clientSecret = 'a-client-secret-for-tests-only';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: async (_ctx: unknown, sub: string) =>
      opts.accounts[sub] ? { accountId: sub, claims: async () => ({ sub, ...opts.accounts[sub] }) } : undefined,
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    jwks: { keys: [jwk] },
  });
  // The provider's own warnings about development-only settings are expected here.
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());

  let change: ((claims: Record<string, unknown>) => Record<string, unknown>) | null = null;
  const tamperingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!change || !url.endsWith('/token') || !res.ok) return res;
    const body = (await res.json()) as { id_token?: string };
    if (body.id_token) {
      const claims = change(decodeJwt(body.id_token) as Record<string, unknown>);
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
    }
    change = null;
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };

  async function signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Jar();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 12; hop++) {
      if (url.origin !== issuer) return url; // back at the hub: the callback
      let res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res.headers.getSetCookie());
      if (res.status === 200) {
        // One of the provider's pages: the login form or the consent form. Fill it in as a person would.
        const html = await res.text();
        const action = /action="([^"]+)"/.exec(html)?.[1];
        if (!action) throw new Error(`unexpected page at the provider: ${html.slice(0, 300)}`);
        const form = html.includes('name="login"')
          ? new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' })
          : new URLSearchParams({ prompt: 'consent' });
        res = await fetch(new URL(action.replace(/&amp;/g, '&'), url), {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        jar.take(res.headers.getSetCookie());
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects at the provider');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    fetch: tamperingFetch,
    tamper(c) {
      change = c;
    },
    signIn,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
