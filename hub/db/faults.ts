/**
 * Which database errors mean "the database is away" rather than "this request is wrong". Those become
 * DatabaseUnavailable: the client gets 503 with Retry-After and tries again later (the extension's outbox
 * keeps the write meanwhile), instead of a 500 that looks like a bug.
 */

export type FaultKind = 'unreachable' | 'starting' | 'shutting-down' | 'disk-full' | 'overloaded' | 'timeout';

const MESSAGES: Record<FaultKind, string> = {
  unreachable: 'the database is unreachable',
  starting: 'the database is starting',
  'shutting-down': 'the database is shutting down',
  'disk-full': 'the database is out of disk space',
  overloaded: 'the database is overloaded',
  timeout: 'the database did not answer in time',
};

/** Seconds a client should wait before trying again. */
const RETRY_AFTER: Record<FaultKind, number> = {
  unreachable: 5,
  starting: 2,
  'shutting-down': 5,
  'disk-full': 30,
  overloaded: 2,
  timeout: 5,
};

export class DatabaseUnavailable extends Error {
  readonly retryAfter: number;
  constructor(
    readonly kind: FaultKind,
    readonly detail?: string,
  ) {
    super(MESSAGES[kind]);
    this.retryAfter = RETRY_AFTER[kind];
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

export function classifyFault(err: unknown): DatabaseUnavailable | null {
  if (err instanceof DatabaseUnavailable) return err;
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const message = e.message ?? '';
  if (/No space left on device|disk full/i.test(message) || code === '53100') return new DatabaseUnavailable('disk-full', message);
  if (code === '57P03') return new DatabaseUnavailable(/shutting down/i.test(message) ? 'shutting-down' : 'starting', message);
  if (code === '57P01' || code === '57P02') return new DatabaseUnavailable('shutting-down', message);
  if (code === '53300' || code === '53200' || code === '53400') return new DatabaseUnavailable('overloaded', message);
  if (code === '57014') return new DatabaseUnavailable('timeout', message);
  // 08xxx: connection exceptions; 58xxx: the server's own I/O failed.
  if (/^08/.test(code) || /^58/.test(code) || (code === 'XX000' && /could not (write|extend|fsync)/i.test(message))) return new DatabaseUnavailable('unreachable', message);
  if (NETWORK_CODES.has(code)) return new DatabaseUnavailable('unreachable', message);
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Query read timeout|the database system is (starting up|shutting down|in recovery mode)/i.test(message)) {
    return new DatabaseUnavailable(/starting up|recovery/i.test(message) ? 'starting' : 'unreachable', message);
  }
  return null;
}
