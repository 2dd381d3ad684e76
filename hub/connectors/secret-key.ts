/**
 * CRM access tokens are stored encrypted at rest: AES-256-GCM (node:crypto) with a 256-bit key from the
 * environment, `LIAISON_SECRET_KEY` (base64 or hex of 32 bytes). A database backup or a stolen copy of the data
 * folder's tables then holds no working CRM token. The ciphertext is bound to its team and provider (GCM's
 * additional data), so a row copied onto another team does not decrypt.
 *
 * For trying Liaison, `npm start` (and the CLI on the embedded database) generates a key into the data folder
 * (`secret-key`, mode 0600) when the environment has none; a production hub on DATABASE_URL must be given one.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_FILE = 'secret-key';

export class SecretKeyMissing extends Error {
  constructor() {
    super('no secret key: set LIAISON_SECRET_KEY to 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
    this.name = 'SecretKeyMissing';
  }
}

export interface SecretKey {
  key: Buffer;
  /** A fingerprint stored beside each ciphertext: a wrong key is reported as such, not as corrupt data. */
  id: string;
}

export function parseSecretKey(text: string): SecretKey {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('LIAISON_SECRET_KEY must be 32 bytes, base64- or hex-encoded');
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

/**
 * The key from LIAISON_SECRET_KEY, else from `<dataDir>/secret-key`; `generate` creates that file (0600) when
 * neither exists (the demo and the embedded database only). Null when there is none and none may be made.
 */
export function loadSecretKey(opts: { env?: NodeJS.ProcessEnv; dataDir?: string; generate?: boolean } = {}): SecretKey | null {
  const env = opts.env ?? process.env;
  if (env.LIAISON_SECRET_KEY?.trim()) return parseSecretKey(env.LIAISON_SECRET_KEY);
  if (!opts.dataDir) return null;
  const file = path.join(opts.dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
  if (!opts.generate) return null;
  mkdirSync(opts.dataDir, { recursive: true });
  // 'wx': never overwrite a key another process wrote a moment ago (tokens encrypted with it would be lost).
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(file, 0o600);
  return parseSecretKey(readFileSync(file, 'utf8'));
}

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  keyId: string;
}

export function seal(key: SecretKey, plaintext: string, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag(), keyId: key.id };
}

export function open(key: SecretKey, sealed: Sealed, context: string): string {
  if (sealed.keyId !== key.id) {
    throw new Error('the stored token was encrypted with another secret key (LIAISON_SECRET_KEY changed): connect again');
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
}
