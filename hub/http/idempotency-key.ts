/**
 * The Idempotency-Key header: how a client's retry of a write is recognised as the same write. Required on
 * POST /v1/interactions; optional (honoured when sent) on the other writes a client may retry (issue 12: heads-ups,
 * tasks), so callers that never retry need not send one.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

export const idempotencyHeader = (required: boolean) => ({
  name: 'Idempotency-Key',
  required,
  description: required
    ? '8–200 printable ASCII characters, e.g. a UUID, reused on every retry'
    : 'optional: 8–200 printable ASCII characters, e.g. a UUID, reused on every retry; the same key again returns the first answer and writes nothing',
});

/** The request's key; null when absent and not required; a 400 naming the header when malformed or missing. */
export function idempotencyKeyOf(req: FastifyRequest, required: boolean): string | null {
  const key = req.headers['idempotency-key'];
  if (!required && (key === undefined || key === '')) return null;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, 'missing_idempotency_key', 'Idempotency-Key header: 8–200 printable ASCII characters required', 'Idempotency-Key');
  }
  return key;
}
