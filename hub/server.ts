/**
 * The hub's HTTP server: stateless, so any number of processes can serve one PostgreSQL. Fastify gives body
 * limits, content-type handling and pino logging; valibot (through the route table) validates; every `/v1`
 * route authenticates by bearer token and is scoped to the token's team.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { Logger } from 'pino';
import type { Principal } from './auth.ts';
import { DatabaseUnavailable, type Db } from './db/index.ts';
import { loadEdgeOptions, type EdgeOptions } from './http/edge-config.ts';
import { edgeServerOptions, notFoundBody, registerEdge } from './http/edge.ts';
import { errorBody, fromFastifyError, HttpError } from './http/errors.ts';
import { tableHandler, type RouteDef } from './http/route.ts';
import { buildOpenApi } from './openapi.ts';
import { contactRoutes } from './routes/contacts.ts';
import { flagTaskRoutes } from './routes/flags-tasks.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { insightRoutes } from './routes/insights.ts';
import { reportRoutes } from './routes/reports.ts';
import { teamRoutes } from './routes/team.ts';
import { connectorRoutes } from './routes/connectors.ts';
import { registerWebApp } from './web/register.ts';

export const ROUTES: RouteDef[] = [...teamRoutes, ...contactRoutes, ...interactionRoutes, ...flagTaskRoutes, ...reportRoutes, ...insightRoutes, ...connectorRoutes];

/** Browser-extension origins are allowed by default: the extension needs no host permission for the hub. */
export const DEFAULT_CORS_ORIGINS = ['chrome-extension://*', 'moz-extension://*', 'safari-web-extension://*'];

export interface ServerOptions {
  db: Db;
  logger?: Logger | false;
  /** Exact origins, or `scheme://*` for any extension of that browser. */
  corsOrigins?: string[];
  /** Largest request body, bytes. */
  bodyLimit?: number;
  /** Rate limits, timeouts, trusted proxies; unset values come from the environment (HUB_*), else the defaults. */
  edge?: Partial<EdgeOptions>;
}

export function originAllowed(origin: string, allowList: string[]): boolean {
  return allowList.some((allowed) =>
    allowed.endsWith('://*') ? origin.startsWith(allowed.slice(0, -1)) && /^[a-z-]+:\/\/[A-Za-z0-9._-]+$/.test(origin) : origin === allowed,
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    who?: Principal;
  }
  interface FastifyInstance {
    /** Every method + path the server answers (HEAD/OPTIONS excepted): the OpenAPI test checks them all. */
    registeredRoutes: { method: string; url: string }[];
  }
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const edge: EdgeOptions = { ...loadEdgeOptions(process.env), ...opts.edge };
  const app: FastifyInstance = Fastify({
    ...edgeServerOptions(edge),
    loggerInstance: (opts.logger || undefined) as FastifyBaseLogger | undefined,
    logger: opts.logger ? undefined : false,
    // One line per request, written in onResponse below: the default two lines would include the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 512 * 1024,
    // A stopping process answers 503 in our own shape (see registerEdge), not in Fastify's.
    return503OnClosing: false,
  });
  const registered: { method: string; url: string }[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') registered.push({ method, url: r.url });
  });
  const allowList = opts.corsOrigins ?? DEFAULT_CORS_ORIGINS;
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin ? originAllowed(origin, allowList) : false),
    credentials: false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match'],
    exposedHeaders: ['Idempotent-Replayed', 'ETag'],
    maxAge: 600,
  });
  const authHook = await registerEdge(app, opts.db, edge);

  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, member: req.who?.memberId },
      'request',
    );
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof DatabaseUnavailable) {
      // The database is away (down, restarting, out of disk): a clear, retryable answer instead of a 500.
      req.log.warn({ db: err.kind, detail: err.detail }, 'database unavailable');
      return reply
        .code(503)
        .header('Retry-After', String(err.retryAfter))
        .send(errorBody('database_unavailable', `${err.message}; try again in ${err.retryAfter} s`));
    }
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.code, err.message, err.field));
    const status = err.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported content type, in our words.
      const mapped = fromFastifyError(err);
      return reply.code(mapped.status).send(mapped.body);
    }
    req.log.error({ err: { message: err.message, code: err.code } }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(notFoundBody(req)));

  // For load balancers and people: 200 when the database answers, 503 saying what is wrong when it does not.
  app.get('/healthz', async (_req, reply) => {
    const health = await opts.db.health();
    if (health.ok) return { ok: true, engine: opts.db.engine, database: 'up' };
    const retryAfter = new DatabaseUnavailable(health.problem!).retryAfter;
    return reply
      .code(503)
      .header('Retry-After', String(retryAfter))
      .send({ ok: false, engine: opts.db.engine, database: health.problem, error: { code: 'database_unavailable', message: health.message } });
  });
  const openapi = buildOpenApi(ROUTES);
  app.get('/openapi.json', async () => openapi);

  for (const def of ROUTES) {
    app.route({
      method: def.method,
      url: def.url,
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      // Authentication (and the rate limits around it) before Fastify reads the body.
      onRequest: authHook(def.auth),
      handler: tableHandler(def, opts.db),
    });
  }
  await registerWebApp(app, opts, ROUTES, edge);
  return app;
}
