/**
 * Runs the connectors' runtime in a hub process (`serve`, `start`); LIAISON_CONNECTORS=off leaves it out.
 *
 * The runtime starts beside the HTTP server, never in front of it: a hub answers (and handles SIGTERM) as soon as it
 * listens, whether or not the job queue is up yet, and a database that is away when the hub starts delays only the
 * CRM sync — it is tried again every few seconds — not the sidebar's answers.
 */
import type { Db } from '../db/index.ts';
import { connectorConfig } from './config.ts';
import { ConnectorRuntime } from './runtime.ts';

const RETRY_MS = 5_000;
/** A stopping hub waits at most this long for a start in progress. */
const STOP_WAIT_MS = 3_000;

export interface RunningConnectors {
  stop(): Promise<void>;
}

export function runConnectors(
  db: Db & { url: string },
  opts: { generateKey?: boolean; log?: (message: string, fields?: Record<string, unknown>) => void } = {},
): RunningConnectors {
  if (process.env.LIAISON_CONNECTORS === 'off') return { stop: async () => {} };
  // Read now, so that a bad setting (HUBSPOT_API_BASE) stops the hub at start instead of being retried forever.
  // `npm start` (trying Liaison) makes a key in the data folder when none is set, so connecting works out of the box.
  const config = connectorConfig(process.env, { generateKey: opts.generateKey });
  let runtime: ConnectorRuntime | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const attempt = async () => {
    if (stopped) return;
    const r = new ConnectorRuntime({ db, url: db.url, config, log: opts.log });
    try {
      await r.start();
      if (stopped) await r.stop();
      else runtime = r;
    } catch (err) {
      await r.stop().catch(() => {});
      if (stopped) return;
      opts.log?.('connectors could not start; trying again shortly', { error: (err as Error).message });
      timer = setTimeout(() => (current = attempt()), RETRY_MS);
      timer.unref();
    }
  };
  current = attempt();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.race([current, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
      await runtime?.stop();
    },
  };
}
