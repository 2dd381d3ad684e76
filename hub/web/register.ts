/**
 * The web app, served by the hub on its own port (issue 13): the built Preact app at `/`, sign-in (OpenID Connect,
 * invite links), web sessions, the extension's "Sign in to your hub" page, and the data API the app uses.
 *
 * The data API is the hub's own route table mounted a second time under `/web` (`/web/v1/members` …): the same
 * declarations, schemas, handlers and admin checks as `/v1`, with a different way in — the session cookie plus
 * the CSRF checks instead of a bearer token. `/v1` itself never parses cookies (they are registered only inside
 * this plugin's encapsulated context), so a cookie can never authenticate an API call.
 *
 * Everything here gets the security headers of @fastify/helmet with a strict Content-Security-Policy: scripts,
 * styles, images and connections from the hub's own origin only, no inline script, no framing.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { issueToken } from '../auth.ts';
import { listenForRevocations } from '../auth-notify.ts';
import type { Db } from '../db/index.ts';
import { HttpError } from '../http/errors.ts';
import type { EdgeOptions } from '../http/edge-config.ts';
import { tableHandler, type RouteDef } from '../http/route.ts';
import { audit } from '../repo/audit.ts';
import { claimInvite, previewInvite } from '../repo/invites.ts';
import { getMember, getTeam } from '../repo/teams.ts';
import type { ServerOptions } from '../server.ts';
import type { WebSession } from '../../shared/web-types.ts';
import { loadWebConfig, type WebConfig } from './config.ts';
import { checkConnect } from './connect.ts';
import { envTeamId, finishSignIn, startSignIn, type OidcDeps } from './oidc.ts';
import { sendPage } from './pages.ts';
import {
  clearSessionCookie,
  cookieNames,
  createSession,
  endSession,
  hubSecret,
  sameOrigin,
  sessionOf,
  setSessionCookie,
  type WebSessionRow,
} from './sessions.ts';

declare module '../server.ts' {
  interface ServerOptions {
    /** The web app's settings; from the environment (hub/web/config.ts) when absent. */
    web?: WebConfig;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    webSession?: WebSessionRow;
  }
  interface FastifyInstance {
    /** The hub's public origin for links it hands out (invite links, the OpenID Connect redirect URI). */
    publicOrigin(req: FastifyRequest): string;
    webConfig: WebConfig;
  }
}

/** The prefix the route table is mounted under for the web app (session cookie + CSRF instead of a bearer token). */
export const WEB_API_PREFIX = '/web';

/** Paths of the web app and its sign-in, which the API's OpenAPI document does not describe. */
export function isWebAppRoute(url: string): boolean {
  return url === '/' || /^\/(web|auth|assets|signin|connect|invite|me|install|admin|insights|customers)(\/|$)/.test(url) || url === '/page.css' || url === '/favicon.svg';
}

