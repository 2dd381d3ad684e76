/**
 * A route is declared once — method, path, who may call it, its input schemas, its answers — and that one
 * declaration drives the server (validation, auth) and the OpenAPI document. A route cannot exist undocumented.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as v from 'valibot';
import type { Db } from '../db/index.ts';
import type { Principal } from '../auth.ts';
import { HttpError } from './errors.ts';
import { parseOr400 } from './validate.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext<B, Q, P> {
  db: Db;
  who: Principal;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<B = any, Q = any, P = any> {
  method: Method;
  /** Fastify style, `:id` for a parameter. */
  url: string;
  /** `admin`: only members with role admin. Public routes (healthz, openapi) are not declared here. */
  auth: 'member' | 'admin';
  tag: string;
  summary: string;
  description?: string;
  body?: v.GenericSchema<unknown, B>;
  /** The body may be left out altogether (then it is validated as `{}`); JSON `null` is still refused. */
  bodyOptional?: boolean;
  query?: v.GenericSchema<unknown, Q>;
  params?: v.GenericSchema<unknown, P>;
  headers?: { name: string; required: boolean; description: string }[];
  /** Largest request body, bytes, when a route needs more than the server's default (a CSV import). */
  bodyLimit?: number;
  /** status → what it means; the success status comes first. */
  responses: Record<number, string>;
  /** The wire type of the success answer, by name in shared/wire-types.ts (documentation only). */
  returns?: string;
  handler(ctx: RouteContext<B, Q, P>): Promise<unknown>;
}

/** Keeps each route's handler typed by its own schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> {
  return def;
}

/**
 * The handler a declared route gets wherever it is mounted — on `/v1` behind a bearer token, and on the web
 * app's mount behind a session (hub/web/register.ts) — so parameters, query and body are checked in one place.
 * Whoever mounts it has authenticated the request (req.who) before its body was read.
 */
export function tableHandler(def: RouteDef, db: Db) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const who = req.who!;
    const params = def.params ? parseOr400(def.params, req.params, 'params') : undefined;
    const query = def.query ? parseOr400(def.query, req.query ?? {}, 'query') : undefined;
    if (def.body && def.bodyOptional && req.body === undefined) req.body = {};
    if (def.body && (req.body === undefined || req.body === null)) throw new HttpError(400, 'invalid_body', 'a JSON body is required', 'body');
    // valibot's objects take arrays (an empty array passes an object whose fields are all optional).
    if (def.body && (typeof req.body !== 'object' || Array.isArray(req.body))) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object', 'body');
    const body = def.body ? parseOr400(def.body, req.body, 'body') : undefined;
    const result = await def.handler({ db, who, body, query, params, req, reply });
    return reply.statusCode === 204 || reply.statusCode === 304 ? reply.send() : result;
  };
}
