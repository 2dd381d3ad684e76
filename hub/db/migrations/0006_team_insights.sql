-- Team insights (issue 14): adoption counts the extension sends, the team's setting for them, typo-tolerant customer
-- search, and the indexes the team reports read. Every table is team-scoped like the rest.
--
-- On a large installation the index builds below take a while (minutes at a million contacts and five million
-- interactions) under a lock that blocks writes to those tables: run `npm run hub -- migrate` in a quiet hour.

-- pg_trgm ships with PostgreSQL (contrib) in the embedded server and in Debian's packages, and is a trusted
-- extension since PostgreSQL 13: the database owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customer search by name, address, company or domain, typos included (similarity) and parts of words (ILIKE):
-- both use these trigram indexes. Trigrams are compared lower-cased by pg_trgm itself.
CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX companies_name_trgm ON companies USING gin (name gin_trgm_ops);
CREATE INDEX contact_emails_email_trgm ON contact_emails USING gin (email gin_trgm_ops);
CREATE INDEX company_domains_domain_trgm ON company_domains USING gin (domain gin_trgm_ops);
-- A company page lists its people (contacts_company already serves that) and their owners.
CREATE INDEX contacts_team_owner ON contacts (team_id, owner_id);

-- Whether the team's extensions send daily adoption counts. Off unless an admin turns it on.
CREATE TABLE team_insights (
  team_id           bigint PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  adoption_sharing  text NOT NULL DEFAULT 'off' CHECK (adoption_sharing IN ('off', 'counts')),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per member and day (the member's own calendar day): counts only, never a subject, address or name.
-- The extension may send a day again (its outcomes change when a conversation is logged later): the row is
-- replaced, so a day sent twice counts once.
CREATE TABLE adoption_daily (
  team_id         bigint NOT NULL,
  member_id       bigint NOT NULL,
  day             date NOT NULL,
  seen            int NOT NULL CHECK (seen >= 0),
  prompted        int NOT NULL CHECK (prompted >= 0),
  logged_prompt   int NOT NULL CHECK (logged_prompt >= 0),
  logged_later    int NOT NULL CHECK (logged_later >= 0),
  logged_sidebar  int NOT NULL CHECK (logged_sidebar >= 0),
  dismissed       int NOT NULL CHECK (dismissed >= 0),
  listed          int NOT NULL CHECK (listed >= 0),
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, member_id, day),
  FOREIGN KEY (team_id, member_id) REFERENCES members (team_id, id) ON DELETE CASCADE
);
CREATE INDEX adoption_daily_team_day ON adoption_daily (team_id, day);

-- Meetings and attendance over a period: index-only scans by team and time (colleagues and customers apart, so
-- each reads only its own rows).
CREATE INDEX interactions_team_kind_time ON interactions (team_id, kind, occurred_at) INCLUDE (department, created_by, id);
CREATE INDEX attendance_team_member_time ON attendance (team_id, occurred_at) INCLUDE (member_id, status) WHERE member_id IS NOT NULL;
CREATE INDEX attendance_team_contact_time ON attendance (team_id, occurred_at) INCLUDE (contact_id, status) WHERE contact_id IS NOT NULL;
-- Open heads-ups by kind and age; every heads-up of a contact (open or closed).
CREATE INDEX flags_team_open_time ON flags (team_id, set_at) INCLUDE (kind, set_by, contact_id) WHERE closed_at IS NULL;
-- Replaces 0004's plain index on contact_id with one the reports can read without visiting the table.
DROP INDEX flags_contact;
CREATE INDEX flags_contact ON flags (contact_id) INCLUDE (kind, set_at, closed_at);
-- Overdue follow-ups per assignee, index-only.
CREATE INDEX tasks_team_open_assignee ON tasks (team_id, due_at) INCLUDE (assignee_id) WHERE done_at IS NULL;

-- Conversations with a customer while an open-service-issue or do-not-contact heads-up stood on them — on the person,
-- or on their whole company (issue 12), and until it was closed or lapsed (its `until`). Kept as they happen rather than
-- searched for: at a million contacts with tens of thousands of such heads-ups, finding them in a quarter's history
-- took most of a second; read from here it is an index range. Triggers keep it: a conversation logged (or its address
-- given a contact later) is matched against the contact's and its company's heads-ups, and a heads-up set, moved or
-- closed is matched against the history of its contact or company again. The report itself chooses which kinds it
-- shows. (A contact moved to another company later keeps the matches it had.)
CREATE TABLE heads_up_contacts (
  team_id         bigint NOT NULL,
  flag_id         bigint NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
  interaction_id  bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  -- Who of the conversation's people the heads-up stood on (for a company's heads-up, one of its contacts).
  contact_id      bigint NOT NULL,
  occurred_at     timestamptz NOT NULL,
  -- The conversation's department (whoever logged it first).
  department      text NOT NULL,
  PRIMARY KEY (flag_id, interaction_id)
);
CREATE INDEX heads_up_contacts_team_time ON heads_up_contacts (team_id, occurred_at DESC, interaction_id DESC);
CREATE INDEX heads_up_contacts_interaction ON heads_up_contacts (interaction_id);

