/**
 * Idempotent writes other than logging (which keeps its own path in interactions.ts): the key is claimed inside the
 * write's transaction, so a concurrent retry with the same key waits on the primary key until the first commits,
 * then answers what the first answered and writes nothing. The stored hash covers the route and the body: the same
 * key with another request is refused (422).
 */
import type { Principal } from '../auth.ts';
import type { Db, Queryable } from '../db/index.ts';
import { HttpError } from '../http/errors.ts';
import { requestHash } from './interactions.ts';

export interface WriteResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export async function idempotentWrite<T>(
  db: Db,
  who: Principal,
  key: string | null,
  request: { route: string; body: unknown },
  status: number,
  write: (tx: Queryable) => Promise<T>,
): Promise<WriteResult<T>> {
  if (!key) return { status, body: await db.transaction(write), replayed: false };
  const hash = requestHash(request);
  return db.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO idempotency_keys (team_id, member_id, key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [who.teamId, who.memberId, key, hash],
    );
    if (claimed.length === 0) {
      const [prev] = await tx.query<{ member_id: string; request_hash: string; status_code: number; response: T }>(
        'SELECT member_id, request_hash, status_code, response FROM idempotency_keys WHERE team_id = $1 AND key = $2',
        [who.teamId, key],
      );
      if (!prev || prev.member_id !== who.memberId || prev.request_hash !== hash) {
        throw new HttpError(422, 'idempotency_mismatch', 'this Idempotency-Key was already used with a different request', 'Idempotency-Key');
      }
      return { status: prev.status_code, body: prev.response, replayed: true };
    }
    const body = await write(tx);
    await tx.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE team_id = $1 AND key = $2', [who.teamId, key, status, JSON.stringify(body)]);
    return { status, body, replayed: false };
  });
}
