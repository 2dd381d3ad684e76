/**
 * Revocations reach every hub process at once (issue 13): each process remembers a checked token for up to 2 s
 * (hub/auth.ts), so a revocation or a deactivation made through one process — or the CLI — is announced with
 * PostgreSQL's NOTIFY when its transaction commits, and every process LISTENing forgets what it remembered.
 * Without the listener (the connection is away) the 2-second bound still holds.
 */
import pg from 'pg';
import { forgetAuthCache } from './auth.ts';
import type { Queryable } from './db/index.ts';

export const AUTH_CHANNEL = 'liaison_auth';

/** Inside the transaction that revokes: delivered to every listener when (and only if) it commits. */
export async function announceRevocation(db: Queryable): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, 'revoked']);
}

export function listenForRevocations(url: string, log?: (msg: string) => void): { stop(): Promise<void> } {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, application_name: 'liaison-hub-listen', connectionTimeoutMillis: 5_000, keepAlive: true });
    const again = () => {
      if (client === c) client = null;
      c.removeAllListeners();
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      // Whatever was announced while we were away is unknown: forget everything, then listen again.
      forgetAuthCache();
      if (!stopped && !retry) retry = setTimeout(() => ((retry = null), void connect()), 2_000).unref();
    };
    c.on('error', again);
    c.on('end', again);
    c.on('notification', (n) => {
      if (n.channel === AUTH_CHANNEL) forgetAuthCache();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${AUTH_CHANNEL}`);
      if (stopped) return void (await c.end().catch(() => undefined));
      client = c;
    } catch (err) {
      log?.(`revocation listener: ${(err as Error).message}`);
      again();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
