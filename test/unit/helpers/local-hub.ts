/**
 * A stand-in hub on 127.0.0.1 (node:http, port 0) for the extension's unit tests: the hub client and the
 * outbox talk real HTTP to it, so the only thing mocked is the other end of the wire. It keeps the hub's
 * idempotency rule (same key → the first answer again, nothing written) and records every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  /** Issue 12: the ETag a change check sends back. */
  ifNoneMatch?: string | null;
  body: unknown;
}

/** Return true when the reply was handled; false lets the default routes answer. */
export type Override = (req: SeenRequest, res: ServerResponse) => boolean | Promise<boolean>;

export const DANA = { id: '1', name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales' as const };
export const ME = {
  member: { ...DANA, role: 'admin' as const, createdAt: '2026-01-01T00:00:00Z' },
  team: { id: '1', name: 'Northwind Demo', domains: ['northwind-demo.com'] },
};

export interface LocalHub {
  url: string;
  token: string;
  seen: SeenRequest[];
  /** Interactions written, by idempotency key: the "database". */
  interactions: Map<string, { id: string; body: unknown }>;
  override: Override | null;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startLocalHub(token = 'test-token-7f3a'): Promise<LocalHub> {
  const hub: LocalHub = {
    url: '',
    token,
    seen: [],
    interactions: new Map(),
    override: null,
    close: async () => undefined,
  };
  const server: Server = createServer(async (req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization ?? null,
      idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
      ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      body: await readBody(req),
    };
    hub.seen.push(seen);
    if (hub.override && (await hub.override(seen, res))) return;
    if (seen.authorization !== `Bearer ${token}`) return send(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
    if (seen.method === 'GET' && seen.path === '/v1/me') return send(res, 200, ME);
    if (seen.method === 'POST' && seen.path === '/v1/interactions') {
      const key = seen.idempotencyKey ?? '';
      const existing = hub.interactions.get(key);
      const id = existing?.id ?? String(hub.interactions.size + 1);
      if (!existing) hub.interactions.set(key, { id, body: seen.body });
      const body = seen.body as { kind: string; sourceRef: string; subject: string | null };
      return send(res, 201, {
        outcome: existing ? 'unchanged' : 'created',
        interaction: {
          id,
          kind: body.kind,
          subject: body.subject,
          loggers: [{ member: DANA, department: 'sales', loggedAt: '2026-11-20T10:42:00.000Z', sourceSite: 'gmail', sourceRef: body.sourceRef }],
        },
      });
    }
    if (seen.method === 'POST' && seen.path === '/v1/interactions/logged') return send(res, 200, { results: [] });
    if (seen.method === 'POST' && seen.path === '/v1/lookup') {
      const emails = (seen.body as { emails: string[] }).emails;
      return send(res, 200, { results: emails.map((email) => ({ email, contact: null, member: null })) });
    }
    send(res, 404, { error: { code: 'not_found', message: 'no such route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hub;
}

export function reply(res: ServerResponse, status: number, body: unknown): true {
  send(res, status, body);
  return true;
}
