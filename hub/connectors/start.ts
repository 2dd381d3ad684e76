/** Starts the connectors' runtime in a hub process (`serve`, `start`); LIAISON_CONNECTORS=off leaves it out. */
import type { Db } from '../db/index.ts';
import { connectorConfig } from './config.ts';
import { ConnectorRuntime } from './runtime.ts';

export async function startConnectors(db: Db & { url: string }, opts: { generateKey?: boolean; log?: (message: string, fields?: Record<string, unknown>) => void } = {}): Promise<ConnectorRuntime | null> {
  if (process.env.LIAISON_CONNECTORS === 'off') return null;
  // `npm start` (trying Liaison) makes a key in the data folder when none is set, so connecting works out of the box.
  const config = connectorConfig(process.env, { generateKey: opts.generateKey });
  const runtime = new ConnectorRuntime({ db, url: db.url, config, log: opts.log });
  await runtime.start();
  return runtime;
}