-- Whether a heads-up stood at a moment: set before it, not closed and not lapsed yet.
CREATE FUNCTION liaison_heads_up_stood(f flags, at timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE
  RETURN f.kind IN ('open-service-issue', 'do-not-contact') AND f.set_at <= at
     AND (f.closed_at IS NULL OR at < f.closed_at) AND (f.until IS NULL OR at < f.until);

-- A restore (hub/db/backup.ts) loads this table from the backup itself, and says so with liaison.restoring.
CREATE FUNCTION liaison_heads_up_contacts_of_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('liaison.restoring', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO heads_up_contacts (team_id, flag_id, interaction_id, contact_id, occurred_at, department)
  SELECT DISTINCT ON (f.id, n.interaction_id) f.team_id, f.id, n.interaction_id, c.id, n.occurred_at, n.department
    FROM new_rows n
    JOIN contacts c ON c.id = n.contact_id
    JOIN flags f ON f.team_id = c.team_id AND (f.contact_id = c.id OR f.company_id = c.company_id)
   WHERE liaison_heads_up_stood(f, n.occurred_at)
  ON CONFLICT (flag_id, interaction_id) DO UPDATE SET occurred_at = EXCLUDED.occurred_at, department = EXCLUDED.department;
  RETURN NULL;
END $$;
CREATE TRIGGER interaction_participants_heads_up_insert AFTER INSERT ON interaction_participants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION liaison_heads_up_contacts_of_participants();
CREATE TRIGGER interaction_participants_heads_up_update AFTER UPDATE ON interaction_participants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION liaison_heads_up_contacts_of_participants();

CREATE FUNCTION liaison_heads_up_contacts_of_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('liaison.restoring', true) = 'on' THEN RETURN NULL; END IF;
  DELETE FROM heads_up_contacts WHERE flag_id = NEW.id;
  IF NEW.kind IN ('open-service-issue', 'do-not-contact') THEN
    INSERT INTO heads_up_contacts (team_id, flag_id, interaction_id, contact_id, occurred_at, department)
    SELECT DISTINCT ON (ip.interaction_id) NEW.team_id, NEW.id, ip.interaction_id, ip.contact_id, ip.occurred_at, ip.department
      FROM interaction_participants ip
     WHERE (ip.contact_id = NEW.contact_id
            OR ip.contact_id IN (SELECT c.id FROM contacts c WHERE c.team_id = NEW.team_id AND c.company_id = NEW.company_id))
       AND liaison_heads_up_stood(NEW, ip.occurred_at)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER flags_heads_up_contacts AFTER INSERT OR UPDATE OF kind, set_at, closed_at, until, contact_id, company_id ON flags
  FOR EACH ROW EXECUTE FUNCTION liaison_heads_up_contacts_of_flag();

-- What already happened.
INSERT INTO heads_up_contacts (team_id, flag_id, interaction_id, contact_id, occurred_at, department)
SELECT DISTINCT ON (f.id, ip.interaction_id) f.team_id, f.id, ip.interaction_id, ip.contact_id, ip.occurred_at, ip.department
  FROM flags f
  JOIN contacts c ON c.team_id = f.team_id AND (c.id = f.contact_id OR c.company_id = f.company_id)
  JOIN interaction_participants ip ON ip.contact_id = c.id
 WHERE liaison_heads_up_stood(f, ip.occurred_at)
ON CONFLICT DO NOTHING;
-- Who touched which customers lately: the account sections of "needs attention".
CREATE INDEX interaction_participants_team_time ON interaction_participants (team_id, occurred_at) INCLUDE (contact_id, department)
  WHERE contact_id IS NOT NULL;

-- Report sections that look at every account's recent activity are computed at most every few minutes and kept
-- here, per team: at team scale they read hundreds of thousands of rows, which no page view should wait for.
CREATE TABLE report_snapshots (
  team_id      bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name         text NOT NULL,
  computed_at  timestamptz NOT NULL,
  body         jsonb NOT NULL,
  PRIMARY KEY (team_id, name)
);
