/** Hub settings from the environment, checked once at start with a clear message for each mistake. */
import path from 'node:path';
import { DEFAULT_CORS_ORIGINS } from './server.ts';

export interface HubConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  corsOrigins: string[];
  logLevel: string;
  poolSize: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL');
  const poolSize = Number(env.HUB_DB_POOL ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('HUB_DB_POOL must be a positive whole number');
  return {
    port,
    // Loopback by default: exposing the hub to a network is a deliberate choice (HOST=0.0.0.0 behind TLS).
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(env.LIAISON_DATA_DIR ?? '.liaison'),
    corsOrigins: env.HUB_CORS_ORIGINS ? env.HUB_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_CORS_ORIGINS,
    logLevel: env.LOG_LEVEL ?? 'info',
    poolSize,
  };
}
