/**
 * Fills a database with a synthetic team at benchmark scale, inside PostgreSQL (generate_series), because
 * a million contacts through the API would take hours and measure the wrong thing. The shape follows the
 * real data model: every contact has an address and a company, every interaction a logger and a participant,
 * a tenth of interactions are meetings with attendance, some contacts carry open flags.
 *
 * Issue 14 adds what the team reports read: names drawn from lists (as real names are, so that customer search
 * meets realistic selectivity instead of a million "Contact N"), the logger's own attendance at each meeting,
 * heads-ups raised over the last half year (open and closed), follow-up tasks (some overdue) and two years of
 * daily adoption counts per member.
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
  await step(
    'companies',
    `INSERT INTO companies (team_id, name)
     SELECT $1, (ARRAY[${words(COMPANY_WORDS)}])[(hashint4(g) & 2147483647) % ${COMPANY_WORDS.length} + 1] || ' '
                || (ARRAY[${words(COMPANY_KINDS)}])[(hashint4(g * 31 + 7) & 2147483647) % ${COMPANY_KINDS.length} + 1]
       FROM generate_series(1, $2) g`,
    [teamId, companies],
  );
  await step(
    'company domains',
    `INSERT INTO company_domains (team_id, domain, company_id)
     SELECT $1, 'co' || (row_number() OVER (ORDER BY id)) || '.example', id FROM companies WHERE team_id = $1`,
    [teamId],
  );
  await step(
    'contacts',
    `INSERT INTO contacts (team_id, name, title, company_id, owner_id)
     SELECT $1, ${PERSON_NAME}, CASE WHEN g % 3 = 0 THEN 'Director' ELSE 'Manager' END,
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
  await seedInsightsScale(db, teamId, contacts, step);
  // VACUUM sets the visibility map, so the counting index scans are index-only as in a long-running database.
  await step('vacuum analyze', 'VACUUM ANALYZE', []);
  return { teamId, token, contacts, interactions };
}

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Dorothy', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa', 'Edward', 'Deborah', 'Jane', 'Raj', 'Priya', 'Sven', 'Ana', 'Lucia', 'Pieter', 'Anouk', 'Mateo', 'Zoe'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Doe', 'Patel', 'Natarajan', 'Becker', 'Costa', 'de Vries', 'Fischer', 'Janssen', 'Okafor', 'Kowalski'];
const SECOND_LAST = ['Lund', 'Berg', 'Moreau', 'Rossi', 'Silva', 'Novak', 'Dubois', 'Meyer', 'Weber', 'Schulz'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne', 'Tyrell', 'Oscorp', 'Wonka', 'Gringotts', 'Bluth', 'Dunder', 'Prestige', 'Massive', 'Aperture', 'Monarch', 'Nakatomi', 'Yoyodyne', 'Zorg', 'Ollivander', 'Krusty', 'Sterling', 'Rekall', 'Tessier', 'Gekko', 'Spacely', 'Cogswell', 'Duff', 'Virtucon', 'Wernham', 'InGen', 'Pollos', 'Ghostbusters', 'Kruger', 'Blue Sun', 'Weyland'];
const COMPANY_KINDS = ['Corp', 'Industries', 'Logistics', 'Manufacturing', 'Freight', 'Health', 'Data', 'Imports', 'Foods', 'Robotics', 'Biotech', 'Materials', 'Trading', 'Systems', 'Software', 'Energy', 'Holdings', 'Labs', 'Partners', 'Group'];
const words = (list: string[]) => list.map((w) => `'${w}'`).join(',');
/** "Jane Doe", "Sven Kowalski-Moreau": 60 × 60 × 4 names spread by a hash of the row number. */
const PERSON_NAME = `(ARRAY[${words(FIRST)}])[(hashint4(g) & 2147483647) % ${FIRST.length} + 1] || ' ' ||
            (ARRAY[${words(LAST)}])[(hashint4(g * 7 + 3) & 2147483647) % ${LAST.length} + 1] ||
            CASE WHEN g % 3 = 0 THEN '-' || (ARRAY[${words(SECOND_LAST)}])[g % ${SECOND_LAST.length} + 1] ELSE '' END`;

type Step = (what: string, sql: string, params: unknown[]) => Promise<void>;

/** What the team reports (issue 14) read, at the same scale. */
async function seedInsightsScale(db: Db, teamId: string, contacts: number, step: Step): Promise<void> {
  await step(
    'attendance of colleagues',
    `INSERT INTO attendance (interaction_id, team_id, email, member_id, status, rsvp, occurred_at)
     SELECT i.id, i.team_id, m.email, m.id,
            (ARRAY['attended','attended','attended','attended','late','no-show','excused'])[(hashint8(i.id) & 2147483647) % 7 + 1], 'accepted', i.occurred_at
       FROM interactions i JOIN members m ON m.id = i.created_by
      WHERE i.team_id = $1 AND i.kind = 'meeting'`,
    [teamId],
  );
  await step(
    'heads-ups over half a year',
    `UPDATE flags SET set_at = now() - make_interval(days => ((hashint8(id) & 2147483647) % 180)::int) WHERE team_id = $1`,
    [teamId],
  );
  await step(
    'do-not-contact heads-ups, half of them closed',
    `INSERT INTO flags (team_id, contact_id, kind, note, set_by, set_at, closed_by, closed_at)
     SELECT $1, c.id, 'do-not-contact', 'Bench do-not-contact', c.owner_id, now() - make_interval(days => (c.id % 300)::int),
            CASE WHEN c.id % 2 = 0 THEN c.owner_id END, CASE WHEN c.id % 2 = 0 THEN now() - make_interval(days => (c.id % 300)::int / 2) END
       FROM contacts c WHERE c.team_id = $1 AND c.id % 97 = 0`,
    [teamId],
  );
  await step(
    'follow-up tasks',
    `INSERT INTO tasks (team_id, title, due_at, assignee_id, contact_id, created_by, done_at, done_by)
     SELECT $1, 'Follow up ' || g, now() + make_interval(days => ((hashint4(g) & 2147483647) % 121)::int - 60),
            (SELECT min(id) FROM members WHERE team_id = $1) + (g % 24),
            (SELECT min(id) FROM contacts WHERE team_id = $1) + ((hashint4(g * 13) & 2147483647) % $2),
            (SELECT min(id) FROM members WHERE team_id = $1) + (g % 24),
            CASE WHEN g % 3 = 0 THEN now() - interval '1 day' END,
            CASE WHEN g % 3 = 0 THEN (SELECT min(id) FROM members WHERE team_id = $1) + (g % 24) END
       FROM generate_series(1, $3) g`,
    [teamId, contacts, Math.max(100, Math.floor(contacts / 10))],
  );
  await step(
    'daily adoption counts',
    `INSERT INTO adoption_daily (team_id, member_id, day, seen, prompted, logged_prompt, logged_later, logged_sidebar, dismissed, listed)
     SELECT $1, m.id, d::date, 10, 6, 4, 1, 2, 1, 2
       FROM members m, generate_series(current_date - 730, current_date - 1, interval '1 day') d
      WHERE m.team_id = $1`,
    [teamId],
  );
  await step('adoption counts on', `INSERT INTO team_insights (team_id, adoption_sharing) VALUES ($1, 'counts')`, [teamId]);
}
