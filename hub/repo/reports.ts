/** Attendance patterns for managers: who keeps missing meetings, ours and theirs. */
import type { Queryable } from '../db/index.ts';
import { memberRef } from './sql-fragments.ts';

export async function noShows(db: Queryable, teamId: string, from: string, to: string) {
  const counts = `count(*) FILTER (WHERE a.status IS NOT NULL)::int AS meetings,
                  count(*) FILTER (WHERE a.status = 'no-show')::int AS "noShows",
                  count(*) FILTER (WHERE a.status = 'late')::int AS late`;
  const period = 'a.team_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3';
  const members = await db.query(
    `SELECT ${memberRef('m')} AS member, ${counts} FROM attendance a JOIN members m ON m.id = a.member_id
      WHERE ${period} GROUP BY m.id HAVING count(*) FILTER (WHERE a.status = 'no-show') > 0 ORDER BY "noShows" DESC, m.id`,
    [teamId, from, to],
  );
  const contacts = await db.query(
    `SELECT json_build_object('id', c.id::text, 'name', c.name) AS contact, ${counts} FROM attendance a JOIN contacts c ON c.id = a.contact_id
      WHERE ${period} GROUP BY c.id HAVING count(*) FILTER (WHERE a.status = 'no-show') > 0 ORDER BY "noShows" DESC, c.id LIMIT 200`,
    [teamId, from, to],
  );
  return { from, to, members, contacts };
}