/** Pages of the single-page app: each answers index.html and the app routes in the browser. */
const APP_PAGES = ['/', '/signin', '/me', '/install', '/admin', '/admin/:page', '/invite/:code', '/insights', '/insights/:page', '/customers', '/customers/:kind/:id'];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function registerWebApp(app: FastifyInstance, opts: ServerOptions, routes: RouteDef[], edge: EdgeOptions): Promise<void> {
  const cfg = opts.web ?? loadWebConfig();
  const db: Db = opts.db;
  const names = cookieNames(cfg.publicUrl?.startsWith('https:') ?? false);
  const origin = (req: FastifyRequest) => cfg.publicUrl ?? `${req.protocol}://${req.host}`;
  app.decorate('publicOrigin', origin);
  app.decorate('webConfig', cfg);
  const [cookieSecret, csrfKey] = await Promise.all([hubSecret(db, 'cookie-signing'), hubSecret(db, 'csrf-hmac')]);
  const oidcDeps: OidcDeps = { db, cfg, names, origin };
  // Revocations made elsewhere (another hub process, the CLI) are obeyed at once, not after the 2-second cache.
  const url = (db as Db & { url?: string }).url;
  if (url) {
    const listener = listenForRevocations(url, (m) => app.log.warn(m));
    app.addHook('onClose', () => listener.stop());
  }

  await app.register(async (web) => {
    await web.register(cookie, { secret: cookieSecret.toString('base64'), hook: 'onRequest' });
    await web.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          ...(names.secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // HSTS only means something over https; on a laptop's http://localhost it would only confuse.
      strictTransportSecurity: names.secure ? { maxAge: 15_552_000, includeSubDomains: false } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
    });
    await web.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: names.csrf,
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: names.secure, signed: true },
      // The token is bound to the session: a token from another session (or another person's) is refused.
      getUserInfo: (req) => req.webSession?.id ?? '',
      csrfOpts: { hmacKey: csrfKey.toString('base64'), userInfo: true },
    });

    const loadSession = async (req: FastifyRequest) => {
      req.webSession = (await sessionOf(db, req, names)) ?? undefined;
      if (req.webSession) req.who = req.webSession.principal;
    };
    const csrfCheck = (req: FastifyRequest, reply: FastifyReply) =>
      new Promise<void>((resolve) => web.csrfProtection(req, reply, () => resolve()));
    /** onRequest for everything a session does: signed in, same origin, CSRF token — before any body is read. */
    const requireSession = async (req: FastifyRequest, reply: FastifyReply) => {
      await loadSession(req);
      if (!req.webSession) throw new HttpError(401, 'unauthorized', 'sign in to the web app first');
      if (UNSAFE.has(req.method)) {
        if (!sameOrigin(req, origin(req))) throw new HttpError(403, 'cross_site', 'cross-site requests are refused');
        await csrfCheck(req, reply);
      }
    };

    /**
     * Signing in is where a stranger knocks: per client address, a person's worth of attempts a minute (an invite
     * code is 256 random bits, so this is about load and noise, not guessing).
     */
    const signInBudget = edge.signInPerMinute > 0 ? web.createRateLimit({ max: edge.signInPerMinute, timeWindow: 60_000, keyGenerator: (req) => `sign-in:${req.ip}` }) : null;
    /** One budget per client address across every sign-in route, checked before anything else is done. */
    const limitSignIn = async (req: FastifyRequest, reply: FastifyReply) => {
      if (!signInBudget) return;
      const used = await signInBudget(req);
      if (!used.isAllowed && used.isExceeded) {
        reply.header('retry-after', String(Math.max(1, used.ttlInSeconds)));
        throw new HttpError(429, 'too_many_sign_in_attempts', `too many sign-in attempts from this address; retry in ${used.ttlInSeconds} s`);
      }
    };
    const signInLimit = { onRequest: limitSignIn };

    // ---- the route table, mounted for the web app ----
    for (const def of routes) {
      const handle = tableHandler(def, db);
      web.route({
        method: def.method,
        url: WEB_API_PREFIX + def.url,
        ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
        onRequest: requireSession,
        handler: async (req, reply) => {
          if (def.auth === 'admin' && req.who!.role !== 'admin') throw new HttpError(403, 'forbidden', 'only team admins may do this');
          reply.header('cache-control', 'no-store');
          return handle(req, reply);
        },
      });
    }

    // ---- the session ----
    web.get('/web/session', async (req, reply) => {
      await loadSession(req);
      reply.header('cache-control', 'no-store');
      if (!req.webSession) throw new HttpError(401, 'unauthorized', 'not signed in');
      const who = req.webSession.principal;
      const answer: WebSession = {
        member: await getMember(db, who.teamId, who.memberId),
        team: await getTeam(db, who.teamId),
        csrfToken: reply.generateCsrf({ userInfo: req.webSession.id }),
        via: req.webSession.via,
      };
      return answer;
    });
    web.post('/web/signout', { onRequest: requireSession }, async (req, reply) => {
      await endSession(db, req, names);
      clearSessionCookie(reply, names);
      return reply.code(204).send();
    });
    /** Whether the sign-in page can offer "Sign in with your company account" without asking for an address first. */
    web.get('/web/sign-in-options', async () => ({ companySignIn: (await envTeamId(db, cfg)) !== null }));

    // ---- invite links ----
    web.get('/web/invites/preview', signInLimit, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const code = String((req.query as Record<string, unknown>).code ?? '');
      const preview = await previewInvite(db, code);
      if (!preview) throw new HttpError(404, 'not_found', 'this invite link is not known: check that it was copied whole');
      return preview;
    });
    // Using a link is a POST from the page the link opens, not the GET itself: mail scanners that open links
    // must not use them up, and the person sees whose invite it is before signing in.
    web.post('/web/invites/accept', signInLimit, async (req, reply) => {
      if (!sameOrigin(req, origin(req))) throw new HttpError(403, 'cross_site', 'cross-site requests are refused');
      const code = String((req.body as Record<string, unknown> | null)?.code ?? '');
      const claimed = await claimInvite(db, code);
      if (!claimed.ok) {
        const words = { unknown: 'this invite link is not known', used: 'this invite link was already used', expired: 'this invite link has expired', revoked: 'this invite link was withdrawn' };
        throw new HttpError(claimed.reason === 'unknown' ? 404 : 410, `invite_${claimed.reason}`, `${words[claimed.reason]}: ask your admin for a new one`);
      }
      await endSession(db, req, names);
      const session = await createSession(db, claimed.teamId, claimed.memberId, 'invite');
      const member = await getMember(db, claimed.teamId, claimed.memberId);
      await audit(db, claimed.teamId, { memberId: member.id, name: member.name, email: member.email }, 'invite.use', `${member.name} <${member.email}>`, { invite: claimed.inviteId });
      setSessionCookie(reply, names, session);
      return { ok: true };
    });

    // ---- OpenID Connect ----
    web.get('/auth/oidc/start', signInLimit, (req, reply) => startSignIn(oidcDeps, req, reply));
    web.get('/auth/oidc/callback', signInLimit, (req, reply) => finishSignIn(oidcDeps, req, reply));

    // ---- the extension's "Sign in to your hub" ----
    web.get('/connect', async (req, reply) => {
      const checked = checkConnect(req.query as Record<string, unknown>, cfg.extensionIds);
      if (!checked.ok) return sendPage(req, reply, 400, 'bad_connect', { detail: checked.detail });
      return sendApp(req, reply);
    });
    web.post('/web/connect', { onRequest: requireSession }, async (req, reply) => {
      const checked = checkConnect((req.body ?? {}) as Record<string, unknown>, cfg.extensionIds);
      if (!checked.ok) throw new HttpError(400, 'invalid_connect', checked.detail);
      const who = req.who!;
      const { token, tokenId } = await issueToken(db, who.teamId, who.memberId, checked.value.label);
      await audit(db, who.teamId, who, 'token.connect', `token ${tokenId} (${checked.value.label})`, { token: tokenId });
      const target = new URL(checked.value.redirectUri);
      target.hash = new URLSearchParams({ token, state: checked.value.state }).toString();
      reply.header('cache-control', 'no-store');
      return { redirect: target.href };
    });

    // ---- the app's files ----
    const sendApp = async (req: FastifyRequest, reply: FastifyReply) => {
      const index = path.join(cfg.webappDir, 'index.html');
      let html: string;
      try {
        html = await readFile(index, 'utf8');
      } catch {
        return sendPage(req, reply, 503, 'no_build');
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    };
    for (const page of APP_PAGES) web.get(page, sendApp);
    await web.register(fastifyStatic, {
      root: path.join(cfg.webappDir, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      // Built files carry a content hash in their names: cache them for good.
      immutable: true,
      maxAge: '365d',
      // The folder may appear after the hub started (`npm run build:webapp` meanwhile).
      wildcard: true,
    });
    for (const file of ['page.css', 'favicon.svg']) {
      web.get(`/${file}`, async (req, reply) => {
        const full = path.join(cfg.webappDir, file);
        if (!existsSync(full)) return reply.callNotFound();
        return reply.type(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'image/svg+xml').send(await readFile(full));
      });
    }
  });
}
