/**
 * Fills a database with a synthetic team at benchmark scale, inside PostgreSQL (generate_series), because
 * a million contacts through the API would take hours and measure the wrong thing. The shape follows the
 * real data model: every contact has an address and a company, every interaction a logger and a participant,
 * a tenth of interactions are meetings with attendance, some contacts carry open flags.
 */
import type { Db } from '../hub/db/index.ts';
import { addMember, createTeam } from '../hub/repo/teams.ts';
import { DEPARTMENTS } from '../shared/wire-types.ts';

export interface ScaleSeed {
  teamId: string;
  token: string;
  contacts: number;
  interactions: number;
}

export async function seedScale(db: Db, contacts: number, interactions: number, log = (s: string) => console.log(s)): Promise<ScaleSeed> {
  const teamId = await createTeam(db, `Bench ${contacts}`, ['bench-team.example']);
  const { token } = await addMember(db, teamId, { name: 'Bench Admin', email: 'admin@bench-team.example', department: 'sales', role: 'admin' });
  for (let i = 0; i < 23; i++) {
    await addMember(db, teamId, { name: `Member ${i}`, email: `m${i}@bench-team.example`, department: DEPARTMENTS[i % DEPARTMENTS.length]!, role: 'member' }, null);
  }
  const companies = Math.max(10, Math.floor(contacts / 20));
  const step = async (what: string, sql: string, params: unknown[]) => {
    const t = Date.now();
    await db.query(sql, params);
    log(`  ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  await step('companies', `INSERT INTO companies (team_id, name) SELECT $1, 'Company ' || g FROM generate_series(1, $2) g`, [teamId, companies]);
  await step(
    'company domains',
    `INSERT INTO company_domains (team_id, domain, company_id)
     SELECT $1, 'co' || (row_number() OVER (ORDER BY id)) || '.example', id FROM companies WHERE team_id = $1`,
    [teamId],
  );
  await step(
    'contacts',
    `INSERT INTO contacts (team_id, name, title, company_id, owner_id)
     SELECT $1, 'Contact ' || g, CASE WHEN g % 3 = 0 THEN 'Director' ELSE 'Manager' END,
            (SELECT min(id) FROM companies WHERE team_id = $1) + (g % $2),
            (SELECT min(id) FROM members WHERE team_id = $1) + (g % 24)
       FROM generate_series(1, $3) g`,
    [teamId, companies, contacts],
  );
  // Address c<n>@co<k>.example for the n-th contact: the benchmark can name any contact without a lookup table.
  await step(
    'contact emails',
    `INSERT INTO contact_emails (team_id, email, contact_id)
     SELECT $1, 'c' || (c.id - m.lo + 1) || '@co' || ((c.id - m.lo + 1) % $2 + 1) || '.example', c.id
       FROM contacts c, (SELECT min(id) AS lo FROM contacts WHERE team_id = $1) m WHERE c.team_id = $1`,
    [teamId, companies],
  );
  await step(
    'interactions',
    `INSERT INTO interactions (team_id, kind, occurred_at, subject, department, created_by)
     SELECT $1, (ARRAY['email','email','email','call','note','support','marketing','email','email','meeting'])[g % 10 + 1],
            now() - make_interval(secs => ((hashint4(g)::bigint & 2147483647) % 63072000)::int),
            'Subject ' || g,
            (ARRAY['sales','marketing','support','it','leadership','other'])[g % 6 + 1],
            (SELECT min(id) FROM members WHERE team_id = $1) + (g % 24)
       FROM generate_series(1, $2) g`,
    [teamId, interactions],
  );
  await step(
    'loggers',
    `INSERT INTO interaction_loggers (interaction_id, team_id, member_id, department, logged_at, source_site, source_ref)
     SELECT id, team_id, created_by, department, occurred_at, 'gmail', 't' || id FROM interactions WHERE team_id = $1`,
    [teamId],
  );
  // Each interaction involves one contact, spread by a hash so contacts get ~interactions/contacts each.
  await step(
    'participants',
    `INSERT INTO interaction_participants (interaction_id, team_id, email, contact_id, occurred_at, department)
     SELECT i.id, i.team_id, ce.email, ce.contact_id, i.occurred_at, i.department
       FROM interactions i
       CROSS JOIN (SELECT min(id) AS lo FROM contacts WHERE team_id = $1) m
       JOIN contact_emails ce ON ce.team_id = $1 AND ce.contact_id = m.lo + ((hashint8(i.id) & 2147483647) % $2)
      WHERE i.team_id = $1`,
    [teamId, contacts],
  );
  await step(
    'attendance',
    `INSERT INTO attendance (interaction_id, team_id, email, contact_id, status, rsvp, occurred_at)
     SELECT p.interaction_id, p.team_id, p.email, p.contact_id,
            (ARRAY['attended','attended','attended','no-show','late','excused'])[p.interaction_id % 6 + 1], 'accepted', p.occurred_at
       FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
      WHERE i.team_id = $1 AND i.kind = 'meeting'`,
    [teamId],
  );
  await step(
    'flags',
    `INSERT INTO flags (team_id, contact_id, kind, note, set_by)
     SELECT $1, c.id, 'open-service-issue', 'Bench flag', c.owner_id FROM contacts c WHERE c.team_id = $1 AND c.id % 50 = 0`,
    [teamId],
  );
  // VACUUM sets the visibility map, so the counting index scans are index-only as in a long-running database.
  await step('vacuum analyze', 'VACUUM ANALYZE', []);
  return { teamId, token, contacts, interactions };
}
