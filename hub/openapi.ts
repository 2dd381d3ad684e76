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
    for (const name of r.url.match(/:([A-Za-z]+)/g) ?? []) {
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]*$' } });
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
    const op: Record<string, unknown> = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.auth === 'admin' ? { 'x-liaison-admin-only': true } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
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
        "The team's shared customer history. Every /v1 route needs `Authorization: Bearer <token>` and sees only the token's team. " +
        'Errors are `{ "error": { "code", "message", "field"? } }`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
