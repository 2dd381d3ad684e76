/**
 * The hub's HTTP edge, where a public service meets the internet: authentication before any body is read, rate
 * limits (failed authentications per client address, requests per token), request and connection timeouts,
 * security headers, and every error — Fastify's and Node's own included — in the one JSON shape of the API.
 *
 * Rate limits use @fastify/rate-limit's in-memory store: each hub process counts on its own, so N processes
 * (`serve --workers N`, or several hosts) allow up to N times the limits.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { authenticate } from '../auth.ts';
import type { Db } from '../db/index.ts';
import type { EdgeOptions } from './edge-config.ts';
import { errorBody, fromFastifyError, HttpError } from './errors.ts';

/**
 * What every answer carries, also the ones written straight to the socket: never cached (answers are per token
 * and per team), never sniffed as anything but JSON, never allowed to load anything or be framed.
 */
export const API_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** How often Node checks requests against the request timeout (its default, 30 s, would blur a 15 s limit). */
const TIMEOUT_CHECK_MS = 1_000;

/**
 * Node's own refusals, before Fastify sees a request: a request that did not arrive within the request timeout,
 * headers too large, bytes that are not HTTP. Answered in the API's shape, then the connection is closed.
 */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'the request (headers and body) did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'the request headers are too large']
        : [400, 'bad_request', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  const headers = Object.entries(API_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n${headers}\r\n${body}`,
  );
}

/** Errors Fastify's router raises itself (a badly encoded URL, a path parameter over 100 characters). */
function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = fromFastifyError(err);
  void reply.code(status).headers(API_HEADERS).send(body);
}

/** Fastify's constructor options for the edge: timeouts, whose address counts as the client's, Node's errors. */
export function edgeServerOptions(edge: EdgeOptions) {
  return {
    requestTimeout: edge.requestTimeoutMs,
    connectionTimeout: edge.connectionTimeoutMs,
    http: { headersTimeout: edge.requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    trustProxy: edge.trustProxy,
    clientErrorHandler,
    frameworkErrors,
  } satisfies Partial<FastifyHttpOptions<Server>>;
}

export const notFoundBody = (req: FastifyRequest) => errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`);

/** Plugins and hooks for every request; answers the authentication hook each `/v1` route runs first. */
export async function registerEdge(app: FastifyInstance, db: Db, edge: EdgeOptions) {
  // helmet's headers for a JSON API: its defaults (nosniff, HSTS, no referrer, frame denial, cross-origin isolation
  // for documents) with a Content-Security-Policy that allows nothing. The web app, when it comes, configures its
  // own policy per route through helmet's route option.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
  });
  await app.register(rateLimit, { global: false, cache: 10_000 });
  // JSON only: Fastify would otherwise take text/plain bodies too (as strings).
  app.removeContentTypeParser('text/plain');
  const failures = edge.authFailuresPerMinute > 0 ? app.createRateLimit({ max: edge.authFailuresPerMinute, timeWindow: 60_000 }) : null;
  const perToken =
    edge.tokenRequestsPerMinute > 0
      ? app.createRateLimit({ max: edge.tokenRequestsPerMinute, timeWindow: 60_000, keyGenerator: (req) => `token:${req.who!.tokenId}` })
      : null;

  // A process that is stopping answers what still arrives on open connections with a 503 in our shape (Fastify's
  // own return503OnClosing would answer in its shape), so a load balancer or the extension retries elsewhere.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // preClose runs only once Fastify has worked through its plugins' close steps; a request arriving in between
  // must already be told to go elsewhere, so the flag is set the moment close() is called.
  const close = app.close.bind(app);
  app.close = ((...args: Parameters<typeof close>) => {
    closing = true;
    return close(...args);
  }) as typeof app.close;
  app.addHook('onRequest', async (req, reply) => {
    if (closing) {
      reply.header('retry-after', '1');
      throw new HttpError(503, 'shutting_down', 'this hub process is stopping; retry');
    }
    // A request no route answers is refused before its body is read (Fastify would otherwise parse it first).
    if (req.routeOptions.url === undefined) return reply.code(404).send(notFoundBody(req));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    // Answered before its body arrived (401, 404, 429…): close rather than read the rest of a body nobody wants.
    if (reply.statusCode >= 400 && req.raw.complete === false) reply.header('connection', 'close');
    return payload;
  });

  const tooMany = (reply: FastifyReply, seconds: number, code: string, message: string) => {
    reply.header('retry-after', String(Math.max(1, seconds)));
    return new HttpError(429, code, message, 'Authorization');
  };

  /**
   * Runs in onRequest, before Fastify reads the body: an unauthenticated request costs one indexed lookup (none
   * at all once its address is over the failure limit) and never a body parse.
   */
  return function authHook(role: 'member' | 'admin'): onRequestAsyncHookHandler {
    return async (req, reply) => {
      if (failures) {
        const seen = await failures(req, { increment: false });
        if (!seen.isAllowed && seen.remaining === 0 && seen.ttl > 0) {
          throw tooMany(reply, seen.ttlInSeconds, 'too_many_failed_authentications', `too many failed authentications from this address; retry in ${seen.ttlInSeconds} s`);
        }
      }
      const who = await authenticate(db, req.headers.authorization);
      if (!who) {
        if (failures) await failures(req);
        reply.header('www-authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized', 'a valid bearer token is required', 'Authorization');
      }
      req.who = who;
      if (perToken) {
        const used = await perToken(req);
        if (!used.isAllowed && used.isExceeded) {
          throw tooMany(reply, used.ttlInSeconds, 'rate_limited', `more than ${used.max} requests a minute with this token; retry in ${used.ttlInSeconds} s`);
        }
      }
      if (role === 'admin' && who.role !== 'admin') throw new HttpError(403, 'forbidden', 'only team admins may do this');
    };
  };
}
