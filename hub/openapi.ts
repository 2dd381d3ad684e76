/**
 * The OpenAPI 3.1 document, generated from the same route table and valibot schemas the server validates
 * with (GET /openapi.json). Response bodies are named by their TypeScript type in shared/wire-types.ts.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import type { RouteDef } from './http/route.ts';

const jsonSchema = (s: GenericSchema) => {
  // Transforms (address normalisation, number parsing) have no JSON Schema form; the input shape is what matters.
  const { $schema: _ignored, ...rest } = toJsonSchema(s, { errorMode: 'ignore' }) as Record<string, unknown>;
  return rest;
};

export const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

export function buildOpenApi(routes: RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {
    '/healthz': {
      get: { summary: 'Liveness and database check (no auth)', tags: ['ops'], security: [], responses: { 200: { description: 'ok' } } },
    },
    '/openapi.json': {
      get: { summary: 'This document (no auth)', tags: ['ops'], security: [], responses: { 200: { description: 'OpenAPI 3.1' } } },
    },
  };
  for (const r of routes) {
    const parameters: unknown[] = [];
    const pathSchemas = r.params ? ((jsonSchema(r.params) as { properties?: Record<string, unknown> }).properties ?? {}) : {};
    for (const name of r.url.match(/:([A-Za-z]+)/g) ?? []) {
      const schema = pathSchemas[name.slice(1)] ?? { type: 'string', pattern: '^[1-9][0-9]{0,18}$' };
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema });
    }
    if (r.query) {
      const q = jsonSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    for (const h of r.headers ?? []) parameters.push({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } });
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(r.responses)) {
      responses[status] = Number(status) < 300 && r.returns ? { description: `${description} (${r.returns})` } : { description };
    }
    responses['401'] ??= { description: 'missing, unknown or revoked token' };
    responses['429'] ??= { description: 'too many failed authentications from this address, or too many requests with this token (see Retry-After)' };
    if (r.body) {
      responses['413'] ??= { description: 'body larger than 512 KB' };
      responses['415'] ??= { description: 'body not sent as application/json' };
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.auth === 'admin' ? { 'x-liaison-admin-only': true } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: !r.bodyOptional, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses,
    };
    const path = toOpenApiPath(r.url);
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Liaison hub',
      version: '1',
      description:
        "The team's shared customer history. Every /v1 route needs `Authorization: Bearer <token>` and sees only the token's team; " +
        'the token is checked before the body is read. Errors are `{ "error": { "code", "message", "field"? } }`, with a 4xx that ' +
        'names the field to fix. Limits: text fields never hold NUL (U+0000) or unpaired surrogates; timestamps are ISO 8601 ' +
        'with a zone, a real calendar date between the years 1900 and 9999, offset within ±14:00, answered in UTC; ids are ' +
        'positive whole numbers up to 9223372036854775807, as strings; addresses at most 254 characters (64 before the @); ' +
        'bodies at most 512 KB, JSON objects only. The whole request must arrive within the request timeout (default 15 s; ' +
        'else 408). Failed authentications are limited per client address (default 20 a minute) and requests per token ' +
        '(default 600 a minute): beyond them 429 with Retry-After.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
