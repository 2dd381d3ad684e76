/**
 * The web app's settings (issue 13), from the environment like the rest of the hub's (hub/config.ts):
 *
 * | variable | meaning |
 * |---|---|
 * | `HUB_PUBLIC_URL` | the URL people reach the hub at (`https://liaison.acme.com`): invite links, the OpenID Connect redirect URI, Secure cookies. Unset: the address the request came to (fine on one machine) |
 * | `LIAISON_OIDC_ISSUER`, `LIAISON_OIDC_CLIENT_ID`, `LIAISON_OIDC_CLIENT_SECRET` | the identity provider for the first setup (before any admin can sign in); they win over what the web app stores |
 * | `LIAISON_OIDC_TEAM` | which team those apply to (id or name); default: the hub's only team |
 * | `HUB_EXTENSION_IDS` | comma-separated extension ids allowed to receive a token from "Sign in to your hub" (Chrome ids, Firefox redirect hashes); unset: any extension's own redirect URL |
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebConfig {
  publicUrl: string | null;
  oidcEnv: { issuer: string; clientId: string; clientSecret: string | null; team: string | null } | null;
  extensionIds: string[] | null;
  /** Where the web app's built files are (webapp's Vite output). */
  webappDir: string;
  /** Tests only: how the hub talks to the identity provider (a network in between). */
  oidcFetch?: typeof fetch;
}

export const DEFAULT_WEBAPP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.output', 'webapp');

export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const publicUrl = env.HUB_PUBLIC_URL?.trim().replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\/[^/\s]+$/.test(publicUrl)) throw new Error('HUB_PUBLIC_URL must be an origin such as https://liaison.example.com (no path)');
  const issuer = env.LIAISON_OIDC_ISSUER?.trim();
  const clientId = env.LIAISON_OIDC_CLIENT_ID?.trim();
  if (Boolean(issuer) !== Boolean(clientId)) throw new Error('LIAISON_OIDC_ISSUER and LIAISON_OIDC_CLIENT_ID go together');
  if (issuer && !/^https?:\/\//.test(issuer)) throw new Error('LIAISON_OIDC_ISSUER must be a URL');
  return {
    publicUrl,
    oidcEnv: issuer && clientId ? { issuer, clientId, clientSecret: env.LIAISON_OIDC_CLIENT_SECRET?.trim() || null, team: env.LIAISON_OIDC_TEAM?.trim() || null } : null,
    extensionIds: env.HUB_EXTENSION_IDS ? env.HUB_EXTENSION_IDS.split(',').map((s) => s.trim()).filter(Boolean) : null,
    webappDir: env.LIAISON_WEBAPP_DIR ? path.resolve(env.LIAISON_WEBAPP_DIR) : DEFAULT_WEBAPP_DIR,
  };
}
