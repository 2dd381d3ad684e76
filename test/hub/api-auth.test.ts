import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../hub/auth.ts';
import { toOpenApiPath } from '../../hub/openapi.ts';
import { isWebAppRoute } from '../../hub/web/register.ts';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

describe(`auth, tokens, CORS, OpenAPI, logs (${engineName})`, () => {
  let hub: HubFixture;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    hub = await makeHub({ logger: pino({ level: 'info' }, sink) });
  });
  afterAll(() => hub.close());

  it('answers /healthz without a token', async () => {
    const res = await hub.call(null, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
  });

  it('refuses every /v1 route without a valid bearer token', async () => {
    for (const r of hub.app.registeredRoutes.filter((r) => r.url.startsWith('/v1'))) {
      const url = r.url.replace(/:id/g, '1');
      for (const token of [null, 'lia_not-a-real-token', 'garbage']) {
        const res = await hub.call(token, r.method, url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        expect(res.status, `${r.method} ${r.url} with ${token}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('says who the token belongs to, with the team domains', async () => {
    const res = await hub.call(hub.a.member.token, 'GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ name: 'Alpha Support', department: 'support', role: 'member' });
    expect(res.body.team).toMatchObject({ name: 'Alpha', domains: ['alpha.example.com'] });
  });

  it('stores only a hash of each token, with 256 random bits, and records when it was used', async () => {
    expect(hub.a.admin.token).toMatch(/^lia_[A-Za-z0-9_-]{43}$/);
    const rows = await hub.db.query<{ token_hash: Buffer; last_used_at: Date | null }>('SELECT token_hash, last_used_at FROM tokens WHERE member_id = $1', [hub.a.admin.id]);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(rows[0]!.token_hash), hashToken(hub.a.admin.token))).toBe(0);
    const dump = JSON.stringify(await hub.db.query('SELECT * FROM tokens'));
    expect(dump).not.toContain(hub.a.admin.token.slice(4));
    await hub.call(hub.a.admin.token, 'GET', '/v1/me');
    const [after] = await hub.db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM tokens WHERE member_id = $1', [hub.a.admin.id]);
    expect(after!.last_used_at).not.toBeNull();
  });

  it('lets an admin add a member whose token works, and revoke it (then 401)', async () => {
    const added = await hub.call(hub.a.admin.token, 'POST', '/v1/members', { name: 'Mia Market', email: 'mia@alpha.example.com', department: 'marketing' });
    expect(added.status).toBe(201);
    expect((await hub.call(added.body.token, 'GET', '/v1/me')).body.member.email).toBe('mia@alpha.example.com');
    const revoked = await hub.call(hub.a.admin.token, 'DELETE', `/v1/tokens/${added.body.tokenId}`);
    expect(revoked.status).toBe(204);
    expect((await hub.call(added.body.token, 'GET', '/v1/me')).status).toBe(401);
  });

  it('keeps member and token management for admins', async () => {
    const res = await hub.call(hub.a.member.token, 'POST', '/v1/members', { name: 'X', email: 'x@alpha.example.com', department: 'sales' });
    expect(res.status).toBe(403);
    expect((await hub.call(hub.a.member.token, 'GET', '/v1/tokens')).status).toBe(403);
    const [adminToken] = await hub.db.query<{ id: string }>('SELECT id FROM tokens WHERE member_id = $1', [hub.a.admin.id]);
    expect((await hub.call(hub.a.member.token, 'DELETE', `/v1/tokens/${adminToken!.id}`)).status).toBe(403);
    expect((await hub.call(hub.a.admin.token, 'GET', '/v1/me')).status).toBe(200);
  });

  it('answers CORS preflight for extension origins only, never with credentials', async () => {
    for (const origin of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://2b6f1c6e-9c7e-4d1e-8a61-1f5f0c7e2a11']) {
      const res = await hub.app.inject({
        method: 'OPTIONS',
        url: '/v1/lookup',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const evil = await hub.app.inject({ method: 'OPTIONS', url: '/v1/lookup', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const set = await hub.call(hub.a.admin.token, 'GET', '/v1/me', undefined, { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });
    expect(set.headers['set-cookie']).toBeUndefined();
  });

  it('documents every route it serves in /openapi.json', async () => {
    const doc = (await hub.call(null, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    // The web app's pages and its session-authenticated mount of this same table are not the bearer-token API.
    const served = hub.app.registeredRoutes.filter((r) => !isWebAppRoute(r.url));
    expect(served.length).toBeGreaterThan(15);
    for (const r of served) {
      expect(doc.paths[toOpenApiPath(r.url)]?.[r.method.toLowerCase()], `${r.method} ${r.url} missing from OpenAPI`).toBeDefined();
    }
    expect(doc.paths['/v1/interactions'].post.parameters.some((p: any) => p.name === 'Idempotency-Key' && p.required)).toBe(true);
    expect(doc.paths['/v1/lookup'].post.requestBody.content['application/json'].schema.properties.emails.maxItems).toBe(500);
  });

  it('logs one line per request, without tokens or message content', async () => {
    logLines.length = 0;
    const subject = 'Secret merger plans for Q4';
    await hub.call(hub.a.admin.token, 'POST', '/v1/interactions', emailLog({ subject, sourceRef: 'log-test' }), { 'idempotency-key': newKey() });
    const lines = logLines.filter((l) => l.includes('"msg":"request"'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ method: 'POST', route: '/v1/interactions', status: 201 });
    const all = logLines.join('\n');
    expect(all).not.toContain(hub.a.admin.token);
    expect(all).not.toContain(subject);
    expect(all).not.toContain('jane.doe@acme-corp.com');
  });
});
