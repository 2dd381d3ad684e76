/**
 * Limits at the hub's HTTP edge, from the environment, checked once at start with a clear message for each mistake.
 * Every value has a default that suits a hub on the open internet; tests pass their own.
 */

export interface EdgeOptions {
  /** Failed authentications a client address may make per minute; then 429 until the minute is over. 0: no limit. */
  authFailuresPerMinute: number;
  /** Requests one token may make per minute; then 429 until the minute is over. 0: no limit. */
  tokenRequestsPerMinute: number;
  /** Sign-in attempts (invite links, OpenID Connect) a client address may make per minute; then 429. 0: no limit. */
  signInPerMinute: number;
  /** The whole request — headers and body — must arrive within this; else 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (a backstop; keep-alive idles end sooner). */
  connectionTimeoutMs: number;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): false (none; the socket's peer is the
   * client), or a comma-separated list of the proxies' addresses or CIDR ranges.
   */
  trustProxy: false | string;
}

export const DEFAULT_EDGE: EdgeOptions = {
  authFailuresPerMinute: 20,
  tokenRequestsPerMinute: 600,
  signInPerMinute: 30,
  requestTimeoutMs: 15_000,
  connectionTimeoutMs: 120_000,
  trustProxy: false,
};

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${env[name]}"`);
  return n;
}

function trustProxy(raw: string | undefined): EdgeOptions['trustProxy'] {
  const value = raw?.trim();
  if (!value || value === 'false') return false;
  // Trusting every sender's X-Forwarded-For (or a hop count, which cannot check the peer) would let any client
  // choose the address it is rate-limited by.
  if (!/^[0-9A-Fa-f.:/]+(\/\d+)?(\s*,\s*[0-9A-Fa-f.:/]+)*$/.test(value)) {
    throw new Error(`HUB_TRUST_PROXY must list the proxies' addresses or CIDR ranges, comma-separated (e.g. 10.0.0.5,10.1.0.0/16), got "${raw}"`);
  }
  return value;
}

export function loadEdgeOptions(env: NodeJS.ProcessEnv = process.env): EdgeOptions {
  const requestTimeoutMs = wholeNumber(env, 'HUB_REQUEST_TIMEOUT_MS', DEFAULT_EDGE.requestTimeoutMs, 1_000);
  return {
    authFailuresPerMinute: wholeNumber(env, 'HUB_AUTH_FAILURES_PER_MINUTE', DEFAULT_EDGE.authFailuresPerMinute, 0),
    tokenRequestsPerMinute: wholeNumber(env, 'HUB_TOKEN_REQUESTS_PER_MINUTE', DEFAULT_EDGE.tokenRequestsPerMinute, 0),
    signInPerMinute: wholeNumber(env, 'HUB_SIGN_IN_PER_MINUTE', DEFAULT_EDGE.signInPerMinute, 0),
    requestTimeoutMs,
    connectionTimeoutMs: Math.max(DEFAULT_EDGE.connectionTimeoutMs, requestTimeoutMs * 2),
    trustProxy: trustProxy(env.HUB_TRUST_PROXY),
  };
}
