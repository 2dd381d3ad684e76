/** A hub on a fresh database with two teams, called through Fastify's inject (no sockets needed). */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../hub/db/index.ts';
import { buildServer } from '../../../hub/server.ts';
import type { EdgeOptions } from '../../../hub/http/edge-config.ts';
import type { WebConfig } from '../../../hub/web/config.ts';
import { addMember, createTeam } from '../../../hub/repo/teams.ts';
import { freshDb } from './db.ts';

export interface TeamFixture {
  id: string;
  admin: { id: string; token: string };
  member: { id: string; token: string };
}

export interface HubFixture {
  db: Db;
  app: FastifyInstance;
  a: TeamFixture;
  b: TeamFixture;
  call(token: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function team(db: Db, name: string, domain: string): Promise<TeamFixture> {
  const id = await createTeam(db, name, [domain]);
  const admin = await addMember(db, id, { name: `${name} Admin`, email: `admin@${domain}`, department: 'sales', role: 'admin' });
  const member = await addMember(db, id, { name: `${name} Support`, email: `support@${domain}`, department: 'support', role: 'member' });
  return { id, admin: { id: admin.member.id, token: admin.token }, member: { id: member.member.id, token: member.token } };
}

/**
 * Tests call hundreds of routes a second with one token, and test refusals by the dozen: the rate limits are off
 * here unless a test asks for them (test/hub/edge*.test.ts do).
 */
export async function makeHub(opts: { logger?: any; edge?: Partial<EdgeOptions>; web?: WebConfig } = {}): Promise<HubFixture> {
  const db = await freshDb();
  const a = await team(db, 'Alpha', 'alpha.example.com');
  const b = await team(db, 'Beta', 'beta.example.com');
  const app = await buildServer({
    db,
    logger: opts.logger,
    edge: { authFailuresPerMinute: 0, tokenRequestsPerMinute: 0, signInPerMinute: 0, ...opts.edge },
    ...(opts.web ? { web: opts.web } : {}),
  });
  await app.ready();
  return {
    db,
    app,
    a,
    b,
    async call(token, method, url, body, headers = {}) {
      const res = await app.inject({
        method: method as any,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: any = null;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        parsed = res.body;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

let keyCounter = 0;
export const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

export const emailLog = (over: Record<string, unknown> = {}) => ({
  kind: 'email',
  occurredAt: '2026-11-20T10:00:00.000Z',
  subject: 'Renewal terms',
  sourceSite: 'gmail',
  sourceRef: 'thread-1',
  participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }, { email: 'admin@alpha.example.com' }],
  ...over,
});
