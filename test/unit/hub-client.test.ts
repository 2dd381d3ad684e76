import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubClient, HubError, type HubFailure } from '../../utils/hub-client';
import { reply, startLocalHub, type LocalHub } from './helpers/local-hub';

/** The failure a call ended in (or null when it succeeded). */
async function failureOf(call: Promise<unknown>): Promise<HubFailure | null> {
  try {
    await call;
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    return (error as HubError).failure;
  }
}

describe('hub client error mapping (real HTTP on 127.0.0.1)', () => {
  let hub: LocalHub;
  beforeAll(async () => {
    hub = await startLocalHub();
  });
  afterAll(() => hub.close());
  beforeEach(() => {
    hub.override = null;
    hub.seen.length = 0;
  });

  it('signs in with the bearer token and returns the hub’s answer', async () => {
    const me = await createHubClient({ hubUrl: hub.url + '/', token: hub.token }).me();
    expect(me.member.name).toBe('Dana Reyes');
    expect(me.team.name).toBe('Northwind Demo');
    expect(hub.seen[0]?.authorization).toBe(`Bearer ${hub.token}`);
  });

  it('maps a refused token to unauthorized, without the token in the message', async () => {
    const failure = await failureOf(createHubClient({ hubUrl: hub.url, token: 'wrong-secret-123' }).me());
    expect(failure).toMatchObject({ kind: 'offline', reason: { code: 'unauthorized' }, status: 401 });
    expect(JSON.stringify(failure)).not.toContain('wrong-secret-123');
  });

  it('maps 5xx, 429 and 408 to server-error (worth retrying)', async () => {
    for (const status of [500, 503, 429, 408]) {
      hub.override = (_req, res) => reply(res, status, { error: { code: 'x', message: 'busy' } });
      const failure = await failureOf(createHubClient({ hubUrl: hub.url, token: hub.token }).me());
      expect(failure, `status ${status}`).toMatchObject({ kind: 'offline', reason: { code: 'server-error' }, status });
    }
  });

  it('maps another 4xx to a rejection carrying the hub’s own message and field', async () => {
    hub.override = (_req, res) =>
      reply(res, 400, { error: { code: 'invalid_body', message: 'not a valid email address', field: 'participants[0].email' } });
    const failure = await failureOf(createHubClient({ hubUrl: hub.url, token: hub.token }).post('/v1/interactions', {}, 'k'));
    expect(failure).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'invalid_body',
      message: 'not a valid email address',
      field: 'participants[0].email',
    });
  });

  it('maps a slow hub to timeout', async () => {
    hub.override = () => true; // never answers
    const failure = await failureOf(createHubClient({ hubUrl: hub.url, token: hub.token, timeoutMs: 150 }).me());
    expect(failure).toMatchObject({ kind: 'offline', reason: { code: 'timeout' } });
  });

  it('maps a closed port to unreachable', async () => {
    const gone = await startLocalHub();
    const url = gone.url;
    await gone.close();
    const failure = await failureOf(createHubClient({ hubUrl: url, token: 't' }).me());
    expect(failure).toMatchObject({ kind: 'offline', reason: { code: 'unreachable' } });
  });

  it('maps a missing URL or token, or a non-http URL, to not-configured without any request', async () => {
    for (const config of [
      { hubUrl: '', token: 't' },
      { hubUrl: hub.url, token: null },
      { hubUrl: 'javascript:alert(1)', token: 't' },
    ]) {
      const failure = await failureOf(createHubClient(config).me());
      expect(failure).toMatchObject({ kind: 'offline', reason: { code: 'not-configured' } });
    }
    expect(hub.seen).toHaveLength(0);
  });

  it('sends the idempotency key with a write', async () => {
    await createHubClient({ hubUrl: hub.url, token: hub.token }).post(
      '/v1/interactions',
      { kind: 'email', sourceRef: 'r1', subject: 's' },
      'key-123',
    );
    expect(hub.seen[0]).toMatchObject({ method: 'POST', path: '/v1/interactions', idempotencyKey: 'key-123' });
  });
});
