/**
 * The HTTP edge as a client sees it through inject: authentication before the body, rate limits, security headers,
 * and every error — Fastify's own included — in the API's shape. Timeouts, and limits over real sockets, against a
 * real process: test/hub/edge-process.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/db.ts';
import { makeHub, type HubFixture } from './helpers/hub.ts';

describe(`the HTTP edge (${engineName})`, () => {
  let hub: HubFixture;
  beforeAll(async () => {
    hub = await makeHub();
  });
  afterAll(() => hub.close());
  const admin = () => hub.a.admin.token;

  it("answers Fastify's own errors in the API's shape, naming what to fix", async () => {
    const cases: [string, Promise<{ status: number; body: any }>, number, string, string][] = [
      ['over-long id', hub.call(admin(), 'GET', `/v1/contacts/${'9'.repeat(200)}`), 414, 'uri_too_long', 'url'],
      ['malformed JSON', hub.call(admin(), 'POST', '/v1/lookup', '{"emails": ['), 400, 'invalid_json', 'body'],
      ['body too large', hub.call(admin(), 'POST', '/v1/lookup', { emails: ['a@b.com'], pad: 'x'.repeat(600 * 1024) }), 413, 'body_too_large', 'body'],
      ['form body', hub.call(admin(), 'POST', '/v1/lookup', 'emails=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type', 'Content-Type'],
      ['text body', hub.call(admin(), 'POST', '/v1/lookup', '{"emails":["a@b.com"]}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type', 'Content-Type'],
      ['badly encoded URL', hub.call(admin(), 'GET', '/v1/contacts/%E0%A4%A'), 400, 'invalid_url', 'url'],
    ];
    for (const [what, pending, status, code, field] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(res.body.error, what).toMatchObject({ code, field, message: expect.any(String) });
      expect(Object.keys(res.body), what).toEqual(['error']);
    }
    const missing = await hub.call(admin(), 'POST', '/v1/nothing-here', '{'.repeat(1000));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('sends nosniff, no-store and the other security headers on answers and errors alike', async () => {
    const answers = [
      await hub.call(admin(), 'GET', '/v1/me'),
      await hub.call(null, 'GET', '/v1/me'),
      await hub.call(admin(), 'GET', '/v1/nothing-here'),
      await hub.call(admin(), 'POST', '/v1/lookup', {}),
      await hub.call(admin(), 'GET', `/v1/contacts/${'9'.repeat(200)}`),
      await hub.call(null, 'GET', '/healthz'),
    ];
    for (const res of answers) {
      expect(res.headers['x-content-type-options'], String(res.status)).toBe('nosniff');
      expect(res.headers['cache-control'], String(res.status)).toBe('no-store');
      expect(res.headers['content-security-policy'], String(res.status)).toContain("default-src 'none'");
    }
    expect(answers[0]!.headers['x-frame-options']).toBe('DENY');
    expect(answers[0]!.headers['referrer-policy']).toBe('no-referrer');
  });

  it('authenticates before reading the body: no token and 500 KB of junk is a 401, not a parse error', async () => {
    for (const token of [null, 'lia_guessed-token']) {
      const res = await hub.call(token, 'POST', '/v1/lookup', '{'.repeat(500 * 1024));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const head = await hub.app.inject({ method: 'HEAD', url: '/v1/me' });
    expect(head.statusCode).toBe(401);
    // And an admin-only route refuses a member before reading the body too.
    const member = await hub.call(hub.a.member.token, 'POST', '/v1/members', '{'.repeat(500 * 1024));
    expect(member.status).toBe(403);
  });
});

describe(`rate limits (${engineName})`, () => {
  let hub: HubFixture;
  beforeAll(async () => {
    hub = await makeHub({ edge: { authFailuresPerMinute: 3, tokenRequestsPerMinute: 5 } });
  });
  afterAll(() => hub.close());

  it('answers 429 with Retry-After after too many failed authentications from one address, whatever the token', async () => {
    for (let i = 0; i < 3; i++) expect((await hub.call(`lia_guess-${i}`, 'GET', '/v1/me')).status).toBe(401);
    const limited = await hub.call('lia_guess-4', 'GET', '/v1/me');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_failed_authentications');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A guess that happens to be right learns nothing either, until the minute is over.
    expect((await hub.call(hub.a.admin.token, 'GET', '/v1/me')).status).toBe(429);
    // Another address is not affected.
    const other = await hub.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${hub.b.admin.token}` } });
    expect(other.statusCode).toBe(200);
  });

  it('answers 429 with Retry-After when one token makes too many requests, leaving other tokens alone', async () => {
    const as = (token: string) => hub.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.7', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 5; i++) expect((await as(hub.b.member.token)).statusCode).toBe(200);
    const limited = await as(hub.b.member.token);
    expect(limited.statusCode).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await as(hub.b.admin.token)).statusCode).toBe(200);
  });
});

describe(`a hub process that is stopping (${engineName})`, () => {
  it("answers what still arrives with 503 and Retry-After, in the API's shape", async () => {
    const hub = await makeHub();
    const closing = hub.app.close();
    const res = await hub.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${hub.a.admin.token}` } });
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error.code).toBe('shutting_down');
    expect(res.headers['retry-after']).toBe('1');
    await closing;
    await hub.db.close();
  });
});
