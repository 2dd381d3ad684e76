/**
 * A route is declared once — method, path, who may call it, its input schemas, its answers — and that one
 * declaration drives the server (validation, auth) and the OpenAPI document. A route cannot exist undocumented.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as v from 'valibot';
import type { Db } from '../db/index.ts';
import type { Principal } from '../auth.ts';

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
