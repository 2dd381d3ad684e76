/**
 * The toolbar badge counts what needs the user: logs still waiting to reach the hub plus conversations on the
 * "Unlogged conversations" list. Setting it also tells open pages to ask again (see utils/storage/keys.ts).
 */
import { countWaiting, signalOutbox } from '../outbox';
import type { LiaisonDb } from '../storage/db';

export async function refreshBadge(db: LiaisonDb, outboxWaiting?: number): Promise<void> {
  const waiting = outboxWaiting ?? (await countWaiting(db));
  const listed = await db.countFromIndex('conversations', 'by-state', 'listed');
  await signalOutbox(waiting + listed);
}
