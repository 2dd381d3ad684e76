/**
 * Connector settings from the environment, read when needed (routes, CLI, the hub's runtime):
 * - LIAISON_SECRET_KEY (or the data folder's `secret-key`, see secret-key.ts): encrypts CRM tokens at rest;
 * - HUBSPOT_API_BASE: HubSpot's API root, honoured only when set (tests and the benchmark point it at a stand-in);
 * - LIAISON_CONNECTOR_*: timings of the queue and the sync (defaults suit production; tests shorten them).
 */
import path from 'node:path';
import { loadSecretKey, type SecretKey } from './secret-key.ts';

export interface ConnectorConfig {
  secretKey: SecretKey | null;
  hubspotBase: string | undefined;
  /** A create claimed longer ago than this is taken to be a crashed attempt, ms. */
  leaseMs: number;
  /** pg-boss: a job running longer than this is taken to be a crashed worker's and retried, s. */
  pushExpirySeconds: number;
  syncExpirySeconds: number;
  /** pg-boss maintenance (expiring crashed jobs), s. */
  maintenanceSeconds: number;
  /** Between incremental sync cycles, s. */
  syncIntervalSeconds: number;
  /** Work one sync step does before handing over to the next job, ms. */
  syncStepMs: number;
  pushWorkers: number;
  /** Between scans for records deleted in the CRM, ms. */
  archivedEveryMs: number;
}

const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);

export function connectorConfig(env: NodeJS.ProcessEnv = process.env, opts: { generateKey?: boolean } = {}): ConnectorConfig {
  const dataDir = path.resolve(env.LIAISON_DATA_DIR ?? '.liaison');
  const base = env.HUBSPOT_API_BASE?.trim();
  if (base && !/^https?:\/\/[^\s]+$/.test(base)) throw new Error('HUBSPOT_API_BASE must be an http(s) URL');
  return {
    secretKey: loadSecretKey({ env, dataDir, generate: opts.generateKey === true }),
    hubspotBase: base || undefined,
    leaseMs: num(env.LIAISON_CONNECTOR_LEASE_S, 120) * 1000,
    pushExpirySeconds: num(env.LIAISON_CONNECTOR_JOB_EXPIRY_S, 300),
    syncExpirySeconds: num(env.LIAISON_CONNECTOR_SYNC_EXPIRY_S, 600),
    maintenanceSeconds: num(env.LIAISON_CONNECTOR_MAINTENANCE_S, 30),
    syncIntervalSeconds: num(env.LIAISON_CONNECTOR_SYNC_INTERVAL_S, 60),
    syncStepMs: num(env.LIAISON_CONNECTOR_SYNC_STEP_S, 60) * 1000,
    pushWorkers: num(env.LIAISON_CONNECTOR_PUSH_WORKERS, 4),
    archivedEveryMs: num(env.LIAISON_CONNECTOR_ARCHIVED_EVERY_S, 3600) * 1000,
  };
}
